//! Alternates (候补): people named for a team who could step into one of
//! its slots without breaking any rule, and who serve on no team.
//!
//! An alternate is one more unit of demand on the team, carried by the same
//! staffing network as the slots: the arc person → "alternates of team t"
//! exists only if the person fits some slot of the team (composition, rank,
//! skill, no hard conflict), and a person carries one unit in all, so an
//! alternate is never on a team nor named twice. In the randomized mode the
//! arc leaves the same (person, team) pair node as the slot arcs, so the cap
//! bounds the probability of being "on the team or an alternate", as
//! `OpenReview`'s alternates do.

use crate::staffing::network::{Context, Inspectors, Offer};
use xuncha_avoid::RoleSet;

use crate::staffing::slots::SlotKind;

impl Context<'_> {
    /// The offer of `p` as an alternate of team `t`, ready for the first
    /// slot of `order` (from [`alternate_order`]) they fit, `blocked` being
    /// the roles the conflict index keeps them from on `t`, and priced as
    /// in that slot; `None` if they fit none.
    pub(crate) fn alternate_offer(
        &self,
        p: usize,
        t: usize,
        order: &[SlotKind],
        inspector: &Inspectors,
        blocked: RoleSet,
    ) -> Option<Offer> {
        let slot = order
            .iter()
            .copied()
            .find(|&slot| self.fits(p, t, slot, inspector, blocked))?;
        Some(Offer {
            person: p,
            team: t,
            slot,
            alternate: true,
            cost: self.terms(p, t, slot),
        })
    }
}
