//! Reading a roster CSV's cells: where each column is, and the small
//! grammars of its list cells (posts, relatives, places, dates).

use std::io::Read;

use chrono::NaiveDate;
use xuncha_org::table::Table;
use xuncha_org::{Code, Location};

use super::CSV_COLUMNS;
use crate::{
    DeclaredConflict, Error, PastInspection, Person, PersonId, Place, Post, Relative, RosterProblem,
};

/// The column positions of a roster CSV.
pub(super) struct Columns {
    pub(super) id: usize,
    pub(super) name: usize,
    pub(super) origin: usize,
    /// The columns after `origin` in [`CSV_COLUMNS`], where present.
    pub(super) optional: [Option<usize>; 11],
}

impl Columns {
    pub(super) fn find<R: Read>(table: &Table<R>) -> Result<Columns, Error> {
        Ok(Columns {
            id: table.column("id")?,
            name: table.column("name")?,
            origin: table.column("origin")?,
            // The optional columns are the writer's after the first three.
            optional: std::array::from_fn(|i| table.optional_column(CSV_COLUMNS[3 + i])),
        })
    }

    pub(super) fn read<R: Read>(&self, table: &Table<R>) -> Result<Person, Error> {
        let cell = |i: usize| -> Result<(&str, Location), Error> {
            match self.optional[i] {
                Some(column) => Ok((table.text(column)?, table.location(column))),
                None => Ok(("", Location::new(table.file(), Some(table.line())))),
            }
        };
        let origin_text = table.required(self.origin)?;
        let mut person = Person::new(
            table.printable(self.id)?,
            table.printable(self.name)?,
            Code::parse(origin_text).map_err(|e| e.at(table.location(self.origin)))?,
        );
        let (text, at) = cell(0)?;
        person.residence = optional_place(text, &at)?;
        let (text, at) = cell(1)?;
        person.workplace = optional_place(text, &at)?;
        let (text, at) = cell(2)?;
        person.posts = posts(text, &at)?;
        let (text, at) = cell(3)?;
        person.upbringing = items(text)
            .map(|item| parse_place(item, &at))
            .collect::<Result<_, Error>>()?;
        let (text, at) = cell(4)?;
        person.relatives = relatives(text, &at)?;
        let (text, at) = cell(5)?;
        person.declared = items(text)
            .map(|item| {
                let [place, reason] = parts(item, "place|reason", 1, &at)?;
                Ok(DeclaredConflict {
                    place: parse_place(place, &at)?,
                    reason: reason.to_owned(),
                })
            })
            .collect::<Result<_, Error>>()?;
        let (text, at) = cell(6)?;
        person.inspections = items(text)
            .map(|item| {
                let [target, date] = parts(item, "target|date", 2, &at)?;
                Ok(PastInspection {
                    target: target
                        .parse()
                        .map_err(|e: xuncha_org::Error| e.at(at.clone()))?,
                    date: parse_date(date, &at)?
                        .ok_or_else(|| invalid(date, "a date as YYYY-MM-DD", &at))?,
                })
            })
            .collect::<Result<_, Error>>()?;
        let (text, at) = cell(7)?;
        if !text.is_empty() {
            person.rank = text.parse().map_err(|e: String| invalid(text, &e, &at))?;
        }
        let (text, at) = cell(8)?;
        person.skills = items(text)
            .map(|item| item.parse().map_err(|e: String| invalid(item, &e, &at)))
            .collect::<Result<_, Error>>()?;
        let (text, _) = cell(9)?;
        person.school = (!text.is_empty()).then(|| text.to_owned());
        let (text, at) = cell(10)?;
        person.graduation = parse_year(text, &at)?;
        Ok(person)
    }
}

/// The non-empty `;`-separated items of a cell.
pub(crate) fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// The `|`-separated parts of an item: at least `min`, at most `N`;
/// missing trailing parts count as empty.
pub(crate) fn parts<'t, const N: usize>(
    item: &'t str,
    form: &'static str,
    min: usize,
    at: &Location,
) -> Result<[&'t str; N], Error> {
    let mut out = [""; N];
    let mut count = 0;
    for (i, part) in item.split('|').enumerate() {
        if i >= N {
            return Err(Error::roster(
                at.clone(),
                RosterProblem::ItemParts {
                    item: item.to_owned(),
                    form,
                },
            ));
        }
        out[i] = part.trim();
        count = i + 1;
    }
    if count < min {
        return Err(Error::roster(
            at.clone(),
            RosterProblem::ItemParts {
                item: item.to_owned(),
                form,
            },
        ));
    }
    Ok(out)
}

/// Posts: items `place|title|from|to`.
pub(crate) fn posts(text: &str, at: &Location) -> Result<Vec<Post>, Error> {
    items(text)
        .map(|item| {
            let [place, title, from, to] = parts(item, "place|title|from|to", 1, at)?;
            Ok(Post {
                place: parse_place(place, at)?,
                title: title.to_owned(),
                from: parse_date(from, at)?,
                to: parse_date(to, at)?,
            })
        })
        .collect()
}

/// Relatives: items `kinship|name|place|from|to|id`, consecutive items with
/// the same kinship and name being one relative's several posts; the id
/// (optional) names the relative in a roster or officials file.
pub(crate) fn relatives(text: &str, at: &Location) -> Result<Vec<Relative>, Error> {
    let mut out: Vec<Relative> = Vec::new();
    for item in items(text) {
        let [word, name, place, from, to, id] =
            parts(item, "kinship|name|place|from|to|id", 2, at)?;
        let mut relative =
            Relative::from_word(word, name).map_err(|e: String| invalid(word, &e, at))?;
        let post = if place.is_empty() {
            None
        } else {
            Some(Post {
                place: parse_place(place, at)?,
                title: String::new(),
                from: parse_date(from, at)?,
                to: parse_date(to, at)?,
            })
        };
        let id = (!id.is_empty()).then(|| PersonId::from(id));
        match out.last_mut() {
            Some(last) if last.kinship == relative.kinship && last.name == name => {
                last.posts.extend(post);
                if last.id.is_none() {
                    last.id = id;
                }
            }
            _ => {
                relative.posts.extend(post);
                relative.id = id;
                out.push(relative);
            }
        }
    }
    Ok(out)
}

/// A year such as `2003`, or nothing.
pub(crate) fn parse_year(text: &str, at: &Location) -> Result<Option<i32>, Error> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i32>() {
        Ok(year) if (1900..=2100).contains(&year) => Ok(Some(year)),
        _ => Err(invalid(text, "a year from 1900 to 2100", at)),
    }
}

pub(crate) fn invalid(input: &str, expected: &str, at: &Location) -> Error {
    Error::roster(
        at.clone(),
        RosterProblem::InvalidValue {
            input: input.to_owned(),
            expected: expected.to_owned(),
        },
    )
}

pub(crate) fn parse_place(text: &str, at: &Location) -> Result<Place, Error> {
    text.parse()
        .map_err(|e: xuncha_org::Error| e.at(at.clone()).into())
}

pub(crate) fn optional_place(text: &str, at: &Location) -> Result<Option<Place>, Error> {
    if text.is_empty() {
        Ok(None)
    } else {
        parse_place(text, at).map(Some)
    }
}

pub(crate) fn parse_date(text: &str, at: &Location) -> Result<Option<NaiveDate>, Error> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| invalid(text, "a date as YYYY-MM-DD", at))
}
