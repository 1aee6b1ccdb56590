//! A Merkle tree started from a frontier agrees with the tree built from
//! every leaf on everything it claims to know, and claims nothing else.

use proptest::prelude::*;
use xuncha_leads::merkle::{MerkleTree, leaf_hash};

fn leaves(n: u64) -> Vec<xuncha_leads::merkle::Hash> {
    (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

proptest! {
    #[test]
    fn a_tree_from_its_frontier_knows_the_later_roots_and_proofs(
        base in 0u64..300,
        more in 0u64..80,
        cut in 0u64..80,
    ) {
        let all = leaves(base + more);
        let mut full = MerkleTree::new();
        for leaf in &all[..usize::try_from(base).unwrap()] {
            full.push(*leaf);
        }
        let frontier = full.frontier();
        prop_assert_eq!(frontier.len(), base.count_ones() as usize);
        let mut edge = MerkleTree::from_frontier(base, &frontier).expect("a frontier");
        prop_assert_eq!(edge.len(), base);
        prop_assert_eq!(edge.root(), full.root());
        // One leaf is its own frontier.
        prop_assert_eq!(edge.is_complete(), base <= 1);
        for leaf in &all[usize::try_from(base).unwrap()..] {
            full.push(*leaf);
            edge.push(*leaf);
            prop_assert_eq!(edge.root(), full.root());
        }
        let size = base + more;
        prop_assert_eq!(edge.frontier(), full.frontier());
        for at in 0..=size {
            // What it knows is right; it knows every size from its own on
            // (and the prefixes that are whole frontier subtrees).
            let known = edge.root_at(at);
            prop_assert!(known.is_none() || known == full.root_at(at));
            prop_assert!(at < base || known.is_some());
        }
        for index in 0..size {
            let proof = edge.inclusion_proof(index, size);
            if proof.is_some() {
                prop_assert_eq!(proof, full.inclusion_proof(index, size));
            }
            let leaf = edge.leaf(index);
            prop_assert!(leaf.is_none() || leaf == Some(all[usize::try_from(index).unwrap()]));
            prop_assert!(index < base || leaf.is_some());
            prop_assert!(index + 1 >= base || leaf.is_none());
        }
        for old in base..=size {
            prop_assert_eq!(edge.consistency_proof(old, size), full.consistency_proof(old, size));
        }
        // Undoing staged leaves goes back no further than the frontier.
        let back = size - cut.min(more);
        edge.truncate(back);
        full.truncate(back);
        prop_assert_eq!(edge.len(), back);
        prop_assert_eq!(edge.root(), full.root());
        edge.push(leaf_hash(b"again"));
        full.push(leaf_hash(b"again"));
        prop_assert_eq!(edge.root(), full.root());
    }
}

#[test]
fn a_frontier_of_the_wrong_length_is_refused() {
    let hashes = leaves(3);
    assert!(MerkleTree::from_frontier(5, &hashes).is_none());
    assert!(MerkleTree::from_frontier(0, &hashes[..1]).is_none());
    assert!(MerkleTree::from_frontier(0, &[]).is_some_and(|t| t.is_empty()));
}
