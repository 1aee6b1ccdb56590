//! The RFC 6962 Merkle tree (SHA-256): hashes, roots, inclusion and
//! consistency proofs, and their verification.
//!
//! Leaves hash as `SHA-256(0x00 || data)`, interior nodes as
//! `SHA-256(0x01 || left || right)`, and a tree of `n` leaves splits at the
//! largest power of two below `n` (RFC 6962 §2.1, RFC 9162 §2.1). Proofs
//! are generated as RFC 6962 §2.1.1 and §2.1.2 define them and verified by
//! the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2, which need nothing but
//! the proof, the sizes and the roots.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256};

/// A SHA-256 digest: a leaf hash, a node hash or a tree root.
///
/// Written as 64 lowercase hexadecimal digits.
///
/// ```
/// use xuncha_leads::merkle::{Hash, empty_root};
/// let root: Hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".parse()?;
/// assert_eq!(root, empty_root());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The digest's bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

/// A text that is not 64 hexadecimal digits.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a SHA-256 digest: expected 64 hexadecimal digits")]
pub struct ParseHashError {
    /// The text given.
    pub text: String,
}

impl FromStr for Hash {
    type Err = ParseHashError;

    fn from_str(text: &str) -> Result<Hash, ParseHashError> {
        let err = || ParseHashError {
            text: text.chars().take(80).collect(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return Err(err());
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            let hi = hex_value(pair[0]).ok_or_else(err)?;
            let lo = hex_value(pair[1]).ok_or_else(err)?;
            *slot = hi << 4 | lo;
        }
        Ok(Hash(out))
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Hash, D::Error> {
        /// Reads the text in place, without a `String` (replay decodes a
        /// checkpoint in every report event).
        struct HexVisitor;
        impl serde::de::Visitor<'_> for HexVisitor {
            type Value = Hash;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SHA-256 hash in 64 hexadecimal digits")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Hash, E> {
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(HexVisitor)
    }
}

/// Whether `leaf` is the last leaf of a tree whose frontier ends in
/// `frontier_last`, by `path` ([`MerkleTree::last_leaf_path`]).
pub fn verify_last_leaf(leaf: &Hash, path: &[Hash], frontier_last: &Hash) -> bool {
    let folded = path
        .iter()
        .fold(*leaf, |hash, sibling| node_hash(sibling, &hash));
    folded == *frontier_last
}

/// The root of the empty tree: `SHA-256("")`.
pub fn empty_root() -> Hash {
    Hash(Sha256::digest([]).into())
}

/// The hash of a leaf: `SHA-256(0x00 || data)`.
///
/// ```
/// use xuncha_leads::merkle::leaf_hash;
/// assert_eq!(
///     leaf_hash(b"").to_string(),
///     "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
/// );
/// ```
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0u8]);
    hasher.update(data);
    Hash(hasher.finalize().into())
}

/// The hash of an interior node: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut block = [0u8; 65];
    block[0] = 1;
    block[1..33].copy_from_slice(&left.0);
    block[33..].copy_from_slice(&right.0);
    Hash(Sha256::digest(block).into())
}

/// The largest power of two strictly below `n` (for `n >= 2`).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (n - 1).ilog2()
}

/// An append-only Merkle tree over leaf hashes, keeping every complete
/// subtree so that roots of any earlier size and proofs cost
/// `O(log² n)` hashes.
///
/// Memory: about 64 bytes a leaf (the leaf hash and, amortised, the
/// interior nodes above it).
///
/// ```
/// use xuncha_leads::merkle::{MerkleTree, leaf_hash, verify_inclusion, verify_consistency};
/// let mut tree = MerkleTree::new();
/// for data in [&b"a"[..], b"b", b"c"] {
///     tree.push(leaf_hash(data));
/// }
/// let old = tree.root_at(2).unwrap();
/// tree.push(leaf_hash(b"d"));
/// let root = tree.root();
/// let proof = tree.inclusion_proof(2, 4).unwrap();
/// assert!(verify_inclusion(&leaf_hash(b"c"), 2, 4, &proof, &root));
/// let proof = tree.consistency_proof(2, 4).unwrap();
/// assert!(verify_consistency(2, 4, &old, &root, &proof));
/// ```
///
/// A tree may also start from a *frontier* ([`MerkleTree::from_frontier`]):
/// the hashes of the complete subtrees on the right edge of a tree of `n`
/// leaves, `O(log n)` of them, as Certificate Transparency logs keep. It
/// then knows its root, the roots of every later size and every leaf pushed
/// since, but not the leaves before `n`: proofs that need them give `None`
/// ([`MerkleTree::is_complete`] says which kind a tree is).
#[derive(Clone, Debug, Default)]
pub struct MerkleTree {
    /// `levels[k][i - offsets[k]]` is the hash of the complete subtree over
    /// leaves `i·2^k .. (i+1)·2^k`.
    levels: Vec<Vec<Hash>>,
    /// The index of the first node held at each level: 0 for a tree built
    /// from its leaves, even for one built from a frontier.
    offsets: Vec<u64>,
}

