//! The facts a rule looks at, and the regions they block.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_org::{Code, UnitId, Units};

use crate::{
    DeclaredConflict, FactKind, Kinship, PastInspection, Person, Place, Post, Relative, Rule,
    Scope, Target, TieStep,
};

/// A fact about a person that produced a conflict, copied into the
/// conflict for the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Fact {
    /// Where the person lives.
    Residence {
        /// The place.
        place: Place,
    },
    /// Where the person works.
    Workplace {
        /// The place.
        place: Place,
    },
    /// A post the person held.
    Post {
        /// The post.
        post: Post,
    },
    /// Where the person grew up.
    Upbringing {
        /// The place.
        place: Place,
    },
    /// Where a relative works or holds a post.
    Relative {
        /// The kinship.
        kinship: Kinship,
        /// The roster's word for it, when not the canonical one (`连襟`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        word: Option<String>,
        /// The relative's name.
        name: String,
        /// The relative's post.
        post: Post,
    },
    /// A conflict the person declared.
    Declared {
        /// The place.
        place: Place,
        /// The reason given.
        reason: String,
    },
    /// An earlier inspection by the person.
    Inspection {
        /// What was inspected.
        target: Target,
        /// When.
        date: NaiveDate,
    },
    /// A path of ties from the person to a leader of the target.
    Ties {
        /// The ties, from the person to the leader.
        path: Vec<TieStep>,
    },
}

/// A borrowed fact, as the rules visit them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FactRef<'p> {
    Residence(&'p Place),
    Workplace(&'p Place),
    Post(&'p Post),
    Upbringing(&'p Place),
    Relative(&'p Relative, &'p Post),
    Declared(&'p DeclaredConflict),
    Inspection(&'p PastInspection),
}

impl FactRef<'_> {
    /// An owned copy for the record.
    pub(crate) fn to_fact(self) -> Fact {
        match self {
            FactRef::Residence(place) => Fact::Residence {
                place: place.clone(),
            },
            FactRef::Workplace(place) => Fact::Workplace {
                place: place.clone(),
            },
            FactRef::Post(post) => Fact::Post { post: post.clone() },
            FactRef::Upbringing(place) => Fact::Upbringing {
                place: place.clone(),
            },
            FactRef::Relative(relative, post) => Fact::Relative {
                kinship: relative.kinship,
                word: relative.word.clone(),
                name: relative.name.clone(),
                post: post.clone(),
            },
            FactRef::Declared(declared) => Fact::Declared {
                place: declared.place.clone(),
                reason: declared.reason.clone(),
            },
            FactRef::Inspection(inspection) => Fact::Inspection {
                target: inspection.target.clone(),
                date: inspection.date,
            },
        }
    }
}

/// A borrowed place: a division, or a unit by id.
#[derive(Clone, Copy, Debug)]
pub(crate) enum PlaceRef<'p> {
    Division(Code),
    Unit(&'p UnitId),
}

impl<'p> From<&'p Place> for PlaceRef<'p> {
    fn from(place: &'p Place) -> Self {
        match place {
            Place::Division(code) => PlaceRef::Division(*code),
            Place::Unit(id) => PlaceRef::Unit(id),
        }
    }
}

/// Calls `visit` with every fact of `person` that `rule` looks at and that
/// counts on `date` (within the rule's window), with the fact's place.
pub(crate) fn for_each_fact<'p>(
    rule: &Rule,
    person: &'p Person,
    date: NaiveDate,
    since: Option<NaiveDate>,
    mut visit: impl FnMut(FactRef<'p>, PlaceRef<'p>),
) {
    match rule.fact {
        FactKind::Residence => {
            if let Some(place) = &person.residence {
                visit(FactRef::Residence(place), place.into());
            }
        }
        FactKind::Workplace => {
            if let Some(place) = &person.workplace {
                visit(FactRef::Workplace(place), place.into());
            }
        }
        FactKind::Posts => {
            for post in &person.posts {
                if post.overlaps(since, date) {
                    visit(FactRef::Post(post), (&post.place).into());
                }
            }
        }
        FactKind::Upbringing => {
            for place in &person.upbringing {
                visit(FactRef::Upbringing(place), place.into());
            }
        }
        FactKind::Kinship => {
            for relative in &person.relatives {
                if !rule.counts_kinship(relative.kinship.class()) {
                    continue;
                }
                for post in &relative.posts {
                    if post.overlaps(since, date) {
                        visit(FactRef::Relative(relative, post), (&post.place).into());
                    }
                }
            }
        }
        FactKind::Declared => {
            for declared in &person.declared {
                visit(FactRef::Declared(declared), (&declared.place).into());
            }
        }
        FactKind::RecentInspection => {
            for inspection in &person.inspections {
                let within = inspection.date <= date && since.is_none_or(|s| inspection.date >= s);
                if !within {
                    continue;
                }
                let fact = FactRef::Inspection(inspection);
                match &inspection.target {
                    Target::Division(code) => visit(fact, PlaceRef::Division(*code)),
                    Target::Unit(id) => visit(fact, PlaceRef::Unit(id)),
                    Target::Cluster(codes) => {
                        for code in codes {
                            visit(fact, PlaceRef::Division(*code));
                        }
                    }
                }
            }
        }
        // Ties are paths in the engine's graph, not facts with a place.
        FactKind::Ties => {}
    }
}

/// What a fact blocks under a rule's scope (see [`Scope`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Region<'a> {
    /// A division widened to a division scope: it meets every target that
    /// lies within it or contains it.
    Area(Code),
    /// A division as recorded, at place scope: it meets every target that
    /// is it or lies within it.
    Below(Code),
    /// A division as recorded, at unit scope (its government): it meets
    /// only the division itself as a target.
    Exact(Code),
    /// A unit as recorded, at unit or place scope: it meets itself and the
    /// units below it.
    Unit(&'a UnitId),
}

impl Region<'_> {
    /// The region as a place, for the record.
    pub(crate) fn to_place(self) -> Place {
        match self {
            Region::Area(code) | Region::Below(code) | Region::Exact(code) => Place::Division(code),
            Region::Unit(id) => Place::Unit(id.clone()),
        }
    }
}

/// The region `place` blocks at `scope`; `None` when the place is coarser
/// than the scope, or a unit that `units` does not have.
pub(crate) fn region<'a>(place: PlaceRef<'a>, scope: Scope, units: &Units) -> Option<Region<'a>> {
    match (scope, scope.level(), place) {
        (_, None, PlaceRef::Unit(id)) => units.get(id).map(|_| Region::Unit(id)),
        (Scope::Place, None, PlaceRef::Division(code)) => Some(Region::Below(code)),
        (_, None, PlaceRef::Division(code)) => Some(Region::Exact(code)),
        (_, Some(level), PlaceRef::Division(code)) => code.ancestor_at(level).map(Region::Area),
        (_, Some(level), PlaceRef::Unit(id)) => units
            .get(id)
            .and_then(|u| u.division.ancestor_at(level))
            .map(Region::Area),
    }
}

