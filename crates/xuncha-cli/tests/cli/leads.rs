//! `xuncha leads` and `xuncha rectify` over a ledger file.

// A scenario reads best as one function, however long rustfmt makes it.
#![allow(clippy::too_many_lines)]

use std::path::Path;
use std::process::Command;

use crate::common::{at, fails, ok, refused, s, stdout};

#[test]
fn a_lead_travels_the_whole_way_and_the_witness_checkpoints_hold() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("leads.db");
    let t0 = "2026-03-02T09:00:00Z";
    ok(&at(
        &ledger,
        t0,
        "office",
        "inspection-office",
        &["leads", "init", "--jurisdiction", "3506"],
    ));
    // init refuses to overwrite.
    refused(
        &at(
            &ledger,
            t0,
            "office",
            "inspection-office",
            &["leads", "init", "--jurisdiction", "3506"],
        ),
        2,
    );
    // The office's key, kept apart from the ledger; the identity comes
    // from a file, never from the command line.
    let key = dir.path().join("office.key");
    let made = stdout(&["leads", "keygen", "--out", s(&key)]);
    assert!(made.contains("owner-only"), "{made}");
    fails(&["leads", "keygen", "--out", s(&key)], 1);
    let identity = dir.path().join("petitioner.txt");
    std::fs::write(&identity, "王秀英 13912345678\n").unwrap();
    let help = stdout(&["leads", "add", "--help"]);
    assert!(!help.contains("--petitioner "), "{help}");
    ok(&at(
        &ledger,
        t0,
        "P7",
        "team-leader",
        &[
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
            "--source",
            "petition-visit",
            "--petitioner-file",
            s(&identity),
            "--key",
            s(&key),
            "--found-on",
            "2026-03-02",
            "--person",
            "某某",
            "--unit",
            "350628",
            "--id",
            "add-1",
        ],
    ));
    // The same command id again appends nothing.
    let again = ok(&at(
        &ledger,
        t0,
        "P7",
        "team-leader",
        &[
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
            "--source",
            "petition-visit",
            "--found-on",
            "2026-03-02",
            "--id",
            "add-1",
        ],
    ));
    assert!(again.contains("already recorded"), "{again}");
    // A team member may not transfer: refused, exit 5.
    let err = refused(
        &at(
            &ledger,
            t0,
            "P8",
            "team-member",
            &["leads", "transfer", "--lead", "L-001"],
        ),
        5,
    );
    assert!(err.contains("team-leader"), "{err}");
    ok(&at(
        &ledger,
        t0,
        "P7",
        "team-leader",
        &[
            "leads",
            "transfer",
            "--lead",
            "L-001",
            "--to",
            "discipline-commission",
            "--level",
            "county",
        ],
    ));
    let city_file = dir.path().join("city.witness");
    let county_file = dir.path().join("county.witness");
    let city = ok(&at(
        &ledger,
        t0,
        "office",
        "inspection-office",
        &[
            "leads",
            "report",
            "--lead",
            "L-001",
            "--to",
            "city",
            "--witness",
            s(&city_file),
            "--new-witness",
        ],
    ));
    // The checkpoint the city now holds covers the report itself.
    let witness = city
        .lines()
        .find(|l| l.starts_with("witnessed by the city leading group"))
        .and_then(|l| l.rsplit_once(": checkpoint "))
        .and_then(|(_, rest)| rest.strip_suffix(" (it covers the report)"))
        .unwrap_or_else(|| panic!("{city}"))
        .to_owned();
    ok(&at(
        &ledger,
        t0,
        "office",
        "inspection-office",
        &[
            "leads",
            "report",
            "--lead",
            "L-001",
            "--to",
            "county",
            "--witness",
            s(&county_file),
            "--new-witness",
        ],
    ));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [&ledger, &city_file, &key] {
            let bits = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
            assert_eq!(bits, 0o600, "{}", file.display());
        }
    }
    // No byte of the ledger file shows the petitioner.
    let bytes = std::fs::read(&ledger).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("王秀英") && !text.contains("13912345678"));

    // Nine days later the handler has not received it: it is overdue.
    let t1 = "2026-03-11T09:00:00Z";
    let overdue = ok(&at(
        &ledger,
        t1,
        "office",
        "inspection-office",
        &["leads", "overdue"],
    ));
    assert!(
        overdue.contains("L-001") && overdue.contains("纪委监委"),
        "{overdue}"
    );
    let json = ok(&at(
        &ledger,
        t1,
        "office",
        "inspection-office",
        &["leads", "overdue", "--json"],
    ));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["leads"][0]["days_overdue"], 4);

    // A handler who works in the inspected county is refused; the lead goes to the city.
    let roster = dir.path().join("handlers.csv");
    std::fs::write(&roster, "id,name,origin,residence,workplace,posts,upbringing,relatives,declared,inspections,rank,skills\nH-local,林晓,350628,,350628,,,,,,,\nH-city,郑强,350602,,350602,,,,,,,\n").unwrap();
    // Before the roster is registered, no handler can be checked.
    let err = refused(
        &at(
            &ledger,
            t1,
            "H-city",
            "discipline-handler",
            &[
                "leads",
                "receive",
                "--lead",
                "L-001",
                "--roster",
                s(&roster),
            ],
        ),
        5,
    );
    assert!(err.contains("register-roster"), "{err}");
    // A handler may not register one.
    refused(
        &at(
            &ledger,
            t1,
            "H-local",
            "discipline-handler",
            &["leads", "register-roster", "--roster", s(&roster)],
        ),
        5,
    );
    ok(&at(
        &ledger,
        t1,
        "office",
        "inspection-office",
        &["leads", "register-roster", "--roster", s(&roster)],
    ));
    // A roster of the handler's own, without the conflict, is refused.
    let own = dir.path().join("own.csv");
    std::fs::write(&own, "id,name,origin,residence,workplace,posts,upbringing,relatives,declared,inspections,rank,skills\nH-local,林晓,350602,,350602,,,,,,,\nH-city,郑强,350602,,350602,,,,,,,\n").unwrap();
    let err = refused(
        &at(
            &ledger,
            t1,
            "H-local",
            "discipline-handler",
            &["leads", "receive", "--lead", "L-001", "--roster", s(&own)],
        ),
        5,
    );
    // It says to bring the registered files, not to register again.
    assert!(
        err.contains("not those registered") && err.contains("same roster"),
        "{err}"
    );
    let err = refused(
        &at(
            &ledger,
            t1,
            "H-local",
            "discipline-handler",
            &[
                "leads",
                "receive",
                "--lead",
                "L-001",
                "--roster",
                s(&roster),
            ],
        ),
        5,
    );
    assert!(err.contains("conflict"), "{err}");
    // Asking again is refused again, but the lead goes up only once.
    refused(
        &at(
            &ledger,
            t1,
            "H-local",
            "discipline-handler",
            &[
                "leads",
                "receive",
                "--lead",
                "L-001",
                "--roster",
                s(&roster),
            ],
        ),
        5,
    );
    let state = dir.path().join("state-now.json");
    ok(&at(
        &ledger,
        t1,
        "office",
        "inspection-office",
        &[
            "leads",
            "export",
            "--what",
            "state",
            "--format",
            "json",
            "--out",
            s(&state),
        ],
    ));
    let parsed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(parsed["leads"]["L-001"]["level"], "city", "{parsed}");
    assert_eq!(parsed["leads"]["L-001"]["escalations"], 1);
    ok(&at(
        &ledger,
        t1,
        "H-city",
        "discipline-handler",
        &[
            "leads",
            "receive",
            "--lead",
            "L-001",
            "--roster",
            s(&roster),
        ],
    ));
    ok(&at(
        &ledger,
        t1,
        "H-city",
        "discipline-handler",
        &[
            "leads",
            "dispose",
            "--lead",
            "L-001",
            "--as",
            "preliminary-verification",
            "--reason",
            "线索具体",
        ],
    ));
    // A sanction before a case is filed is refused.
    refused(
        &at(
            &ledger,
            t1,
            "H-city",
            "discipline-handler",
            &[
                "leads",
                "conclude",
                "--lead",
                "L-001",
                "--sanction",
                "某某:party-warning:违纪",
                "--reason",
                "r",
            ],
        ),
        5,
    );
    ok(&at(
        &ledger,
        t1,
        "H-city",
        "discipline-handler",
        &[
            "leads",
            "file-case",
            "--lead",
            "L-001",
            "--reason",
            "初核属实",
        ],
    ));
    ok(&at(
        &ledger,
        t1,
        "H-city",
        "discipline-handler",
        &[
            "leads",
            "conclude",
            "--lead",
            "L-001",
            "--sanction",
            "某某:party-serious-warning:违规发放补贴",
            "--funds",
            "120000:追回补贴",
            "--reason",
            "审查终结",
        ],
    ));

    let verified = ok(&at(
        &ledger,
        t1,
        "office",
        "inspection-office",
        &[
            "leads",
            "verify",
            "--checkpoint",
            &witness,
            "--witnesses",
            s(&city_file),
            s(&county_file),
        ],
    ));
    assert!(
        verified.contains("ledger verifies")
            && verified.contains("extends checkpoint")
            && verified.contains("the city leading group"),
        "{verified}"
    );
    // One digit copied wrongly: the hint names the typo beside tampering.
    let mut mistyped = witness.clone();
    let last = mistyped.pop().unwrap();
    mistyped.push(if last == '0' { '1' } else { '0' });
    let err = refused(
        &at(
            &ledger,
            t1,
            "office",
            "inspection-office",
            &["leads", "verify", "--checkpoint", &mistyped],
        ),
        4,
    );
    assert!(
        err.contains("the ledger does not extend it") && err.contains("copied wrongly"),
        "{err}"
    );
    // The reveal is for the office, with the key, and recorded.
    refused(
        &at(
            &ledger,
            t1,
            "H-city",
            "discipline-handler",
            &[
                "leads",
                "reveal",
                "--lead",
                "L-001",
                "--key",
                s(&key),
                "--reason",
                "r",
            ],
        ),
        5,
    );
    let revealed = ok(&at(
        &ledger,
        t1,
        "office",
        "inspection-office",
        &[
            "leads",
            "reveal",
            "--lead",
            "L-001",
            "--key",
            s(&key),
            "--reason",
            "答复信访人",
        ],
    ));
    assert!(
        revealed.contains("王秀英 13912345678") && revealed.contains("petitioner-revealed"),
        "{revealed}"
    );
    // The placeholder of the help, given literally, is bad input whose
    // message says where the value comes from.
    let err = refused(
        &at(
            &ledger,
            t1,
            "office",
            "inspection-office",
            &["leads", "verify", "--checkpoint", "SIZE:ROOT"],
        ),
        2,
    );
    assert!(
        err.contains("give the `checkpoint N:…` line an earlier command printed"),
        "{err}"
    );
    // A made-up witness fails verification: exit 4.
    let fake = format!("3:{}", "ab".repeat(32));
    refused(
        &at(
            &ledger,
            t1,
            "office",
            "inspection-office",
            &["leads", "verify", "--witness", &fake],
        ),
        4,
    );

    let proof = dir.path().join("proof.json");
    let said = ok(&at(
        &ledger,
        t1,
        "office",
        "inspection-office",
        &["leads", "prove", "--lead", "L-001", "--out", s(&proof)],
    ));
    // Every writer confirms what it wrote.
    assert!(
        said.starts_with("wrote the inclusion proof of L-001 (")
            && said.contains("against checkpoint ")
            && said.trim_end().ends_with(s(&proof)),
        "{said}"
    );
    assert!(
        std::fs::read_to_string(&proof)
            .unwrap()
            .contains("\"path\"")
    );

    for (what, format, file) in [
        ("log", "json", "log.json"),
        ("leads", "csv", "leads.csv"),
        ("log", "csv", "log.csv"),
        ("state", "json", "state.json"),
        ("leads", "json", "leads.json"),
        ("findings", "json", "findings.json"),
        ("all", "xlsx", "ledger.xlsx"),
    ] {
        let out = dir.path().join(file);
        let said = ok(&at(
            &ledger,
            t1,
            "office",
            "inspection-office",
            &[
                "leads",
                "export",
                "--what",
                what,
                "--format",
                format,
                "--out",
                s(&out),
            ],
        ));
        assert!(
            said.starts_with("wrote ") && said.trim_end().ends_with(s(&out)),
            "{what} {format}: {said}"
        );
        let bytes = std::fs::read(&out).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("王秀英") && !text.contains("13912345678"),
            "{file} shows the petitioner"
        );
    }
    // `--what leads` as json is the leads, not the whole state.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("leads.json")).unwrap()).unwrap();
    assert!(
        json["leads"].is_array() && json.get("lists").is_none(),
        "{json}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("findings.json")).unwrap()).unwrap();
    assert!(
        json["lists"].is_object() && json.get("leads").is_none(),
        "{json}"
    );
    let leads = std::fs::read_to_string(dir.path().join("leads.csv")).unwrap();
    assert!(
        leads.contains("concluded") && leads.contains("120000"),
        "{leads}"
    );

    // The log export, copied to another machine, imports into a new ledger
    // that verifies; a rewritten copy is refused and leaves no file.
    let log = dir.path().join("log.json");
    let copy = dir.path().join("copy.db");
    let out = stdout(&["leads", "import", "--from", s(&log), "--ledger", s(&copy)]);
    assert!(out.contains("it verifies"), "{out}");
    let text = std::fs::read_to_string(&log).unwrap();
    let forged = dir.path().join("forged.json");
    std::fs::write(&forged, text.replacen("L-001", "L-009", 1)).unwrap();
    let other = dir.path().join("other.db");
    let err = fails(
        &[
            "leads",
            "import",
            "--from",
            s(&forged),
            "--ledger",
            s(&other),
        ],
        4,
    );
    assert!(err.contains("forged.json"), "{err}");
    assert!(!other.exists());
    fails(
        &["leads", "import", "--from", s(&log), "--ledger", s(&copy)],
        2,
    );
}

