//! A fast, unkeyed hasher for the ledger's index of command ids, also
//! used by xuncha-stats to index leads by id.
//!
//! Command ids come from authenticated actors of one office, so the map
//! needs no protection against crafted collisions; it does need to hash a
//! million short strings quickly when a log is replayed. This is the
//! multiply-rotate hash of Firefox and rustc (`FxHasher`), eight bytes at a
//! time.

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

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

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
}
