//! Code history: resolving old codes to current divisions.

use std::path::Path;

use chrono::NaiveDate;
use xuncha_org::{ChangeKind, Code, CodeChange, CodeHistory, DataProblem, Error};

use crate::common::{fujian, national};

fn code(text: &str) -> Code {
    Code::parse(text).expect("valid test code")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

#[test]
fn the_fujian_changes_of_2021_resolve_to_the_current_districts() {
    for (old, new, name) in [
        ("350681", "350604", "龙海区"),
        ("350625", "350605", "长泰区"),
        ("350427", "350405", "沙县区"),
        ("350402", "350404", "三元区"),
        ("350403", "350404", "三元区"),
    ] {
        for hierarchy in [fujian(), national()] {
            let resolved = hierarchy
                .resolve(code(old), date(2016, 3, 1))
                .expect("old codes resolve");
            assert_eq!(resolved.division.code(), code(new));
            assert_eq!(resolved.division.name(), name);
            assert_eq!(resolved.steps.len(), 1);
            assert_eq!(resolved.steps[0].date, date(2021, 2, 2));
            assert!(!resolved.is_current());
        }
    }
}

#[test]
fn a_stale_code_in_a_newer_record_still_resolves() {
    let resolved = fujian()
        .resolve(code("350681"), date(2024, 1, 1))
        .expect("resolves");
    assert_eq!(resolved.division.code(), code("350604"));
}

#[test]
fn a_current_code_resolves_to_itself() {
    let resolved = fujian()
        .resolve(code("350628"), date(2016, 3, 1))
        .expect("current");
    assert!(resolved.is_current());
    assert_eq!(resolved.division.name(), "平和县");
}

#[test]
fn divisions_below_a_renamed_county_are_not_guessed() {
    // Township codes under an old county code changed too; without a row in
    // the history they are unknown, not silently mapped.
    assert!(matches!(
        fujian().resolve(code("350681100"), date(2016, 1, 1)),
        Err(Error::UnknownCode { .. })
    ));
}

fn change(old: &str, new: &str, when: NaiveDate, kind: ChangeKind) -> CodeChange {
    CodeChange {
        old: code(old),
        new: code(new),
        date: when,
        kind,
        note: String::new(),
    }
}

#[test]
fn a_split_is_ambiguous_and_names_the_candidates() {
    let history = CodeHistory::new(vec![
        change("350699", "350628", date(2015, 1, 1), ChangeKind::Split),
        change("350699", "350627", date(2015, 1, 1), ChangeKind::Split),
    ]);
    let hierarchy = fujian().clone().with_history(history);
    match hierarchy.resolve(code("350699"), date(2010, 1, 1)) {
        Err(Error::AmbiguousCode { candidates, .. }) => {
            assert_eq!(candidates, vec![code("350627"), code("350628")]);
        }
        other => panic!("expected ambiguity, got {other:?}"),
    }
}

#[test]
fn chains_of_changes_are_followed_in_date_order() {
    let history = CodeHistory::new(vec![
        change("350698", "350699", date(2005, 1, 1), ChangeKind::Renamed),
        change("350699", "350628", date(2015, 1, 1), ChangeKind::Renamed),
    ]);
    let hierarchy = fujian().clone().with_history(history);
    let resolved = hierarchy
        .resolve(code("350698"), date(2000, 1, 1))
        .expect("chain");
    assert_eq!(resolved.division.code(), code("350628"));
    assert_eq!(resolved.steps.len(), 2);
}

#[test]
fn a_loop_in_the_history_is_an_error_not_a_hang() {
    let history = CodeHistory::new(vec![
        change("350698", "350699", date(2005, 1, 1), ChangeKind::Renamed),
        change("350699", "350698", date(2006, 1, 1), ChangeKind::Renamed),
    ]);
    let hierarchy = fujian().clone().with_history(history);
    assert!(matches!(
        hierarchy.resolve(code("350698"), date(2010, 1, 1)),
        Err(Error::HistoryLoop { .. })
    ));
}

#[test]
fn history_csv_errors_name_the_line_and_field() {
    let bad_date = "old,new,date,kind\n350681,350604,2021-13-01,renamed\n";
    let err = CodeHistory::from_csv_reader(Path::new("changes.csv"), bad_date.as_bytes())
        .expect_err("bad date");
    assert_eq!(
        err.to_string(),
        "changes.csv, line 2, field `date`: \"2021-13-01\" is not a date as YYYY-MM-DD"
    );

    let bad_kind = "old,new,date,kind\n350681,350604,2021-02-02,moved\n";
    let err = CodeHistory::from_csv_reader(Path::new("changes.csv"), bad_kind.as_bytes())
        .expect_err("bad kind");
    assert!(matches!(
        err.data_problem(),
        Some(DataProblem::InvalidValue { .. })
    ));

    let same = "old,new,date,kind\n350681,350681,2021-02-02,renamed\n";
    assert!(CodeHistory::from_csv_reader(Path::new("changes.csv"), same.as_bytes()).is_err());

    let no_kind = "old,new,date\n350681,350604,2021-02-02\n";
    let err = CodeHistory::from_csv_reader(Path::new("changes.csv"), no_kind.as_bytes())
        .expect_err("missing column");
    assert_eq!(
        err.location().and_then(|l| l.field.as_deref()),
        Some("kind")
    );
}

#[test]
fn the_history_round_trips_through_json() {
    let history = CodeHistory::builtin();
    let json = serde_json::to_string(&history).expect("serialise");
    let back: CodeHistory = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, history);
    assert_eq!(back.len(), 5);
}