#[test]
fn rectification_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("leads.db");
    let t = "2026-04-01T09:00:00Z";
    let office = |args: &[&str]| at(&ledger, t, "office", "inspection-office", args);
    ok(&office(&["leads", "init", "--jurisdiction", "3506"]));
    let items = dir.path().join("items.csv");
    std::fs::write(&items, "finding,responsible,measures,deadline\n违规发放津贴,张某,清退,2026-04-30\n工程未招标,李某,补办手续,2026-05-31\n").unwrap();
    ok(&office(&[
        "rectify",
        "issue",
        "--list",
        "F1",
        "--round",
        "2026-1",
        "--unit",
        "350628",
        "--issued-on",
        "2026-04-01",
        "--items",
        s(&items),
    ]));
    refused(
        &office(&[
            "rectify",
            "close",
            "--list",
            "F1",
            "--item",
            "1",
            "--evidence",
            " ",
        ]),
        5,
    );
    let closed = ok(&office(&[
        "rectify",
        "close",
        "--list",
        "F1",
        "--item",
        "1",
        "--evidence",
        "清退凭证",
    ]));
    // The receipt says which item.
    assert!(closed.contains("item-closed F1 item 1"), "{closed}");
    ok(&office(&[
        "rectify",
        "rule",
        "--list",
        "F1",
        "--title",
        "津贴发放管理办法",
    ]));
    let status = ok(&office(&["rectify", "status"]));
    assert!(
        status.contains("1/2 items closed, completion 50.0%"),
        "{status}"
    );
    let looked = ok(&at(
        &ledger,
        t,
        "lg",
        "leading-group",
        &[
            "rectify",
            "look-back",
            "--list",
            "F1",
            "--on",
            "2026-06-01",
            "--reopen",
            "1:2026-06-30:仍有未清退",
        ],
    ));
    assert!(
        looked.contains("looked-back F1 on 2026-06-01: item 1 reopened until 2026-06-30"),
        "{looked}"
    );
    let status = ok(&office(&["rectify", "status", "--json"]));
    assert!(status.contains("\"closed\": 0"), "{status}");

    let table = dir.path().join("form.csv");
    let mut text = String::from("序号,姓名\n");
    for i in 1..=28 {
        text += &[i.to_string(), format!("干部{i}\n")].join(",");
    }
    text += "合计,7人\n";
    std::fs::write(&table, text).unwrap();
    let err = fails(&["rectify", "check-table", s(&table)], 4);
    assert!(err.contains("contradict"), "{err}");
    ok(&at(
        &ledger,
        t,
        "P7",
        "team-leader",
        &[
            "rectify",
            "obstruct",
            "--record",
            "O1",
            "--unit",
            "350628-bureau",
            "--team",
            "2026-1/350628",
            "--kind",
            "contradictory-material",
            "--detail",
            "报7人列28人",
            "--table",
            s(&table),
        ],
    ));
    ok(&at(
        &ledger,
        t,
        "lg",
        "leading-group",
        &[
            "rectify",
            "criticise",
            "--notice",
            "N1",
            "--unit",
            "350628-bureau",
            "--obstruction",
            "O1",
            "--text",
            "通报批评",
        ],
    ));
    let findings = dir.path().join("findings.csv");
    ok(&office(&[
        "leads",
        "export",
        "--what",
        "findings",
        "--format",
        "csv",
        "--bom",
        "--out",
        s(&findings),
    ]));
    assert!(
        std::fs::read(&findings)
            .unwrap()
            .starts_with(b"\xEF\xBB\xBF")
    );
}

