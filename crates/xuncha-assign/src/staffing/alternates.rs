//! Alternates (候补): people named for a team who could step into one of
//! its slots without breaking any rule, and who serve on no team.
//!
//! An alternate is one more unit of demand on the team, carried by the same
//! staffing network as the slots. A team's `k` alternates are spread over
//! its kinds of slot in turn (`alternate_demand`: member, specialist,
//! deputy leader, liaison, leader, then round again), so every role has an
//! alternate once `k` reaches the number of kinds; the arc person →
//! "alternates of team t for slot s" exists only if the person fits that
//! slot (composition, rank, skill, no hard conflict), and a person carries
//! one unit in all, so an alternate is never on a team nor named twice. In the randomized mode the
//! arc leaves the same (person, team) pair node as the slot arcs, so the cap
//! bounds the probability of being "on the team or an alternate", as
//! `OpenReview`'s alternates do.

use crate::staffing::network::{Context, Inspectors, Offer};
use xuncha_avoid::RoleSet;

use crate::staffing::slots::SlotKind;

impl Context<'_> {
    /// The offers of `p` as an alternate of team `t`: one for each kind of
    /// slot in `demand` (from `alternate_demand`) they fit, `blocked`
    /// being the roles the conflict index keeps them from on `t`, each
    /// priced as in that slot.
    pub(crate) fn alternate_offers(
        &self,
        p: usize,
        t: usize,
        demand: &[(SlotKind, u32)],
        inspector: &Inspectors,
        blocked: RoleSet,
    ) -> impl Iterator<Item = Offer> {
        demand
            .iter()
            .filter(move |&&(slot, _)| self.fits(p, t, slot, inspector, blocked))
            .map(move |&(slot, _)| Offer {
                person: p,
                team: t,
                slot,
                alternate: true,
                cost: self.terms(p, t, slot),
            })
    }
}
