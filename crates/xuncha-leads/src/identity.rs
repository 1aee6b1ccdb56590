//! Petitioners' identities, sealed at rest with a key the office keeps
//! apart from the ledger.
//!
//! A petitioner speaks only if what they say cannot reach the people they
//! accuse. The ledger file is on a county machine that the county's own
//! administrator can copy; so an identity is stored only sealed
//! (XChaCha20-Poly1305, a fresh random nonce each, the ledger's id and the
//! lead's reference as associated data, padded to a multiple of 64 bytes so
//! the length says little), and the key lives in a key file the office
//! holds elsewhere. A copy of the ledger without the key reveals no
//! identity, and a sealed identity moved to another lead or another ledger
//! fails to open.
//!
//! ```
//! use xuncha_leads::IdentityKey;
//! use xuncha_leads::merkle::Hash;
//! let key = IdentityKey::generate()?;
//! let ledger = Hash([1; 32]);
//! let sealed = key.seal(&ledger, "petitioner/L-001", "张某 13800000000")?;
//! assert!(!String::from_utf8_lossy(&sealed).contains("张某"));
//! assert_eq!(key.open(&ledger, "petitioner/L-001", &sealed)?, "张某 13800000000");
//! assert!(key.open(&ledger, "petitioner/L-002", &sealed).is_err());
//! assert!(key.open(&Hash([2; 32]), "petitioner/L-001", &sealed).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::Read as _;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest as _, Sha256};

use crate::Error;
use crate::merkle::Hash;

/// Sealed identities are padded to a multiple of this many bytes.
const PAD: usize = 64;

/// The first line of a key file.
const KEY_HEADER: &str = "xuncha identity key v1";

/// The format byte of a sealed identity.
const SEALED_V1: u8 = 1;

/// How long a key's id is, in bytes (the start of SHA-256 of the key).
const KEY_ID_LEN: usize = 8;

/// The key that seals petitioners' identities (32 random bytes).
///
/// Its `Debug` shows only the key's id, never the key.
#[derive(Clone)]
pub struct IdentityKey {
    key: [u8; 32],
}

impl fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityKey")
            .field("id", &self.id())
            .finish_non_exhaustive()
    }
}

impl IdentityKey {
    /// A fresh key from the operating system's random generator.
    pub fn generate() -> Result<IdentityKey, Error> {
        let mut key = [0u8; 32];
        random(&mut key)?;
        Ok(IdentityKey { key })
    }

    /// A key from its 32 bytes.
    pub fn from_bytes(key: [u8; 32]) -> IdentityKey {
        IdentityKey { key }
    }

    /// The key's id: the first eight bytes of its SHA-256, in hexadecimal.
    /// Stored with every sealed identity, so a wrong key is named as such.
    pub fn id(&self) -> String {
        hex(&self.id_bytes())
    }

    fn id_bytes(&self) -> [u8; KEY_ID_LEN] {
        let digest = Sha256::digest(self.key);
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(&digest[..KEY_ID_LEN]);
        id
    }

    /// Writes a new key file, owner-only (`0600`); refuses to replace one.
    pub fn write_new(&self, path: &Path) -> Result<(), Error> {
        write_new_private(
            path,
            format!("{KEY_HEADER}\n{}\n", hex(&self.key)).as_bytes(),
        )
    }

