//! Leads followed along the vine (顺藤摸瓜): leads that implicate the same
//! person or unit, or were found one from another, joined into clusters.

use std::collections::HashMap;

use petgraph::unionfind::UnionFind;
use serde::{Deserialize, Serialize};

use crate::LeadFacts;

/// Why two leads of a cluster are linked.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LinkReason {
    /// Both implicate this person.
    Person(String),
    /// Both implicate this unit.
    Unit(String),
    /// The second was found from the first.
    FoundFrom,
}

/// A link between two leads of a cluster.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClusterLink {
    /// One lead.
    pub from: String,
    /// The other.
    pub to: String,
    /// Why.
    pub reason: LinkReason,
}

/// A connected cluster of leads: its leads, the persons and units they
/// implicate, and the links that join them (for each person or unit, its
/// leads in order of id, each linked to the next; every found-from link).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadCluster {
    /// The leads, by id.
    pub leads: Vec<String>,
    /// The persons implicated, sorted.
    pub persons: Vec<String>,
    /// The units implicated, sorted.
    pub units: Vec<String>,
    /// The links.
    pub links: Vec<ClusterLink>,
}

impl LeadCluster {
    /// The number of leads.
    pub fn len(&self) -> usize {
        self.leads.len()
    }

    /// Whether the cluster has no lead (never, for a cluster found by
    /// [`clusters`]).
    pub fn is_empty(&self) -> bool {
        self.leads.is_empty()
    }
}

/// The clusters of `leads`, largest first (then by first lead id); a lead
/// linked to no other is a cluster of one.
///
/// Two leads are linked when they implicate the same person (the same id or
/// name, as written) or the same unit, or when one names the other in
/// [`LeadFacts::found_from`]. A unit written as the lead's own target county
/// (`350628` on a lead of 平和县) links nothing: every lead of the round's
/// team is about that county.
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_leads::{LeadFacts, LeadSource, clusters};
/// use xuncha_org::Code;
///
/// let lead = |id: &str, persons: &[&str], from: &[&str]| LeadFacts {
///     id: id.into(), round: "2026-1".into(), team: "2026-1/350628".into(),
///     target: Code::parse("350628").unwrap(), persons: persons.iter().map(|p| p.to_string()).collect(),
///     units: vec!["unit:ph-civil".into()], summary: "低保".into(), source: LeadSource::Interview,
///     found_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), fast_track: false,
///     found_from: from.iter().map(|p| p.to_string()).collect(),
/// };
/// let leads = [lead("A", &["王某"], &[]), lead("B", &[], &["A"]), lead("C", &["李某"], &[])];
/// let found = clusters(leads.iter());
/// assert_eq!(found.len(), 1, "all three implicate 平和县民政局");
/// assert_eq!(found[0].leads, ["A", "B", "C"]);
/// ```
pub fn clusters<'a>(leads: impl IntoIterator<Item = &'a LeadFacts>) -> Vec<LeadCluster> {
    let mut leads: Vec<&LeadFacts> = leads.into_iter().collect();
    leads.sort_by(|a, b| a.id.cmp(&b.id));
    leads.dedup_by(|a, b| a.id == b.id);
    let by_id: HashMap<&str, usize> = leads
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let mut sets = UnionFind::<usize>::new(leads.len());
    let mut links: Vec<(usize, usize, LinkReason)> = Vec::new();
    // Each person and unit: the leads that implicate it, in order of id.
    let mut holders: HashMap<LinkReason, Vec<usize>> = HashMap::new();
    for (i, lead) in leads.iter().enumerate() {
        let county = lead.target.to_string();
        for person in &lead.persons {
            holders
                .entry(LinkReason::Person(person.clone()))
                .or_default()
                .push(i);
        }
        for unit in lead.units.iter().filter(|u| **u != county) {
            holders
                .entry(LinkReason::Unit(unit.clone()))
                .or_default()
                .push(i);
        }
        for from in &lead.found_from {
            if let Some(&j) = by_id.get(from.as_str()) {
                links.push((j, i, LinkReason::FoundFrom));
            }
        }
    }
    let mut holders: Vec<_> = holders.into_iter().collect();
    holders.sort_unstable();
    for (reason, mut held) in holders {
        held.dedup();
        for pair in held.windows(2) {
            links.push((pair[0], pair[1], reason.clone()));
        }
    }
    for (a, b, _) in &links {
        sets.union(*a, *b);
    }
    let mut by_root: HashMap<usize, usize> = HashMap::new();
    let mut out: Vec<LeadCluster> = Vec::new();
    for (i, lead) in leads.iter().enumerate() {
        let root = sets.find(i);
        let at = *by_root.entry(root).or_insert_with(|| {
            out.push(LeadCluster {
                leads: Vec::new(),
                persons: Vec::new(),
                units: Vec::new(),
                links: Vec::new(),
            });
            out.len() - 1
        });
        let cluster = &mut out[at];
        cluster.leads.push(lead.id.clone());
        cluster.persons.extend(lead.persons.iter().cloned());
        let county = lead.target.to_string();
        cluster
            .units
            .extend(lead.units.iter().filter(|u| **u != county).cloned());
    }
    for (a, b, reason) in links {
        if let Some(&at) = by_root.get(&sets.find(a)) {
            out[at].links.push(ClusterLink {
                from: leads[a].id.clone(),
                to: leads[b].id.clone(),
                reason,
            });
        }
    }
    for cluster in &mut out {
        cluster.persons.sort_unstable();
        cluster.persons.dedup();
        cluster.units.sort_unstable();
        cluster.units.dedup();
        cluster.links.sort_unstable();
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.leads.cmp(&b.leads)));
    out
}
