//! Plans: the teams of a round, who serves in which role, and why it costs
//! what it costs.

use std::io::Write;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_avoid::{PersonId, Role, Skill, Target};
use xuncha_org::Code;
use xuncha_org::workbook::{Cell, Sheet};

use crate::{CostTerms, Error, TeamKind};

/// The version of the plan format.
pub const PLAN_VERSION: u32 = 1;

/// One person's place on a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The person.
    pub person: PersonId,
    /// Their name, for readers of the plan.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// For a specialist, the skills of the team's requirements they are
    /// counted for: usually one; several when one person meets several
    /// requirements at once. Empty for everyone else. In JSON a single
    /// skill is written as a string, several as an array.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "one_or_many")]
    pub specialist: Vec<Skill>,
    /// Their origin county.
    pub origin: Code,
    /// The terms of their cost.
    pub cost: CostTerms,
}

/// One team of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamPlan {
    /// The team's id: the round id and the target.
    pub id: String,
    /// What it inspects.
    pub target: Target,
    /// For a whole-team crossing, the county the rotation sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspector: Option<Code>,
    /// An inspection team, or a supervision group (督导组) of the round;
    /// absent for an inspection team.
    #[serde(default, skip_serializing_if = "TeamKind::is_inspection")]
    pub kind: TeamKind,
    /// The members, leader first.
    pub members: Vec<Assignment>,
    /// The alternates (候补), each with the role they would step into;
    /// absent when none were asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternates: Vec<Assignment>,
}

/// A staffing plan for a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The format version.
    pub version: u32,
    /// The round's id.
    pub round: String,
    /// The round's date.
    pub date: NaiveDate,
    /// The seed used: rotations, and the draw of a randomized plan.
    pub seed: u64,
    /// The solver that produced it.
    pub solver: String,
    /// The objective value: the members' (and alternates') costs and the
    /// balance term.
    pub objective: i64,
    /// The per-county balance part of the objective.
    pub balance: i64,
    /// The rotations used, as (inspecting county, inspected county).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rotation: Vec<(Code, Code)>,
    /// The teams, in the round's target order.
    pub teams: Vec<TeamPlan>,
    /// For a randomized draw, the cap, the fractional plan's expected
    /// objective and the optimal one; absent for an optimal plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub randomized: Option<crate::Randomization>,
}

/// The CSV columns of a plan, one row per member.
pub const PLAN_CSV_COLUMNS: [&str; 13] = [
    "team",
    "target",
    "inspector",
    "person",
    "name",
    "role",
    "specialist",
    "origin",
    "soft",
    "rank",
    "skill",
    "distance",
    "workload",
];

impl Plan {
    /// The plan as pretty JSON (deterministic: the same plan gives the same
    /// bytes).
    ///
    /// # Errors
    ///
    /// [`Error::Plan`] if serialisation fails.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Plan {
            message: e.to_string(),
        })
    }

    /// Reads a plan from JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Plan`] with the parser's line and column, or for an
    /// unsupported version.
    pub fn from_json(text: &str) -> Result<Plan, Error> {
        let plan: Plan = serde_json::from_str(text).map_err(|e| Error::Plan {
            message: e.to_string(),
        })?;
        if plan.version != PLAN_VERSION {
            return Err(Error::Plan {
                message: format!("plan version {} is not supported", plan.version),
            });
        }
        Ok(plan)
    }

    /// Reads the plan JSON at `path` within `limits`.
    ///
    /// # Errors
    ///
    /// [`Error::Org`] for a file that cannot be read or is above the
    /// limits; [`Error::Plan`] naming the file, as [`Plan::from_json`].
    pub fn from_json_path(
        path: &std::path::Path,
        limits: &xuncha_org::Limits,
    ) -> Result<Plan, Error> {
        let text = limits.read_to_string(path)?;
        Plan::from_json(&text).map_err(|e| match e {
            Error::Plan { message } => Error::Plan {
                message: format!("{}: {message}", path.display()),
            },
            other => other,
        })
    }

    /// Writes the plan as CSV, one row per member.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if writing fails.
    pub fn write_csv(&self, writer: impl Write) -> Result<(), Error> {
        let io = |e: csv::Error| Error::Io {
            path: "<plan csv>".into(),
            source: std::io::Error::other(e),
        };
        let mut out = csv::Writer::from_writer(writer);
        out.write_record(PLAN_CSV_COLUMNS).map_err(io)?;
        for team in &self.teams {
            for m in &team.members {
                out.write_record([
                    team.id.clone(),
                    team.target.to_string(),
                    team.inspector.map(|c| c.to_string()).unwrap_or_default(),
                    m.person.to_string(),
                    m.name.clone(),
                    m.role.to_string(),
                    specialist_cell(&m.specialist),
                    m.origin.to_string(),
                    m.cost.soft.to_string(),
                    m.cost.rank.to_string(),
                    m.cost.skill.to_string(),
                    m.cost.distance.to_string(),
                    m.cost.workload.to_string(),
                ])
                .map_err(io)?;
            }
        }
        out.flush().map_err(|source| Error::Io {
            path: "<plan csv>".into(),
            source,
        })
    }

    /// The plan as one sheet of a workbook: the CSV's columns and rows, the
    /// cost terms as numbers ([`xuncha_org::workbook`]).
    pub fn sheet(&self) -> Sheet {
        let mut sheet = Sheet::new("plan", PLAN_CSV_COLUMNS);
        for (team, m) in self.assignments() {
            let text = |s: String| Cell::Text(s);
            #[expect(
                clippy::cast_precision_loss,
                reason = "cost terms are small integers, exact in a double"
            )]
            let number = |n: i64| Cell::Number(n as f64);
            sheet = sheet.row([
                text(team.id.clone()),
                text(team.target.to_string()),
                text(team.inspector.map(|c| c.to_string()).unwrap_or_default()),
                text(m.person.to_string()),
                text(m.name.clone()),
                text(m.role.to_string()),
                text(specialist_cell(&m.specialist)),
                text(m.origin.to_string()),
                number(m.cost.soft),
                number(m.cost.rank),
                number(m.cost.skill),
                number(m.cost.distance),
                number(m.cost.workload),
            ]);
        }
        sheet
    }

    /// Writes the plan as an `.xlsx` workbook of one sheet
    /// ([`Plan::sheet`]), whole or not at all (feature `xlsx`).
    ///
    /// # Errors
    ///
    /// [`Error::Org`] with [`xuncha_org::Error::Write`] naming `path`.
    #[cfg(feature = "xlsx")]
    pub fn write_xlsx(&self, path: &std::path::Path) -> Result<(), Error> {
        Ok(xuncha_org::workbook::write(
            &[self.sheet()],
            path,
            xuncha_org::atomic::Mode::Shared,
        )?)
    }

    /// Every assignment with its team.
    pub fn assignments(&self) -> impl Iterator<Item = (&TeamPlan, &Assignment)> {
        self.teams
            .iter()
            .flat_map(|t| t.members.iter().map(move |m| (t, m)))
    }
}