impl MerkleTree {
    /// An empty tree.
    pub fn new() -> MerkleTree {
        MerkleTree::default()
    }

    /// A tree of `size` leaves known by its frontier: the hashes of the
    /// complete subtrees of the tree's binary decomposition, largest
    /// (leftmost) first, one for each bit set in `size`. `None` when their
    /// number is not the number of bits set.
    ///
    /// ```
    /// use xuncha_leads::merkle::{MerkleTree, leaf_hash};
    /// let mut full = MerkleTree::new();
    /// for i in 0..11u32 {
    ///     full.push(leaf_hash(&i.to_be_bytes()));
    /// }
    /// let mut edge = MerkleTree::from_frontier(11, &full.frontier()).unwrap();
    /// assert_eq!(edge.root(), full.root());
    /// edge.push(leaf_hash(b"next"));
    /// full.push(leaf_hash(b"next"));
    /// assert_eq!(edge.root(), full.root());
    /// assert_eq!(edge.root_at(11), full.root_at(11));
    /// assert!(edge.root_at(9).is_none() && !edge.is_complete());
    /// ```
    pub fn from_frontier(size: u64, frontier: &[Hash]) -> Option<MerkleTree> {
        if frontier.len() != size.count_ones() as usize {
            return None;
        }
        let height = if size == 0 {
            0
        } else {
            size.ilog2() as usize + 1
        };
        let mut tree = MerkleTree {
            levels: vec![Vec::new(); height],
            offsets: vec![0; height],
        };
        let mut hashes = frontier.iter();
        for level in (0..height).rev() {
            let count = size >> level;
            if count & 1 == 1 {
                tree.offsets[level] = count - 1;
                tree.levels[level].push(*hashes.next()?);
            } else {
                tree.offsets[level] = count;
            }
        }
        Some(tree)
    }

    /// The frontier of the tree: the hashes of the complete subtrees of its
    /// binary decomposition, largest first (what
    /// [`MerkleTree::from_frontier`] takes).
    pub fn frontier(&self) -> Vec<Hash> {
        let size = self.len();
        (0..self.levels.len())
            .rev()
            .filter(|level| (size >> level) & 1 == 1)
            .filter_map(|level| self.node(level, (size >> level) - 1))
            .collect()
    }

    /// Whether the tree holds every leaf (it was not started from a
    /// frontier, or every leaf before the frontier was pushed back).
    pub fn is_complete(&self) -> bool {
        self.offsets.first().is_none_or(|&offset| offset == 0)
    }

    /// The node at `level`, `index`, if the tree holds it.
    fn node(&self, level: usize, index: u64) -> Option<Hash> {
        let first = *self.offsets.get(level)?;
        let at = usize::try_from(index.checked_sub(first)?).ok()?;
        self.levels.get(level)?.get(at).copied()
    }

    /// The number of leaves.
    pub fn len(&self) -> u64 {
        match (self.levels.first(), self.offsets.first()) {
            (Some(leaves), Some(first)) => first + leaves.len() as u64,
            _ => 0,
        }
    }

