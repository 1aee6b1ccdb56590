//! The roster (巡察人才库): loading, checking and writing people.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_org::table::{Table, open};
use xuncha_org::{Code, Hierarchy, Level, Location, Units};

pub(crate) mod cells;

use cells::Columns;

use crate::{Error, Person, PersonId, Place, Post, Relative, RosterProblem, Target};

/// The version of the roster's JSON form.
const VERSION: u32 = 1;

/// The CSV columns, in the order the writer uses.
pub const CSV_COLUMNS: [&str; 14] = [
    "id",
    "name",
    "origin",
    "residence",
    "workplace",
    "posts",
    "upbringing",
    "relatives",
    "declared",
    "inspections",
    "rank",
    "skills",
    "school",
    "graduation",
];

/// The pool of people who may serve (巡察人才库), checked against a
/// hierarchy and its units.
///
/// Every code in a roster is current: [`Roster::new`] and the loaders
/// resolve old codes through the hierarchy's code history (a post held in
/// 龙海市 `350681` in 2016 is stored as 龙海区 `350604`), and reject a code
/// or unit they cannot place, naming the row and the field.
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use xuncha_avoid::Roster;
/// use xuncha_org::{Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let csv = "\
/// id,name,origin,residence,workplace,posts,upbringing,relatives,declared,inspections,rank,skills
/// P1,王芳,350628,350628100,350628,350681|副镇长|2014-03-01|2018-06-30,350627,spouse|李强|350602||,,,section-chief,finance-audit;law
/// ";
/// let roster = Roster::from_csv_reader(Path::new("roster.csv"), csv.as_bytes(), &fujian, &Units::default())?;
/// let wang = &roster.people()[0];
/// assert_eq!(wang.posts[0].place.to_string(), "350604", "龙海市 resolved to 龙海区");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Roster {
    people: Vec<Person>,
    by_id: HashMap<PersonId, usize>,
}

#[derive(Serialize)]
struct RosterOut<'a> {
    version: u32,
    people: &'a [Person],
}

#[derive(Deserialize)]
struct RosterIn {
    version: u32,
    people: Vec<Person>,
}

impl Serialize for Roster {
    /// `{"version": 1, "people": [...]}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RosterOut {
            version: VERSION,
            people: &self.people,
        }
        .serialize(serializer)
    }
}

impl Roster {
    /// Checks `people` against the hierarchy and units, resolving old codes.
    /// Errors are located as `<roster>, person N (id ...)`.
    ///
    /// # Errors
    ///
    /// [`Error::Roster`] for an unknown code or unit, an origin that is not
    /// a county, a post that ends before it begins, or a repeated id.
    pub fn new(people: Vec<Person>, hierarchy: &Hierarchy, units: &Units) -> Result<Roster, Error> {
        let located = by_position(
            people,
            Path::new("<roster>"),
            |p| &p.id,
            |i, id| format!("person {} (id {id})", i + 1),
        );
        Roster::checked(located, hierarchy, units)
    }

