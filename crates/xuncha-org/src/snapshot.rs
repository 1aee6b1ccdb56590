//! A hierarchy as serde data: `{version, source, divisions, history}`.
//!
//! Each division is written with its level, because a 12-digit code whose
//! trailing parts are zero (金门县's placeholder village `350527000000`)
//! would otherwise read back as the padded form of a higher division.

use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Code, CodeHistory, Hierarchy, HierarchyBuilder, Level};

/// The version of the serialised form.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct RecordOut<'a> {
    /// The natural digits: the level beside them says how to read them.
    code: String,
    name: &'a str,
    level: Level,
}

#[derive(Deserialize)]
struct RecordIn {
    code: String,
    name: String,
    level: Level,
}

#[derive(Deserialize)]
struct SnapshotIn {
    version: u32,
    #[serde(default)]
    source: String,
    divisions: Vec<RecordIn>,
    #[serde(default)]
    history: CodeHistory,
}

impl Serialize for Hierarchy {
    /// Writes `{"version": 1, "source", "divisions": [{"code", "name",
    /// "level"}, ...], "history": [...]}` in code order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Divisions<'a>(&'a Hierarchy);
        impl Serialize for Divisions<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.iter().map(|d| RecordOut {
                    code: d.code().to_string(),
                    name: d.name(),
                    level: d.level(),
                }))
            }
        }
        let mut s = serializer.serialize_struct("Hierarchy", 4)?;
        s.serialize_field("version", &VERSION)?;
        s.serialize_field("source", self.source())?;
        s.serialize_field("divisions", &Divisions(self))?;
        s.serialize_field("history", self.history())?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for Hierarchy {
    /// Reads the form [`Serialize`] writes and rebuilds the hierarchy with
    /// every check of [`HierarchyBuilder::build`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let snapshot = SnapshotIn::deserialize(deserializer)?;
        if snapshot.version != VERSION {
            return Err(D::Error::custom(format!(
                "hierarchy version {} is not supported (expected {VERSION})",
                snapshot.version
            )));
        }
        let mut builder = HierarchyBuilder::new()
            .history(snapshot.history)
            .source(snapshot.source);
        builder.reserve(snapshot.divisions.len());
        for record in snapshot.divisions {
            let code = Code::parse_at(&record.code, record.level).map_err(D::Error::custom)?;
            builder.push(code, &record.name).map_err(D::Error::custom)?;
        }
        builder.build().map_err(D::Error::custom)
    }
}

#[cfg(all(test, feature = "embedded-fujian"))]
mod tests {
    use super::*;

    #[test]
    fn a_hierarchy_round_trips_through_json() {
        let fujian = Hierarchy::fujian();
        let json = serde_json::to_string(&fujian).expect("serialise");
        let back: Hierarchy = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back.len(), fujian.len());
        assert!(
            back.iter()
                .zip(fujian.iter())
                .all(|(a, b)| a.code() == b.code() && a.name() == b.name() && a.kind() == b.kind())
        );
        assert_eq!(back.history(), fujian.history());
        assert_eq!(back.source(), fujian.source());
    }

    #[test]
    fn a_bad_snapshot_is_an_error() {
        let orphan =
            r#"{"version": 1, "divisions": [{"code": "3506", "name": "漳州市", "level": "city"}]}"#;
        let err = serde_json::from_str::<Hierarchy>(orphan).expect_err("missing parent");
        assert!(err.to_string().contains("parent 35"), "{err}");
        let future = r#"{"version": 9, "divisions": []}"#;
        assert!(serde_json::from_str::<Hierarchy>(future).is_err());
    }
}
