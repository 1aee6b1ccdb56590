//! Hand-made records: events built directly, one change each.

use chrono::{NaiveDate, TimeZone, Utc};
use xuncha_leads::{
    Actor, ActorRole, Change, CriticismNotice, Event, FindingItemFacts, FindingListFacts,
    LeadFacts, LeadSource, Obstruction, ObstructionKind, PetitionChannel, Reopening,
};
use xuncha_org::Code;
use xuncha_round::InspectionMode;
use xuncha_stats::Petition;

pub(crate) fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// A log under construction.
#[derive(Default)]
pub(crate) struct Log(pub(crate) Vec<Event>);

impl Log {
    pub(crate) fn push(&mut self, on: NaiveDate, change: Change) -> &mut Log {
        let seq = self.0.len() as u64;
        self.0.push(Event {
            signature: None,
            seq,
            time: Utc.from_utc_datetime(&on.and_hms_opt(9, 0, 0).unwrap()),
            actor: Actor::new("office", ActorRole::InspectionOffice),
            command: format!("c{seq}"),
            change,
            state: None,
        });
        self
    }

    pub(crate) fn lead(&mut self, on: NaiveDate, id: &str, round: &str, county: &str) -> &mut Log {
        let facts = LeadFacts {
            id: id.into(),
            round: round.into(),
            team: format!("{round}/{county}"),
            target: Code::parse(county).unwrap(),
            persons: vec!["某某".into()],
            units: vec![],
            summary: "问题".into(),
            source: LeadSource::Interview,
            found_on: on,
            fast_track: false,
            found_from: Vec::new(),
        };
        self.push(
            on,
            Change::LeadFound {
                lead: Box::new(facts),
            },
        )
    }

    pub(crate) fn list(
        &mut self,
        on: NaiveDate,
        id: &str,
        round: &str,
        unit: &str,
        items: usize,
    ) -> &mut Log {
        let item = FindingItemFacts {
            finding: "问题".into(),
            responsible: "某".into(),
            measures: "整改".into(),
            deadline: on,
        };
        self.push(
            on,
            Change::FindingsIssued {
                list: Box::new(FindingListFacts {
                    id: id.into(),
                    round: round.into(),
                    unit: unit.into(),
                    issued_on: on,
                    items: vec![item; items],
                }),
            },
        )
    }

    pub(crate) fn close(&mut self, on: NaiveDate, list: &str, item: u32) -> &mut Log {
        self.push(
            on,
            Change::ItemClosed {
                list: list.into(),
                item,
                evidence: "证据".into(),
            },
        )
    }

    pub(crate) fn reopen(&mut self, on: NaiveDate, list: &str, items: &[u32]) -> &mut Log {
        let reopened = items
            .iter()
            .map(|i| Reopening {
                item: *i,
                reason: "不到位".into(),
                deadline: on,
            })
            .collect();
        self.push(
            on,
            Change::LookedBack {
                list: list.into(),
                on,
                reopened,
            },
        )
    }

    pub(crate) fn obstruction_and_notice(
        &mut self,
        on: NaiveDate,
        unit: &str,
        team: &str,
    ) -> &mut Log {
        let n = self.0.len();
        self.push(
            on,
            Change::ObstructionRecorded {
                obstruction: Box::new(Obstruction {
                    id: format!("O{n}"),
                    unit: unit.into(),
                    team: team.into(),
                    kind: ObstructionKind::LateMaterial,
                    detail: "迟交".into(),
                    mismatches: vec![],
                }),
            },
        );
        self.push(
            on,
            Change::CriticismIssued {
                notice: Box::new(CriticismNotice {
                    id: format!("N{n}"),
                    unit: unit.into(),
                    obstructions: vec![format!("O{n}")],
                    text: "通报".into(),
                }),
            },
        )
    }
}

pub(crate) fn petition(
    on: NaiveDate,
    channel: PetitionChannel,
    batch: Option<&str>,
    persons: u32,
    county: &str,
    mode: Option<InspectionMode>,
) -> Petition {
    Petition {
        id: format!("{on}-{county}-{batch:?}-{persons}"),
        date: on,
        channel,
        batch: batch.map(str::to_owned),
        persons,
        county: Code::parse(county).unwrap(),
        round: Some("R1".into()),
        mode,
    }
}
