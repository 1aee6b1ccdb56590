//! The metrics: the additive counts of one group, and their names.
//!
//! Each metric has one definition, written in `docs/metrics.md` and
//! summarised on [`Metric::definition`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use xuncha_leads::SanctionKind;

/// The additive counts of one group over a date range. Adding the counts
/// of disjoint groups gives the counts of their union.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Petitions received by letter (来信).
    pub letters: u64,
    /// Petitions received by call (来电).
    pub calls: u64,
    /// Visits received (来访), one per record.
    pub visits: u64,
    /// Visit batches (批): distinct batch ids of visits, per county.
    pub visit_batches: u64,
    /// Person-visits (人次): the persons of all visits.
    pub person_visits: u64,
    /// Leads found (问题线索): `lead-found` events.
    pub leads_found: u64,
    /// Leads transferred (移交): each lead's first `transferred` event.
    pub leads_transferred: u64,
    /// Cases filed (立案): `case-filed` events.
    pub cases_filed: u64,
    /// Sanctions (党纪政务处分): sanction outcomes of `concluded` events.
    pub sanctions: u64,
    /// Sanctions by kind.
    pub sanctions_by_kind: BTreeMap<SanctionKind, u64>,
    /// Judicial referrals (移送司法机关).
    pub judicial_referrals: u64,
    /// Funds recovered (追回资金), in yuan.
    pub funds_recovered_yuan: u64,
    /// Rectification items (整改问题) on lists issued in the range.
    pub items: u64,
    /// Of those items, the ones closed at the end of the range.
    pub items_closed: u64,
    /// Rules established (建章立制).
    pub rules_established: u64,
    /// Items reopened by a look-back (回头看).
    pub items_reopened: u64,
    /// Public criticism notices (通报批评).
    pub criticism_notices: u64,
}

impl Counts {
    /// Petitions received: letters, calls and visits.
    pub fn petitions(&self) -> u64 {
        self.letters + self.calls + self.visits
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Counts) {
        self.letters += other.letters;
        self.calls += other.calls;
        self.visits += other.visits;
        self.visit_batches += other.visit_batches;
        self.person_visits += other.person_visits;
        self.leads_found += other.leads_found;
        self.leads_transferred += other.leads_transferred;
        self.cases_filed += other.cases_filed;
        self.sanctions += other.sanctions;
        for (kind, n) in &other.sanctions_by_kind {
            *self.sanctions_by_kind.entry(*kind).or_default() += n;
        }
        self.judicial_referrals += other.judicial_referrals;
        self.funds_recovered_yuan = self
            .funds_recovered_yuan
            .saturating_add(other.funds_recovered_yuan);
        self.items += other.items;
        self.items_closed += other.items_closed;
        self.rules_established += other.rules_established;
        self.items_reopened += other.items_reopened;
        self.criticism_notices += other.criticism_notices;
    }

    /// A metric's value.
    pub fn get(&self, metric: Metric) -> u64 {
        match metric {
            Metric::Petitions => self.petitions(),
            Metric::Letters => self.letters,
            Metric::Calls => self.calls,
            Metric::Visits => self.visits,
            Metric::VisitBatches => self.visit_batches,
            Metric::PersonVisits => self.person_visits,
            Metric::LeadsFound => self.leads_found,
            Metric::LeadsTransferred => self.leads_transferred,
            Metric::CasesFiled => self.cases_filed,
            Metric::Sanctions => self.sanctions,
            Metric::JudicialReferrals => self.judicial_referrals,
            Metric::FundsRecoveredYuan => self.funds_recovered_yuan,
            Metric::Items => self.items,
            Metric::ItemsClosed => self.items_closed,
            Metric::RulesEstablished => self.rules_established,
            Metric::ItemsReopened => self.items_reopened,
            Metric::CriticismNotices => self.criticism_notices,
        }
    }
}

/// An additive metric, for tables and comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Letters, calls and visits.
    Petitions,
    /// Letters.
    Letters,
    /// Calls.
    Calls,
    /// Visits.
    Visits,
    /// Visit batches (批).
    VisitBatches,
    /// Person-visits (人次).
    PersonVisits,
    /// Leads found.
    LeadsFound,
    /// Leads transferred.
    LeadsTransferred,
    /// Cases filed.
    CasesFiled,
    /// Sanctions.
    Sanctions,
    /// Judicial referrals.
    JudicialReferrals,
    /// Funds recovered, yuan.
    FundsRecoveredYuan,
    /// Rectification items.
    Items,
    /// Items closed.
    ItemsClosed,
    /// Rules established.
    RulesEstablished,
    /// Items reopened by a look-back.
    ItemsReopened,
    /// Criticism notices.
    CriticismNotices,
}

