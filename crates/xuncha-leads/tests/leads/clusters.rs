//! Lead clusters (顺藤摸瓜) against connected components found pair by pair.

use std::collections::BTreeSet;

use proptest::prelude::*;
use xuncha_leads::{LeadFacts, clusters};

use crate::common::facts;

fn arb_leads() -> impl Strategy<Value = Vec<LeadFacts>> {
    prop::collection::vec(
        (
            prop::collection::vec(0..6usize, 0..3),
            prop::collection::vec(0..5usize, 0..2),
            prop::collection::vec(0..12usize, 0..2),
        ),
        0..12,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (persons, units, from))| {
                let mut lead = facts(&format!("L{i:02}"), false);
                lead.persons = persons.iter().map(|p| format!("人{p}")).collect();
                // Unit 0 is the team's own county, which links nothing.
                lead.units = units
                    .iter()
                    .map(|u| {
                        if *u == 0 {
                            "350628".to_owned()
                        } else {
                            format!("unit:u{u}")
                        }
                    })
                    .collect();
                lead.found_from = from.iter().map(|f| format!("L{f:02}")).collect();
                lead
            })
            .collect()
    })
}

/// Whether two leads are linked, read off their facts.
fn linked(a: &LeadFacts, b: &LeadFacts) -> bool {
    let units = |l: &LeadFacts| -> BTreeSet<String> {
        l.units
            .iter()
            .filter(|u| **u != l.target.to_string())
            .cloned()
            .collect()
    };
    a.persons.iter().any(|p| b.persons.contains(p))
        || !units(a).is_disjoint(&units(b))
        || a.found_from.contains(&b.id)
        || b.found_from.contains(&a.id)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn clusters_are_the_components_of_pairwise_links(leads in arb_leads()) {
        let found = clusters(leads.iter());
        // Every lead in exactly one cluster, largest first.
        let mut all: Vec<&String> = found.iter().flat_map(|c| &c.leads).collect();
        all.sort();
        let mut ids: Vec<&String> = leads.iter().map(|l| &l.id).collect();
        ids.sort();
        prop_assert_eq!(all, ids);
        prop_assert!(found.windows(2).all(|w| w[0].len() >= w[1].len()));
        // Components by a flood fill over pairwise links.
        let mut component = vec![usize::MAX; leads.len()];
        for start in 0..leads.len() {
            if component[start] != usize::MAX { continue; }
            let mut stack = vec![start];
            component[start] = start;
            while let Some(i) = stack.pop() {
                for j in 0..leads.len() {
                    if component[j] == usize::MAX && linked(&leads[i], &leads[j]) {
                        component[j] = start;
                        stack.push(j);
                    }
                }
            }
        }
        for cluster in &found {
            let members: Vec<usize> = cluster
                .leads
                .iter()
                .map(|id| leads.iter().position(|l| &l.id == id).expect("a lead"))
                .collect();
            let first = component[members[0]];
            prop_assert!(members.iter().all(|&m| component[m] == first));
            prop_assert_eq!(component.iter().filter(|&&c| c == first).count(), members.len());
            // Each link joins two leads of the cluster that are linked.
            for link in &cluster.links {
                let a = leads.iter().find(|l| l.id == link.from).expect("from");
                let b = leads.iter().find(|l| l.id == link.to).expect("to");
                prop_assert!(linked(a, b));
                prop_assert!(cluster.leads.contains(&link.from) && cluster.leads.contains(&link.to));
            }
            prop_assert!(!cluster.units.contains(&"350628".to_owned()));
        }
    }
}
