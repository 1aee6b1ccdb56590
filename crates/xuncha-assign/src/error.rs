//! The crate's error type.

use xuncha_flow::Error as FlowError;
use xuncha_org::{Code, ErrorKind};

/// Everything that can go wrong in `xuncha-assign`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A round, plan or decimal is malformed, or its file cannot be read
    /// (`xuncha-round`).
    #[error(transparent)]
    Round(#[from] xuncha_round::Error),
    /// The slots of the round cannot all be filled.
    #[error("{0}")]
    Infeasible(Box<crate::Infeasibility>),
    /// A plan is not valid JSON or CSV, or does not match the round.
    #[error("invalid plan: {message}")]
    Plan {
        /// What is wrong.
        message: String,
    },
    /// A flow problem is malformed or overflowed.
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// The whole-team origin cap (`origin_cap = "team"`) cannot be kept:
    /// every plan that fills the slots puts more than `max_per_origin`
    /// people of one origin on some team.
    #[error(
        "no plan for {group} keeps at most max_per_origin people of one origin on every team \
         counting every role (origin_cap = \"team\"); counting ordinary members only, a plan exists"
    )]
    OriginCap {
        /// The group of targets (a city, or `the round`).
        group: String,
    },
    /// The search for the whole-team origin cap gave up.
    #[error(
        "the whole-team origin cap (origin_cap = \"team\") needed more than {nodes} \
         branch-and-bound networks; use origin_cap = \"members\" or split the round"
    )]
    OriginCapSearch {
        /// The networks solved.
        nodes: usize,
    },
    /// The search over who meets which skill requirement (people with
    /// several of a team's skills) gave up.
    #[error(
        "weighing which members count for which skill requirements: {reason}; \
         give the team one requirement per skill that few people share, or split the round"
    )]
    LayoutSearch {
        /// Why: the networks solved, or the team with too many layouts.
        reason: String,
    },
    /// An error of `xuncha-org`: an input above a configured
    /// [`Limits`](xuncha_org::Limits), or a file it could not read.
    #[error(transparent)]
    Org(#[from] xuncha_org::Error),
    /// A group's slots can be filled, but not also with the alternates
    /// asked for.
    #[error(
        "round {round}{}: the teams can be staffed, but not with {alternates} alternates each as well; ask for fewer alternates",
        group.map(|g| format!(", group {g}")).unwrap_or_default()
    )]
    Alternates {
        /// The round.
        round: String,
        /// The group (city) whose teams lack alternates.
        group: Option<Code>,
        /// How many alternates each team was to have.
        alternates: u32,
    },
    /// No fractional plan keeps every person under the cap on every team.
    #[error(
        "round {round}{}: no randomized plan keeps each person's chance of serving on any one team at or below {cap}: the group has too few people who may fill some slots; raise the cap (or a pair's cap), or add people",
        group.map(|g| format!(", group {g}")).unwrap_or_default()
    )]
    CapTooLow {
        /// The round.
        round: String,
        /// The group (city) that cannot be staffed under the cap.
        group: Option<Code>,
        /// The cap, as a decimal.
        cap: String,
    },
    /// An option is out of its range.
    #[error("{option}: {message}")]
    InvalidOption {
        /// The option, as the caller named it (`cap`, `pair cap of P1 on 350628`).
        option: String,
        /// What is wrong and what is accepted.
        message: String,
    },
    /// A replanning change names a person it cannot apply to.
    #[error("the change for person {person}: {message}")]
    Change {
        /// The person.
        person: xuncha_avoid::PersonId,
        /// What is wrong.
        message: String,
    },
    /// A term plan's input is inconsistent (an unknown jurisdiction, a
    /// target named twice, an impossible constraint).
    #[error("term plan: {message}")]
    Term {
        /// What is wrong.
        message: String,
    },
    /// The term has too few team-rounds for its targets.
    #[error(
        "{targets} targets need {needed} team-rounds at {capacity} targets each, but the term has {available} ({rounds} rounds × {teams} teams): {more} more team-rounds are needed"
    )]
    TermCapacity {
        /// The targets to schedule.
        targets: usize,
        /// Targets one team takes in one round.
        capacity: usize,
        /// Rounds left in the term.
        rounds: usize,
        /// Teams per round.
        teams: usize,
        /// Team-rounds needed: `ceil(targets / capacity)`.
        needed: usize,
        /// Team-rounds available: rounds × teams.
        available: usize,
        /// How many more are needed.
        more: usize,
    },
    /// No rotation satisfies the constraints.
    #[error("no rotation is possible over {}: {reason}", list(counties))]
    NoRotation {
        /// The counties asked for.
        counties: Vec<Code>,
        /// Which constraint made it impossible.
        reason: RotationBlock,
    },
}

impl Error {
    /// What kind of failure this is: the round has no solution
    /// ([`Infeasible`](Error::Infeasible), a cap too low, too few
    /// alternates, a term too short, the whole-team origin cap) is
    /// [`ErrorKind::Infeasible`]; errors of the vocabulary and of
    /// `xuncha-org` keep their kind; the rest is [`ErrorKind::BadInput`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Infeasible(_)
            | Error::CapTooLow { .. }
            | Error::Alternates { .. }
            | Error::TermCapacity { .. }
            | Error::OriginCap { .. } => ErrorKind::Infeasible,
            Error::Round(e) => e.kind(),
            Error::Org(e) => e.kind(),
            _ => ErrorKind::BadInput,
        }
    }
}

fn list(codes: &[Code]) -> String {
    codes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why no rotation exists.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RotationBlock {
    /// Fewer than two counties: a county cannot inspect itself.
    #[error("a rotation needs at least two counties, and one cannot inspect itself")]
    TooFew,
    /// Exactly two counties: they could only inspect each other.
    #[error("with two counties, each could only inspect the other, which a rotation forbids")]
    OnlyEachOther,
    /// The same county is listed twice.
    #[error("county {0} is listed twice")]
    Duplicate(Code),
    /// History leaves a county no county to inspect.
    #[error("every county {0} could inspect was paired with it in the recent rounds")]
    NoTarget(Code),
    /// History leaves a county no county to be inspected by.
    #[error("every county that could inspect {0} was paired with it in the recent rounds")]
    NoInspector(Code),
    /// History forbids every cycle, though each county alone has options.
    #[error("the pairings used in the recent rounds rule out every single cycle")]
    HistoryForbidsEveryCycle,
}
