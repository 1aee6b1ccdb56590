//! Actors' keys and signatures: every command of a signed ledger is signed
//! by its actor, with a key enrolled in the ledger for that actor and role.
//!
//! Keys are Ed25519 (`ed25519-dalek`) and written in the key formats of
//! C2SP's signed notes (as Go's `golang.org/x/mod/sumdb/note` writes them),
//! so the same tools read them: a verifier key is `NAME+HASH+BASE64`, where
//! `BASE64` encodes the signature type `0x01` (Ed25519) and the 32-byte
//! public key and `HASH` is the first four bytes of
//! `SHA-256(NAME || "\n" || 0x01 || key)` in hexadecimal; a signing key is
//! `PRIVATE+KEY+NAME+HASH+BASE64` with the 32-byte seed in place of the
//! public key. The name is the actor's id.
//!
//! ```
//! use xuncha_leads::{SigningKey, VerifierKey};
//! let key = SigningKey::generate("P0007")?;
//! let verifier: VerifierKey = key.verifier().to_string().parse()?;
//! assert_eq!(verifier.name(), "P0007");
//! let signature = key.sign(b"message");
//! assert!(verifier.verify(b"message", &signature));
//! assert!(!verifier.verify(b"another", &signature));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use ed25519_dalek::Signer as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256};

use crate::merkle::Hash;
use crate::{Action, Actor, Error};

/// The signature type of Ed25519 in signed notes.
const ED25519: u8 = 0x01;

/// A text that is not a key in the signed-note format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a {what} in the signed-note format ({expected}): {why}")]
pub struct ParseKeyError {
    what: &'static str,
    expected: &'static str,
    why: String,
}

/// The four-byte hash that names a key: `SHA-256(name || "\n" || type ||
/// key)`'s first four bytes, big-endian.
fn key_hash(name: &str, public: &[u8; 32]) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update([ED25519]);
    hasher.update(public);
    let digest = hasher.finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// Whether `name` can name a key: not empty, no `+`, no white space.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('+') && !name.chars().any(char::is_whitespace)
}

/// An actor's key to sign commands with: kept by the actor, owner-only,
/// never inside the ledger's folder.
pub struct SigningKey {
    name: String,
    key: ed25519_dalek::SigningKey,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("name", &self.name)
            .field("verifier", &self.verifier().to_string())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A new key for `name` (an actor's id), from the operating system's
    /// generator.
    pub fn generate(name: &str) -> Result<SigningKey, Error> {
        if !valid_name(name) {
            return Err(Error::OutOfRange {
                what: "a key's name",
                found: name.to_owned(),
                why: "a key is named by an actor's id, without `+` or white space".to_owned(),
            });
        }
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| Error::Identity {
            reference: String::new(),
            why: format!("the operating system's random generator failed: {e}"),
        })?;
        Ok(SigningKey::from_seed(name, seed))
    }

    /// The key of `name` with this 32-byte seed (tests, and keys kept
    /// elsewhere).
    pub fn from_seed(name: &str, seed: [u8; 32]) -> SigningKey {
        SigningKey {
            name: name.to_owned(),
            key: ed25519_dalek::SigningKey::from_bytes(&seed),
        }
    }

    /// The key's name: the actor's id.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The public half, to enrol.
    pub fn verifier(&self) -> VerifierKey {
        let key = self.key.verifying_key();
        VerifierKey {
            hash: key_hash(&self.name, key.as_bytes()),
            name: self.name.clone(),
            key,
        }
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature {
            key: self.verifier().hash,
            bytes: self.key.sign(message).to_bytes(),
        }
    }

    /// The key in the signed-note format: `PRIVATE+KEY+NAME+HASH+BASE64`.
    pub fn to_note_text(&self) -> String {
        let mut data = vec![ED25519];
        data.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.verifier().hash,
            BASE64.encode(data)
        )
    }

    /// Writes the key to a new file, owner-only, never over another.
    pub fn write_new(&self, path: &Path) -> Result<(), Error> {
        crate::identity::write_new_private(path, format!("{}\n", self.to_note_text()).as_bytes())
    }

    /// Reads a key file written by [`SigningKey::write_new`].
    pub fn from_path(path: &Path) -> Result<SigningKey, Error> {
        key_from_path(path)
    }
}

impl FromStr for SigningKey {
    type Err = ParseKeyError;

