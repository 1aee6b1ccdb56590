//! The decisions and changes about rectification (整改): finding lists
//! issued and closed item by item (对单销号), rules, follow-ups, look-backs
//! (回头看), obstructions and criticism notices.

use chrono::{DateTime, Utc};

use super::{Context, State, fresh_id, non_empty};
use crate::rectify::{FindingItem, FindingList, FollowUp, ItemStatus, Reopening};
use crate::{Action, Change, Command, Error};

/// The changes a rectification command makes, or why it is refused;
/// [`State::decide`] has checked the actor's role and the ledger.
#[allow(clippy::too_many_lines)] // One arm per action reads best as one match.
pub(super) fn decide(
    state: &State,
    command: &Command,
    _cx: Context<'_>,
) -> Result<Vec<Change>, Error> {
    let action = &command.action;
    let name = action.name();
    let changes = match action {
        Action::IssueFindings { list } => {
            fresh_id(
                &list.id,
                state.lists.contains_key(&list.id),
                name,
                "finding list",
            )?;
            // A unit given as a code lies within the jurisdiction.
            if let Ok(code) = xuncha_org::Code::parse(&list.unit) {
                super::leads::within_jurisdiction(state, "the inspected unit", code)?;
            }
            if list.items.is_empty() {
                return Err(Error::Incomplete {
                    command: name,
                    field: "an item",
                    why: "a finding list lists at least one finding",
                });
            }
            for item in &list.items {
                non_empty(
                    &item.finding,
                    name,
                    "each item's finding",
                    "an item says what is wrong",
                )?;
                non_empty(
                    &item.responsible,
                    name,
                    "each item's responsible person",
                    "someone answers for each fix",
                )?;
            }
            vec![Change::FindingsIssued {
                list: Box::new(list.clone()),
            }]
        }
        Action::CloseItem {
            list,
            item,
            evidence,
        } => {
            let current = find_item(state, list, *item)?;
            if current.status == ItemStatus::Closed {
                return Err(Error::AlreadyExists {
                    kind: "closure of item",
                    id: format!("{list}#{item}"),
                });
            }
            non_empty(
                evidence,
                name,
                "evidence",
                "items close one by one with evidence (对单销号)",
            )?;
            vec![Change::ItemClosed {
                list: list.clone(),
                item: *item,
                evidence: evidence.clone(),
            }]
        }
        Action::EstablishRule { list, title } => {
            state.list(list)?;
            non_empty(title, name, "a title", "a rule is recorded by its title")?;
            vec![Change::RuleEstablished {
                list: list.clone(),
                title: title.clone(),
            }]
        }
        Action::ScheduleFollowUp { list, on, note } => {
            state.list(list)?;
            vec![Change::FollowUpScheduled {
                list: list.clone(),
                on: *on,
                note: note.clone(),
            }]
        }
        Action::LookBack { list, on, reopen } => {
            let mut reopened = Vec::with_capacity(reopen.len());
            for (item, reason, deadline) in reopen {
                let current = find_item(state, list, *item)?;
                if current.status != ItemStatus::Closed {
                    return Err(Error::Incomplete {
                        command: name,
                        field: "a closed item",
                        why: "a look-back reopens only items that were closed",
                    });
                }
                non_empty(
                    reason,
                    name,
                    "a reason",
                    "a reopened item says why the fix did not hold",
                )?;
                reopened.push(Reopening {
                    item: *item,
                    reason: reason.clone(),
                    deadline: *deadline,
                });
            }
            state.list(list)?;
            vec![Change::LookedBack {
                list: list.clone(),
                on: *on,
                reopened,
            }]
        }
        Action::RecordObstruction { obstruction } => {
            fresh_id(
                &obstruction.id,
                state.obstructions.contains_key(&obstruction.id),
                name,
                "obstruction",
            )?;
            non_empty(
                &obstruction.detail,
                name,
                "the detail",
                "say what the unit did",
            )?;
            vec![Change::ObstructionRecorded {
                obstruction: Box::new(obstruction.clone()),
            }]
        }
        Action::IssueCriticism { notice } => {
            fresh_id(
                &notice.id,
                state.notices.contains_key(&notice.id),
                name,
                "criticism notice",
            )?;
            non_empty(
                &notice.text,
                name,
                "the text",
                "a notice says what it criticises",
            )?;
            if notice.obstructions.is_empty() {
                return Err(Error::Incomplete {
                    command: name,
                    field: "an obstruction",
                    why: "a notice answers recorded obstructions",
                });
            }
            for id in &notice.obstructions {
                let recorded = state.obstructions.get(id).ok_or_else(|| Error::NotFound {
                    kind: "obstruction",
                    id: id.clone(),
                })?;
                if recorded.unit != notice.unit {
                    return Err(Error::NotFound {
                        kind: "obstruction by this unit",
                        id: format!(
                            "{id} (recorded against {}, not {})",
                            recorded.unit, notice.unit
                        ),
                    });
                }
            }
            vec![Change::CriticismIssued {
                notice: Box::new(notice.clone()),
            }]
        }
        _ => {
            return Err(Error::NotFound {
                kind: "rectification decision for",
                id: name.to_owned(),
            });
        }
    };
    Ok(changes)
}