/// How a region meets a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relation {
    /// The region is the target.
    Same,
    /// The region contains the target.
    Contains,
    /// The region lies within the target.
    Within,
}

/// How `region` meets `target`, whose divisions are `divisions`, if it
/// does (see [`Region`]); `inspected` lists the units the round inspects
/// within a division target (`None`: every unit within it).
pub(crate) fn relation(
    region: Region<'_>,
    target: &Target,
    divisions: &[Code],
    inspected: Option<&[UnitId]>,
    units: &Units,
) -> Option<Relation> {
    let compare = |r: Code, t: Code, upward: bool| {
        if t == r {
            Some(Relation::Same)
        } else if r.contains(t) {
            Some(Relation::Contains)
        } else if upward && t.contains(r) {
            Some(Relation::Within)
        } else {
            None
        }
    };
    // A unit sits inside its division: a region equal to that division
    // contains the unit.
    let inside = |how| match (how, target) {
        (Relation::Same, Target::Unit(_)) => Relation::Contains,
        _ => how,
    };
    match region {
        Region::Area(r) => divisions
            .iter()
            .find_map(|&t| compare(r, t, true))
            .map(inside),
        Region::Below(r) => divisions
            .iter()
            .find_map(|&t| compare(r, t, false))
            .map(inside),
        Region::Exact(r) => {
            (!matches!(target, Target::Unit(_)) && divisions.contains(&r)).then_some(Relation::Same)
        }
        Region::Unit(id) => match target {
            Target::Unit(t) if t == id => Some(Relation::Same),
            Target::Unit(t) if units.is_within(t, id) => Some(Relation::Contains),
            Target::Unit(_) => None,
            // A division target stands for the units the round inspects
            // within it.
            Target::Division(_) | Target::Cluster(_) => {
                let unit = units.get(id)?;
                let inside = divisions.iter().any(|t| t.contains(unit.division));
                (inside && inspects(inspected, id, units)).then_some(Relation::Within)
            }
        },
    }
}

/// Whether a round inspecting `inspected` (`None`: every unit) inspects
/// unit `id`: it is listed, lies within a listed unit, or contains one.
pub(crate) fn inspects(inspected: Option<&[UnitId]>, id: &UnitId, units: &Units) -> bool {
    inspected.is_none_or(|listed| {
        listed
            .iter()
            .any(|l| l == id || units.is_within(id, l) || units.is_within(l, id))
    })
}
