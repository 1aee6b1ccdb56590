//! Commands: what actors ask the ledger to do.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Level};

use crate::rectify::{CriticismNotice, FindingListFacts, Obstruction};
use crate::{
    Actor, ActorRole, AuthorisationRequest, Body, DeadlinePolicy, Disposal, LeadFacts, Outcome,
    ReportRecipient,
};

/// A command: an id, the actor issuing it, and what they ask.
///
/// The id makes commands idempotent: the same id sent twice appends once,
/// and the second call returns the first call's events.
///
/// ```
/// use xuncha_leads::{Action, Actor, ActorRole, Command, ReportRecipient};
/// let cmd = Command::new(
///     "cmd-42",
///     Actor::new("office", ActorRole::InspectionOffice),
///     Action::Report { lead: "L1".into(), to: ReportRecipient::CityLeadingGroup },
/// );
/// assert_eq!(cmd.action.name(), "report");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    /// The command's id, unique per intended change.
    pub id: String,
    /// Who issues it.
    pub actor: Actor,
    /// What they ask.
    pub action: Action,
}

impl Command {
    /// A command.
    pub fn new(id: impl Into<String>, actor: Actor, action: Action) -> Command {
        Command {
            id: id.into(),
            actor,
            action,
        }
    }
}

/// What a command asks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "action")]
#[allow(missing_docs)] // Fields are documented on the variants.
pub enum Action {
    /// Creates the ledger for a jurisdiction (the first command only);
    /// with `authorities`, a signed ledger (see [`crate::Enrolled`]).
    Open {
        jurisdiction: Code,
        policy: DeadlinePolicy,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorities: Option<Box<crate::Authorities>>,
    },
    /// Enrols an actor's key (signed by the authority of its level).
    Enrol { enrolment: Box<crate::Enrolment> },
    /// Revokes an actor's key, named by its hash, for a reason (signed by
    /// the authority of its level).
    Revoke {
        actor: String,
        key: u32,
        reason: String,
    },
    /// Replaces the deadline policy.
    SetPolicy { policy: DeadlinePolicy },
    /// Records a lead a team found. `petitioner` is the identity of the
    /// petitioner for a petition; the ledger stores it apart from the log
    /// and never exports it.
    AddLead {
        lead: LeadFacts,
        petitioner: Option<String>,
    },
    /// Transfers a found lead (移交) to a body at a level.
    Transfer {
        lead: String,
        body: Body,
        level: Level,
    },
    /// Reports a transfer to one of the two recipients (双汇报).
    Report { lead: String, to: ReportRecipient },
    /// The acting handler receives a dual-reported lead; a conflicted
    /// handler is refused and the lead escalated (once per handler). The
    /// conflict check must be the one registered ([`Action::RegisterCheck`]).
    Receive { lead: String },
    /// Registers the conflict check handlers are checked with: the
    /// fingerprint of its roster and rules
    /// ([`HandlerCheck::fingerprint`](crate::HandlerCheck::fingerprint)).
    /// Only the office or the leading group may; a handler cannot bring a
    /// roster of their own.
    RegisterCheck {
        fingerprint: crate::merkle::Hash,
        description: String,
    },
    /// Reveals a lead's petitioner to the office that must reply to them,
    /// recorded with its reason (see
    /// [`Ledger::reveal_petitioner`](crate::Ledger::reveal_petitioner)).
    RevealPetitioner { lead: String, reason: String },
    /// Raises a lead to the level above (提级).
    Escalate { lead: String },
    /// Escalates every lead past its deadline at the command's time.
    EscalateOverdue,
    /// Disposes of a received (or shelved) lead.
    Dispose {
        lead: String,
        disposal: Disposal,
        reason: String,
    },
    /// Files a case on a lead under preliminary verification.
    FileCase { lead: String, reason: String },
    /// Concludes a lead with outcomes.
    Conclude {
        lead: String,
        outcomes: Vec<Outcome>,
        reason: String,
    },
    /// Issues a finding list to an inspected unit.
    IssueFindings { list: FindingListFacts },
    /// Closes an item with evidence (对单销号).
    CloseItem {
        list: String,
        item: u32,
        evidence: String,
    },
    /// Records a rule or regulation established.
    EstablishRule { list: String, title: String },
    /// Schedules a follow-up.
    ScheduleFollowUp {
        list: String,
        on: NaiveDate,
        note: String,
    },
    /// Holds a look-back, reopening the items whose fix did not hold:
    /// `(item, reason, new deadline)`.
    LookBack {
        list: String,
        on: NaiveDate,
        reopen: Vec<(u32, String, NaiveDate)>,
    },
    /// Records a unit's obstruction of a team.
    RecordObstruction { obstruction: Obstruction },
    /// Issues a public criticism notice.
    IssueCriticism { notice: CriticismNotice },
    /// Records a team leader's or deputy's authorisation by the city's or
    /// the inspected county's committee (市县两级授权).
    Authorise { authorisation: AuthorisationRequest },
}

