//! Randomized plans against lobbying: a cap on the probability that any
//! person serves on any team, the best fractional plan under the caps, and
//! integral draws with exactly its marginals.
//!
//! An optimal plan is predictable, and a predictable team can be lobbied.
//! Following Jecmen et al. (`NeurIPS` 2020), which `OpenReview` runs for
//! conferences, the caller caps the probability `q` of every (person,
//! target) pair; the engine solves the staffing network with every capacity
//! multiplied by [`SCALE`] and each pair's arc capped at `⌊q · SCALE⌋`,
//! which is the best fractional plan under the caps (the network simplex is
//! exact on it), and then draws an integral plan by dependent rounding on
//! that network (see `rounding.rs`), so that each pair's probability is
//! its fractional value and every rule the network enforces holds in every
//! draw.

use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

use sha2::{Digest, Sha256};
use xuncha_avoid::{Engine, PersonId, Roster};
use xuncha_org::Code;

use crate::flow::{MinCostFlow, NetworkSimplex};
use crate::rounding::round_flow;
use crate::staffing::network::{
    Built, Context, GroupPlan, Inspectors, Shape, assemble, per_group, prepare,
};
use crate::{Decimal, Error, PairCap, Plan, Randomization, Round, SCALE, StaffOptions};

/// The solver name written into randomized plans.
const SOLVER: &str = "network-simplex+dependent-rounding";

/// How to randomize a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RandomOptions {
    /// The largest probability that any person serves on any one team (or
    /// is one of its alternates), in `(0, 1]`.
    pub cap: Decimal,
    /// Caps for particular pairs.
    pub pair_caps: Vec<PairCap>,
    /// Where the seed came from, for the record (`sha256:HEX` for
    /// [`seed_from_text`]).
    pub seed_source: Option<String>,
}

impl Default for RandomOptions {
    fn default() -> Self {
        RandomOptions {
            cap: Decimal::from_ten_thousandths(5_000),
            pair_caps: Vec::new(),
            seed_source: None,
        }
    }
}

/// The seed of a draw announced in advance: the first eight bytes of the
/// SHA-256 digest of `text` (its UTF-8 bytes, exactly as given), read as a
/// big-endian number; and the record `sha256:` + the whole digest in hex.
///
/// # Examples
///
/// ```
/// let (seed, source) = xuncha_assign::seed_from_text("abc");
/// assert_eq!(seed, 0xba78_16bf_8f01_cfea);
/// assert!(source.starts_with("sha256:ba7816bf8f01cfea"));
/// ```
pub fn seed_from_text(text: &str) -> (u64, String) {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let hex = digest.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    });
    (u64::from_be_bytes(first), format!("sha256:{hex}"))
}

/// One (person, team) pair's probability in the fractional plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marginal {
    /// The person.
    pub person: PersonId,
    /// The team's position in the round.
    pub team: usize,
    /// The probability that the person is on the team or one of its
    /// alternates.
    pub probability: Decimal,
    /// The pair's cap.
    pub cap: Decimal,
}

/// The best fractional plan under the caps, ready to draw from.
pub struct FractionalPlan<'a> {
    ctx: Context<'a>,
    groups: Vec<FractionalGroup>,
    random: RandomOptions,
    expected: i64,
    optimal: i64,
    caps: HashMap<(usize, usize), i32>,
}

impl fmt::Debug for FractionalPlan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FractionalPlan")
            .field("round", &self.ctx.round.id)
            .field("groups", &self.groups.len())
            .field("expected", &Decimal::from_ten_thousandths(self.expected))
            .field("optimal", &self.optimal)
            .finish_non_exhaustive()
    }
}

/// One group's fractional flow.
struct FractionalGroup {
    key: Option<Code>,
    teams: Vec<usize>,
    inspector: Inspectors,
    rotation: Vec<(Code, Code)>,
    built: Built,
    flow: Vec<i64>,
}

