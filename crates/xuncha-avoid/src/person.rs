//! People who may serve on inspection teams (巡察干部) and their facts.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xuncha_org::Code;

use crate::{Kinship, Place, Target};

/// A person's id, as the office gives it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub String);

impl PersonId {
    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for PersonId {
    fn from(id: &str) -> Self {
        PersonId(id.to_owned())
    }
}

/// A post held (任职): where, what, and when.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Post {
    /// Where the post was held.
    pub place: Place,
    /// The title, such as 副镇长.
    #[serde(default)]
    pub title: String,
    /// When it began, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// When it ended; `None` while it goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

impl Post {
    /// Whether the post was held at some time within `[since, until]`
    /// (`since = None` reaches back without limit).
    pub fn overlaps(&self, since: Option<NaiveDate>, until: NaiveDate) -> bool {
        let started = self.from.is_none_or(|from| from <= until);
        let not_ended = match (since, self.to) {
            (Some(since), Some(to)) => to >= since,
            _ => true,
        };
        started && not_ended
    }
}

/// A relative and the places where they work or hold posts.
///
/// The kinship is read from the roster's word (`连襟`, `舅舅`,
/// `brother-in-law`), which is kept: explanations show the word the roster
/// used, not the class's stock word.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RelativeRecord", into = "RelativeRecord")]
pub struct Relative {
    /// How they are related.
    pub kinship: Kinship,
    /// The word the roster used for the kinship, when it is not the
    /// kinship's canonical English word.
    pub word: Option<String>,
    /// Their name.
    pub name: String,
    /// Their id, when they are in a roster or officials file too: the tie
    /// rule's kin (亲属) ties are matched by it.
    pub id: Option<PersonId>,
    /// Where they work or have held posts.
    pub posts: Vec<Post>,
}

impl Relative {
    /// A relative called by the kinship's own word, with no id and no posts.
    pub fn new(kinship: Kinship, name: &str) -> Relative {
        Relative {
            kinship,
            word: None,
            name: name.to_owned(),
            id: None,
            posts: Vec::new(),
        }
    }

    /// A relative read from the roster's `word` for the kinship, which is
    /// kept for explanations.
    ///
    /// ```
    /// use xuncha_avoid::{Kinship, Relative};
    /// let r = Relative::from_word("连襟", "赵六")?;
    /// assert_eq!(r.kinship, Kinship::SiblingInLaw);
    /// assert_eq!(r.chinese(), "连襟");
    /// assert_eq!(r.english(), "sibling-in-law");
    /// # Ok::<(), String>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The message of [`Kinship`]'s parser for an unknown word.
    pub fn from_word(word: &str, name: &str) -> Result<Relative, String> {
        let kinship: Kinship = word.parse()?;
        let word = word.trim();
        let mut relative = Relative::new(kinship, name);
        if word != kinship.as_str() {
            relative.word = Some(word.to_owned());
        }
        Ok(relative)
    }

    /// The kinship in Chinese: the roster's word when it wrote one in
    /// Chinese (`连襟`), else the kinship's stock word.
    pub fn chinese(&self) -> &str {
        match &self.word {
            Some(word) if !word.is_ascii() => word,
            _ => self.kinship.chinese(),
        }
    }

    /// The kinship in English: the roster's word when it wrote one in
    /// English (`brother-in-law`), else the kinship's canonical word.
    pub fn english(&self) -> &str {
        match &self.word {
            Some(word) if word.is_ascii() => word,
            _ => self.kinship.as_str(),
        }
    }

    /// The word to write back to a file: the roster's own, or the
    /// canonical one.
    pub fn written(&self) -> &str {
        self.word.as_deref().unwrap_or(self.kinship.as_str())
    }
}

/// A relative as files hold it: the kinship as a word.
#[derive(Serialize, Deserialize)]
struct RelativeRecord {
    kinship: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<PersonId>,
    #[serde(default)]
    posts: Vec<Post>,
}

impl TryFrom<RelativeRecord> for Relative {
    type Error = String;

