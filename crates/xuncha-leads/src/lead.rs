//! Leads (问题线索): what a team found, where it stands, and who holds it.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Level};
use xuncha_round::PetitionChannel;

use crate::Checkpoint;

/// Where a lead came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeadSource {
    /// A petition (信访件): a letter, call or visit. The petitioner's
    /// identity is never part of the lead: the ledger keeps it apart, under
    /// `reference`, and no export or statistic shows it.
    Petition {
        /// How the petition arrived.
        channel: PetitionChannel,
        /// The key of the petitioner's identity in the ledger's protected
        /// store; `None` when the petition was anonymous.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// A talk with someone during the inspection (个别谈话).
    Interview,
    /// A check of documents, accounts or records (查阅资料).
    DocumentCheck,
    /// Anything else, described.
    Other {
        /// What.
        description: String,
    },
}

/// The body a lead is transferred to (移交).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Body {
    /// 纪委监委: the discipline commission and supervisory commission.
    DisciplineCommission,
    /// 组织部: the organisation department.
    OrganisationDepartment,
    /// Another body, named.
    Other(String),
}

impl std::str::FromStr for LeadSource {
    type Err = crate::Error;

    /// Reads `petition-letter`, `petition-call`, `petition-visit` (or
    /// `petition`), `interview`, `document-check` or `other:TEXT`; a
    /// petition read so carries no reference.
    ///
    /// ```
    /// use xuncha_leads::{LeadSource, PetitionChannel};
    /// let source: LeadSource = "petition-call".parse()?;
    /// assert_eq!(source, LeadSource::Petition { channel: PetitionChannel::Call, reference: None });
    /// # Ok::<(), xuncha_leads::Error>(())
    /// ```
    fn from_str(text: &str) -> Result<LeadSource, crate::Error> {
        let petition = |channel| LeadSource::Petition {
            channel,
            reference: None,
        };
        Ok(match text {
            "petition-letter" => petition(PetitionChannel::Letter),
            "petition-call" => petition(PetitionChannel::Call),
            "petition-visit" | "petition" => petition(PetitionChannel::Visit),
            "interview" => LeadSource::Interview,
            "document-check" => LeadSource::DocumentCheck,
            other => match other.strip_prefix("other:") {
                Some(description) => LeadSource::Other {
                    description: description.to_owned(),
                },
                None => {
                    return Err(crate::Error::Name {
                        what: "source",
                        text: other.to_owned(),
                        expected: "petition-letter, petition-call, petition-visit, interview, document-check or other:TEXT",
                    });
                }
            },
        })
    }
}

impl std::str::FromStr for Body {
    type Err = crate::Error;

    /// Reads `discipline-commission` (纪委监委), `organisation-department`
    /// (组织部) or `other:NAME`.
    fn from_str(text: &str) -> Result<Body, crate::Error> {
        match text {
            "discipline-commission" | "纪委监委" => Ok(Body::DisciplineCommission),
            "organisation-department" | "组织部" => Ok(Body::OrganisationDepartment),
            other => other
                .strip_prefix("other:")
                .map(|name| Body::Other(name.to_owned()))
                .ok_or_else(|| crate::Error::Name {
                    what: "body",
                    text: other.to_owned(),
                    expected: "discipline-commission, organisation-department or other:NAME",
                }),
        }
    }
}

impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::DisciplineCommission => f.write_str("纪委监委"),
            Body::OrganisationDepartment => f.write_str("组织部"),
            Body::Other(name) => f.write_str(name),
        }
    }
}

/// How a received lead is disposed of (处置方式).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Disposal {
    /// 谈话函询: a talk or a letter of inquiry.
    Inquiry,
    /// 初步核实: preliminary verification, which may lead to a case.
    PreliminaryVerification,
    /// 暂存待查: shelved pending more information.
    Shelved,
    /// 予以了结: closed; needs a reason.
    Closed,
}

impl Disposal {
    /// The disposal's Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Disposal::Inquiry => "谈话函询",
            Disposal::PreliminaryVerification => "初步核实",
            Disposal::Shelved => "暂存待查",
            Disposal::Closed => "予以了结",
        }
    }
}

/// The kind of a sanction (党纪政务处分).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SanctionKind {
    /// 党内警告.
    PartyWarning,
    /// 党内严重警告.
    PartySeriousWarning,
    /// 撤销党内职务.
    PartyPostRemoval,
    /// 留党察看.
    PartyProbation,
    /// 开除党籍.
    PartyExpulsion,
    /// 政务警告.
    AdministrativeWarning,
    /// 记过.
    AdministrativeDemerit,
    /// 记大过.
    AdministrativeMajorDemerit,
    /// 降级.
    AdministrativeDemotion,
    /// 撤职.
    AdministrativeDismissalFromPost,
    /// 开除.
    AdministrativeExpulsion,
}

