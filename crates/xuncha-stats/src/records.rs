//! The inputs of the statistics: the ledger's decoded events, petitions,
//! what the plans say of each round, and optionally the division hierarchy
//! (for coverage).

use xuncha_leads::{Event, State};
use xuncha_org::Hierarchy;

use crate::{Petition, Rounds};

/// The days a team spends on site when nothing else is known: the usual
/// month of an inspection's on-site stage.
pub const DEFAULT_DAYS_PER_TEAM: u32 = 30;

/// Everything the statistics read. Nothing is written back.
///
/// ```
/// use xuncha_stats::{Records, aggregate, By, DateRange};
/// let records = Records::new(&[]);
/// let table = aggregate(&records, By::City, &DateRange::all());
/// assert!(table.groups.is_empty());
/// assert_eq!(table.total.counts.leads_found, 0);
/// assert_eq!(table.total.completion_rate, None); // undefined, not NaN
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Records<'a> {
    /// The ledger's events, in log order (from `Ledger::events`).
    pub events: &'a [Event],
    /// The ledger's decoded state of those same events (`Ledger::state`),
    /// if at hand: it lets each event find its lead by position instead of
    /// by id. Ignored unless it counts exactly `events.len()` events.
    pub state: Option<&'a State>,
    /// The petitions received.
    pub petitions: &'a [Petition],
    /// What the plans say of each round.
    pub rounds: Option<&'a Rounds>,
    /// The hierarchy the coverage is counted against.
    pub hierarchy: Option<&'a Hierarchy>,
    /// The on-site days of each team, for rates per inspection day.
    pub days_per_team: u32,
}

impl<'a> Records<'a> {
    /// The ledger's events alone.
    pub fn new(events: &'a [Event]) -> Records<'a> {
        Records {
            events,
            state: None,
            petitions: &[],
            rounds: None,
            hierarchy: None,
            days_per_team: DEFAULT_DAYS_PER_TEAM,
        }
    }

    /// With the ledger's state of the same events (faster; the same
    /// results).
    #[must_use]
    pub fn with_state(mut self, state: &'a State) -> Records<'a> {
        self.state = Some(state);
        self
    }

    /// With petitions.
    #[must_use]
    pub fn with_petitions(mut self, petitions: &'a [Petition]) -> Records<'a> {
        self.petitions = petitions;
        self
    }

    /// With rounds (from plans and round files).
    #[must_use]
    pub fn with_rounds(mut self, rounds: &'a Rounds) -> Records<'a> {
        self.rounds = Some(rounds);
        self
    }

    /// With the hierarchy coverage is counted against.
    #[must_use]
    pub fn with_hierarchy(mut self, hierarchy: &'a Hierarchy) -> Records<'a> {
        self.hierarchy = Some(hierarchy);
        self
    }

    /// With the on-site days of each team.
    #[must_use]
    pub fn with_days_per_team(mut self, days: u32) -> Records<'a> {
        self.days_per_team = days;
        self
    }

    /// A round's theme, if it has one.
    pub(crate) fn theme(&self, round: &str) -> Option<&'a str> {
        self.rounds.and_then(|r| r.theme(round))
    }

    /// A round's mode, if known.
    pub(crate) fn mode(&self, round: &str) -> Option<xuncha_round::InspectionMode> {
        self.rounds.and_then(|r| r.mode(round))
    }
}