fn find_item<'s>(state: &'s State, list: &str, item: u32) -> Result<&'s FindingItem, Error> {
    let found = state.list(list)?;
    found
        .items
        .iter()
        .find(|i| i.number == item)
        .ok_or_else(|| Error::NotFound {
            kind: "item",
            id: format!("{list}#{item}"),
        })
}

/// Folds in a change about rectification.
pub(super) fn apply(
    state: &mut State,
    change: Change,
    now: DateTime<Utc>,
    seq: u64,
) -> Result<(), Error> {
    let missing = |kind: &str, id: &str| Error::Replay {
        seq,
        message: format!("no {kind} `{id}`"),
    };
    match change {
        Change::ItemClosed {
            list,
            item,
            evidence,
        } => {
            let item = state
                .lists
                .get_mut(&list)
                .and_then(|l| l.items.iter_mut().find(|i| i.number == item))
                .ok_or_else(|| missing("item", &list))?;
            item.status = ItemStatus::Closed;
            item.evidence = Some(evidence);
            item.closed_at = Some(now);
        }
        Change::FindingsIssued { list } => {
            let list = *list;
            let items = list
                .items
                .into_iter()
                .zip(1..)
                .map(|(facts, number)| FindingItem {
                    number,
                    deadline: facts.deadline,
                    facts,
                    status: ItemStatus::Open,
                    evidence: None,
                    closed_at: None,
                    reopened: 0,
                })
                .collect();
            state.lists.insert(
                list.id.clone(),
                FindingList {
                    id: list.id,
                    round: list.round,
                    unit: list.unit,
                    issued_on: list.issued_on,
                    items,
                    rules: Vec::new(),
                    follow_ups: Vec::new(),
                    look_backs: Vec::new(),
                },
            );
        }
        Change::RuleEstablished { list, title } => {
            let found = state
                .lists
                .get_mut(&list)
                .ok_or_else(|| missing("list", &list))?;
            found.rules.push(title);
        }
        Change::FollowUpScheduled { list, on, note } => {
            let found = state
                .lists
                .get_mut(&list)
                .ok_or_else(|| missing("list", &list))?;
            found.follow_ups.push(FollowUp { on, note });
        }
        Change::LookedBack { list, on, reopened } => {
            let found = state
                .lists
                .get_mut(&list)
                .ok_or_else(|| missing("list", &list))?;
            found.look_backs.push(on);
            for reopening in reopened {
                let item = found
                    .items
                    .iter_mut()
                    .find(|i| i.number == reopening.item)
                    .ok_or_else(|| missing("item", &list))?;
                item.status = ItemStatus::Open;
                item.deadline = reopening.deadline;
                item.reopened += 1;
            }
        }
        Change::ObstructionRecorded { obstruction } => {
            state
                .obstructions
                .insert(obstruction.id.clone(), *obstruction);
        }
        Change::CriticismIssued { notice } => {
            state.notices.insert(notice.id.clone(), *notice);
        }
        _ => {}
    }
    Ok(())
}