    fn from_str(text: &str) -> Result<SigningKey, ParseKeyError> {
        let bad = |why: &str| ParseKeyError {
            what: "signing key",
            expected: "PRIVATE+KEY+NAME+HASH+BASE64",
            why: why.to_owned(),
        };
        let rest = text
            .strip_prefix("PRIVATE+KEY+")
            .ok_or_else(|| bad("it does not start with PRIVATE+KEY+"))?;
        let (name, hash, seed) = split_key(rest).map_err(bad)?;
        let key = SigningKey::from_seed(name, seed);
        if key.verifier().hash != hash {
            return Err(bad("its hash is not the key's"));
        }
        Ok(key)
    }
}

/// Reads `NAME+HASH+BASE64`: the name (checked), the hash, and the 32
/// bytes of an Ed25519 key (type `0x01`); why not, otherwise.
fn split_key(text: &str) -> Result<(&str, u32, [u8; 32]), &'static str> {
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(hash), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("three fields expected");
    };
    if !valid_name(name) || hash.len() != 8 {
        return Err("a name without `+` or white space, then 8 hexadecimal digits expected");
    }
    let hash = u32::from_str_radix(hash, 16).map_err(|_| "the hash is not hexadecimal")?;
    let data = BASE64.decode(data).map_err(|_| "the key is not base64")?;
    match data.split_first() {
        Some((&ED25519, key)) => Ok((
            name,
            hash,
            key.try_into().map_err(|_| "the key is not 32 bytes")?,
        )),
        _ => Err("not an Ed25519 key (type 0x01)"),
    }
}

/// Reads a key file holding the key on its first line.
fn key_from_path<K: FromStr<Err = ParseKeyError>>(path: &Path) -> Result<K, Error> {
    let text = crate::identity::read_small(path)?;
    text.trim()
        .parse()
        .map_err(|e: ParseKeyError| Error::Input {
            file: path.display().to_string(),
            line: 1,
            message: e.to_string(),
        })
}

/// The public half of an actor's key, as enrolled in a ledger:
/// `NAME+HASH+BASE64`.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    hash: u32,
    key: ed25519_dalek::VerifyingKey,
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

impl VerifierKey {
    /// The key's name: the actor's id.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key's hash, which a signature names.
    pub fn hash(&self) -> u32 {
        self.hash
    }

    /// Whether `signature` is this key's over `message` (strict Ed25519
    /// verification: no malleable signatures, no weak keys).
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        signature.key == self.hash
            && self
                .key
                .verify_strict(
                    message,
                    &ed25519_dalek::Signature::from_bytes(&signature.bytes),
                )
                .is_ok()
    }

    /// Reads a verifier key from a file holding it on its first line.
    pub fn from_path(path: &Path) -> Result<VerifierKey, Error> {
        key_from_path(path)
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut data = vec![ED25519];
        data.extend_from_slice(self.key.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.hash, BASE64.encode(data))
    }
}

impl FromStr for VerifierKey {
    type Err = ParseKeyError;

    fn from_str(text: &str) -> Result<VerifierKey, ParseKeyError> {
        let bad = |why: &str| ParseKeyError {
            what: "verifier key",
            expected: "NAME+HASH+BASE64",
            why: why.to_owned(),
        };
        if text.starts_with("PRIVATE+") {
            return Err(bad(
                "this is a signing key: give its public half (`leads keygen` prints it)",
            ));
        }
        let (name, hash, public) = split_key(text).map_err(bad)?;
        if key_hash(name, &public) != hash {
            return Err(bad("its hash is not the key's"));
        }
        let key = ed25519_dalek::VerifyingKey::from_bytes(&public)
            .map_err(|_| bad("not a point of the curve"))?;
        Ok(VerifierKey {
            name: name.to_owned(),
            hash,
            key,
        })
    }
}

impl Serialize for VerifierKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for VerifierKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<VerifierKey, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A signature by a key: the key's hash and the 64 signature bytes;
/// written `HASH:BASE64`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The hash of the key that signed ([`VerifierKey::hash`]).
    pub key: u32,
    /// The Ed25519 signature.
    pub bytes: [u8; 64],
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({self})")
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}:{}", self.key, BASE64.encode(self.bytes))
    }
}

impl FromStr for Signature {
    type Err = ParseKeyError;

    fn from_str(text: &str) -> Result<Signature, ParseKeyError> {
        let bad = |why: &str| ParseKeyError {
            what: "signature",
            expected: "HASH:BASE64",
            why: why.to_owned(),
        };
        let (hash, data) = text.split_once(':').ok_or_else(|| bad("no `:`"))?;
        if hash.len() != 8 {
            return Err(bad("the key's hash is 8 hexadecimal digits"));
        }
        let key = u32::from_str_radix(hash, 16).map_err(|e| bad(&e.to_string()))?;
        let bytes: [u8; 64] = BASE64
            .decode(data)
            .map_err(|e| bad(&e.to_string()))?
            .try_into()
            .map_err(|_| bad("a signature is 64 bytes"))?;
        Ok(Signature { key, bytes })
    }
}

