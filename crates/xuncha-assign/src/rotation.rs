//! Rotation between counties (推磨式): A inspects B, B inspects C, ... back
//! to A.

use std::collections::HashSet;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use xuncha_org::Code;

use crate::{Error, RotationBlock};

/// Tries of plain rejection sampling before the exact methods.
const TRIES: usize = 4_096;
/// Largest county set for exact uniform sampling by subset counting.
const EXACT_LIMIT: usize = 16;

/// A rotation: one cycle through the counties, as (inspecting county,
/// inspected county) pairs in cycle order, with the seed that drew it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    /// The seed the rotation was drawn with.
    pub seed: u64,
    pairs: Vec<(Code, Code)>,
}

impl Rotation {
    /// The (inspecting, inspected) pairs, following the cycle from the
    /// first county given.
    pub fn pairs(&self) -> &[(Code, Code)] {
        &self.pairs
    }

    /// The county whose people inspect `target`.
    pub fn inspector_of(&self, target: Code) -> Option<Code> {
        self.pairs
            .iter()
            .find(|(_, b)| *b == target)
            .map(|(a, _)| *a)
    }

    /// The county that `inspector`'s people inspect.
    pub fn target_of(&self, inspector: Code) -> Option<Code> {
        self.pairs
            .iter()
            .find(|(a, _)| *a == inspector)
            .map(|(_, b)| *b)
    }
}

/// Plans a rotation over `counties`: a single cycle, so that no county
/// inspects itself and no two counties inspect each other, using no
/// (inspecting, inspected) pair in `recent` (the pairings of the last k
/// rounds), drawn uniformly among the valid cycles for `seed`.
///
/// # Arguments
///
/// * `counties`: the counties (any set, typically those of one city), at
///   least three and distinct.
/// * `recent`: pairings to avoid, as (inspecting, inspected).
/// * `seed`: the seed of the `ChaCha8` generator; the same inputs and seed
///   give the same rotation.
///
/// # Returns
///
/// The [`Rotation`], or [`Error::NoRotation`] naming the constraint that
/// made it impossible ([`RotationBlock`]).
///
/// # Complexity
///
/// Uniform sampling by rejection: a random order of the counties is a
/// uniformly random cycle, kept if it uses no recent pairing; expected
/// O(n / p) for a share p of valid cycles. When 4,096 draws all fail, the
/// valid cycles are counted exactly by dynamic programming over subsets
/// (O(2ⁿ n²) time, O(2ⁿ n) space, for n ≤ 16) and one is drawn uniformly
/// from the counts; above 16 counties a randomized depth-first search
/// finds a valid cycle (then not exactly uniform) or proves there is none.
///
/// # Examples
///
/// ```
/// use xuncha_assign::{plan_rotation, Error, RotationBlock};
/// use xuncha_org::Code;
///
/// let c = |s: &str| Code::parse(s).expect("valid code");
/// let counties = [c("350602"), c("350603"), c("350604")];
/// let rotation = plan_rotation(&counties, &[], 7)?;
/// assert_eq!(rotation, plan_rotation(&counties, &[], 7)?);
///
/// let two = plan_rotation(&counties[..2], &[], 7).unwrap_err();
/// assert!(matches!(two, Error::NoRotation { reason: RotationBlock::OnlyEachOther, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_rotation(
    counties: &[Code],
    recent: &[(Code, Code)],
    seed: u64,
) -> Result<Rotation, Error> {
    let fail = |reason| Error::NoRotation {
        counties: counties.to_vec(),
        reason,
    };
    let n = counties.len();
    let mut listed = HashSet::new();
    for &c in counties {
        if !listed.insert(c) {
            return Err(fail(RotationBlock::Duplicate(c)));
        }
    }
    match n {
        0 | 1 => return Err(fail(RotationBlock::TooFew)),
        2 => return Err(fail(RotationBlock::OnlyEachOther)),
        _ => {}
    }
    let forbidden: HashSet<(Code, Code)> = recent.iter().copied().collect();
    let allowed: Vec<Vec<bool>> = counties
        .iter()
        .map(|&a| {
            counties
                .iter()
                .map(|&b| a != b && !forbidden.contains(&(a, b)))
                .collect()
        })
        .collect();
    for (i, &c) in counties.iter().enumerate() {
        if !allowed[i].iter().any(|&x| x) {
            return Err(fail(RotationBlock::NoTarget(c)));
        }
        if !allowed.iter().any(|row| row[i]) {
            return Err(fail(RotationBlock::NoInspector(c)));
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let order =
        sample(&allowed, &mut rng).ok_or_else(|| fail(RotationBlock::HistoryForbidsEveryCycle))?;
    let pairs = (0..n)
        .map(|k| (counties[order[k]], counties[order[(k + 1) % n]]))
        .collect();
    Ok(Rotation { seed, pairs })
}

/// A valid cycle as an order of positions starting at 0, or `None`.
fn sample(allowed: &[Vec<bool>], rng: &mut ChaCha8Rng) -> Option<Vec<usize>> {
    let n = allowed.len();
    let valid = |order: &[usize]| (0..n).all(|k| allowed[order[k]][order[(k + 1) % n]]);
    let mut rest: Vec<usize> = (1..n).collect();
    for _ in 0..TRIES {
        rest.shuffle(rng);
        let mut order = Vec::with_capacity(n);
        order.push(0);
        order.extend_from_slice(&rest);
        if valid(&order) {
            return Some(order);
        }
    }
    if n <= EXACT_LIMIT {
        exact(allowed, rng)
    } else {
        search(allowed, rng)
    }
}

/// Uniform sampling by counting Hamiltonian paths from position 0 over
/// subsets.
fn exact(allowed: &[Vec<bool>], rng: &mut ChaCha8Rng) -> Option<Vec<usize>> {
    let n = allowed.len();
    let full = (1usize << n) - 1;
    // count[mask * n + v]: paths from 0 through exactly `mask`, ending at v.
    let mut count = vec![0u64; (full + 1) * n];
    count[n] = 1;
    for mask in 1..=full {
        if mask & 1 == 0 {
            continue;
        }
        for v in 0..n {
            let here = count[mask * n + v];
            if here == 0 {
                continue;
            }
            for (w, &ok) in allowed[v].iter().enumerate() {
                if ok && mask & (1 << w) == 0 {
                    let slot = &mut count[(mask | (1 << w)) * n + w];
                    *slot = slot.saturating_add(here);
                }
            }
        }
    }
    let closing: Vec<u64> = (0..n)
        .map(|v| {
            if allowed[v][0] {
                count[full * n + v]
            } else {
                0
            }
        })
        .collect();
    let mut last = draw(&closing, rng)?;
    let mut mask = full;
    let mut order = vec![last];
    while last != 0 {
        let prev_mask = mask & !(1 << last);
        let weights: Vec<u64> = (0..n)
            .map(|u| {
                if allowed[u][last] {
                    count[prev_mask * n + u]
                } else {
                    0
                }
            })
            .collect();
        let prev = draw(&weights, rng)?;
        order.push(prev);
        mask = prev_mask;
        last = prev;
    }
    order.reverse();
    Some(order)
}

/// An index drawn with probability in proportion to `weights`.
fn draw(weights: &[u64], rng: &mut ChaCha8Rng) -> Option<usize> {
    let total: u64 = weights.iter().fold(0u64, |a, &w| a.saturating_add(w));
    if total == 0 {
        return None;
    }
    let mut x = rng.random_range(0..total);
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return Some(i);
        }
        x -= w;
    }
    None
}