#[test]
fn a_missing_ledger_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(
        &[
            "leads",
            "overdue",
            "--ledger",
            s(&dir.path().join("none.db")),
        ],
        2,
    );
    assert!(err.contains("none.db"), "{err}");
}

#[test]
fn dates_out_of_range_times_going_back_and_special_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("leads.db");
    let add = |time: &str, lead: &str| {
        at(
            &ledger,
            time,
            "P7",
            "team-leader",
            &[
                "leads",
                "add",
                "--lead",
                lead,
                "--round",
                "2026-1",
                "--team",
                "2026-1/350628",
                "--target",
                "350628",
                "--summary",
                "s",
                "--source",
                "interview",
                "--found-on",
                "2026-03-02",
            ],
        )
    };
    ok(&at(
        &ledger,
        "2026-03-05T09:00:00Z",
        "office",
        "inspection-office",
        &["leads", "init", "--jurisdiction", "3506"],
    ));
    let err = refused(&add("9999-12-31T23:00:00Z", "L1"), 2);
    assert!(
        err.contains("1949-10-01") && err.contains("2100-12-31"),
        "{err}"
    );
    // Event times never go backwards.
    let err = refused(&add("2026-03-04T09:00:00Z", "L1"), 2);
    assert!(err.contains("before the last event's time"), "{err}");
    assert!(err.contains("hint: --now dates a record"), "{err}");
    ok(&add("2026-03-05T10:00:00Z", "L1"));
    // A record dated after the system clock would make every later command
    // not dated later still refused: it is refused itself, and the ledger
    // goes on; reading at a later time is allowed.
    let err = refused(&add("2099-03-01T00:00:00Z", "L9"), 2);
    assert!(err.contains("after the system clock"), "{err}");
    ok(&add("2026-03-05T10:00:00Z", "L8"));
    ok(&at(
        &ledger,
        "2099-03-01T00:00:00Z",
        "office",
        "inspection-office",
        &["leads", "overdue"],
    ));
    // An id with a control character.
    let err = refused(&add("2026-03-05T10:00:00Z", "L\u{1}2"), 2);
    assert!(err.contains("control character"), "{err}");
    // A policy of a billion days.
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../testdata/bad/policy-billion-days.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let err = refused(
        &at(
            &dir.path().join("other.db"),
            "2026-03-05T09:00:00Z",
            "office",
            "inspection-office",
            &[
                "leads",
                "init",
                "--jurisdiction",
                "3506",
                "--policy",
                s(&policy),
            ],
        ),
        2,
    );
    assert!(err.contains("1 to 3650 days"), "{err}");
    assert!(!dir.path().join("other.db").exists());
    // A device or a FIFO as an input is refused before a byte is read.
    let err = fails(
        &[
            "verify",
            "--plan",
            "/dev/zero",
            "--round",
            "/dev/null",
            "--roster",
            "/dev/null",
        ],
        2,
    );
    assert!(err.contains("not a regular file"), "{err}");
    let fifo = dir.path().join("fifo");
    if Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|st| st.success())
    {
        let err = fails(
            &[
                "term",
                "progress",
                "--schedule",
                s(&fifo),
                "--as-of",
                "2024-03-01",
            ],
            2,
        );
        assert!(err.contains("FIFO"), "{err}");
    }
}