impl<'a> FractionalPlan<'a> {
    /// Solves the fractional plan of `round` under `random`'s caps, and
    /// the optimal plan for the price of randomness.
    ///
    /// # Arguments
    ///
    /// * `engine`, `roster`, `round`: as for [`crate::staff`].
    /// * `options`: the seed of the rotations, the weights, the threads and
    ///   the alternates per team.
    /// * `random`: the caps.
    ///
    /// # Returns
    ///
    /// The fractional plan; [`Error::InvalidOption`] for a cap outside
    /// `(0, 1]` or a pair cap naming an unknown person or target;
    /// [`Error::Infeasible`] if even the deterministic round cannot be
    /// staffed; [`Error::CapTooLow`] if only the caps stand in the way.
    ///
    /// # Complexity
    ///
    /// As [`crate::staff`], twice (the fractional network has a node per
    /// (person, team) pair besides).
    pub fn solve(
        engine: &'a Engine<'a>,
        roster: &'a Roster,
        round: &'a Round,
        options: &StaffOptions,
        random: &RandomOptions,
    ) -> Result<FractionalPlan<'a>, Error> {
        let units = |cap: Decimal, option: String| -> Result<i32, Error> {
            if cap.ten_thousandths() <= 0 || cap.ten_thousandths() > i64::from(SCALE) {
                return Err(Error::InvalidOption {
                    option,
                    message: format!("a probability in (0, 1] is needed, not {cap}"),
                });
            }
            i32::try_from(cap.ten_thousandths()).map_err(|_| Error::InvalidOption {
                option,
                message: "out of range".into(),
            })
        };
        let default = units(random.cap, "cap".into())?;
        let mut caps = HashMap::new();
        for pair in &random.pair_caps {
            let option = format!("pair cap of {} on {}", pair.person, pair.target);
            let Some(p) = roster.index_of(&pair.person) else {
                return Err(Error::InvalidOption {
                    option,
                    message: "no such person in the roster".into(),
                });
            };
            let Some(t) = round.targets.iter().position(|t| t.target == pair.target) else {
                return Err(Error::InvalidOption {
                    option,
                    message: "no such target in the round".into(),
                });
            };
            caps.insert((p, t), units(pair.cap, option)?);
        }
        crate::origin_cap::refuse_whole_team_caps(round, "the randomized draw")?;
        let (ctx, groups) = prepare(engine, roster, round, options)?;
        let cap = |p: usize, t: usize| caps.get(&(p, t)).copied().unwrap_or(default);
        let results = per_group(&groups, options.threads, |key, teams| {
            let (inspector, rotation) = ctx.rotation(key, teams)?;
            let pool = ctx.pool(key);
            let offers = ctx.offers(teams, &pool, &inspector);
            let plain = ctx.network(teams, &offers, Shape::integral())?;
            let Some(optimal) = NetworkSimplex::default().solve(&plain.net)? else {
                return Err(ctx.infeasible(key, teams, &plain, &pool, &inspector));
            };
            let shape = Shape {
                layouts: None,
                scale: SCALE,
                pair_cap: Some(&cap),
                kept: None,
                bounds: None,
            };
            let built = ctx.network(teams, &offers, shape)?;
            let Some(solution) = NetworkSimplex::default().solve(&built.net)? else {
                return Err(Error::CapTooLow {
                    round: round.id.clone(),
                    group: key,
                    cap: random.cap.to_string(),
                });
            };
            let flow = solution.flow.iter().map(|&f| i64::from(f)).collect();
            Ok((
                FractionalGroup {
                    key,
                    teams: teams.to_vec(),
                    inspector,
                    rotation,
                    built,
                    flow,
                },
                solution.cost,
                optimal.cost,
            ))
        });
        let mut out = Vec::with_capacity(results.len());
        let (mut expected, mut optimal) = (0i64, 0i64);
        for result in results {
            let (group, fractional, best) = result?;
            expected = expected
                .checked_add(fractional)
                .ok_or(crate::FlowError::Overflow)?;
            optimal = optimal
                .checked_add(best)
                .ok_or(crate::FlowError::Overflow)?;
            out.push(group);
        }
        Ok(FractionalPlan {
            ctx,
            groups: out,
            random: random.clone(),
            expected,
            optimal,
            caps,
        })
    }

    /// The expected objective: the fractional plan's.
    pub fn expected_objective(&self) -> Decimal {
        Decimal::from_ten_thousandths(self.expected)
    }

    /// The optimal deterministic objective.
    pub fn optimal_objective(&self) -> i64 {
        self.optimal
    }

    /// Every pair with a positive probability, by group, then by arc.
    pub fn marginals(&self) -> Vec<Marginal> {
        let people = self.ctx.roster.people();
        let mut out = Vec::new();
        for group in &self.groups {
            for &(arc, p, t) in &group.built.pair_arcs {
                let f = group.flow[arc as usize];
                if f > 0 {
                    out.push(Marginal {
                        person: people[p].id.clone(),
                        team: t,
                        probability: Decimal::from_ten_thousandths(f),
                        cap: Decimal::from_ten_thousandths(i64::from(
                            self.caps.get(&(p, t)).copied().unwrap_or(
                                i32::try_from(self.random.cap.ten_thousandths()).unwrap_or(SCALE),
                            ),
                        )),
                    });
                }
            }
        }
        out
    }

    /// An integral plan drawn with the fractional plan's marginals, from
    /// `seed` (each group draws from its own `ChaCha20` stream, derived from
    /// the seed and the group's code, so the draw does not depend on the
    /// threads or the machine). The rotations stay those of the options'
    /// seed.
    ///
    /// # Complexity
    ///
    /// One dependent rounding per group: O(m · L) for m arcs and cycles of
    /// length L.
    pub fn draw(&self, seed: u64) -> Result<Plan, Error> {
        let scale = i64::from(SCALE);
        let results: Vec<Result<GroupPlan, Error>> = self
            .groups
            .iter()
            .map(|group| {
                let key = group.key.map_or(0, Code::packed);
                let mut rng = ChaCha20Rng::seed_from_u64(
                    seed ^ 0xD1CE_5EED_0000_0000 ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                );
                let rounded = round_flow(&group.built.net, &group.flow, scale, &mut rng)?;
                let chosen: Vec<_> = group.built.chosen(&rounded, scale).collect();
                Ok(GroupPlan {
                    teams: self.ctx.read_teams(
                        &group.teams,
                        chosen.iter().copied(),
                        &group.inspector,
                    ),
                    rotation: group.rotation.clone(),
                    cost: self.ctx.cost_of(&chosen),
                })
            })
            .collect();
        let mut plan = assemble(self.ctx.round, seed, SOLVER, results)?;
        plan.randomized = Some(Randomization {
            cap: self.random.cap,
            pair_caps: self.random.pair_caps.clone(),
            expected_objective: Decimal::from_ten_thousandths(self.expected),
            optimal_objective: self.optimal,
            seed_source: self.random.seed_source.clone(),
        });
        Ok(plan)
    }
}

/// A randomized plan: the fractional plan under `random`'s caps, and one
/// draw from it with `options.seed`. Same inputs and seed, same bytes.
///
/// # Errors
///
/// As [`FractionalPlan::solve`].
///
/// # Examples
///
/// ```no_run
/// # use xuncha_assign::{RandomOptions, Round, StaffOptions, staff_randomized};
/// # fn demo(engine: &xuncha_avoid::Engine<'_>, roster: &xuncha_avoid::Roster, round: &Round)
/// # -> Result<(), xuncha_assign::Error> {
/// let (seed, source) = xuncha_assign::seed_from_text("巡察通知 2026-3");
/// let options = StaffOptions { seed, ..StaffOptions::default() };
/// let random = RandomOptions { seed_source: Some(source), ..RandomOptions::default() };
/// let plan = staff_randomized(engine, roster, round, &options, &random)?;
/// assert!(plan.randomized.is_some());
/// # Ok(()) }
/// ```
pub fn staff_randomized(
    engine: &Engine<'_>,
    roster: &Roster,
    round: &Round,
    options: &StaffOptions,
    random: &RandomOptions,
) -> Result<Plan, Error> {
    FractionalPlan::solve(engine, roster, round, options, random)?.draw(options.seed)
}
