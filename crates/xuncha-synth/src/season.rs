//! Synthetic seasons: the leads a round's teams find and what becomes of
//! them, and the finding lists of its inspected units, as ledger commands.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use xuncha_leads::{
    Action, Actor, ActorRole, Body, CheckedElsewhere, Command, DeadlinePolicy, Disposal, Error,
    FindingItemFacts, FindingListFacts, LeadFacts, LeadSource, Ledger, ManualClock, Outcome,
    PetitionChannel, ReportRecipient, SanctionKind, Store,
};
use xuncha_org::{Code, Level};

use crate::roster::{pick, weighted};

/// What season to make.
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_org::Code;
/// use xuncha_synth::SeasonSpec;
///
/// let counties = vec![Code::parse("350602")?, Code::parse("350628")?];
/// let spec = SeasonSpec::new(0x5eed, Code::parse("3506")?, counties, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
/// let season = spec.season();
/// assert!(season.commands() > 2 * spec.leads_per_county);
/// assert_eq!(season, spec.season()); // deterministic
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeasonSpec {
    /// The seed of every draw.
    pub seed: u64,
    /// The ledger's jurisdiction (a city).
    pub jurisdiction: Code,
    /// The inspected counties.
    pub counties: Vec<Code>,
    /// The round's id.
    pub round: String,
    /// The day the round starts.
    pub start: NaiveDate,
    /// Leads found per county.
    pub leads_per_county: usize,
    /// Items on each county's finding list (0 for none).
    pub items_per_county: usize,
}

/// A season: days, each with the commands issued that day, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Season {
    /// The days, in order, each at 09:00 UTC.
    pub days: Vec<(DateTime<Utc>, Vec<Command>)>,
    /// Petitioners' identities by lead id (synthetic), for leads from
    /// petitions; they travel in the `AddLead` commands.
    pub petitions: usize,
}

impl Season {
    /// How many commands.
    pub fn commands(&self) -> usize {
        self.days.iter().map(|(_, c)| c.len()).sum()
    }

    /// Executes the season on `ledger`, one batch a day, setting `clock`
    /// (the ledger's clock) to each day first. Handlers are taken as
    /// checked elsewhere (the season registers that check). Petitioners'
    /// identities are sealed with the ledger's key, so the ledger needs one
    /// ([`Ledger::with_identity_key`]). Returns the number of events
    /// appended.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use xuncha_leads::{IdentityKey, Ledger, ManualClock, MemoryStore};
    /// use xuncha_org::Code;
    /// use xuncha_synth::SeasonSpec;
    ///
    /// let spec = SeasonSpec::new(7, Code::parse("3506")?, vec![Code::parse("350628")?], NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    /// let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap()));
    /// let mut ledger = Ledger::open(MemoryStore::new())?
    ///     .with_clock(clock.clone())
    ///     .with_identity_key(IdentityKey::generate()?);
    /// let events = spec.season().apply(&mut ledger, &clock)?;
    /// assert_eq!(ledger.state().leads.len(), 40);
    /// assert_eq!(ledger.checkpoint().size, events);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply<S: Store>(
        &self,
        ledger: &mut Ledger<S>,
        clock: &ManualClock,
    ) -> Result<u64, Error> {
        let before = ledger.checkpoint().size;
        for (at, commands) in &self.days {
            clock.set(*at);
            ledger.execute_batch(commands, Some(&CheckedElsewhere))?;
        }
        Ok(ledger.checkpoint().size - before)
    }
}

/// The distributions, documented in the crate's overview.
/// The seed of the vine's stream, mixed into the season's.
const VINE_STREAM: u64 = 0x0000_0000_7e1e_5eed;

impl SeasonSpec {
    /// A spec with 40 leads and 8 finding-list items per county.
    pub fn new(seed: u64, jurisdiction: Code, counties: Vec<Code>, start: NaiveDate) -> SeasonSpec {
        SeasonSpec {
            seed,
            jurisdiction,
            counties,
            round: format!("{}-{}", start.format("%Y"), jurisdiction),
            start,
            leads_per_county: 40,
            items_per_county: 8,
        }
    }