    fn try_from(record: RelativeRecord) -> Result<Self, Self::Error> {
        let mut relative = Relative::from_word(&record.kinship, &record.name)?;
        relative.id = record.id;
        relative.posts = record.posts;
        Ok(relative)
    }
}

impl From<Relative> for RelativeRecord {
    fn from(relative: Relative) -> Self {
        RelativeRecord {
            kinship: relative.written().to_owned(),
            name: relative.name,
            id: relative.id,
            posts: relative.posts,
        }
    }
}

/// A conflict the person declared themselves (本人申报).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeclaredConflict {
    /// The place they should not inspect.
    pub place: Place,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// An inspection the person took part in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PastInspection {
    /// What was inspected.
    pub target: Target,
    /// When.
    pub date: NaiveDate,
}

/// A civil-service rank (职级), lowest first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// 科员.
    #[default]
    Clerk,
    /// 副科级.
    DeputySectionChief,
    /// 正科级.
    SectionChief,
    /// 副处级.
    DeputyDirector,
    /// 正处级.
    Director,
    /// 副厅级.
    DeputyDirectorGeneral,
    /// 正厅级.
    DirectorGeneral,
}

const RANK_WORDS: [(Rank, &str, &str); 7] = [
    (Rank::Clerk, "clerk", "科员"),
    (Rank::DeputySectionChief, "deputy-section-chief", "副科级"),
    (Rank::SectionChief, "section-chief", "正科级"),
    (Rank::DeputyDirector, "deputy-director", "副处级"),
    (Rank::Director, "director", "正处级"),
    (
        Rank::DeputyDirectorGeneral,
        "deputy-director-general",
        "副厅级",
    ),
    (Rank::DirectorGeneral, "director-general", "正厅级"),
];

impl Rank {
    /// Every rank, lowest first.
    pub const ALL: [Rank; 7] = [
        Rank::Clerk,
        Rank::DeputySectionChief,
        Rank::SectionChief,
        Rank::DeputyDirector,
        Rank::Director,
        Rank::DeputyDirectorGeneral,
        Rank::DirectorGeneral,
    ];