#[test]
fn a_replaced_ledger_fails_against_the_witness_files_with_a_ledger_hint() {
    let dir = tempfile::tempdir().unwrap();
    let t = "2026-03-02T09:00:00Z";
    let ledger = dir.path().join("leads.db");
    let witness = dir.path().join("city.witness");
    let office = |ledger: &Path, args: &[&str]| at(ledger, t, "office", "inspection-office", args);
    let leader = |ledger: &Path, args: &[&str]| at(ledger, t, "P7", "team-leader", args);
    for path in [&ledger, &dir.path().join("forged.db")] {
        ok(&office(path, &["leads", "init", "--jurisdiction", "3506"]));
        ok(&leader(
            path,
            &[
                "leads",
                "add",
                "--lead",
                "L1",
                "--round",
                "r",
                "--team",
                "r/350628",
                "--target",
                "350628",
                "--summary",
                "s",
                "--source",
                "interview",
                "--found-on",
                "2026-03-02",
            ],
        ));
        ok(&leader(path, &["leads", "transfer", "--lead", "L1"]));
    }
    // Without --new-witness a missing file is an error, not a new witness.
    let err = refused(
        &office(
            &ledger,
            &[
                "leads",
                "report",
                "--lead",
                "L1",
                "--to",
                "city",
                "--witness",
                s(&witness),
            ],
        ),
        2,
    );
    assert!(err.contains("--new-witness"), "{err}");
    ok(&office(
        &ledger,
        &[
            "leads",
            "report",
            "--lead",
            "L1",
            "--to",
            "city",
            "--witness",
            s(&witness),
            "--new-witness",
        ],
    ));
    // The city's file does not take the county's report.
    let err = refused(
        &office(
            &ledger,
            &[
                "leads",
                "report",
                "--lead",
                "L1",
                "--to",
                "county",
                "--witness",
                s(&witness),
            ],
        ),
        2,
    );
    assert!(err.contains("kept by the city leading group"), "{err}");
    // The city pulls from a copy of the county's ledger on its own machine.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&ledger, &copy).unwrap();
    let pulled = stdout(&pull(
        &copy,
        &witness,
        &["--keeper", "the city leading group"],
    ));
    assert!(pulled.contains("witnessed checkpoint"), "{pulled}");
    // An old file names its keeper: --keeper may be left out, and a wrong
    // one is refused with the file unchanged.
    let pulled = stdout(&pull(&copy, &witness, &[]));
    assert!(
        pulled.starts_with("the city leading group witnessed checkpoint"),
        "{pulled}"
    );
    let before = std::fs::read(&witness).unwrap();
    let err = crate::common::fails(
        &pull(&copy, &witness, &["--keeper", "漳州市巡察领导小组"]),
        2,
    );
    assert!(err.contains("kept by the city leading group"), "{err}");
    assert_eq!(std::fs::read(&witness).unwrap(), before);
    // A new file needs its keeper.
    let fresh = dir.path().join("fresh.witness");
    let err = crate::common::fails(&pull(&copy, &fresh, &["--new-witness"]), 2);
    assert!(err.contains("--keeper"), "{err}");
    assert!(!fresh.exists());
    // The insider swaps in a ledger that never had the report.
    std::fs::copy(dir.path().join("forged.db"), &ledger).unwrap();
    let err = refused(
        &office(&ledger, &["leads", "verify", "--witnesses", s(&witness)]),
        4,
    );
    assert!(
        err.contains("city.witness") && err.contains("witnesses"),
        "{err}"
    );
    assert!(!err.contains("plan the round again"), "{err}");
    // With --json a program reads the failure on standard output too.
    let args = office(
        &ledger,
        &["leads", "verify", "--witnesses", s(&witness), "--json"],
    );
    let out = crate::common::xuncha(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(4));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["valid"], false);
    assert!(
        json["error"]
            .as_str()
            .is_some_and(|e| e.contains("city.witness")),
        "{json}"
    );
    // And no new report is accepted against that witness.
    let err = refused(
        &office(
            &ledger,
            &[
                "leads",
                "report",
                "--lead",
                "L1",
                "--to",
                "city",
                "--witness",
                s(&witness),
            ],
        ),
        4,
    );
    assert!(err.contains("does not extend"), "{err}");
}