    /// Draws the season.
    pub fn season(&self) -> Season {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut dated: Vec<(u64, usize, Command)> = Vec::new();
        let office = Actor::new(
            format!("office-{}", self.jurisdiction),
            ActorRole::InspectionOffice,
        );
        let mut order = 0usize;
        let mut push = |day: u64, command: Command, dated: &mut Vec<(u64, usize, Command)>| {
            dated.push((day, order, command));
            order += 1;
        };
        push(
            0,
            Command::new(
                format!("s{:x}/open", self.seed),
                office.clone(),
                Action::Open {
                    authorities: None,
                    jurisdiction: self.jurisdiction,
                    policy: DeadlinePolicy::default(),
                },
            ),
            &mut dated,
        );
        push(
            0,
            Command::new(
                format!("s{:x}/register-check", self.seed),
                office.clone(),
                Action::RegisterCheck {
                    fingerprint: CheckedElsewhere::fingerprint(),
                    description: "synthetic season: handlers checked elsewhere".to_owned(),
                },
            ),
            &mut dated,
        );
        let mut petitions = 0;
        // The vine (顺藤摸瓜) from its own stream: no other draw changed.
        let mut vine = ChaCha8Rng::seed_from_u64(self.seed ^ VINE_STREAM);
        for county in &self.counties {
            for n in 0..self.leads_per_county {
                let (commands, petition) = self.lead(*county, n, &office, &mut rng, &mut vine);
                petitions += usize::from(petition);
                for (day, command) in commands {
                    push(day, command, &mut dated);
                }
            }
            for (day, command) in self.findings(*county, &office, &mut rng) {
                push(day, command, &mut dated);
            }
        }
        dated.sort_by_key(|(day, order, _)| (*day, *order));
        let mut days: Vec<(DateTime<Utc>, Vec<Command>)> = Vec::new();
        for (day, _, command) in dated {
            let at = self.at(day);
            match days.last_mut() {
                Some((last, commands)) if *last == at => commands.push(command),
                _ => days.push((at, vec![command])),
            }
        }
        Season { days, petitions }
    }

    fn at(&self, day: u64) -> DateTime<Utc> {
        let date = self
            .start
            .checked_add_days(Days::new(day))
            .unwrap_or(self.start);
        Utc.from_utc_datetime(&date.and_hms_opt(9, 0, 0).unwrap_or_default())
    }