impl Action {
    /// The action as its actor signs it: a lead's petitioner identity
    /// left out (it is sealed apart from the log; see
    /// [`command_message`](crate::command_message)).
    pub fn signable(&self) -> std::borrow::Cow<'_, Action> {
        match self {
            Action::AddLead {
                lead,
                petitioner: Some(_),
            } => std::borrow::Cow::Owned(Action::AddLead {
                lead: lead.clone(),
                petitioner: None,
            }),
            other => std::borrow::Cow::Borrowed(other),
        }
    }

    /// The action's name, as on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Open { .. } => "init",
            Action::Enrol { .. } => "enrol",
            Action::Revoke { .. } => "revoke",
            Action::SetPolicy { .. } => "set-policy",
            Action::AddLead { .. } => "add",
            Action::Transfer { .. } => "transfer",
            Action::Report { .. } => "report",
            Action::Receive { .. } => "receive",
            Action::RegisterCheck { .. } => "register-roster",
            Action::RevealPetitioner { .. } => "reveal",
            Action::Escalate { .. } => "escalate",
            Action::EscalateOverdue => "escalate-overdue",
            Action::Dispose { .. } => "dispose",
            Action::FileCase { .. } => "file-case",
            Action::Conclude { .. } => "conclude",
            Action::IssueFindings { .. } => "issue-findings",
            Action::CloseItem { .. } => "close-item",
            Action::EstablishRule { .. } => "establish-rule",
            Action::ScheduleFollowUp { .. } => "follow-up",
            Action::LookBack { .. } => "look-back",
            Action::RecordObstruction { .. } => "record-obstruction",
            Action::IssueCriticism { .. } => "criticise",
            Action::Authorise { .. } => "authorise",
        }
    }

    /// The lead the action is about, if any.
    pub fn lead(&self) -> Option<&str> {
        match self {
            Action::AddLead { lead, .. } => Some(&lead.id),
            Action::Transfer { lead, .. }
            | Action::Report { lead, .. }
            | Action::Receive { lead }
            | Action::RevealPetitioner { lead, .. }
            | Action::Escalate { lead }
            | Action::Dispose { lead, .. }
            | Action::FileCase { lead, .. }
            | Action::Conclude { lead, .. } => Some(lead),
            _ => None,
        }
    }

    /// Whether the action may record a change of `kind`
    /// ([`Change::kind`](crate::Change::kind)): what tells a retry of the
    /// command from another command sent under its id.
    pub(crate) fn may_record(&self, kind: &str) -> bool {
        let kinds: &[&str] = match self {
            Action::Open { .. } => &["opened", "policy-changed"],
            Action::Enrol { .. } => &["enrolled"],
            Action::Revoke { .. } => &["revoked"],
            Action::SetPolicy { .. } => &["policy-changed"],
            Action::AddLead { .. } => &["lead-found"],
            Action::Transfer { .. } => &["transferred"],
            Action::Report { .. } => &["reported"],
            Action::Receive { .. } => &["received", "handler-refused", "escalated"],
            Action::RegisterCheck { .. } => &["check-registered"],
            Action::RevealPetitioner { .. } => &["petitioner-revealed"],
            Action::Escalate { .. } => &["escalated"],
            Action::EscalateOverdue => &["overdue-checked", "escalated"],
            Action::Dispose { .. } => &["disposed"],
            Action::FileCase { .. } => &["case-filed"],
            Action::Conclude { .. } => &["concluded"],
            Action::IssueFindings { .. } => &["findings-issued"],
            Action::CloseItem { .. } => &["item-closed"],
            Action::EstablishRule { .. } => &["rule-established"],
            Action::ScheduleFollowUp { .. } => &["follow-up-scheduled"],
            Action::LookBack { .. } => &["looked-back"],
            Action::RecordObstruction { .. } => &["obstruction-recorded"],
            Action::IssueCriticism { .. } => &["criticism-issued"],
            Action::Authorise { .. } => &["authorised"],
        };
        kinds.contains(&kind)
    }

    /// The finding list the action is about, if any.
    pub fn list(&self) -> Option<&str> {
        match self {
            Action::IssueFindings { list } => Some(&list.id),
            Action::CloseItem { list, .. }
            | Action::EstablishRule { list, .. }
            | Action::ScheduleFollowUp { list, .. }
            | Action::LookBack { list, .. } => Some(list),
            _ => None,
        }
    }

    /// The roles that may issue the action.
    pub fn allowed_roles(&self) -> &'static [ActorRole] {
        use ActorRole::{
            DisciplineHandler, InspectionOffice, LeadingGroup, SupervisionGroup, TeamLeader,
            TeamMember,
        };
        match self {
            Action::Open { .. }
            | Action::SetPolicy { .. }
            | Action::RegisterCheck { .. }
            | Action::RevealPetitioner { .. }
            | Action::Authorise { .. } => &[InspectionOffice, LeadingGroup],
            Action::AddLead { .. } => &[TeamMember, TeamLeader],
            Action::Transfer { .. } => &[TeamLeader, InspectionOffice],
            Action::RecordObstruction { .. } => &[TeamLeader, InspectionOffice, SupervisionGroup],
            Action::Report { .. }
            | Action::Enrol { .. }
            | Action::Revoke { .. }
            | Action::IssueFindings { .. }
            | Action::CloseItem { .. }
            | Action::EstablishRule { .. }
            | Action::ScheduleFollowUp { .. } => &[InspectionOffice],
            Action::Receive { .. }
            | Action::Dispose { .. }
            | Action::FileCase { .. }
            | Action::Conclude { .. } => &[DisciplineHandler],
            Action::Escalate { .. } | Action::EscalateOverdue | Action::LookBack { .. } => {
                &[InspectionOffice, LeadingGroup]
            }
            Action::IssueCriticism { .. } => &[LeadingGroup, SupervisionGroup],
        }
    }
}