    /// Whether the tree has no leaves.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The hash of leaf `index`.
    ///
    /// `None` past the end, and for a leaf before the frontier of a tree
    /// started from one.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        self.node(0, index)
    }

    /// Appends a leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        let mut hash = leaf;
        let mut level = 0;
        loop {
            if self.levels.len() == level {
                self.levels.push(Vec::new());
                self.offsets.push(0);
            }
            let nodes = &mut self.levels[level];
            nodes.push(hash);
            // Offsets are even, so a node at an odd index has its left
            // sibling held.
            let n = nodes.len();
            if (self.offsets[level] + n as u64) % 2 == 1 || n < 2 {
                return;
            }
            hash = node_hash(&nodes[n - 2], &nodes[n - 1]);
            level += 1;
        }
    }

    /// The path of the last leaf within the smallest complete subtree of
    /// the frontier (its left siblings, lowest first): folding the leaf
    /// with them (`node_hash(sibling, hash)`) gives the frontier's last
    /// hash ([`verify_last_leaf`]). Empty for an empty tree or an odd size.
    pub fn last_leaf_path(&self) -> Vec<Hash> {
        let size = self.len();
        if size == 0 {
            return Vec::new();
        }
        let last = size - 1;
        (0..size.trailing_zeros() as usize)
            .filter_map(|level| self.node(level, (last >> level) - 1))
            .collect()
    }

    /// Drops every leaf from `len` on, as if they had never been pushed.
    /// A tree started from a frontier keeps at least the frontier.
    pub fn truncate(&mut self, len: u64) {
        for (level, nodes) in self.levels.iter_mut().enumerate() {
            let keep = (len >> level).saturating_sub(self.offsets[level]);
            nodes.truncate(usize::try_from(keep).unwrap_or(usize::MAX));
        }
        while self.levels.last().is_some_and(Vec::is_empty)
            && self.offsets.last().is_some_and(|&offset| offset == 0)
        {
            self.levels.pop();
            self.offsets.pop();
        }
    }

    /// The root over all leaves.
    pub fn root(&self) -> Hash {
        // Every tree holds what the root over all its leaves needs: a
        // frontier is exactly that, and later nodes are pushed whole.
        self.subtree(0, self.len()).unwrap_or_else(empty_root)
    }

    /// The root the tree had when it held `size` leaves; `None` when
    /// `size` exceeds the tree, or for a tree started from a frontier,
    /// when `size` is before it.
    pub fn root_at(&self, size: u64) -> Option<Hash> {
        if size > self.len() {
            return None;
        }
        self.subtree(0, size)
    }

    /// `MTH(D[start..end])`, for ranges on the tree's split boundaries;
    /// `None` when it needs leaves before a frontier.
    fn subtree(&self, start: u64, end: u64) -> Option<Hash> {
        let n = end - start;
        if n == 0 {
            return Some(empty_root());
        }
        if n.is_power_of_two() && start.is_multiple_of(n) {
            let level = n.trailing_zeros() as usize;
            if let Some(hash) = self.node(level, start / n) {
                return Some(hash);
            }
            if n == 1 {
                return None;
            }
        }
        let k = split(n);
        Some(node_hash(
            &self.subtree(start, start + k)?,
            &self.subtree(start + k, end)?,
        ))
    }

    /// The audit path for leaf `index` in the tree of the first `size`
    /// leaves (RFC 6962 §2.1.1); `None` unless `index < size <= len`.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Option<Vec<Hash>> {
        if index >= size || size > self.len() {
            return None;
        }
        let mut proof = Vec::new();
        self.path(index, 0, size, &mut proof)?;
        Some(proof)
    }

    fn path(&self, m: u64, start: u64, end: u64, proof: &mut Vec<Hash>) -> Option<()> {
        let n = end - start;
        if n <= 1 {
            return Some(());
        }
        let k = split(n);
        if m < k {
            self.path(m, start, start + k, proof)?;
            proof.push(self.subtree(start + k, end)?);
        } else {
            self.path(m - k, start + k, end, proof)?;
            proof.push(self.subtree(start, start + k)?);
        }
        Some(())
    }

    /// The consistency proof between the trees of the first `old` and the
    /// first `new` leaves (RFC 6962 §2.1.2); `None` unless
    /// `old <= new <= len`. Empty when `old` is 0 or equals `new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Option<Vec<Hash>> {
        if old > new || new > self.len() {
            return None;
        }
        let mut proof = Vec::new();
        if old > 0 && old < new {
            self.subproof(old, 0, new, true, &mut proof)?;
        }
        Some(proof)
    }

    fn subproof(
        &self,
        m: u64,
        start: u64,
        end: u64,
        complete: bool,
        proof: &mut Vec<Hash>,
    ) -> Option<()> {
        let n = end - start;
        if m == n {
            if !complete {
                proof.push(self.subtree(start, end)?);
            }
            return Some(());
        }
        let k = split(n);
        if m <= k {
            self.subproof(m, start, start + k, complete, proof)?;
            proof.push(self.subtree(start + k, end)?);
        } else {
            self.subproof(m - k, start + k, end, false, proof)?;
            proof.push(self.subtree(start, start + k)?);
        }
        Some(())
    }
}

/// Checks that `leaf` is leaf `index` of the tree of `size` leaves with
/// root `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let mut f_n = index;
    let mut s_n = size - 1;
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && r == *root
}