/// Randomized depth-first search for any valid cycle.
fn search(allowed: &[Vec<bool>], rng: &mut ChaCha8Rng) -> Option<Vec<usize>> {
    fn extend(
        order: &mut Vec<usize>,
        used: &mut [bool],
        allowed: &[Vec<bool>],
        rng: &mut ChaCha8Rng,
    ) -> bool {
        let n = allowed.len();
        let last = order[order.len() - 1];
        if order.len() == n {
            return allowed[last][0];
        }
        let mut next: Vec<usize> = (0..n).filter(|&w| !used[w] && allowed[last][w]).collect();
        next.shuffle(rng);
        for w in next {
            used[w] = true;
            order.push(w);
            if extend(order, used, allowed, rng) {
                return true;
            }
            order.pop();
            used[w] = false;
        }
        false
    }
    let mut order = vec![0];
    let mut used = vec![false; allowed.len()];
    used[0] = true;
    extend(&mut order, &mut used, allowed, rng).then_some(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every cycle from position 0, by brute force.
    fn all_cycles(allowed: &[Vec<bool>]) -> Vec<Vec<usize>> {
        fn permute(prefix: &mut Vec<usize>, rest: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            if rest.is_empty() {
                out.push(prefix.clone());
                return;
            }
            for i in 0..rest.len() {
                let x = rest.remove(i);
                prefix.push(x);
                permute(prefix, rest, out);
                prefix.pop();
                rest.insert(i, x);
            }
        }
        let n = allowed.len();
        let mut out = Vec::new();
        permute(&mut vec![0], &mut (1..n).collect(), &mut out);
        out.retain(|o| (0..n).all(|k| allowed[o[k]][o[(k + 1) % n]]));
        out
    }

    #[test]
    fn exact_sampling_is_uniform_over_the_valid_cycles() {
        let n = 5;
        let mut allowed = vec![vec![true; n]; n];
        for (i, row) in allowed.iter_mut().enumerate() {
            row[i] = false;
        }
        allowed[0][1] = false;
        allowed[2][3] = false;
        let cycles = all_cycles(&allowed);
        assert!(cycles.len() > 3);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let draws = 600 * cycles.len();
        let mut counts = std::collections::HashMap::new();
        for _ in 0..draws {
            let order = exact(&allowed, &mut rng).expect("a valid cycle exists");
            assert!(cycles.contains(&order), "{order:?} is not valid");
            *counts.entry(order).or_insert(0usize) += 1;
        }
        assert_eq!(counts.len(), cycles.len(), "every valid cycle is drawn");
        for (order, count) in counts {
            assert!(
                (450..=750).contains(&count),
                "{order:?} drawn {count} times of about 600"
            );
        }
    }

    #[test]
    fn exact_and_search_find_nothing_when_nothing_exists() {
        let n = 4;
        let mut allowed = vec![vec![false; n]; n];
        // 0 -> 1 -> 0 and 2 -> 3 -> 2 only: two 2-cycles, no single cycle.
        allowed[0][1] = true;
        allowed[1][0] = true;
        allowed[2][3] = true;
        allowed[3][2] = true;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(exact(&allowed, &mut rng).is_none());
        assert!(search(&allowed, &mut rng).is_none());
        assert!(all_cycles(&allowed).is_empty());
    }
}