impl Metric {
    /// Every metric, in report order.
    pub const ALL: [Metric; 17] = [
        Metric::Petitions,
        Metric::Letters,
        Metric::Calls,
        Metric::Visits,
        Metric::VisitBatches,
        Metric::PersonVisits,
        Metric::LeadsFound,
        Metric::LeadsTransferred,
        Metric::CasesFiled,
        Metric::Sanctions,
        Metric::JudicialReferrals,
        Metric::FundsRecoveredYuan,
        Metric::Items,
        Metric::ItemsClosed,
        Metric::RulesEstablished,
        Metric::ItemsReopened,
        Metric::CriticismNotices,
    ];

    /// The metrics compared between two groups (counts of events, for
    /// which a Poisson model is reasonable).
    pub const COMPARED: [Metric; 6] = [
        Metric::Petitions,
        Metric::PersonVisits,
        Metric::LeadsFound,
        Metric::CasesFiled,
        Metric::Sanctions,
        Metric::JudicialReferrals,
    ];

    /// The metric's name in files (CSV columns, JSON keys).
    pub fn name(self) -> &'static str {
        match self {
            Metric::Petitions => "petitions",
            Metric::Letters => "letters",
            Metric::Calls => "calls",
            Metric::Visits => "visits",
            Metric::VisitBatches => "visit_batches",
            Metric::PersonVisits => "person_visits",
            Metric::LeadsFound => "leads_found",
            Metric::LeadsTransferred => "leads_transferred",
            Metric::CasesFiled => "cases_filed",
            Metric::Sanctions => "sanctions",
            Metric::JudicialReferrals => "judicial_referrals",
            Metric::FundsRecoveredYuan => "funds_recovered_yuan",
            Metric::Items => "items",
            Metric::ItemsClosed => "items_closed",
            Metric::RulesEstablished => "rules_established",
            Metric::ItemsReopened => "items_reopened",
            Metric::CriticismNotices => "criticism_notices",
        }
    }

    /// The metric's Chinese label in reports for people.
    pub fn chinese(self) -> &'static str {
        match self {
            Metric::Petitions => "受理信访",
            Metric::Letters => "来信",
            Metric::Calls => "来电",
            Metric::Visits => "来访",
            Metric::VisitBatches => "来访批次",
            Metric::PersonVisits => "来访人次",
            Metric::LeadsFound => "发现问题线索",
            Metric::LeadsTransferred => "移交问题线索",
            Metric::CasesFiled => "立案",
            Metric::Sanctions => "党纪政务处分",
            Metric::JudicialReferrals => "移送司法机关",
            Metric::FundsRecoveredYuan => "追回资金(元)",
            Metric::Items => "整改问题",
            Metric::ItemsClosed => "已整改销号",
            Metric::RulesEstablished => "建章立制",
            Metric::ItemsReopened => "回头看重新打开",
            Metric::CriticismNotices => "通报批评",
        }
    }

    /// The metric's definition: what is counted, from which record, at
    /// which date (the full text is in `docs/metrics.md`).
    pub fn definition(self) -> &'static str {
        match self {
            Metric::Petitions => "petition records of any channel, dated by their `date`",
            Metric::Letters => "petition records with channel `letter`, dated by their `date`",
            Metric::Calls => "petition records with channel `call`, dated by their `date`",
            Metric::Visits => "petition records with channel `visit`, dated by their `date`",
            Metric::VisitBatches => {
                "distinct (county, batch) pairs of visits dated in the range; a visit without a batch is its own batch"
            }
            Metric::PersonVisits => "the sum of `persons` over visits dated in the range",
            Metric::LeadsFound => "`lead-found` events, dated by the event's time",
            Metric::LeadsTransferred => {
                "leads whose first `transferred` event is dated in the range"
            }
            Metric::CasesFiled => "`case-filed` events, dated by the event's time",
            Metric::Sanctions => {
                "`sanction` outcomes of `concluded` events, dated by the event's time"
            }
            Metric::JudicialReferrals => {
                "`judicial-referral` outcomes of `concluded` events, dated by the event's time"
            }
            Metric::FundsRecoveredYuan => {
                "the yuan of `funds-recovered` outcomes of `concluded` events, dated by the event's time"
            }
            Metric::Items => {
                "items of finding lists whose `findings-issued` event is dated in the range"
            }
            Metric::ItemsClosed => {
                "of those items, the ones closed (`item-closed`, not reopened since) on the range's last day"
            }
            Metric::RulesEstablished => "`rule-established` events, dated by the event's time",
            Metric::ItemsReopened => {
                "items reopened by `looked-back` events, dated by the event's time"
            }
            Metric::CriticismNotices => "`criticism-issued` events, dated by the event's time",
        }
    }
}