/// `xuncha leads witness --ledger COPY --witness FILE EXTRA...`.
fn pull<'a>(copy: &'a Path, file: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "leads",
        "witness",
        "--ledger",
        s(copy),
        "--witness",
        s(file),
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn upgrading_a_current_ledger_changes_nothing() {
    // Made by the previous schema: the triggers of version 1, identities in
    // plain text. (Built with the library's own upgrade test too.)
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("leads.db");
    ok(&at(
        &ledger,
        "2026-03-02T09:00:00Z",
        "office",
        "inspection-office",
        &["leads", "init", "--jurisdiction", "3506"],
    ));
    let key = dir.path().join("office.key");
    let made: serde_json::Value =
        serde_json::from_str(&stdout(&["leads", "keygen", "--out", s(&key), "--json"])).unwrap();
    assert_eq!(made["file"], s(&key));
    assert_eq!(made["key"].as_str().map(str::len), Some(16), "{made}");
    // Already at version 3: nothing to do, and it says so.
    let out = stdout(&["leads", "upgrade", "--ledger", s(&ledger), "--key", s(&key)]);
    assert!(out.contains("schema version 3: 1 event,"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "leads",
        "upgrade",
        "--ledger",
        s(&ledger),
        "--key",
        s(&key),
        "--json",
    ]))
    .unwrap();
    assert_eq!(json["schema_version"], 3);
    assert_eq!(json["events"], 1);
    assert_eq!(json["key"], made["key"]);
}