/// The national history: every code it names as old resolves, on the
/// national list, from a day before its change, to a current division, or
/// says that it was split among several (the rows of `same-name-several`);
/// no chain ends in a code the list lacks or runs in a circle.
#[test]
fn every_code_of_the_national_history_resolves_on_the_national_list() {
    let history = CodeHistory::national();
    assert!(history.len() > 3_000, "{}", history.len());
    let (mut resolved, mut ambiguous) = (0, 0);
    let mut olds: Vec<(Code, NaiveDate)> = history
        .changes()
        .iter()
        .map(|c| (c.old, c.date.pred_opt().expect("a day before")))
        .collect();
    olds.dedup();
    for (old, before) in olds {
        match national().resolve(old, before) {
            Ok(found) => {
                assert!(!found.steps.is_empty() || national().get(old).is_some());
                resolved += 1;
            }
            Err(Error::AmbiguousCode { .. }) => ambiguous += 1,
            Err(other) => panic!("{old} before {before}: {other}"),
        }
    }
    assert!(
        resolved > 2_900,
        "{resolved} resolved, {ambiguous} ambiguous"
    );
    assert!(ambiguous < 60, "{ambiguous} ambiguous");
    let curated = CodeHistory::builtin();
    for change in history.changes() {
        if !curated.changes_from(change.old).is_empty() {
            continue;
        }
        assert!(
            change.note.contains("; rule ") && change.note.contains("; confidence "),
            "{change:?}"
        );
    }
}

/// The reviewed sample of `docs/formats.md`: the inferred links agree with
/// what happened, and Fujian's curated changes replace the inferred ones.
#[test]
fn the_national_history_holds_the_reviewed_sample() {
    for (old, on, new, name) in [
        // 2015: 密云县 and 延庆县 became districts of 北京.
        ("110228", date(2010, 1, 1), "110118", "密云区"),
        ("110229", date(2010, 1, 1), "110119", "延庆区"),
        // 2016: 淮安's 清河区 and 清浦区 became 清江浦区.
        ("320802", date(2010, 1, 1), "320812", "清江浦区"),
        // 2019: 莱芜's 钢城区 moved to 济南.
        ("371203", date(2010, 1, 1), "370117", "钢城区"),
        // 河南's 登封县: to 郑州 in 1983 (410125), a city under the province
        // in 1994 (419018), then under 郑州 (410185): three steps.
        ("412127", date(1980, 1, 1), "410185", "登封市"),
        // Fujian's curated merge of 梅列区 into 三元区 (the inferred row, to
        // 三明市, gives way).
        ("350402", date(2016, 1, 1), "350404", "三元区"),
    ] {
        let found = national()
            .resolve(code(old), on)
            .unwrap_or_else(|e| panic!("{old}: {e}"));
        assert_eq!(found.division.code(), code(new), "{old}");
        assert_eq!(found.division.name(), name, "{old}");
    }
    // 密云县 the day after its last list still resolves (a stale code in
    // a newer record follows its latest change), with the date.
    let miyun = national()
        .resolve(code("110228"), date(2024, 1, 1))
        .expect("resolves");
    assert_eq!(miyun.steps[0].date, date(2015, 11, 1));
}