    /// One lead's life: the dated commands, and whether it came from a petition.
    #[allow(clippy::too_many_lines)] // One lifecycle, drawn step by step.
    fn lead(
        &self,
        county: Code,
        n: usize,
        office: &Actor,
        rng: &mut ChaCha8Rng,
        vine: &mut ChaCha8Rng,
    ) -> (Vec<(u64, Command)>, bool) {
        let id = format!("{}-{}-{n:04}", self.round, county);
        // 15 % of leads after the first were found from an earlier one of
        // the same county.
        let found_from = (n > 0 && vine.random_range(0..100) < 15)
            .then(|| format!("{}-{}-{:04}", self.round, county, vine.random_range(0..n)));
        let team = format!("{}/{}", self.round, county);
        let leader = Actor::new(format!("leader-{county}"), ActorRole::TeamLeader);
        let member = Actor::new(format!("member-{county}-{}", n % 5), ActorRole::TeamMember);
        let handler = Actor::new(
            format!("handler-{county}-{}", n % 3),
            ActorRole::DisciplineHandler,
        );
        let channel = weighted(&[(0u8, 30), (1, 20), (2, 50)], rng);
        let source = match weighted(&[(0u8, 50), (1, 30), (2, 20)], rng) {
            0 => LeadSource::Petition {
                channel: [
                    PetitionChannel::Letter,
                    PetitionChannel::Call,
                    PetitionChannel::Visit,
                ][usize::from(channel)],
                reference: None,
            },
            1 => LeadSource::Interview,
            _ => LeadSource::DocumentCheck,
        };
        let petition = matches!(source, LeadSource::Petition { .. });
        let fast_track = rng.random_bool(0.15);
        // Persons are the county's: the same name in two counties is two
        // people.
        let person = format!("{county}干部{}", rng.random_range(100..1000));
        let found = rng.random_range(0..30u64);
        let facts = LeadFacts {
            id: id.clone(),
            round: self.round.clone(),
            team,
            target: county,
            persons: vec![person.clone()],
            units: vec![county.to_string()],
            summary: pick(&SUMMARIES, rng).unwrap_or("问题线索").to_owned(),
            source,
            found_on: self
                .start
                .checked_add_days(Days::new(found))
                .unwrap_or(self.start),
            fast_track,
            found_from: found_from.into_iter().collect(),
        };
        let cmd = |step: &str, actor: &Actor, action: Action| {
            Command::new(
                format!("s{:x}/{id}/{step}", self.seed),
                actor.clone(),
                action,
            )
        };
        let petitioner = petition.then(|| format!("信访人{}", rng.random_range(1000..10_000)));
        let mut out = vec![(
            found,
            cmd(
                "add",
                &member,
                Action::AddLead {
                    lead: facts,
                    petitioner,
                },
            ),
        )];
        // 5 % stay with the team (overdue by the end of the season).
        if rng.random_bool(0.05) {
            return (out, petition);
        }
        let mut day = found + rng.random_range(1..4u64);
        let level = if rng.random_bool(0.2) {
            Level::City
        } else {
            Level::County
        };
        out.push((
            day,
            cmd(
                "transfer",
                &leader,
                Action::Transfer {
                    lead: id.clone(),
                    body: Body::DisciplineCommission,
                    level,
                },
            ),
        ));
        for to in ReportRecipient::BOTH {
            out.push((
                day,
                cmd(
                    to.as_str(),
                    office,
                    Action::Report {
                        lead: id.clone(),
                        to,
                    },
                ),
            ));
        }
        day += rng.random_range(1..5u64);
        out.push((
            day,
            cmd("receive", &handler, Action::Receive { lead: id.clone() }),
        ));
        day += rng.random_range(5..20u64);
        let lead = id.clone();
        let dispose = |disposal, reason: &str| Action::Dispose {
            lead: lead.clone(),
            disposal,
            reason: reason.to_owned(),
        };
        let conclude = |outcomes, reason: &str| Action::Conclude {
            lead: lead.clone(),
            outcomes,
            reason: reason.to_owned(),
        };
        match weighted(&[(0u8, 10), (1, 10), (2, 35), (3, 45)], rng) {
            0 => out.push((
                day,
                cmd(
                    "dispose",
                    &handler,
                    dispose(Disposal::Closed, "反映问题不实"),
                ),
            )),
            1 => out.push((
                day,
                cmd(
                    "dispose",
                    &handler,
                    dispose(Disposal::Shelved, "线索不具体, 暂存待查"),
                ),
            )),
            2 => {
                out.push((
                    day,
                    cmd("dispose", &handler, dispose(Disposal::Inquiry, "问题较轻")),
                ));
                day += rng.random_range(10..40u64);
                let mut outcomes = vec![Outcome::NoAction {
                    reason: "说明清楚".into(),
                }];
                if rng.random_bool(0.3) {
                    outcomes.push(Outcome::FundsRecovered {
                        yuan: rng.random_range(1..50) * 1000,
                        reason: "退缴违规款项".into(),
                    });
                }
                out.push((
                    day,
                    cmd("conclude", &handler, conclude(outcomes, "谈话函询了结")),
                ));
            }
            _ => {
                out.push((
                    day,
                    cmd(
                        "dispose",
                        &handler,
                        dispose(Disposal::PreliminaryVerification, "线索具体"),
                    ),
                ));
                day += rng.random_range(10..40u64);
                if rng.random_bool(0.6) {
                    out.push((
                        day,
                        cmd(
                            "case",
                            &handler,
                            Action::FileCase {
                                lead: id.clone(),
                                reason: "初核属实".into(),
                            },
                        ),
                    ));
                    day += rng.random_range(20..120u64);
                    // Not every case ends in a sanction within the season:
                    // the article's Fujian to June 2018 has 298 cases and
                    // 178 sanctioned (60 %), Quanzhou 25 and 21. About one
                    // case in five is still under investigation, one in
                    // ten is closed without a sanction.
                    let fate: f64 = rng.random_range(0.0..1.0);
                    if fate < 0.2 {
                        // Still under investigation: no conclusion yet.
                        return (out, petition);
                    }
                    if fate < 0.3 {
                        out.push((
                            day,
                            cmd(
                                "conclude",
                                &handler,
                                conclude(
                                    vec![Outcome::NoAction {
                                        reason: "情节轻微, 免予处分".into(),
                                    }],
                                    "审查调查终结",
                                ),
                            ),
                        ));
                        return (out, petition);
                    }
                    let mut outcomes = vec![Outcome::Sanction {
                        person: person.clone(),
                        sanction: pick(&SanctionKind::ALL, rng)
                            .unwrap_or(SanctionKind::PartyWarning),
                        reason: "违反廉洁纪律".into(),
                    }];
                    if rng.random_bool(0.08) {
                        outcomes.push(Outcome::JudicialReferral {
                            person,
                            reason: "涉嫌职务犯罪".into(),
                        });
                    }
                    if rng.random_bool(0.4) {
                        outcomes.push(Outcome::FundsRecovered {
                            yuan: rng.random_range(5..500) * 1000,
                            reason: "追缴违纪款".into(),
                        });
                    }
                    out.push((
                        day,
                        cmd("conclude", &handler, conclude(outcomes, "审查调查终结")),
                    ));
                } else {
                    day += rng.random_range(5..30u64);
                    out.push((
                        day,
                        cmd(
                            "conclude",
                            &handler,
                            conclude(
                                vec![Outcome::NoAction {
                                    reason: "初核不实".into(),
                                }],
                                "初核了结",
                            ),
                        ),
                    ));
                }
            }
        }
        (out, petition)
    }