impl SanctionKind {
    /// Every kind, party sanctions first.
    pub const ALL: [SanctionKind; 11] = [
        SanctionKind::PartyWarning,
        SanctionKind::PartySeriousWarning,
        SanctionKind::PartyPostRemoval,
        SanctionKind::PartyProbation,
        SanctionKind::PartyExpulsion,
        SanctionKind::AdministrativeWarning,
        SanctionKind::AdministrativeDemerit,
        SanctionKind::AdministrativeMajorDemerit,
        SanctionKind::AdministrativeDemotion,
        SanctionKind::AdministrativeDismissalFromPost,
        SanctionKind::AdministrativeExpulsion,
    ];

    /// Whether it is a party sanction (党纪处分) rather than an
    /// administrative one (政务处分).
    pub fn is_party(self) -> bool {
        self <= SanctionKind::PartyExpulsion
    }

    /// The kind's Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            SanctionKind::PartyWarning => "党内警告",
            SanctionKind::PartySeriousWarning => "党内严重警告",
            SanctionKind::PartyPostRemoval => "撤销党内职务",
            SanctionKind::PartyProbation => "留党察看",
            SanctionKind::PartyExpulsion => "开除党籍",
            SanctionKind::AdministrativeWarning => "政务警告",
            SanctionKind::AdministrativeDemerit => "记过",
            SanctionKind::AdministrativeMajorDemerit => "记大过",
            SanctionKind::AdministrativeDemotion => "降级",
            SanctionKind::AdministrativeDismissalFromPost => "撤职",
            SanctionKind::AdministrativeExpulsion => "开除",
        }
    }
}

/// One outcome of a concluded lead, each with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A sanction on a person (党纪政务处分); needs a filed case.
    Sanction {
        /// Who is sanctioned.
        person: String,
        /// Which sanction.
        sanction: SanctionKind,
        /// Why.
        reason: String,
    },
    /// Referred to the prosecutors (移送司法机关); needs a filed case.
    JudicialReferral {
        /// Who is referred.
        person: String,
        /// Why.
        reason: String,
    },
    /// Funds recovered (追回资金), in yuan.
    FundsRecovered {
        /// How much.
        yuan: u64,
        /// From what.
        reason: String,
    },
    /// No action (不予处理), with the reason.
    NoAction {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// The outcome's reason.
    pub fn reason(&self) -> &str {
        match self {
            Outcome::Sanction { reason, .. }
            | Outcome::JudicialReferral { reason, .. }
            | Outcome::FundsRecovered { reason, .. }
            | Outcome::NoAction { reason } => reason,
        }
    }

    /// Whether the outcome needs a filed case (立案) first.
    pub fn needs_case(&self) -> bool {
        matches!(
            self,
            Outcome::Sanction { .. } | Outcome::JudicialReferral { .. }
        )
    }
}

/// Where a lead stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Found by a team, not yet transferred.
    Found,
    /// Transferred (移交); complete once dual-reported.
    Transferred,
    /// Received by a handler.
    Received,
    /// Disposed of by inquiry (谈话函询).
    Inquiry,
    /// Under preliminary verification (初步核实).
    PreliminaryVerification,
    /// Shelved pending (暂存待查).
    Shelved,
    /// A case filed (立案审查调查).
    CaseFiled,
    /// Closed at disposal (予以了结), with a reason.
    Closed,
    /// Concluded with outcomes.
    Concluded,
}

