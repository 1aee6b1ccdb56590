//! Village clusters (片区): villages grouped so that one team inspects a
//! cluster as one target (村级片区联动).

use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Division, Hierarchy, Level};

use crate::Error;

/// A cluster of villages of one county, inspected as one target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    /// The cluster's id: the county's code and a number, `350821-C007`.
    pub id: String,
    /// The county every village lies in.
    pub county: Code,
    /// The villages, in code order.
    pub villages: Vec<Code>,
}

/// Groups the villages of `jurisdiction` (any division at county level or
/// above) into clusters of at most `max_size` villages.
///
/// The rule, deterministic and documented in `docs/assignment.md`: county
/// by county, townships in code order; a township with more than
/// `max_size` villages is split into `ceil(n / max_size)` clusters of
/// nearly equal size (consecutive in code order); smaller townships are
/// gathered, whole, with the townships that follow them in code order (the
/// neighbours the statistical codes give) while the cluster stays within
/// `max_size`. So every village is in exactly one cluster, no cluster
/// spans two counties, and no township is split unless it must be.
///
/// ```
/// use xuncha_assign::cluster_villages;
/// use xuncha_org::{Code, Hierarchy};
///
/// let fujian = Hierarchy::fujian();
/// let clusters = cluster_villages(&fujian, Code::parse("350821")?, 12)?;
/// assert!(clusters.iter().all(|c| c.villages.len() <= 12));
/// assert!(clusters.iter().all(|c| c.county == Code::parse("350821").unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn cluster_villages(
    hierarchy: &Hierarchy,
    jurisdiction: Code,
    max_size: usize,
) -> Result<Vec<Cluster>, Error> {
    if max_size == 0 {
        return Err(Error::Term {
            message: "the cluster size must be at least 1".to_owned(),
        });
    }
    let root = division(hierarchy, jurisdiction)?;
    if root.level() > Level::County {
        return Err(Error::Term {
            message: format!(
                "villages are clustered within counties: {jurisdiction} is a {}; give a county, city or province",
                root.level()
            ),
        });
    }
    let mut clusters = Vec::new();
    for county in counties(root) {
        let mut number = 0usize;
        let mut open: Vec<Code> = Vec::new();
        let mut close = |villages: Vec<Code>, clusters: &mut Vec<Cluster>| {
            number += 1;
            clusters.push(Cluster {
                id: format!("{}-C{number:03}", county.code()),
                county: county.code(),
                villages,
            });
        };
        for township in county.children().filter(|d| !d.is_grouping()) {
            let villages: Vec<Code> = township
                .children()
                .filter(|d| !d.is_grouping())
                .map(Division::code)
                .collect();
            let n = villages.len();
            if n == 0 {
                continue;
            }
            if n > max_size {
                if !open.is_empty() {
                    close(std::mem::take(&mut open), &mut clusters);
                }
                let parts = n.div_ceil(max_size);
                let (base, extra) = (n / parts, n % parts);
                let mut start = 0;
                for part in 0..parts {
                    let size = base + usize::from(part < extra);
                    close(villages[start..start + size].to_vec(), &mut clusters);
                    start += size;
                }
                continue;
            }
            if open.len() + n > max_size {
                close(std::mem::take(&mut open), &mut clusters);
            }
            open.extend(villages);
        }
        if !open.is_empty() {
            close(open, &mut clusters);
        }
    }
    Ok(clusters)
}

/// The division with `code`, or a term error naming it.
pub(crate) fn division(hierarchy: &Hierarchy, code: Code) -> Result<Division<'_>, Error> {
    hierarchy.get(code).ok_or_else(|| Error::Term {
        message: format!("the jurisdiction {code} is not in the hierarchy"),
    })
}

/// The counties at or below `root` (itself, when it is a county), in code
/// order, without grouping rows.
pub(crate) fn counties(root: Division<'_>) -> Vec<Division<'_>> {
    if root.level() == Level::County {
        return vec![root];
    }
    root.subtree()
        .filter(|d| d.level() == Level::County && !d.is_grouping())
        .collect()
}