impl Serialize for Signature {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Signature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Signature, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What an actor signs for a command: the ledger (its id, the leaf hash of
/// its first event; none for the command that opens it), the command's
/// time, the actor and role, the command's id and the action, as JSON
/// without the petitioner's identity (which is sealed, never in the log):
///
/// ```text
/// xuncha-command-v1
/// ledger <64 hex digits, or "new">
/// time <RFC 3339, UTC, to the precision of the time>
/// actor <id> <role>
/// command <id>
/// <the action as JSON>
/// ```
///
/// A signature binds all of it: another ledger, time, actor, role, id or
/// change fails it.
pub fn command_message(
    ledger: Option<Hash>,
    time: DateTime<Utc>,
    actor: &Actor,
    command: &str,
    action: &Action,
) -> Vec<u8> {
    let signable = action.signable();
    let json = serde_json::to_string(&*signable).unwrap_or_default();
    format!(
        "xuncha-command-v1\nledger {}\ntime {}\nactor {} {}\ncommand {command}\n{json}\n",
        ledger.map_or_else(|| "new".to_owned(), |h| h.to_string()),
        time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        actor.id,
        actor.role.as_str(),
    )
    .into_bytes()
}

/// A command with its actor's signature and the time it was signed for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedCommand {
    /// The command.
    pub command: crate::Command,
    /// The time the actor signed it for: the time of its events.
    pub time: DateTime<Utc>,
    /// The signature over [`command_message`].
    pub signature: Signature,
}

impl SignedCommand {
    /// Signs `command` for the ledger `ledger` (its id; `None` for the
    /// command that opens it) at `time`, with `key`.
    pub fn sign(
        command: crate::Command,
        ledger: Option<Hash>,
        time: DateTime<Utc>,
        key: &SigningKey,
    ) -> SignedCommand {
        let message = command_message(ledger, time, &command.actor, &command.id, &command.action);
        SignedCommand {
            signature: key.sign(&message),
            command,
            time,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_and_a_changed_field_is_refused() {
        let key = SigningKey::from_seed("P7", [9; 32]);
        let text = key.to_note_text();
        assert!(text.starts_with("PRIVATE+KEY+P7+"));
        let back: SigningKey = text.parse().unwrap();
        assert_eq!(back.verifier(), key.verifier());
        let verifier = key.verifier().to_string();
        assert_eq!(verifier.parse::<VerifierKey>().unwrap(), key.verifier());
        // Another name with the same key data fails its hash.
        let renamed = verifier.replacen("P7+", "P8+", 1);
        assert!(renamed.parse::<VerifierKey>().is_err());
        assert!(text.parse::<VerifierKey>().is_err());
        assert!("P7+0000+AA".parse::<VerifierKey>().is_err());
        assert!(SigningKey::generate("has space").is_err());
        let signature = key.sign(b"m");
        assert_eq!(
            signature.to_string().parse::<Signature>().unwrap(),
            signature
        );
    }

    /// The verifier key format of Go's `golang.org/x/mod/sumdb/note`: the
    /// example key of its documentation reads, and its hash is the one it
    /// names.
    #[test]
    fn the_go_note_packages_example_key_reads() {
        let vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
        let key: VerifierKey = vkey.parse().unwrap();
        assert_eq!(key.name(), "PeterNeumann");
        assert_eq!(key.hash(), 0xc74f_20a3);
        assert_eq!(key.to_string(), vkey);
        let skey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
        let signing: SigningKey = skey.parse().unwrap();
        assert_eq!(signing.verifier(), key);
        assert_eq!(signing.to_note_text(), skey);
        // Its signed note (note_test.go): the signature blob is the key's
        // hash and the Ed25519 signature of the text, which is
        // deterministic, so ours is the same bytes.
        let text = b"If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
        let blob = BASE64
            .decode("x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")
            .unwrap();
        assert_eq!(blob[..4], 0xc74f_20a3_u32.to_be_bytes());
        let signature = signing.sign(text);
        assert_eq!(signature.bytes[..], blob[4..]);
        assert!(key.verify(text, &signature));
        assert!(!key.verify(b"If you think", &signature));
    }
}
