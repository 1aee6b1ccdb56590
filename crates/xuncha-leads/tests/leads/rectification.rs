//! Finding lists, look-backs, obstructions and criticism notices.

use chrono::NaiveDate;
use xuncha_leads::{
    Action, CriticismNotice, Error, FindingItemFacts, FindingListFacts, ItemStatus, MemoryStore,
    Obstruction, ObstructionKind, check_totals_reader,
};

use crate::common::{assert_snapshot_is_replay, group, leader, ledger, office, run};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, d).unwrap()
}

fn list() -> FindingListFacts {
    let item = |n: u32| FindingItemFacts {
        finding: format!("问题{n}"),
        responsible: format!("责任人{n}"),
        measures: format!("措施{n}"),
        deadline: day(10 * n),
    };
    FindingListFacts {
        id: "F-350628".into(),
        round: "2026-1".into(),
        unit: "350628".into(),
        issued_on: day(1),
        items: vec![item(1), item(2), item(3)],
    }
}

#[test]
fn items_close_one_by_one_and_a_look_back_reopens_them() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    run(
        &mut ledger,
        "issue",
        &office(),
        Action::IssueFindings { list: list() },
    )
    .unwrap();
    let close = |n: u32, evidence: &str| Action::CloseItem {
        list: "F-350628".into(),
        item: n,
        evidence: evidence.into(),
    };
    let err = run(&mut ledger, "c0", &office(), close(1, "")).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Incomplete {
                field: "evidence",
                ..
            }
        ),
        "{err}"
    );
    run(&mut ledger, "c1", &office(), close(1, "制度文件及整改报告")).unwrap();
    run(&mut ledger, "c2", &office(), close(2, "退还资金凭证")).unwrap();
    let err = run(&mut ledger, "c2b", &office(), close(2, "again")).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert!(matches!(
        run(&mut ledger, "c9", &office(), close(9, "x")),
        Err(Error::NotFound { kind: "item", .. })
    ));
    run(
        &mut ledger,
        "rule",
        &office(),
        Action::EstablishRule {
            list: "F-350628".into(),
            title: "村级工程项目管理办法".into(),
        },
    )
    .unwrap();
    run(
        &mut ledger,
        "fu",
        &office(),
        Action::ScheduleFollowUp {
            list: "F-350628".into(),
            on: day(20),
            note: "跟踪第3项".into(),
        },
    )
    .unwrap();
    let state = ledger.state();
    let l = &state.lists["F-350628"];
    assert_eq!(l.closed(), 2);
    assert!((l.completion_rate().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(l.rules, ["村级工程项目管理办法"]);
    // Item 3 (deadline 4-30) is overdue on 5-01; items 1 and 2 are closed.
    let overdue = state.overdue_items(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
    assert_eq!(overdue.len(), 1);
    assert_eq!(
        (overdue[0].item, overdue[0].responsible.as_str()),
        (3, "责任人3")
    );

    // The look-back finds item 2's fix did not hold.
    let err = run(
        &mut ledger,
        "lb0",
        &group(),
        Action::LookBack {
            list: "F-350628".into(),
            on: day(28),
            reopen: vec![(3, "未整改".into(), day(30))],
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Incomplete {
                field: "a closed item",
                ..
            }
        ),
        "{err}"
    );
    run(
        &mut ledger,
        "lb",
        &group(),
        Action::LookBack {
            list: "F-350628".into(),
            on: day(28),
            reopen: vec![(2, "资金未全部退还".into(), day(30))],
        },
    )
    .unwrap();
    let l = &ledger.state().lists["F-350628"];
    assert_eq!(l.items[1].status, ItemStatus::Open);
    assert_eq!((l.items[1].reopened, l.items[1].deadline), (1, day(30)));
    assert_eq!(l.closed(), 1);
    assert_eq!(l.look_backs, [day(28)]);
    ledger.verify().unwrap();
    assert_snapshot_is_replay(ledger.into_store());
}

#[test]
fn an_obstruction_backed_by_a_contradictory_table_earns_a_criticism_notice() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    let mut table = String::from("序号,姓名,职务\n");
    for i in 1..=28 {
        table += &[i.to_string(), format!("干部{i}"), "科员\n".into()].join(",");
    }
    table += "合计,7人,\n";
    let mismatches = check_totals_reader(table.as_bytes(), "报送表.csv").unwrap();
    assert_eq!(mismatches.len(), 1);
    let obstruction = Obstruction {
        id: "O1".into(),
        unit: "350628-bureau".into(),
        team: "2026-1/350628".into(),
        kind: ObstructionKind::ContradictoryMaterial,
        detail: "报送人数 7 人, 名单列 28 人".into(),
        mismatches,
    };
    run(
        &mut ledger,
        "o",
        &leader(),
        Action::RecordObstruction { obstruction },
    )
    .unwrap();
    let notice = |unit: &str, obstructions: Vec<String>| CriticismNotice {
        id: "N1".into(),
        unit: unit.into(),
        obstructions,
        text: "关于对某局干扰巡察工作的通报".into(),
    };
    let err = run(
        &mut ledger,
        "n0",
        &group(),
        Action::IssueCriticism {
            notice: notice("other-unit", vec!["O1".into()]),
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    let err = run(
        &mut ledger,
        "n1",
        &group(),
        Action::IssueCriticism {
            notice: notice("350628-bureau", vec![]),
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::Incomplete { .. }), "{err}");
    run(
        &mut ledger,
        "n2",
        &group(),
        Action::IssueCriticism {
            notice: notice("350628-bureau", vec!["O1".into()]),
        },
    )
    .unwrap();
    assert_eq!(ledger.state().notices.len(), 1);
    assert!((ledger.state().obstructions["O1"].mismatches[0].actual - 28.0).abs() < 1e-9);
    assert_snapshot_is_replay(ledger.into_store());
}

/// A bad date in a finding items file names its line, its field and the
/// form a date takes.
#[test]
fn a_bad_deadline_names_its_line_field_and_form() {
    let text = "finding,responsible,measures,deadline\n\
                村务公开不及时,张某,每月公开,2026-06-30\n\
                资金未退还,李某,追回,2026/07/31\n";
    let err = xuncha_leads::FindingItemFacts::read_csv(text.as_bytes(), "items.csv").unwrap_err();
    let said = err.to_string();
    assert!(said.contains("items.csv"), "{said}");
    assert!(said.contains("line 3"), "{said}");
    assert!(
        said.contains("field `deadline`") && said.contains("YYYY-MM-DD"),
        "{said}"
    );
}
