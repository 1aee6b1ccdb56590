//! Deadline policies: how long each stage may hold a lead.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::{Error, Stage};

/// The format version of a policy file.
pub const POLICY_VERSION: u32 = 1;

/// The most days a policy may allow a stage (ten years): a longer deadline
/// would leave a lead never overdue, never escalated.
pub const MAX_STAGE_DAYS: u32 = 3650;

/// Days allowed in each stage that holds a lead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDays {
    /// Found → transferred.
    pub found: u32,
    /// Transferred → dual-reported and received.
    pub transferred: u32,
    /// Received → disposed of.
    pub received: u32,
    /// Inquiry → concluded.
    pub inquiry: u32,
    /// Preliminary verification → case filed or concluded.
    pub preliminary_verification: u32,
    /// Shelved → looked at again.
    pub shelved: u32,
    /// Case filed → concluded.
    pub case_filed: u32,
}

impl StageDays {
    /// The days allowed in `stage`; `None` for a final stage.
    pub fn days(&self, stage: Stage) -> Option<u32> {
        Some(match stage {
            Stage::Found => self.found,
            Stage::Transferred => self.transferred,
            Stage::Received => self.received,
            Stage::Inquiry => self.inquiry,
            Stage::PreliminaryVerification => self.preliminary_verification,
            Stage::Shelved => self.shelved,
            Stage::CaseFiled => self.case_filed,
            Stage::Closed | Stage::Concluded => return None,
        })
    }
}

/// The deadlines of every stage, ordinary and fast-tracked (直查快办).
///
/// The ledger records the policy in force as an event, so replaying a log
/// gives the same deadlines whatever the current defaults are.
///
/// The defaults (working figures an office will want to set from its own
/// rules, not statute):
///
/// | stage | ordinary | fast-tracked |
/// |---|---|---|
/// | found → transferred | 5 days | 2 |
/// | transferred → received | 5 | 2 |
/// | received → disposed | 15 | 5 |
/// | inquiry → concluded | 30 | 15 |
/// | preliminary verification → case or conclusion | 60 | 30 |
/// | shelved → reviewed | 180 | 90 |
/// | case filed → concluded | 180 | 90 |
///
/// ```
/// use xuncha_leads::{DeadlinePolicy, Stage};
/// let policy = DeadlinePolicy::from_toml_str(r#"
///     version = 1
///     [ordinary]
///     found = 3
///     transferred = 5
///     received = 15
///     inquiry = 30
///     preliminary_verification = 60
///     shelved = 180
///     case_filed = 180
///     [fast_track]
///     found = 1
///     transferred = 1
///     received = 3
///     inquiry = 10
///     preliminary_verification = 20
///     shelved = 60
///     case_filed = 60
/// "#, "policy.toml")?;
/// assert_eq!(policy.days(Stage::Found, false), Some(3));
/// assert_eq!(policy.days(Stage::Found, true), Some(1));
/// assert_eq!(policy.days(Stage::Concluded, false), None);
/// # Ok::<(), xuncha_leads::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlinePolicy {
    /// The format version, [`POLICY_VERSION`].
    pub version: u32,
    /// Days for ordinary leads.
    pub ordinary: StageDays,
    /// Days for fast-tracked leads.
    pub fast_track: StageDays,
}

impl Default for DeadlinePolicy {
    fn default() -> DeadlinePolicy {
        DeadlinePolicy {
            version: POLICY_VERSION,
            ordinary: StageDays {
                found: 5,
                transferred: 5,
                received: 15,
                inquiry: 30,
                preliminary_verification: 60,
                shelved: 180,
                case_filed: 180,
            },
            fast_track: StageDays {
                found: 2,
                transferred: 2,
                received: 5,
                inquiry: 15,
                preliminary_verification: 30,
                shelved: 90,
                case_filed: 90,
            },
        }
    }
}

