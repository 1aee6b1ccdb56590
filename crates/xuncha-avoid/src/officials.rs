//! The inspected side's leaders (被巡察单位领导班子): who leads which unit or
//! division, since when, and the facts the tie rule looks at.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_org::table::{Table, open};
use xuncha_org::{Code, Hierarchy, Location, Units};

use crate::roster::cells::{items, parse_date, parse_place, parse_year, posts, relatives};
use crate::roster::{Resolver, by_position, check_version, field};
use crate::{Error, PersonId, Place, Post, Relative, RosterProblem, Target};

/// The version of the officials file's JSON form.
const VERSION: u32 = 1;

/// The CSV columns of an officials file, in the order the writer uses.
pub const OFFICIAL_COLUMNS: [&str; 11] = [
    "id",
    "name",
    "place",
    "post",
    "from",
    "to",
    "posts",
    "upbringing",
    "relatives",
    "school",
    "graduation",
];

/// A leading official of an inspected unit or division: the post they hold
/// there and the facts ties are found from.
///
/// The same id may be a roster person too (a cadre pool holds both sides):
/// the two records are one person in the [`TieGraph`](crate::TieGraph).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Official {
    /// The person's id.
    pub id: PersonId,
    /// The person's name.
    pub name: String,
    /// The unit or division they lead.
    pub place: Place,
    /// The post, such as 局长 or 县委书记.
    pub post: String,
    /// When they took it, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// When they left it; `None` while they hold it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Earlier posts (任职经历).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<Post>,
    /// Places of upbringing (成长地).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upbringing: Vec<Place>,
    /// Relatives; one with an id in the roster or this file is a kin tie.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relatives: Vec<Relative>,
    /// The school they graduated from, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    /// The year they graduated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graduation: Option<i32>,
}

impl Official {
    /// An official leading `place` as `post`, with no dates and no facts.
    pub fn new(id: &str, name: &str, place: Place, post: &str) -> Official {
        Official {
            id: PersonId::from(id),
            name: name.to_owned(),
            place,
            post: post.to_owned(),
            from: None,
            to: None,
            posts: Vec::new(),
            upbringing: Vec::new(),
            relatives: Vec::new(),
            school: None,
            graduation: None,
        }
    }

    /// The leading post as a [`Post`].
    pub fn leading_post(&self) -> Post {
        Post {
            place: self.place.clone(),
            title: self.post.clone(),
            from: self.from,
            to: self.to,
        }
    }

    /// Whether they hold the post on `date`.
    pub fn serves_on(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| to >= date)
    }

    /// Whether the post lies within `target`: the target unit or a unit
    /// below it; for a division target, its government, its units and the
    /// divisions below it.
    pub fn leads_within(&self, target: &Target, units: &Units) -> bool {
        let inside = |code: Code| match target {
            Target::Division(t) => t.contains(code) || *t == code,
            Target::Cluster(codes) => codes.iter().any(|t| t.contains(code) || *t == code),
            Target::Unit(_) => false,
        };
        match (&self.place, target) {
            (Place::Unit(id), Target::Unit(t)) => id == t || units.is_within(id, t),
            (Place::Division(_), Target::Unit(_)) => false,
            (place, _) => place.division(units).is_some_and(inside),
        }
    }
}

/// The leading officials of the inspected side, checked against a
/// hierarchy and its units.
///
/// Loaded from CSV (one row an official; `posts`, `upbringing` and
/// `relatives` cells as in a roster) or JSON (`{"version": 1, "officials":
/// [...]}`); old codes are resolved as in a [`Roster`](crate::Roster).
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use xuncha_avoid::Officials;
/// use xuncha_org::{Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let csv = "\
/// id,name,place,post,from,to,posts,upbringing,relatives,school,graduation
/// L1,李四,350627,县长,2021-06-01,,350681|副市长|2012-03-01|2015-06-30,350627103,,厦门大学,1998
/// ";
/// let officials = Officials::from_csv_reader(Path::new("officials.csv"), csv.as_bytes(), &fujian, &Units::default())?;
/// let li = &officials.officials()[0];
/// assert_eq!(li.posts[0].place.to_string(), "350604", "龙海市 resolved to 龙海区");
/// assert_eq!(li.graduation, Some(1998));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Officials {
    officials: Vec<Official>,
    by_id: HashMap<PersonId, usize>,
}

#[derive(Serialize)]
struct OfficialsOut<'a> {
    version: u32,
    officials: &'a [Official],
}

#[derive(Deserialize)]
struct OfficialsIn {
    version: u32,
    officials: Vec<Official>,
}

impl Serialize for Officials {
    /// `{"version": 1, "officials": [...]}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        OfficialsOut {
            version: VERSION,
            officials: &self.officials,
        }
        .serialize(serializer)
    }
}