    /// A county's finding list, its closings, rules and one look-back.
    fn findings(&self, county: Code, office: &Actor, rng: &mut ChaCha8Rng) -> Vec<(u64, Command)> {
        if self.items_per_county == 0 {
            return Vec::new();
        }
        let list = format!("{}-F-{county}", self.round);
        let issued = 45u64;
        let prefix = format!("s{:x}/{list}", self.seed);
        let cmd = |step: String, actor: &Actor, action: Action| {
            Command::new(format!("{prefix}/{step}"), actor.clone(), action)
        };
        let items = (0..self.items_per_county)
            .map(|i| FindingItemFacts {
                finding: pick(&FINDINGS, rng).unwrap_or("问题").to_owned(),
                responsible: format!("责任人{county}-{i}"),
                measures: "限期整改, 建章立制".to_owned(),
                deadline: self
                    .start
                    .checked_add_days(Days::new(issued + rng.random_range(30..120)))
                    .unwrap_or(self.start),
            })
            .collect::<Vec<_>>();
        let mut out = vec![(
            issued,
            cmd(
                "issue".into(),
                office,
                Action::IssueFindings {
                    list: FindingListFacts {
                        id: list.clone(),
                        round: self.round.clone(),
                        unit: county.to_string(),
                        issued_on: self
                            .start
                            .checked_add_days(Days::new(issued))
                            .unwrap_or(self.start),
                        items,
                    },
                },
            ),
        )];
        let mut closed = Vec::new();
        for item in 1..=u32::try_from(self.items_per_county).unwrap_or(u32::MAX) {
            if rng.random_bool(0.8) {
                let day = issued + rng.random_range(10..150u64);
                out.push((
                    day,
                    cmd(
                        format!("close-{item}"),
                        office,
                        Action::CloseItem {
                            list: list.clone(),
                            item,
                            evidence: "整改报告及佐证材料".into(),
                        },
                    ),
                ));
                closed.push((item, day));
            }
        }
        for r in 0..rng.random_range(0..3) {
            out.push((
                issued + 60,
                cmd(
                    format!("rule-{r}"),
                    office,
                    Action::EstablishRule {
                        list: list.clone(),
                        title: format!("制度{r}"),
                    },
                ),
            ));
        }
        let look_back = issued + 180;
        let reopen: Vec<(u32, String, NaiveDate)> = closed
            .iter()
            .filter(|(_, day)| *day < look_back && rng.random_bool(0.05))
            .map(|(item, _)| {
                (
                    *item,
                    "整改不到位".to_owned(),
                    self.start
                        .checked_add_days(Days::new(look_back + 60))
                        .unwrap_or(self.start),
                )
            })
            .collect();
        let group = Actor::new(format!("lg-{}", self.jurisdiction), ActorRole::LeadingGroup);
        let on = self
            .start
            .checked_add_days(Days::new(look_back))
            .unwrap_or(self.start);
        out.push((
            look_back,
            cmd(
                "look-back".into(),
                &group,
                Action::LookBack { list, on, reopen },
            ),
        ));
        out
    }
}

const SUMMARIES: [&str; 6] = [
    "村级工程项目未经招标",
    "违规发放津贴补贴",
    "集体资金使用不规范",
    "扶贫资金被截留",
    "公车私用",
    "违规收受礼品礼金",
];

const FINDINGS: [&str; 5] = [
    "三重一大决策程序不规范",
    "财务报销手续不全",
    "政府采购未按规定执行",
    "党组织生活不经常",
    "上轮巡察整改不到位",
];
