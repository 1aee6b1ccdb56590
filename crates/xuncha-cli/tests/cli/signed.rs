//! A signed ledger through the binary: keys made by `keygen --actor`,
//! enrolled by the authority of their level, every command signed; no one
//! acts as another.

// A scenario reads best as one function, however long rustfmt makes it.
#![allow(clippy::too_many_lines)]

use std::path::Path;

use crate::common::{ok, refused, s, stdout};

/// A command on `ledger` at a fixed time, signed with `key`, with `args`.
fn signed(ledger: &Path, key: &Path, args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(ToString::to_string).collect();
    all.extend(
        [
            "--ledger",
            s(ledger),
            "--now",
            "2026-03-05T09:00:00Z",
            "--sign",
            s(key),
        ]
        .map(String::from),
    );
    all
}

const ADD: [&str; 18] = [
    "leads",
    "add",
    "--lead",
    "L-001",
    "--round",
    "2026-1",
    "--team",
    "2026-1/350628",
    "--target",
    "350628",
    "--summary",
    "村级工程款去向不明",
    "--found-on",
    "2026-03-02",
    "--source",
    "document-check",
    "--role",
    "team-leader",
];

#[test]
fn a_signed_ledger_takes_only_its_enrolled_actors_commands() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let key = |name: &str| keys.join(format!("{name}.key"));
    let public = |name: &str| keys.join(format!("{name}.pub"));
    for name in ["office-350628", "city-3506", "P7", "P8"] {
        let made = stdout(&["leads", "keygen", "--actor", name, "--out", s(&key(name))]);
        assert!(made.contains(&format!("{name}+")), "{made}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let bits = std::fs::metadata(key(name)).unwrap().permissions().mode() & 0o777;
            assert_eq!(bits, 0o600);
        }
    }
    let ledger = dir.path().join("ledger").join("signed.db");
    // --sign without --city-key is not a signed ledger: refused.
    refused(
        &signed(
            &ledger,
            &key("office-350628"),
            &["leads", "init", "--jurisdiction", "3506"],
        ),
        2,
    );
    let opened = ok(&signed(
        &ledger,
        &key("office-350628"),
        &[
            "leads",
            "init",
            "--jurisdiction",
            "3506",
            "--city-key",
            s(&public("city-3506")),
        ],
    ));
    assert!(opened.contains("opened for 3506"), "{opened}");
    // The county office enrols its team leader; not a city actor.
    ok(&signed(
        &ledger,
        &key("office-350628"),
        &[
            "leads",
            "enrol",
            "--verifier",
            s(&public("P7")),
            "--as",
            "team-leader",
            "--level",
            "county",
        ],
    ));
    let err = refused(
        &signed(
            &ledger,
            &key("office-350628"),
            &[
                "leads",
                "enrol",
                "--verifier",
                s(&public("P8")),
                "--as",
                "leading-group",
                "--level",
                "city",
            ],
        ),
        5,
    );
    assert!(err.contains("no county key makes a city actor"), "{err}");
    // P7 adds a lead, signed; the actor is the key's name.
    let added = ok(&signed(&ledger, &key("P7"), &ADD));
    assert!(added.contains("lead-found L-001"), "{added}");
    // Unsigned, or signed by a key never enrolled: refused, nothing recorded.
    let mut unsigned: Vec<String> = ADD.iter().map(ToString::to_string).collect();
    unsigned.extend(["--ledger", s(&ledger), "--actor", "P7"].map(String::from));
    unsigned[3] = "L-002".into();
    let err = refused(&unsigned, 5);
    assert!(err.contains("not signed"), "{err}");
    let mut by_p8 = signed(&ledger, &key("P8"), &ADD);
    by_p8[3] = "L-002".into();
    let err = refused(&by_p8, 5);
    assert!(err.contains("no key"), "{err}");
    // P8's key under P7's name: refused before anything is sent.
    let mut as_p7 = by_p8.clone();
    as_p7.extend(["--actor".to_owned(), "P7".to_owned()]);
    let err = refused(&as_p7, 2);
    assert!(err.contains("P8's"), "{err}");
    // Revoked, P7's key signs nothing more.
    ok(&signed(
        &ledger,
        &key("office-350628"),
        &[
            "leads",
            "revoke",
            "--verifier",
            s(&public("P7")),
            "--reason",
            "调离",
        ],
    ));
    let mut late = signed(&ledger, &key("P7"), &ADD);
    late[3] = "L-003".into();
    let err = refused(&late, 5);
    assert!(err.contains("revoked"), "{err}");
    // The ledger verifies every signature from its events.
    let verified = stdout(&["leads", "verify", "--ledger", s(&ledger)]);
    assert!(verified.contains("ledger verifies"), "{verified}");
    // No private key's bytes are in any file but its own: not in the
    // public halves, not in the ledger or its journal.
    let mut written: Vec<std::path::PathBuf> = std::fs::read_dir(ledger.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    written.extend(["office-350628", "city-3506", "P7", "P8"].map(public));
    for name in ["office-350628", "city-3506", "P7", "P8"] {
        let text = std::fs::read_to_string(key(name)).unwrap();
        let secret = text.trim().splitn(5, '+').nth(4).unwrap().to_owned();
        assert!(secret.len() > 40, "{text}");
        for file in &written {
            let bytes = std::fs::read(file).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(&secret),
                "{name}'s private key is in {}",
                file.display()
            );
        }
    }
}
