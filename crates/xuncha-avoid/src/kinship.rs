//! Kinship (亲属关系): who counts as a relative for avoidance.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The four classes of relatives that kinship avoidance (亲属回避) covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KinshipClass {
    /// 夫妻关系: spouse.
    Spouse,
    /// 直系血亲: parents, children, grandparents, grandchildren.
    Lineal,
    /// 三代以内旁系血亲: siblings, uncles and aunts, nephews and nieces,
    /// first cousins.
    Collateral,
    /// 近姻亲: parents-in-law, children's spouses, siblings' spouses and
    /// spouse's siblings.
    InLaw,
}

impl KinshipClass {
    /// Every class.
    pub const ALL: [KinshipClass; 4] = [
        KinshipClass::Spouse,
        KinshipClass::Lineal,
        KinshipClass::Collateral,
        KinshipClass::InLaw,
    ];
}

/// A relative's kinship to a person.
///
/// Parsed from English words (`spouse`, `father`, `cousin`,
/// `sibling-in-law`, ...) or the usual Chinese ones (`配偶`, `父亲`,
/// `堂兄弟`, `岳父`, ...); an unknown word is an error.
///
/// ```
/// use xuncha_avoid::{Kinship, KinshipClass};
/// let k: Kinship = "岳母".parse()?;
/// assert_eq!(k, Kinship::ParentInLaw);
/// assert_eq!(k.class(), KinshipClass::InLaw);
/// assert!("neighbour".parse::<Kinship>().is_err());
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kinship {
    /// 配偶.
    Spouse,
    /// 父母.
    Parent,
    /// 子女.
    Child,
    /// 祖父母、外祖父母.
    Grandparent,
    /// 孙子女、外孙子女.
    Grandchild,
    /// 兄弟姐妹.
    Sibling,
    /// 伯叔姑舅姨.
    UncleAunt,
    /// 侄子女、外甥子女.
    NephewNiece,
    /// 堂兄弟姐妹、表兄弟姐妹.
    Cousin,
    /// 岳父母、公婆.
    ParentInLaw,
    /// 儿媳、女婿.
    ChildInLaw,
    /// 兄弟姐妹的配偶、配偶的兄弟姐妹.
    SiblingInLaw,
}

/// Words accepted for each kinship, English first.
const WORDS: [(Kinship, &[&str]); 12] = [
    (
        Kinship::Spouse,
        &["spouse", "wife", "husband", "配偶", "妻子", "丈夫", "夫妻"],
    ),
    (
        Kinship::Parent,
        &["parent", "father", "mother", "父母", "父亲", "母亲"],
    ),
    (
        Kinship::Child,
        &["child", "son", "daughter", "子女", "儿子", "女儿"],
    ),
    (
        Kinship::Grandparent,
        &[
            "grandparent",
            "grandfather",
            "grandmother",
            "祖父",
            "祖母",
            "外祖父",
            "外祖母",
            "祖父母",
            "外祖父母",
        ],
    ),
    (
        Kinship::Grandchild,
        &[
            "grandchild",
            "grandson",
            "granddaughter",
            "孙子",
            "孙女",
            "外孙",
            "外孙女",
            "孙子女",
            "外孙子女",
        ],
    ),
    (
        Kinship::Sibling,
        &[
            "sibling",
            "brother",
            "sister",
            "兄弟姐妹",
            "兄弟",
            "姐妹",
            "哥哥",
            "弟弟",
            "姐姐",
            "妹妹",
        ],
    ),
    (
        Kinship::UncleAunt,
        &[
            "uncle",
            "aunt",
            "uncle-aunt",
            "伯父",
            "叔叔",
            "叔父",
            "姑姑",
            "姑母",
            "舅舅",
            "舅父",
            "姨",
            "姨母",
            "伯叔姑舅姨",
        ],
    ),
    (
        Kinship::NephewNiece,
        &[
            "nephew",
            "niece",
            "nephew-niece",
            "侄子",
            "侄女",
            "外甥",
            "外甥女",
            "侄子女",
            "外甥子女",
        ],
    ),
    (
        Kinship::Cousin,
        &[
            "cousin",
            "堂兄弟姐妹",
            "表兄弟姐妹",
            "堂兄",
            "堂弟",
            "堂姐",
            "堂妹",
            "表兄",
            "表弟",
            "表姐",
            "表妹",
        ],
    ),
    (
        Kinship::ParentInLaw,
        &[
            "parent-in-law",
            "father-in-law",
            "mother-in-law",
            "岳父",
            "岳母",
            "公公",
            "婆婆",
            "岳父母",
            "公婆",
        ],
    ),
    (
        Kinship::ChildInLaw,
        &[
            "child-in-law",
            "son-in-law",
            "daughter-in-law",
            "女婿",
            "儿媳",
            "儿媳妇",
        ],
    ),
    (
        Kinship::SiblingInLaw,
        &[
            "sibling-in-law",
            "brother-in-law",
            "sister-in-law",
            "嫂子",
            "弟媳",
            "姐夫",
            "妹夫",
            "大伯子",
            "小叔子",
            "大姑子",
            "小姑子",
            "内兄",
            "内弟",
            "大姨子",
            "小姨子",
            "连襟",
            "妯娌",
        ],
    ),
];

impl Kinship {
    /// The class kinship avoidance uses.
    pub fn class(self) -> KinshipClass {
        match self {
            Kinship::Spouse => KinshipClass::Spouse,
            Kinship::Parent | Kinship::Child | Kinship::Grandparent | Kinship::Grandchild => {
                KinshipClass::Lineal
            }
            Kinship::Sibling | Kinship::UncleAunt | Kinship::NephewNiece | Kinship::Cousin => {
                KinshipClass::Collateral
            }
            Kinship::ParentInLaw | Kinship::ChildInLaw | Kinship::SiblingInLaw => {
                KinshipClass::InLaw
            }
        }
    }

    /// The canonical English word, as written to files.
    pub fn as_str(self) -> &'static str {
        self.words()[0]
    }

    /// The canonical Chinese word.
    pub fn chinese(self) -> &'static str {
        self.words()
            .iter()
            .find(|w| !w.is_ascii())
            .copied()
            .unwrap_or("亲属")
    }

    fn words(self) -> &'static [&'static str] {
        WORDS
            .iter()
            .find(|(k, _)| *k == self)
            .map_or(&[], |(_, words)| *words)
    }
}

impl fmt::Display for Kinship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kinship {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let word = s.trim().to_ascii_lowercase();
        WORDS
            .iter()
            .find(|(_, words)| words.contains(&word.as_str()))
            .map(|(k, _)| *k)
            .ok_or_else(|| {
                format!(
                    "unknown kinship {:?}: expected one of {}",
                    s.trim(),
                    WORDS
                        .iter()
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

impl Serialize for Kinship {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kinship {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_parses_to_its_kinship() {
        for (kinship, words) in WORDS {
            for word in words {
                assert_eq!(word.parse::<Kinship>(), Ok(kinship), "{word}");
            }
            assert_eq!(kinship.as_str().parse::<Kinship>(), Ok(kinship));
        }
    }

    #[test]
    fn no_word_names_two_kinships() {
        let mut all: Vec<&str> = WORDS.iter().flat_map(|(_, w)| w.iter().copied()).collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