impl Officials {
    /// Checks `officials` against the hierarchy and units, resolving old
    /// codes. Errors are located as `<officials>, official N (id ...)`.
    ///
    /// # Errors
    ///
    /// [`Error::Roster`] for an unknown code or unit, a post that ends
    /// before it begins, or a repeated id.
    pub fn new(
        officials: Vec<Official>,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Officials, Error> {
        let located = by_position(
            officials,
            Path::new("<officials>"),
            |o| &o.id,
            |i, id| format!("official {} (id {id})", i + 1),
        );
        Officials::checked(located, hierarchy, units)
    }

    /// Reads officials from a CSV file, or JSON when the name ends in
    /// `.json` (see `docs/formats.md`).
    ///
    /// # Errors
    ///
    /// As [`Officials::from_csv_reader`] and [`Officials::from_json_str`].
    pub fn from_path(
        path: impl AsRef<Path>,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Officials, Error> {
        let path = path.as_ref();
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            let text = xuncha_org::Limits::default().read_to_string(path)?;
            Officials::from_json_str(path, &text, hierarchy, units)
        } else {
            Officials::from_csv_reader(path, open(path)?, hierarchy, units)
        }
    }

    /// Reads officials in CSV from `reader`; `name` names the source in
    /// errors.
    ///
    /// # Errors
    ///
    /// [`Error::Org`] or [`Error::Roster`] naming the line and field of a
    /// missing column, a bad code, date, year or kinship word, an unknown
    /// code or unit, a post that ends before it begins, or a repeated id.
    pub fn from_csv_reader(
        name: &Path,
        reader: impl Read,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Officials, Error> {
        let mut table = Table::new(name, reader)?;
        let required = [
            table.column("id")?,
            table.column("name")?,
            table.column("place")?,
        ];
        let optional: [Option<usize>; 8] =
            std::array::from_fn(|i| table.optional_column(OFFICIAL_COLUMNS[3 + i]));
        let mut out = Vec::new();
        while table.advance()? {
            let official = read_row(&table, required, &optional)?;
            out.push((official, Location::new(table.file(), Some(table.line()))));
        }
        Officials::checked(out, hierarchy, units)
    }

    /// Reads officials from JSON text; `name` names the source in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] with line and column, or as [`Officials::new`] with
    /// the file named.
    pub fn from_json_str(
        name: &Path,
        text: &str,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Officials, Error> {
        let file: OfficialsIn = serde_json::from_str(text).map_err(|source| Error::Json {
            file: name.to_owned(),
            source,
        })?;
        check_version(name, file.version, "officials", VERSION)?;
        let located = by_position(
            file.officials,
            name,
            |o| &o.id,
            |i, id| format!("officials[{i}] (id {id})"),
        );
        Officials::checked(located, hierarchy, units)
    }

    fn checked(
        officials: Vec<(Official, Location)>,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Officials, Error> {
        let resolver = Resolver { hierarchy, units };
        let mut by_id = HashMap::with_capacity(officials.len());
        let mut out = Vec::with_capacity(officials.len());
        for (mut official, at) in officials {
            let mut post = official.leading_post();
            resolver.post(&mut post, &field(&at, "place"))?;
            official.place = post.place;
            resolver.career(
                &mut official.posts,
                &mut official.upbringing,
                &mut official.relatives,
                &at,
            )?;
            if by_id.insert(official.id.clone(), out.len()).is_some() {
                return Err(Error::roster(
                    field(&at, "id"),
                    RosterProblem::DuplicatePerson {
                        id: official.id.0.clone(),
                    },
                ));
            }
            out.push(official);
        }
        Ok(Officials {
            officials: out,
            by_id,
        })
    }

    /// Every official, in the order given.
    pub fn officials(&self) -> &[Official] {
        &self.officials
    }

    /// The official with `id`.
    pub fn get(&self, id: &PersonId) -> Option<&Official> {
        self.by_id.get(id).map(|&i| &self.officials[i])
    }

    /// The number of officials.
    pub fn len(&self) -> usize {
        self.officials.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.officials.is_empty()
    }
}

/// One CSV row as an official.
fn read_row<R: Read>(
    table: &Table<R>,
    [id, name, place]: [usize; 3],
    optional: &[Option<usize>; 8],
) -> Result<Official, Error> {
    let cell = |i: usize| -> Result<(&str, Location), Error> {
        match optional[i] {
            Some(column) => Ok((table.text(column)?, table.location(column))),
            None => Ok(("", Location::new(table.file(), Some(table.line())))),
        }
    };
    let place_text = table.required(place)?;
    let mut official = Official::new(
        table.printable(id)?,
        table.printable(name)?,
        parse_place(place_text, &table.location(place))?,
        "",
    );
    cell(0)?.0.clone_into(&mut official.post);
    let (text, at) = cell(1)?;
    official.from = parse_date(text, &at)?;
    let (text, at) = cell(2)?;
    official.to = parse_date(text, &at)?;
    let (text, at) = cell(3)?;
    official.posts = posts(text, &at)?;
    let (text, at) = cell(4)?;
    official.upbringing = items(text)
        .map(|item| parse_place(item, &at))
        .collect::<Result<_, Error>>()?;
    let (text, at) = cell(5)?;
    official.relatives = relatives(text, &at)?;
    let (text, _) = cell(6)?;
    official.school = (!text.is_empty()).then(|| text.to_owned());
    let (text, at) = cell(7)?;
    official.graduation = parse_year(text, &at)?;
    Ok(official)
}