/// The skills of a specialist as one CSV cell, joined by `+`.
pub(crate) fn specialist_cell(skills: &[Skill]) -> String {
    skills
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("+")
}

/// Serde for a list of skills written as a single string when it holds one,
/// so that plans of one-skill specialists read as before; for
/// `#[serde(with = "xuncha_round::one_or_many")]` on a `Vec<Skill>`.
pub mod one_or_many {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use xuncha_avoid::Skill;

    /// Writes one skill as a string, several as an array.
    pub fn serialize<S: Serializer>(skills: &[Skill], s: S) -> Result<S::Ok, S::Error> {
        match skills {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Skill),
        Many(Vec<Skill>),
    }

    /// Reads a string or an array of skills.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Skill>, D::Error> {
        Ok(match OneOrMany::deserialize(d)? {
            OneOrMany::One(skill) => vec![skill],
            OneOrMany::Many(skills) => skills,
        })
    }
}

impl Plan {
    /// The plan as the Markdown report the demo writes: the round, the
    /// counts (`roster_len` people in the roster), the conflicts each rule
    /// kept out ([`Round::conflicts_kept_out`](crate::Round::conflicts_kept_out)),
    /// and one row a team with its people and where they come from.
    pub fn to_markdown(
        &self,
        roster_len: usize,
        kept_out: &std::collections::BTreeMap<String, usize>,
        hierarchy: &xuncha_org::Hierarchy,
        seed: u64,
    ) -> String {
        use std::fmt::Write as _;
        let plan = self;
        let mut r = String::new();
        let placed: usize = plan.teams.iter().map(|t| t.members.len()).sum();
        let _ = writeln!(r, "# 交叉巡察 plan: round {}\n", plan.round);
        let _ = writeln!(
            r,
            "Date {}, seed {seed:x}, solver {}. {} teams, {placed} of {} people placed. Objective {} (balance {}). Every hard rule verified.\n",
            plan.date,
            plan.solver,
            plan.teams.len(),
            roster_len,
            plan.objective,
            plan.balance
        );
        let _ = writeln!(
            r,
            "## Conflicts kept out, by rule\n\n| rule | person × team pairs (member role) |\n|---|---|"
        );
        for (rule, n) in kept_out {
            let _ = writeln!(r, "| {rule} | {n} |");
        }
        let _ = writeln!(
            r,
            "\n## Teams\n\n| target | leader | deputy leader | liaison | members | cost |\n|---|---|---|---|---|---|"
        );
        for team in &plan.teams {
            let who = |role: Role| -> String {
                team.members
                    .iter()
                    .filter(|m| m.role == role)
                    .map(|m| {
                        let from = hierarchy
                            .get(m.origin)
                            .map_or_else(|| m.origin.to_string(), |d| d.name().to_owned());
                        let skill: String = m
                            .specialist
                            .iter()
                            .flat_map(|s| [", ", s.chinese()])
                            .collect();
                        format!("{} ({from}{skill})", m.name)
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let cost: i64 = team.members.iter().map(|m| m.cost.total()).sum();
            let _ = writeln!(
                r,
                "| {} | {} | {} | {} | {} | {cost} |",
                team.target
                    .describe(hierarchy, &xuncha_org::Units::default()),
                who(Role::Leader),
                who(Role::DeputyLeader),
                who(Role::Liaison),
                who(Role::Member)
            );
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(specialist: Vec<Skill>) -> Assignment {
        Assignment {
            person: PersonId::from("P1"),
            name: "王芳".into(),
            role: Role::Member,
            specialist,
            origin: Code::parse("350627").expect("code"),
            cost: CostTerms::default(),
        }
    }

    #[test]
    fn one_skill_is_a_string_several_an_array_none_absent() {
        for (skills, written) in [
            (vec![], None),
            (
                vec![Skill::FinanceAudit],
                Some(r#""specialist":"finance-audit""#),
            ),
            (
                vec![Skill::FinanceAudit, Skill::Law],
                Some(r#""specialist":["finance-audit","law"]"#),
            ),
        ] {
            let m = member(skills);
            let json = serde_json::to_string(&m).expect("json");
            match written {
                Some(text) => assert!(json.contains(text), "{json}"),
                None => assert!(!json.contains("specialist"), "{json}"),
            }
            let back: Assignment = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, m);
        }
        assert_eq!(
            specialist_cell(&[Skill::FinanceAudit, Skill::Law]),
            "finance-audit+law"
        );
    }
}