/// The article's 民政局 case: one petition about a dead man still drawing
/// 低保 led to three problems in the bureau, and an unrelated lead.
#[test]
fn leads_followed_along_the_vine_form_one_cluster() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = dir.path().join("leads.db");
    let t0 = "2026-03-02T09:00:00Z";
    ok(&at(
        &ledger,
        t0,
        "office",
        "inspection-office",
        &["leads", "init", "--jurisdiction", "3506"],
    ));
    let add = |lead: &str, summary: &str, extra: &[&str]| {
        let mut args = vec![
            "leads",
            "add",
            "--lead",
            lead,
            "--round",
            "2026-1",
            "--team",
            "2026-1/350628",
            "--target",
            "350628",
            "--summary",
            summary,
            "--source",
            "interview",
            "--found-on",
            "2026-03-02",
            "--unit",
            "350628",
        ];
        args.extend_from_slice(extra);
        ok(&at(&ledger, t0, "P7", "team-leader", &args));
    };
    add(
        "L-1",
        "已故人员仍领取低保",
        &["--unit", "unit:ph-civil", "--person", "王某"],
    );
    add("L-2", "低保审核把关不严", &["--found-from", "L-1"]);
    add(
        "L-3",
        "民政资金违规发放",
        &["--unit", "unit:ph-civil", "--person", "李某"],
    );
    add("L-4", "福利院采购不规范", &["--person", "李某"]);
    add("L-9", "村道工程款去向不明", &["--person", "张某"]);
    let out = ok(&at(
        &ledger,
        t0,
        "office",
        "inspection-office",
        &["leads", "clusters", "--json"],
    ));
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["leads"], 5);
    assert_eq!(
        json["clusters"], 2,
        "the county code shared by all links nothing"
    );
    let first = &json["shown"][0];
    assert_eq!(
        first["leads"],
        serde_json::json!(["L-1", "L-2", "L-3", "L-4"])
    );
    assert_eq!(first["persons"], serde_json::json!(["李某", "王某"]));
    assert_eq!(first["units"], serde_json::json!(["unit:ph-civil"]));
    let text = ok(&at(
        &ledger,
        t0,
        "office",
        "inspection-office",
        &["leads", "clusters", "--min-size", "2"],
    ));
    assert!(
        text.starts_with("5 leads in 2 clusters; 1 with at least 2 leads:"),
        "{text}"
    );
    assert!(text.contains("L-1 -> L-2: found from it"), "{text}");
    assert!(text.contains("L-3 -> L-4: both implicate 李某"), "{text}");
}