    /// The rank's name in files, such as `section-chief`.
    pub fn as_str(self) -> &'static str {
        RANK_WORDS[self as usize].1
    }

    /// The Chinese name, such as 正科级.
    pub fn chinese(self) -> &'static str {
        RANK_WORDS[self as usize].2
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rank {
    type Err = String;

    /// Parses the English name or the Chinese one (with or without 级).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let word = s.trim();
        RANK_WORDS
            .iter()
            .find(|(_, en, zh)| {
                word.eq_ignore_ascii_case(en) || word == *zh || Some(word) == zh.strip_suffix('级')
            })
            .map(|(rank, _, _)| *rank)
            .ok_or_else(|| {
                format!(
                    "unknown rank {word:?}: expected one of {}",
                    RANK_WORDS
                        .iter()
                        .map(|(_, en, _)| *en)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

impl Serialize for Rank {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Rank {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A professional skill the team specs ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skill {
    /// 财务审计: finance and audit.
    FinanceAudit,
    /// 法律: law.
    Law,
    /// 纪检监察: discipline inspection.
    DisciplineInspection,
    /// 组织人事: organisation and personnel.
    OrganisationPersonnel,
}

const SKILL_WORDS: [(Skill, &str, &str); 4] = [
    (Skill::FinanceAudit, "finance-audit", "财务审计"),
    (Skill::Law, "law", "法律"),
    (
        Skill::DisciplineInspection,
        "discipline-inspection",
        "纪检监察",
    ),
    (
        Skill::OrganisationPersonnel,
        "organisation-personnel",
        "组织人事",
    ),
];

impl Skill {
    /// Every skill.
    pub const ALL: [Skill; 4] = [
        Skill::FinanceAudit,
        Skill::Law,
        Skill::DisciplineInspection,
        Skill::OrganisationPersonnel,
    ];

    /// The skill's name in files, such as `finance-audit`.
    pub fn as_str(self) -> &'static str {
        SKILL_WORDS[self as usize].1
    }

    /// The Chinese name, such as 财务审计.
    pub fn chinese(self) -> &'static str {
        SKILL_WORDS[self as usize].2
    }
}

impl FromStr for Skill {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let word = s.trim();
        SKILL_WORDS
            .iter()
            .find(|(_, en, zh)| word.eq_ignore_ascii_case(en) || word == *zh)
            .map(|(skill, _, _)| *skill)
            .ok_or_else(|| {
                format!(
                    "unknown skill {word:?}: expected one of {}",
                    SKILL_WORDS
                        .iter()
                        .map(|(_, en, _)| *en)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

impl fmt::Display for Skill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Skill {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Skill {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A person in the roster (巡察人才库) and every fact the avoidance rules
/// look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The person's id.
    pub id: PersonId,
    /// The person's name.
    pub name: String,
    /// The county that put them forward (a county-level code).
    pub origin: Code,
    /// Where they live (居住地).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence: Option<Place>,
    /// Where they work now (工作地): a unit or a division.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workplace: Option<Place>,
    /// Posts held (任职地), past and present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<Post>,
    /// Places of upbringing (成长地).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upbringing: Vec<Place>,
    /// Relatives and where they work.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relatives: Vec<Relative>,
    /// Conflicts the person declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declared: Vec<DeclaredConflict>,
    /// Inspections the person took part in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspections: Vec<PastInspection>,
    /// Civil-service rank.
    #[serde(default)]
    pub rank: Rank,
    /// Professional skills.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<Skill>,
    /// The school they graduated from (for the tie rule's classmates,
    /// 同学), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    /// The year they graduated from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graduation: Option<i32>,
}

impl Person {
    /// A person with only the required fields; fill the rest in directly.
    ///
    /// ```
    /// use xuncha_avoid::{Person, Place};
    /// use xuncha_org::Code;
    /// let mut p = Person::new("P1", "王芳", Code::parse("350628")?);
    /// p.residence = Some(Place::Division(Code::parse("350628100")?));
    /// assert_eq!(p.id.as_str(), "P1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(id: &str, name: &str, origin: Code) -> Person {
        Person {
            id: PersonId::from(id),
            name: name.to_owned(),
            origin,
            residence: None,
            workplace: None,
            posts: Vec::new(),
            upbringing: Vec::new(),
            relatives: Vec::new(),
            declared: Vec::new(),
            inspections: Vec::new(),
            rank: Rank::Clerk,
            skills: Vec::new(),
            school: None,
            graduation: None,
        }
    }

    /// Whether the person has `skill`.
    pub fn has_skill(&self, skill: Skill) -> bool {
        self.skills.contains(&skill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn a_post_overlaps_a_window_when_their_dates_meet() {
        let post = Post {
            place: Place::Division(Code::parse("350628").expect("code")),
            title: String::new(),
            from: Some(date(2014, 1, 1)),
            to: Some(date(2018, 6, 30)),
        };
        assert!(post.overlaps(None, date(2024, 1, 1)));
        assert!(post.overlaps(Some(date(2018, 6, 30)), date(2024, 1, 1)));
        assert!(!post.overlaps(Some(date(2018, 7, 1)), date(2024, 1, 1)));
        assert!(!post.overlaps(None, date(2013, 12, 31)), "not yet begun");
    }

    #[test]
    fn ranks_and_skills_parse_in_both_languages() {
        assert_eq!("正科级".parse::<Rank>(), Ok(Rank::SectionChief));
        assert_eq!("正科".parse::<Rank>(), Ok(Rank::SectionChief));
        assert_eq!("director".parse::<Rank>(), Ok(Rank::Director));
        assert!(Rank::Clerk < Rank::Director);
        assert!("general".parse::<Rank>().is_err());
        assert_eq!("财务审计".parse::<Skill>(), Ok(Skill::FinanceAudit));
        assert_eq!("law".parse::<Skill>(), Ok(Skill::Law));
        for skill in Skill::ALL {
            assert_eq!(skill.as_str().parse::<Skill>(), Ok(skill));
        }
        for rank in Rank::ALL {
            assert_eq!(rank.as_str().parse::<Rank>(), Ok(rank));
        }
    }
}