    /// Reads a key file written by [`IdentityKey::write_new`].
    pub fn from_path(path: &Path) -> Result<IdentityKey, Error> {
        let text = read_small(path)?;
        let bad = |message: &str| Error::Input {
            file: path.display().to_string(),
            line: 0,
            message: message.to_owned(),
        };
        let mut lines = text.lines();
        if lines.next().map(str::trim) != Some(KEY_HEADER) {
            return Err(bad(
                "not a xuncha identity key file (create one with `xuncha leads keygen`)",
            ));
        }
        let digits = lines.next().unwrap_or_default().trim();
        let bytes = unhex(digits).ok_or_else(|| bad("the key is not 64 hexadecimal digits"))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| bad("the key is not 64 hexadecimal digits"))?;
        Ok(IdentityKey { key })
    }

    /// Seals `identity` for the lead reference `reference` of the ledger
    /// whose id is `ledger` ([`Ledger::log_id`](crate::Ledger::log_id)).
    pub fn seal(&self, ledger: &Hash, reference: &str, identity: &str) -> Result<Vec<u8>, Error> {
        let mut nonce = [0u8; 24];
        random(&mut nonce)?;
        let cipher = XChaCha20Poly1305::new((&self.key).into());
        let length = u16::try_from(identity.len()).map_err(|_| Error::Identity {
            reference: reference.to_owned(),
            why: format!(
                "{} bytes: an identity is at most 65,535 bytes",
                identity.len()
            ),
        })?;
        let mut plain = Vec::with_capacity(PAD + identity.len());
        plain.extend_from_slice(&length.to_be_bytes());
        plain.extend_from_slice(identity.as_bytes());
        plain.resize(plain.len().div_ceil(PAD) * PAD, 0);
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: &associated(ledger, reference),
                },
            )
            .map_err(|_| Error::Identity {
                reference: reference.to_owned(),
                why: "sealing failed".to_owned(),
            })?;
        let mut out = Vec::with_capacity(1 + KEY_ID_LEN + nonce.len() + sealed.len());
        out.push(SEALED_V1);
        out.extend_from_slice(&self.id_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens an identity sealed for `reference` of the ledger `ledger`.
    pub fn open(&self, ledger: &Hash, reference: &str, sealed: &[u8]) -> Result<String, Error> {
        let fail = |why: String| Error::Identity {
            reference: reference.to_owned(),
            why,
        };
        let (&version, rest) = sealed
            .split_first()
            .ok_or_else(|| fail("nothing is stored".to_owned()))?;
        if version != SEALED_V1 || rest.len() < KEY_ID_LEN + 24 + 16 {
            return Err(fail(format!(
                "stored in an unknown form (version {version}, {} bytes)",
                sealed.len()
            )));
        }
        let (id, rest) = rest.split_at(KEY_ID_LEN);
        if id != self.id_bytes() {
            return Err(fail(format!(
                "sealed with key {}, not with this key {}",
                hex(id),
                self.id()
            )));
        }
        let (nonce, body) = rest.split_at(24);
        let cipher = XChaCha20Poly1305::new((&self.key).into());
        let plain = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: &associated(ledger, reference),
                },
            )
            .map_err(|_| {
                fail(
                    "the sealed identity was changed, or belongs to another lead or ledger"
                        .to_owned(),
                )
            })?;
        let (length, rest) = plain
            .split_first_chunk::<2>()
            .ok_or_else(|| fail("the sealed identity is too short".to_owned()))?;
        let text = rest
            .get(..usize::from(u16::from_be_bytes(*length)))
            .ok_or_else(|| fail("the sealed identity's length is wrong".to_owned()))?;
        String::from_utf8(text.to_vec()).map_err(|_| fail("the identity is not UTF-8".to_owned()))
    }
}

/// The associated data of a sealed identity: the ledger's id and the
/// reference.
fn associated(ledger: &Hash, reference: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(32 + reference.len());
    aad.extend_from_slice(ledger.as_bytes());
    aad.extend_from_slice(reference.as_bytes());
    aad
}

/// Writes `bytes` to a new file at `path`, owner-only, whole or not at all,
/// never over another file: how every key is written.
pub(crate) fn write_new_private(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temp = xuncha_org::atomic::temp_path(path);
    let written = (|| {
        let mut file = xuncha_org::atomic::create_new(&temp, xuncha_org::atomic::Mode::Private)?;
        std::io::Write::write_all(&mut file, bytes)?;
        file.sync_all()
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::Io {
            path: path.to_owned(),
            source,
        });
    }
    xuncha_org::atomic::persist_new(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::Org(e)
    })
}

/// Reads a small file (a key: at most 4 KiB) as text.
pub(crate) fn read_small(path: &Path) -> Result<String, Error> {
    let mut text = String::new();
    xuncha_org::Limits::default()
        .with_max_input_bytes(4096)
        .open(path)?
        .read_to_string(&mut text)
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
    Ok(text)
}

fn random(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buf).map_err(|e| Error::Identity {
        reference: String::new(),
        why: format!("the operating system's random generator failed: {e}"),
    })
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_round_trips_and_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("office.key");
        let key = IdentityKey::generate().unwrap();
        key.write_new(&path).unwrap();
        assert!(
            key.write_new(&path).is_err(),
            "a key file is never replaced"
        );
        let back = IdentityKey::from_path(&path).unwrap();
        assert_eq!(back.id(), key.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert!(!format!("{key:?}").contains(&hex(&key.key)));
    }

    #[test]
    fn a_wrong_key_a_changed_byte_and_another_reference_all_fail() {
        let key = IdentityKey::generate().unwrap();
        let other = IdentityKey::generate().unwrap();
        let log = Hash([3; 32]);
        let sealed = key.seal(&log, "petitioner/L1", "王某").unwrap();
        let err = other.open(&log, "petitioner/L1", &sealed).unwrap_err();
        assert!(err.to_string().contains("not with this key"), "{err}");
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(key.open(&log, "petitioner/L1", &changed).is_err());
        assert!(key.open(&log, "petitioner/L2", &sealed).is_err());
        assert!(key.open(&Hash([4; 32]), "petitioner/L1", &sealed).is_err());
        assert!(key.open(&log, "petitioner/L1", &[]).is_err());
        // Two seals of the same identity differ (fresh nonces).
        assert_ne!(sealed, key.seal(&log, "petitioner/L1", "王某").unwrap());
        // The length says little: short identities seal to one size.
        let short = key.seal(&log, "petitioner/L1", "王").unwrap();
        let longer = key
            .seal(&log, "petitioner/L1", "王秀英 13912345678")
            .unwrap();
        assert_eq!(short.len(), longer.len());
        assert_eq!(
            key.open(&log, "petitioner/L1", &longer).unwrap(),
            "王秀英 13912345678"
        );
    }
}
