//! Leads followed along the vine (顺藤摸瓜) in the statistics: how many
//! clusters the leads found in the range form, their sizes and the largest.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use xuncha_leads::{Change, LeadCluster};

use crate::{DateRange, Records};

/// The clusters of the leads found in a report's range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterSummary {
    /// The leads found in the range.
    pub leads: u64,
    /// The clusters they form (a lead linked to no other is one).
    pub clusters: u64,
    /// The clusters of two leads or more.
    pub linked: u64,
    /// How many clusters have each size.
    pub sizes: BTreeMap<usize, u64>,
    /// The largest cluster (the first by lead id among equals).
    pub largest: Option<LeadCluster>,
}

impl ClusterSummary {
    /// The clusters of the leads found (by their `found_on` date) in
    /// `range`.
    pub(crate) fn build(records: &Records<'_>, range: DateRange) -> ClusterSummary {
        let found: Vec<&xuncha_leads::LeadFacts> = records
            .events
            .iter()
            .filter_map(|e| match &e.change {
                Change::LeadFound { lead } if range.contains(lead.found_on) => Some(&**lead),
                _ => None,
            })
            .collect();
        let clusters = xuncha_leads::clusters(found.iter().copied());
        let mut sizes = BTreeMap::new();
        for cluster in &clusters {
            *sizes.entry(cluster.len()).or_default() += 1;
        }
        ClusterSummary {
            leads: found.len() as u64,
            clusters: clusters.len() as u64,
            linked: clusters.iter().filter(|c| c.len() > 1).count() as u64,
            sizes,
            largest: clusters.into_iter().next(),
        }
    }
}