impl Stage {
    /// Whether the lead's work is over: closed or concluded.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Closed | Stage::Concluded)
    }

    /// The stage's name in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Found => "found",
            Stage::Transferred => "transferred",
            Stage::Received => "received",
            Stage::Inquiry => "inquiry",
            Stage::PreliminaryVerification => "preliminary-verification",
            Stage::Shelved => "shelved",
            Stage::CaseFiled => "case-filed",
            Stage::Closed => "closed",
            Stage::Concluded => "concluded",
        }
    }

    /// The stage's Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Stage::Found => "已发现",
            Stage::Transferred => "已移交",
            Stage::Received => "已接收",
            Stage::Inquiry => "谈话函询",
            Stage::PreliminaryVerification => "初步核实",
            Stage::Shelved => "暂存待查",
            Stage::CaseFiled => "立案审查调查",
            Stage::Closed => "予以了结",
            Stage::Concluded => "已办结",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who must act on a lead next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Holder {
    /// The team that found it (its leader must transfer it).
    Team {
        /// The team, `round/target`.
        team: String,
    },
    /// The inspection office at a level (it must report, or transfer an
    /// escalated lead).
    InspectionOffice {
        /// The level.
        level: Level,
    },
    /// The receiving body at a level, until a handler receives the lead.
    Body {
        /// The body.
        body: Body,
        /// The level.
        level: Level,
    },
    /// A named handler at the receiving body.
    Handler {
        /// The handler's actor id.
        handler: String,
        /// The body.
        body: Body,
        /// The level.
        level: Level,
    },
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Holder::Team { team } => write!(f, "team {team}"),
            Holder::InspectionOffice { level } => write!(f, "inspection office ({level})"),
            Holder::Body { body, level } => write!(f, "{body} ({level})"),
            Holder::Handler {
                handler,
                body,
                level,
            } => write!(f, "{handler} at {body} ({level})"),
        }
    }
}

/// To whom a transfer is reported (双汇报).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportRecipient {
    /// The city's leading group (市委巡察工作领导小组).
    CityLeadingGroup,
    /// The inspected county's leading group and party secretary
    /// (被巡察县区巡察工作领导小组和党委书记).
    CountyLeadingGroup,
}

impl ReportRecipient {
    /// Both recipients.
    pub const BOTH: [ReportRecipient; 2] = [
        ReportRecipient::CityLeadingGroup,
        ReportRecipient::CountyLeadingGroup,
    ];

    /// The recipient's name in files: `city` or `county`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportRecipient::CityLeadingGroup => "city",
            ReportRecipient::CountyLeadingGroup => "county",
        }
    }
}

/// A report of a transfer, with the ledger's checkpoint at that moment: the
/// recipient keeps it as an independent witness of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// To whom.
    pub to: ReportRecipient,
    /// When.
    pub at: DateTime<Utc>,
    /// The ledger's checkpoint just before the report was appended.
    pub checkpoint: Checkpoint,
}

/// What a team records when it finds a lead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadFacts {
    /// The lead's id, unique in the ledger.
    pub id: String,
    /// The round it was found in.
    pub round: String,
    /// The team, usually `round/target`.
    pub team: String,
    /// The inspected county (a county-level code).
    pub target: Code,
    /// The persons it implicates (ids where they are in a roster, else names).
    #[serde(default)]
    pub persons: Vec<String>,
    /// The units it implicates (unit ids, or division codes as text).
    #[serde(default)]
    pub units: Vec<String>,
    /// What it is about. Never the petitioner's identity.
    pub summary: String,
    /// Where it came from.
    pub source: LeadSource,
    /// When it was found.
    pub found_on: NaiveDate,
    /// Whether it is fast-tracked (直查快办).
    #[serde(default)]
    pub fast_track: bool,
    /// The leads it was found from (顺藤摸瓜), by id: a lead followed from
    /// another joins its cluster ([`clusters`](crate::clusters)). Ids are
    /// kept as written; one of another ledger links nothing here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub found_from: Vec<String>,
}

/// A lead and everything that has happened to it, rebuilt from the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    /// What was found (boxed as the event that brought it: replay moves
    /// it in without copying).
    pub facts: Box<LeadFacts>,
    /// Where it stands.
    pub stage: Stage,
    /// Who must act next; `None` once final.
    pub holder: Option<Holder>,
    /// By when; `None` once final.
    pub deadline: Option<DateTime<Utc>>,
    /// The level that handles it: the target's city at first, raised by
    /// each escalation (提级).
    pub level: Level,
    /// The body it was transferred to.
    pub body: Option<Body>,
    /// The reports of its transfer.
    pub reports: Vec<Report>,
    /// The disposal chosen, once disposed of.
    pub disposal: Option<Disposal>,
    /// The outcomes, once concluded.
    pub outcomes: Vec<Outcome>,
    /// The reason for closing or concluding.
    pub reason: Option<String>,
    /// How many times it was escalated.
    pub escalations: u32,
    /// Handlers refused for a conflict of interest.
    pub refused_handlers: Vec<String>,
    /// The sequence numbers of its events, in order.
    pub events: Vec<u64>,
}

impl Lead {
    /// Whether both reports of the transfer are made (双汇报).
    pub fn dual_reported(&self) -> bool {
        ReportRecipient::BOTH
            .iter()
            .all(|to| self.reports.iter().any(|r| r.to == *to))
    }
}