/// Checks that the tree of `new` leaves with root `new_root` extends the
/// tree of `old` leaves with root `old_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old > new {
        return false;
    }
    if old == new {
        return proof.is_empty() && old_root == new_root;
    }
    if old == 0 {
        return proof.is_empty();
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let mut f_n = old - 1;
    let mut s_n = new - 1;
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let mut f_r = *first;
    let mut s_r = *first;
    for c in rest {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            f_r = node_hash(c, &f_r);
            s_r = node_hash(c, &s_r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            s_r = node_hash(&s_r, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && f_r == *old_root && s_r == *new_root
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leaves of the RFC 6962 reference test vectors (certificate
    /// transparency's `merkle_tree_test`, also in transparency-dev).
    fn leaves() -> Vec<Vec<u8>> {
        vec![
            vec![],
            vec![0x00],
            vec![0x10],
            vec![0x20, 0x21],
            vec![0x30, 0x31],
            vec![0x40, 0x41, 0x42, 0x43],
            vec![0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
            (0x60..=0x6f).collect(),
        ]
    }

    const ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    fn tree() -> MerkleTree {
        let mut tree = MerkleTree::new();
        for leaf in leaves() {
            tree.push(leaf_hash(&leaf));
        }
        tree
    }

    fn h(text: &str) -> Hash {
        text.parse().unwrap()
    }

    #[test]
    fn roots_match_the_reference_vectors() {
        let tree = tree();
        assert_eq!(
            MerkleTree::new().root(),
            h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        for (size, root) in ROOTS.iter().enumerate() {
            assert_eq!(
                tree.root_at(size as u64 + 1),
                Some(h(root)),
                "size {}",
                size + 1
            );
        }
        assert_eq!(tree.root_at(9), None);
    }

    #[test]
    fn inclusion_proofs_match_the_reference_vectors() {
        let tree = tree();
        let cases: [(u64, u64, &[&str]); 5] = [
            (0, 1, &[]),
            (
                0,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                8,
                &[
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                3,
                &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
            ),
            (
                1,
                5,
                &[
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (index, size, expected) in cases {
            let proof = tree.inclusion_proof(index, size).unwrap();
            let expected: Vec<Hash> = expected.iter().map(|s| h(s)).collect();
            assert_eq!(proof, expected, "leaf {index} of {size}");
            let root = tree.root_at(size).unwrap();
            assert!(verify_inclusion(
                &tree.leaf(index).unwrap(),
                index,
                size,
                &proof,
                &root
            ));
        }
    }

    #[test]
    fn consistency_proofs_match_the_reference_vectors() {
        let tree = tree();
        let cases: [(u64, u64, &[&str]); 4] = [
            (1, 1, &[]),
            (
                1,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                8,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                5,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (old, new, expected) in cases {
            let proof = tree.consistency_proof(old, new).unwrap();
            let expected: Vec<Hash> = expected.iter().map(|s| h(s)).collect();
            assert_eq!(proof, expected, "{old} -> {new}");
            let old_root = tree.root_at(old).unwrap();
            let new_root = tree.root_at(new).unwrap();
            assert!(verify_consistency(old, new, &old_root, &new_root, &proof));
        }
    }

    #[test]
    fn every_proof_up_to_64_leaves_verifies_and_fails_against_a_wrong_root() {
        let mut tree = MerkleTree::new();
        for i in 0..64u32 {
            tree.push(leaf_hash(&i.to_be_bytes()));
        }
        let wrong = leaf_hash(b"wrong");
        for size in 1..=64 {
            let root = tree.root_at(size).unwrap();
            for index in 0..size {
                let leaf = tree.leaf(index).unwrap();
                let proof = tree.inclusion_proof(index, size).unwrap();
                assert!(verify_inclusion(&leaf, index, size, &proof, &root));
                assert!(!verify_inclusion(&leaf, index, size, &proof, &wrong));
                assert!(!verify_inclusion(&wrong, index, size, &proof, &root));
                if size > 1 {
                    assert!(!verify_inclusion(
                        &leaf,
                        (index + 1) % size,
                        size,
                        &proof,
                        &root
                    ));
                }
            }
            for old in 1..=size {
                let old_root = tree.root_at(old).unwrap();
                let proof = tree.consistency_proof(old, size).unwrap();
                assert!(verify_consistency(old, size, &old_root, &root, &proof));
                if old < size {
                    assert!(!verify_consistency(old, size, &wrong, &root, &proof));
                    assert!(!verify_consistency(old, size, &old_root, &wrong, &proof));
                }
            }
        }
    }

    #[test]
    fn hashes_read_back_from_text() {
        let hash = leaf_hash(b"x");
        assert_eq!(hash.to_string().parse::<Hash>(), Ok(hash));
        assert!("12".parse::<Hash>().is_err());
        assert!("zz".repeat(32).parse::<Hash>().is_err());
    }
}