    /// Reads a roster from a CSV file (see `docs/formats.md`).
    ///
    /// # Errors
    ///
    /// [`Error::Org`] for a file that cannot be read or is not CSV; otherwise
    /// as [`Roster::from_csv_reader`].
    pub fn from_csv_path(
        path: impl AsRef<Path>,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Roster, Error> {
        let path = path.as_ref();
        Roster::from_csv_reader(path, open(path)?, hierarchy, units)
    }

    /// Reads a roster in CSV from `reader`: one row a person, lists in a cell
    /// separated by `;`, the parts of an item by `|`. `name` names the source
    /// in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Org`] or [`Error::Roster`] naming the line and field of a
    /// missing column, a bad code, date, kinship word, rank or skill, an item
    /// with the wrong number of parts, an unknown code or unit, a post that
    /// ends before it begins, or a repeated id.
    pub fn from_csv_reader(
        name: &Path,
        reader: impl Read,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Roster, Error> {
        let mut table = Table::new(name, reader)?;
        let columns = Columns::find(&table)?;
        let mut people = Vec::new();
        while table.advance()? {
            let person = columns.read(&table)?;
            people.push((person, Location::new(table.file(), Some(table.line()))));
        }
        Roster::checked(people, hierarchy, units)
    }

    /// Reads a roster from a JSON file: `{"version": 1, "people": [...]}`.
    ///
    /// # Errors
    ///
    /// [`Error::Io`], [`Error::Json`] with line and column, or as
    /// [`Roster::new`] with the file named.
    pub fn from_json_path(
        path: impl AsRef<Path>,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Roster, Error> {
        let path = path.as_ref();
        let text = xuncha_org::Limits::default().read_to_string(path)?;
        Roster::from_json_str(path, &text, hierarchy, units)
    }

    /// Reads a roster from JSON text; `name` names the source in errors.
    ///
    /// # Errors
    ///
    /// As [`Roster::from_json_path`].
    pub fn from_json_str(
        name: &Path,
        text: &str,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Roster, Error> {
        let file: RosterIn = serde_json::from_str(text).map_err(|source| Error::Json {
            file: name.to_owned(),
            source,
        })?;
        check_version(name, file.version, "roster", VERSION)?;
        let located = by_position(
            file.people,
            name,
            |p| &p.id,
            |i, id| format!("people[{i}] (id {id})"),
        );
        Roster::checked(located, hierarchy, units)
    }

    fn checked(
        people: Vec<(Person, Location)>,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Roster, Error> {
        let resolver = Resolver { hierarchy, units };
        let mut by_id = HashMap::with_capacity(people.len());
        let mut out = Vec::with_capacity(people.len());
        for (mut person, location) in people {
            resolver.person(&mut person, &location)?;
            if by_id.insert(person.id.clone(), out.len()).is_some() {
                return Err(Error::roster(
                    field(&location, "id"),
                    RosterProblem::DuplicatePerson {
                        id: person.id.0.clone(),
                    },
                ));
            }
            out.push(person);
        }
        Ok(Roster { people: out, by_id })
    }

    /// Every person, in the order given.
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// The person with `id`.
    pub fn get(&self, id: &PersonId) -> Option<&Person> {
        self.index_of(id).map(|i| &self.people[i])
    }

    /// The position of the person with `id` in [`Roster::people`].
    pub fn index_of(&self, id: &PersonId) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The number of people.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Whether the roster is empty.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Writes the roster as CSV, in the form [`Roster::from_csv_reader`]
    /// reads: a roster read from CSV writes back to CSV that reads to the
    /// same people. Free text inside the list columns (post titles,
    /// relatives' names, declared reasons) containing the separators `;`
    /// or `|` has them replaced by their full-width forms `；` and `｜`;
    /// the `name` column is written as it is.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if writing fails.
    pub fn write_csv(&self, writer: impl Write) -> Result<(), Error> {
        let io = |e: csv::Error| Error::Io {
            path: "<csv output>".into(),
            source: std::io::Error::other(e),
        };
        let mut out = csv::Writer::from_writer(writer);
        out.write_record(CSV_COLUMNS).map_err(io)?;
        for p in &self.people {
            out.write_record(csv_row(p)).map_err(io)?;
        }
        out.flush().map_err(|source| Error::Io {
            path: "<csv output>".into(),
            source,
        })
    }
}

/// A person's CSV cells, in [`CSV_COLUMNS`] order.
fn csv_row(p: &Person) -> [String; 14] {
    let text = |s: &str| s.replace(';', "；").replace('|', "｜");
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let place = |p: &Option<Place>| p.as_ref().map(ToString::to_string).unwrap_or_default();
    let join = |items: Vec<String>| items.join(";");
    let posts = p
        .posts
        .iter()
        .map(|post| {
            format!(
                "{}|{}|{}|{}",
                post.place,
                text(&post.title),
                date(post.from),
                date(post.to)
            )
        })
        .collect();
    let relatives = p
        .relatives
        .iter()
        .flat_map(|r| {
            let head = format!("{}|{}", text(r.written()), text(&r.name));
            let id =
                r.id.as_ref()
                    .map(|id| format!("|{}", text(id.as_str())))
                    .unwrap_or_default();
            if r.posts.is_empty() {
                let empty = if id.is_empty() { "" } else { "|||" };
                vec![format!("{head}{empty}{id}")]
            } else {
                r.posts
                    .iter()
                    .map(|post| {
                        format!(
                            "{head}|{}|{}|{}{id}",
                            post.place,
                            date(post.from),
                            date(post.to)
                        )
                    })
                    .collect()
            }
        })
        .collect();
    [
        p.id.0.clone(),
        p.name.clone(),
        p.origin.to_text(),
        place(&p.residence),
        place(&p.workplace),
        join(posts),
        join(p.upbringing.iter().map(ToString::to_string).collect()),
        join(relatives),
        join(
            p.declared
                .iter()
                .map(|d| format!("{}|{}", d.place, text(&d.reason)))
                .collect(),
        ),
        join(
            p.inspections
                .iter()
                .map(|i| format!("{}|{}", i.target, i.date))
                .collect(),
        ),
        p.rank.to_string(),
        join(p.skills.iter().map(ToString::to_string).collect()),
        text(p.school.as_deref().unwrap_or_default()),
        p.graduation.map(|y| y.to_string()).unwrap_or_default(),
    ]
}

/// Refuses a JSON file of another `version` than `expected`, naming its
/// `version` field; `what` is the kind of file (`roster`).
pub(crate) fn check_version(
    name: &Path,
    version: u32,
    what: &str,
    expected: u32,
) -> Result<(), Error> {
    if version == expected {
        return Ok(());
    }
    let mut location = Location::new(name, None);
    location.field = Some("version".to_owned());
    Err(Error::roster(
        location,
        RosterProblem::InvalidValue {
            input: version.to_string(),
            expected: format!("{what} version {expected}"),
        },
    ))
}

/// Records located by their position in a list: `file`, no line, the field
/// `label(position, id)`.
pub(crate) fn by_position<T>(
    records: Vec<T>,
    file: &Path,
    id: impl Fn(&T) -> &PersonId,
    label: impl Fn(usize, &PersonId) -> String,
) -> Vec<(T, Location)> {
    records
        .into_iter()
        .enumerate()
        .map(|(i, record)| {
            let mut location = Location::new(file, None);
            location.field = Some(label(i, id(&record)));
            (record, location)
        })
        .collect()
}

pub(crate) fn field(location: &Location, name: &str) -> Location {
    let mut location = location.clone();
    location.field = Some(match &location.field {
        Some(prefix) => format!("{prefix}: {name}"),
        None => name.to_owned(),
    });
    location
}

/// Turns old codes into current ones and checks every place.
pub(crate) struct Resolver<'a> {
    pub(crate) hierarchy: &'a Hierarchy,
    pub(crate) units: &'a Units,
}

impl Resolver<'_> {
    fn person(&self, p: &mut Person, at: &Location) -> Result<(), Error> {
        p.origin = self.code(p.origin, NaiveDate::MAX, &field(at, "origin"))?;
        if p.origin.level() != Level::County {
            return Err(Error::roster(
                field(at, "origin"),
                RosterProblem::OriginNotCounty { code: p.origin },
            ));
        }
        if let Some(place) = &mut p.residence {
            self.place(place, NaiveDate::MAX, &field(at, "residence"))?;
        }
        if let Some(place) = &mut p.workplace {
            self.place(place, NaiveDate::MAX, &field(at, "workplace"))?;
        }
        self.career(&mut p.posts, &mut p.upbringing, &mut p.relatives, at)?;
        for (i, declared) in p.declared.iter_mut().enumerate() {
            self.place(
                &mut declared.place,
                NaiveDate::MAX,
                &field(at, &format!("declared (item {})", i + 1)),
            )?;
        }
        for (i, inspection) in p.inspections.iter_mut().enumerate() {
            let at = field(at, &format!("inspections (item {})", i + 1));
            match &mut inspection.target {
                Target::Division(code) => *code = self.code(*code, inspection.date, &at)?,
                Target::Unit(id) => self.unit(id, &at)?,
                Target::Cluster(codes) => {
                    for code in codes {
                        *code = self.code(*code, inspection.date, &at)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The facts a roster person and an official share: posts, places of
    /// upbringing, relatives' posts.
    pub(crate) fn career(
        &self,
        posts: &mut [Post],
        upbringing: &mut [Place],
        relatives: &mut [Relative],
        at: &Location,
    ) -> Result<(), Error> {
        for (i, post) in posts.iter_mut().enumerate() {
            self.post(post, &field(at, &format!("posts (item {})", i + 1)))?;
        }
        for (i, place) in upbringing.iter_mut().enumerate() {
            self.place(
                place,
                NaiveDate::MAX,
                &field(at, &format!("upbringing (item {})", i + 1)),
            )?;
        }
        for (i, relative) in relatives.iter_mut().enumerate() {
            for post in &mut relative.posts {
                self.post(post, &field(at, &format!("relatives (relative {})", i + 1)))?;
            }
        }
        Ok(())
    }

    pub(crate) fn post(&self, post: &mut Post, at: &Location) -> Result<(), Error> {
        if let (Some(from), Some(to)) = (post.from, post.to)
            && to < from
        {
            return Err(Error::roster(
                at.clone(),
                RosterProblem::EndBeforeStart { from, to },
            ));
        }
        let when = post.from.or(post.to).unwrap_or(NaiveDate::MAX);
        self.place(&mut post.place, when, at)
    }

    pub(crate) fn place(
        &self,
        place: &mut Place,
        date: NaiveDate,
        at: &Location,
    ) -> Result<(), Error> {
        match place {
            Place::Division(code) => *code = self.code(*code, date, at)?,
            Place::Unit(id) => self.unit(id, at)?,
        }
        Ok(())
    }

    fn unit(&self, id: &xuncha_org::UnitId, at: &Location) -> Result<(), Error> {
        if self.units.get(id).is_none() {
            return Err(Error::roster(
                at.clone(),
                RosterProblem::UnknownUnit { id: id.0.clone() },
            ));
        }
        Ok(())
    }

    fn code(&self, code: Code, date: NaiveDate, at: &Location) -> Result<Code, Error> {
        self.hierarchy
            .resolve(code, date)
            .map(|r| r.division.code())
            .map_err(|e| {
                Error::roster(
                    at.clone(),
                    RosterProblem::UnknownCode {
                        code,
                        reason: e.to_string(),
                    },
                )
            })
    }
}
