//! Reading plans back in the network's terms: teams from the chosen
//! offers, a member's slot, the offers a plan took, their cost. Above the
//! builder; replanning and the randomized draws use it.

use std::collections::{BTreeMap, HashSet};

use crate::staffing::network::{Context, Inspectors, Offer, OfferKey};
use crate::staffing::slots::{SlotKind, slot_skills};
use crate::{Assignment, Plan, TeamPlan};
use xuncha_org::Code;

impl Context<'_> {
    /// The teams of a group from the chosen offers, members and alternates
    /// sorted leader, deputy leader, liaison, specialists, members, then by
    /// id.
    pub(crate) fn read_teams(
        &self,
        teams: &[usize],
        chosen: impl Iterator<Item = Offer>,
        inspector: &Inspectors,
    ) -> Vec<(usize, TeamPlan)> {
        let round = self.round;
        let people = self.roster.people();
        let mut members: BTreeMap<usize, (Vec<Assignment>, Vec<Assignment>)> = teams
            .iter()
            .map(|&t| (t, (Vec::new(), Vec::new())))
            .collect();
        for offer in chosen {
            let person = &people[offer.person];
            let spec = round.spec(offer.team);
            let entry = members.entry(offer.team).or_default();
            let list = if offer.alternate {
                &mut entry.1
            } else {
                &mut entry.0
            };
            list.push(Assignment {
                person: person.id.clone(),
                name: person.name.clone(),
                role: offer.slot.role(),
                specialist: slot_skills(spec, offer.slot),
                origin: person.origin,
                cost: offer.cost,
            });
        }
        let order = |a: &Assignment, b: &Assignment| {
            (a.role, a.specialist.is_empty(), &a.person).cmp(&(
                b.role,
                b.specialist.is_empty(),
                &b.person,
            ))
        };
        members
            .into_iter()
            .map(|(t, (mut list, mut alternates))| {
                list.sort_by(order);
                alternates.sort_by(order);
                let target = &round.targets[t].target;
                (
                    t,
                    TeamPlan {
                        id: format!("{}/{}", round.id, target),
                        target: target.clone(),
                        inspector: inspector.get(&t).copied(),
                        kind: round.targets[t].kind,
                        members: list,
                        alternates,
                    },
                )
            })
            .collect()
    }

    /// The slot an assignment of a plan holds on team `t`.
    pub(crate) fn slot_of(&self, t: usize, member: &Assignment) -> Option<SlotKind> {
        use xuncha_avoid::Role;
        let require = &self.round.spec(t).require;
        let position = |skill: &xuncha_avoid::Skill| require.iter().position(|r| r.skill == *skill);
        Some(match (member.role, member.specialist.as_slice()) {
            (Role::Leader, _) => SlotKind::Leader,
            (Role::DeputyLeader, _) => SlotKind::Deputy,
            (Role::Liaison, _) => SlotKind::Liaison,
            (Role::Member, []) => SlotKind::Member,
            (Role::Member, [skill]) => SlotKind::Specialist(position(skill)?),
            (Role::Member, skills) => {
                let mut mask = 0u8;
                for skill in skills {
                    mask |= 1u8.checked_shl(u32::try_from(position(skill)?).ok()?)?;
                }
                SlotKind::Combined(mask)
            }
        })
    }

    /// The assignments of `plan` on the group's teams, as offer keys.
    pub(crate) fn keys_of(&self, plan: &Plan, teams: &[usize]) -> HashSet<OfferKey> {
        let mut out = HashSet::new();
        for &t in teams {
            let Some(team) = plan.teams.get(t) else {
                continue;
            };
            for (alternate, list) in [(false, &team.members), (true, &team.alternates)] {
                for member in list {
                    if let (Some(p), Some(slot)) = (
                        self.roster.index_of(&member.person),
                        self.slot_of(t, member),
                    ) {
                        out.insert((p, t, slot, alternate));
                    }
                }
            }
        }
        out
    }

    /// The objective of chosen offers: their costs and the convex balance
    /// of the counts each origin sends.
    pub(crate) fn cost_of(&self, chosen: &[Offer]) -> i64 {
        let people = self.roster.people();
        let mut per_origin: BTreeMap<Code, i64> = BTreeMap::new();
        let mut cost = 0i64;
        for offer in chosen {
            cost += offer.cost.total();
            *per_origin.entry(people[offer.person].origin).or_default() += 1;
        }
        cost + per_origin
            .values()
            .map(|&k| self.options.objective.balance * k * (k - 1) / 2)
            .sum::<i64>()
    }
}
