//! A fast, unkeyed hasher for the workspace's in-memory indexes: the
//! ledger's command ids and leads (xuncha-leads, xuncha-stats), the
//! staffing networks' nodes and offers (xuncha-assign).
//!
//! The keys come from the workspace's own data (ids of authenticated
//! actors, positions in a roster), so the maps need no protection against
//! crafted collisions; they do need to hash millions of short keys quickly.
//! This is the multiply-rotate hash of Firefox and rustc (`FxHasher`),
//! eight bytes at a time.
//!
//! ```
//! use xuncha_org::fxhash::FxHashMap;
//!
//! let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
//! *seen.entry("cmd-1").or_default() += 1;
//! assert_eq!(seen["cmd-1"], 1);
//! ```

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    // Integers as one word: the same hash as their bytes through `write`,
    // without the loop.
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    // The multiply leaves a key's trailing zero bits in the low bits of
    // the hash, which pick the table's bucket: division codes (350628000000)
    // all fell into the same few buckets. The rotation brings the well
    // mixed high bits down, as rustc-hash 2 does.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` with [`FxHasher`].
pub type FxHashSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_ids_hash_differently_and_maps_work() {
        let hash = |s: &str| {
            let mut h = FxHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_ne!(hash("cmd-1"), hash("cmd-2"));
        assert_ne!(hash("abcdefgh1"), hash("abcdefgh2"));
        let mut map: FxHashMap<String, u64> = FxHashMap::default();
        for i in 0..1000 {
            map.insert(format!("cmd-{i}"), i);
        }
        assert_eq!(map.get("cmd-999"), Some(&999));
        assert_eq!(map.len(), 1000);
    }

    #[test]
    fn keys_with_trailing_zeros_spread_over_the_low_bits() {
        // Division codes are multiples of 10^6 and more: their low bits,
        // which pick a table's bucket, must still differ.
        let low: FxHashSet<u64> = (1..=1024u64)
            .map(|k| {
                let mut h = FxHasher::default();
                h.write_u64(k * 1_000_000);
                h.finish() & 0x3ff
            })
            .collect();
        assert!(low.len() > 512, "only {} of 1024 buckets", low.len());
    }

    #[test]
    fn integers_hash_as_their_bytes() {
        for n in [0u64, 1, 0xdead_beef, u64::MAX] {
            let (mut word, mut bytes) = (FxHasher::default(), FxHasher::default());
            word.write_u64(n);
            bytes.write(&n.to_le_bytes());
            assert_eq!(word.finish(), bytes.finish());
            let (mut word, mut bytes) = (FxHasher::default(), FxHasher::default());
            let small = u32::try_from(n & 0xffff_ffff).expect("32 bits");
            word.write_u32(small);
            bytes.write(&small.to_le_bytes());
            assert_eq!(word.finish(), bytes.finish());
        }
    }
}