/// 市县两级授权 and 督导组 from the shell: a leader authorised by the city's
/// committee and then the county's is authorised at both levels; the
/// supervision group criticises a unit that obstructed a team; a team
/// member may not authorise.
#[test]
fn two_level_authorisation_and_the_supervision_group_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("leads.db");
    let t = "2026-04-01T09:00:00Z";
    let office = |args: &[&str]| at(&ledger, t, "office", "inspection-office", args);
    ok(&office(&["leads", "init", "--jurisdiction", "3506"]));
    let authorise = |by: &str| {
        office(&[
            "leads",
            "authorise",
            "--round",
            "2026-1",
            "--team",
            "2026-1/350628",
            "--target",
            "350628",
            "--person",
            "P7",
            "--post",
            "leader",
            "--by",
            by,
        ])
    };
    let first = ok(&authorise("city"));
    assert!(
        first.contains(
            "P7 authorised as leader (组长) of 2026-1/350628 by the city committee of 3506"
        ),
        "{first}"
    );
    assert!(
        first.contains("not yet authorised by the county committee"),
        "{first}"
    );
    let second = ok(&authorise("county"));
    assert!(
        second.contains("by the county committee of 350628")
            && second.contains("P7 is authorised at both levels (市县两级授权)"),
        "{second}"
    );
    // Twice at one level: refused (exit 5), nothing appended.
    let err = refused(&authorise("city"), 5);
    assert!(err.contains("authorisation"), "{err}");
    let listed = ok(&office(&[
        "leads",
        "authorisations",
        "--team",
        "2026-1/350628",
    ]));
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(
        listed.lines().all(|l| l.ends_with("both levels")),
        "{listed}"
    );
    let by_member = at(
        &ledger,
        t,
        "P8",
        "team-member",
        &[
            "leads",
            "authorise",
            "--round",
            "2026-1",
            "--team",
            "2026-1/350628",
            "--target",
            "350628",
            "--person",
            "P8",
            "--post",
            "deputy-leader",
            "--by",
            "city",
        ],
    );
    refused(&by_member, 5);

    let group = |args: &[&str]| at(&ledger, t, "dd-1", "supervision-group", args);
    ok(&group(&[
        "rectify",
        "obstruct",
        "--record",
        "O1",
        "--unit",
        "350628-bureau",
        "--team",
        "2026-1/350628",
        "--kind",
        "contradictory-material",
        "--detail",
        "拒不提供材料",
    ]));
    let notice = ok(&group(&[
        "rectify",
        "criticise",
        "--notice",
        "N1",
        "--unit",
        "350628-bureau",
        "--obstruction",
        "O1",
        "--text",
        "通报批评",
    ]));
    assert!(notice.contains("criticism-issued"), "{notice}");
    let verified = ok(&office(&["leads", "verify"]));
    assert!(!verified.is_empty());
}

/// A ledger serves a real division: an unknown jurisdiction is refused and
/// no file is made; one outside Fujian is found in the national list.
#[test]
fn a_ledger_is_opened_for_a_real_division_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nowhere = dir.path().join("nowhere.db");
    let err = fails(
        &[
            "leads",
            "init",
            "--ledger",
            s(&nowhere),
            "--jurisdiction",
            "9999",
        ],
        2,
    );
    assert!(err.contains("no division has this code"), "{err}");
    assert!(!nowhere.exists());
    let beijing = dir.path().join("beijing.db");
    stdout(&[
        "leads",
        "init",
        "--ledger",
        s(&beijing),
        "--jurisdiction",
        "1101",
    ]);
    assert!(beijing.is_file());
}