impl DeadlinePolicy {
    /// Reads a policy from TOML text; `file` names it in errors.
    pub fn from_toml_str(text: &str, file: &str) -> Result<DeadlinePolicy, Error> {
        let policy: DeadlinePolicy = toml::from_str(text).map_err(|e| Error::Input {
            file: file.to_owned(),
            line: line_of(text, e.span().map_or(0, |s| s.start)),
            message: e.message().to_owned(),
        })?;
        policy.check().map_err(|e| Error::Input {
            file: file.to_owned(),
            line: 0,
            message: match e {
                Error::OutOfRange { why, .. } => why,
                other => other.to_string(),
            },
        })?;
        if policy.version != POLICY_VERSION {
            return Err(Error::Input {
                file: file.to_owned(),
                line: 0,
                message: format!(
                    "policy version {} is not supported; this build reads version {POLICY_VERSION}",
                    policy.version
                ),
            });
        }
        Ok(policy)
    }

    /// Checks every stage's days are within 1 to [`MAX_STAGE_DAYS`].
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] naming the stage and its days.
    pub fn check(&self) -> Result<(), Error> {
        for (table, days) in [
            ("ordinary", &self.ordinary),
            ("fast_track", &self.fast_track),
        ] {
            for (stage, value) in [
                ("found", days.found),
                ("transferred", days.transferred),
                ("received", days.received),
                ("inquiry", days.inquiry),
                ("preliminary_verification", days.preliminary_verification),
                ("shelved", days.shelved),
                ("case_filed", days.case_filed),
            ] {
                if !(1..=MAX_STAGE_DAYS).contains(&value) {
                    return Err(Error::OutOfRange {
                        what: "the deadline policy",
                        found: "a stage's days".to_owned(),
                        why: format!(
                            "[{table}] {stage} = {value}: a stage's deadline must be 1 to {MAX_STAGE_DAYS} days, or leads would never be overdue"
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Reads a policy from a TOML file.
    pub fn from_toml_path(path: &Path) -> Result<DeadlinePolicy, Error> {
        let text = xuncha_org::Limits::default().read_to_string(path)?;
        DeadlinePolicy::from_toml_str(&text, &path.display().to_string())
    }

    /// The days allowed in `stage`; `None` for a final stage.
    pub fn days(&self, stage: Stage, fast_track: bool) -> Option<u32> {
        if fast_track {
            self.fast_track.days(stage)
        } else {
            self.ordinary.days(stage)
        }
    }

    /// The deadline of a lead entering `stage` at `at`.
    pub fn deadline(
        &self,
        stage: Stage,
        fast_track: bool,
        at: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let days = self.days(stage, fast_track)?;
        at.checked_add_signed(Duration::days(i64::from(days)))
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> u64 {
    let before = text.get(..offset).unwrap_or(text);
    before.bytes().filter(|b| *b == b'\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_tracked_deadlines_are_shorter() {
        let policy = DeadlinePolicy::default();
        for stage in [
            Stage::Found,
            Stage::Transferred,
            Stage::Received,
            Stage::Inquiry,
            Stage::PreliminaryVerification,
            Stage::Shelved,
            Stage::CaseFiled,
        ] {
            assert!(
                policy.days(stage, true) < policy.days(stage, false),
                "{stage}"
            );
        }
    }

    #[test]
    fn a_bad_policy_names_the_line() {
        let err = DeadlinePolicy::from_toml_str("version = 1\n[ordinary]\nfound = -1\n", "p.toml")
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("p.toml"), "{text}");
        assert!(text.contains("line 3"), "{text}");
        assert!(DeadlinePolicy::from_toml_str("version = 2\n", "p.toml").is_err());
    }

    #[test]
    fn a_policy_of_a_billion_days_is_refused() {
        let mut text = toml::to_string(&DeadlinePolicy::default()).unwrap();
        text = text.replacen("found = 5", "found = 1000000000", 1);
        let err = DeadlinePolicy::from_toml_str(&text, "p.toml").unwrap_err();
        assert!(err.to_string().contains("1 to 3650"), "{err}");
        text = text.replacen("found = 1000000000", "found = 0", 1);
        assert!(DeadlinePolicy::from_toml_str(&text, "p.toml").is_err());
    }

    #[test]
    fn the_default_policy_round_trips_through_toml() {
        let text = toml::to_string(&DeadlinePolicy::default()).unwrap();
        assert_eq!(
            DeadlinePolicy::from_toml_str(&text, "x").unwrap(),
            DeadlinePolicy::default()
        );
    }
}
