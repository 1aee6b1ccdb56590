//! The forms of round of `docs/examples/`, each planned and verified:
//! counterpart (对口), elevated (提级), mobile (机动式) and synchronised
//! (上借下力) rounds.

use std::path::{Path, PathBuf};

use crate::common::{fails, s, stdout, xuncha};

fn example(name: &str) -> String {
    format!(
        "{}/../../docs/examples/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn forms(file: &str) -> String {
    format!("{}/../../testdata/forms/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// Plans `round` from `roster` (with the forms' units), verifies the plan,
/// and returns it.
fn plan_and_verify(round: &str, roster: &str, dir: &Path) -> serde_json::Value {
    let plan: PathBuf = dir.join("plan.json");
    let units = forms("units.csv");
    let output = xuncha(&[
        "plan",
        "--round",
        round,
        "--roster",
        roster,
        "--units",
        &units,
        "--out",
        s(&plan),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verified = stdout(&[
        "verify",
        "--plan",
        s(&plan),
        "--round",
        round,
        "--roster",
        roster,
        "--units",
        &units,
    ]);
    assert!(verified.starts_with("the plan holds"), "{verified}");
    serde_json::from_str(&std::fs::read_to_string(&plan).expect("the plan")).expect("JSON")
}

/// Each member's (person id, origin) of each team, by target.
fn members(plan: &serde_json::Value) -> Vec<(String, Vec<(String, String)>)> {
    plan["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .map(|t| {
            let people = t["members"]
                .as_array()
                .expect("members")
                .iter()
                .map(|m| {
                    (
                        m["person"].as_str().expect("a person").to_owned(),
                        m["origin"].as_str().expect("an origin").to_owned(),
                    )
                })
                .collect();
            (t["target"].as_str().expect("a target").to_owned(), people)
        })
        .collect()
}

/// The roster's workplace of each person.
fn workplaces() -> std::collections::HashMap<String, String> {
    let text = std::fs::read_to_string(forms("roster.csv")).expect("the roster");
    text.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[0].to_owned(), cells[4].to_owned())
        })
        .collect()
}

#[test]
fn a_counterpart_round_sends_each_county_bureau_to_another_countys_counterpart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = plan_and_verify(
        &example("zhangzhou-counterpart"),
        &forms("roster.csv"),
        dir.path(),
    );
    let work = workplaces();
    let teams = members(&plan);
    assert_eq!(teams.len(), 4);
    let mut inspecting = Vec::new();
    for (target, people) in &teams {
        // Every member works in a county 民政局, none in the target's county.
        let bureau = target.trim_start_matches("unit:");
        for (id, _) in people {
            let at = &work[id];
            assert!(
                at.ends_with("-civil") && at != "unit:zz-civil",
                "{id} works at {at}"
            );
            assert_ne!(
                at.trim_start_matches("unit:"),
                bureau,
                "{id} inspects their own bureau"
            );
        }
        // The whole team comes from one county's bureau.
        let origins: std::collections::BTreeSet<_> = people.iter().map(|(_, o)| o).collect();
        assert_eq!(origins.len(), 1, "{target}: {people:?}");
        inspecting.push(work[&people[0].0].clone());
    }
    // A rotation: each county's bureau inspects exactly one other.
    inspecting.sort();
    inspecting.dedup();
    assert_eq!(inspecting.len(), 4, "{inspecting:?}");
    assert_eq!(plan["rotation"].as_array().expect("a rotation").len(), 4);
}

#[test]
fn an_elevated_round_is_staffed_from_the_city_organs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = plan_and_verify(
        &example("zhangzhou-elevated"),
        &forms("roster.csv"),
        dir.path(),
    );
    let work = workplaces();
    let teams = members(&plan);
    assert_eq!(teams.len(), 3);
    for (target, people) in &teams {
        for (id, _) in people {
            let at = &work[id];
            assert!(
                at == "3506" || at.starts_with("unit:zz-"),
                "{target}: {id} works at {at}, not in the city's organs"
            );
        }
    }
}

#[test]
fn verification_refuses_a_county_cadre_on_an_elevated_team() {
    let dir = tempfile::tempdir().expect("temp dir");
    let round = example("zhangzhou-elevated");
    let roster = forms("roster.csv");
    let plan = plan_and_verify(&round, &roster, dir.path());
    // Swap a member for F002, a clerk of 龙海区民政局, on 漳浦县's team.
    let mut text = serde_json::to_string(&plan).expect("JSON");
    let zhangpu = &plan["teams"][1];
    assert_eq!(zhangpu["target"], "unit:zp-civil");
    let member = zhangpu["members"][3]["person"].as_str().expect("an id");
    text = text.replacen(
        &format!("\"person\":\"{member}\""),
        "\"person\":\"F002\"",
        1,
    );
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, text).expect("write");
    let out = String::from_utf8_lossy(
        &xuncha(&[
            "verify",
            "--plan",
            s(&tampered),
            "--round",
            &round,
            "--roster",
            &roster,
            "--units",
            &forms("units.csv"),
        ])
        .stdout,
    )
    .into_owned();
    assert!(
        out.contains(
            "the round draws people who work at city level, and F002 works at unit:lh-civil"
        ),
        "{out}"
    );
}

#[test]
fn a_mobile_round_sends_city_wide_teams_to_three_villages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let roster = dir.path().join("roster.csv");
    stdout(&[
        "roster",
        "generate",
        "--count",
        "800",
        "--seed",
        "3502",
        "--within",
        "3502",
        "--date",
        "2018-04-01",
        "--out",
        s(&roster),
    ]);
    let plan = plan_and_verify(&example("xiamen-mobile"), s(&roster), dir.path());
    let teams = members(&plan);
    assert_eq!(teams.len(), 3);
    for (target, people) in &teams {
        let district = &target[..6];
        assert!(
            people
                .iter()
                .all(|(_, o)| o.starts_with("3502") && o != district),
            "{target}: {people:?}"
        );
    }
}

#[test]
fn a_synchronised_round_is_planned_in_the_provincial_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let roster = dir.path().join("roster.csv");
    stdout(&[
        "roster",
        "generate",
        "--count",
        "800",
        "--seed",
        "3505",
        "--within",
        "3505",
        "--date",
        "2018-04-01",
        "--out",
        s(&roster),
    ]);
    let round = example("quanzhou-synchronised");
    let plan = plan_and_verify(&round, s(&roster), dir.path());
    assert_eq!(members(&plan).len(), 3);

    // The same round a day past the provincial window is refused.
    let late = dir.path().join("late.toml");
    let text = std::fs::read_to_string(&round).expect("the round");
    std::fs::write(
        &late,
        text.replace("end = \"2018-05-31\"", "end = \"2018-06-16\""),
    )
    .expect("write");
    let stderr = fails(
        &[
            "plan",
            "--round",
            s(&late),
            "--roster",
            s(&roster),
            "--out",
            s(&dir.path().join("p.json")),
        ],
        2,
    );
    assert!(
        stderr.contains("accompanies: the round runs 2018-04-09 to 2018-06-16, outside fj-2018-xunshi-1's window 2018-04-02 to 2018-06-15"),
        "{stderr}"
    );
}

/// Each person's (workplace, rank) in the forms' roster.
fn ranks() -> std::collections::HashMap<String, String> {
    let text = std::fs::read_to_string(forms("roster.csv")).expect("the roster");
    text.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[0].to_owned(), cells[10].to_owned())
        })
        .collect()
}

#[test]
fn supervision_groups_are_staffed_from_the_city_discipline_commission_away_from_their_counties() {
    let dir = tempfile::tempdir().expect("temp dir");
    let round = example("zhangzhou-supervised");
    let roster = forms("roster.csv");
    let plan = plan_and_verify(&round, &roster, dir.path());
    let work = workplaces();
    let rank = ranks();
    let teams = plan["teams"].as_array().expect("teams");
    assert_eq!(teams.len(), 6);
    let groups: Vec<&serde_json::Value> = teams
        .iter()
        .filter(|t| t["kind"] == "supervision-group")
        .collect();
    assert_eq!(groups.len(), 2, "two supervision groups");
    // The inspection teams carry no kind (the file reads as before).
    assert!(teams[..4].iter().all(|t| t.get("kind").is_none()));
    for group in groups {
        let target = group["target"].as_str().expect("a target");
        let overseen: Vec<&str> = target.split('+').collect();
        let members = group["members"].as_array().expect("members");
        assert_eq!(members.len(), 2, "{target}: a leader and a deputy");
        for m in members {
            let id = m["person"].as_str().expect("an id");
            assert_eq!(work[id], "unit:zz-discipline", "{target}: {id}");
            let origin = m["origin"].as_str().expect("an origin");
            assert!(!overseen.contains(&origin), "{target}: {id} from {origin}");
        }
        let leader = members[0]["person"].as_str().expect("an id");
        assert_eq!(members[0]["role"], "leader");
        assert_eq!(rank[leader], "director", "{target}: {leader}");
    }

    // A group led below division-head level is refused, saying so.
    let low = dir.path().join("low.toml");
    let text = std::fs::read_to_string(&round).expect("the round");
    std::fs::write(
        &low,
        text.replacen(
            "min_leader_rank = \"deputy-director\" }",
            "min_leader_rank = \"section-chief\" }",
            1,
        ),
    )
    .expect("write");
    let units = forms("units.csv");
    let stderr = fails(
        &[
            "plan",
            "--round",
            s(&low),
            "--roster",
            &roster,
            "--units",
            &units,
            "--out",
            s(&dir.path().join("p.json")),
        ],
        2,
    );
    assert!(
        stderr.contains("targets[4]: a supervision group is led at division-head level"),
        "{stderr}"
    );

    // Verification refuses a group member from a county it oversees:
    // F045 (龙海区, a clerk of the commission) put on 龙海/漳浦's group.
    let mut tampered_plan = plan.clone();
    let deputy = &mut tampered_plan["teams"][4]["members"][1];
    deputy["person"] = "F045".into();
    deputy["origin"] = "350604".into();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, tampered_plan.to_string()).expect("write");
    let out = xuncha(&[
        "verify",
        "--plan",
        s(&tampered),
        "--round",
        &round,
        "--roster",
        &roster,
        "--units",
        &units,
    ]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("F045"), "{text}");
}

/// 市县两级授权 from a plan: every inspection team's leader and deputy of
/// the supervised counterpart round is authorised by the city's committee
/// and by the inspected county's, and each is then authorised at both
/// levels; the ledger verifies.
#[test]
fn the_planned_leaders_and_deputies_are_authorised_at_both_levels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = plan_and_verify(
        &example("zhangzhou-supervised"),
        &forms("roster.csv"),
        dir.path(),
    );
    let division: std::collections::HashMap<String, String> =
        std::fs::read_to_string(forms("units.csv"))
            .expect("the units")
            .lines()
            .skip(1)
            .map(|line| {
                let cells: Vec<&str> = line.split(',').collect();
                (format!("unit:{}", cells[0]), cells[3].to_owned())
            })
            .collect();
    let ledger = dir.path().join("leads.db");
    let office = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend([
            "--ledger",
            s(&ledger),
            "--actor",
            "office-3506",
            "--role",
            "inspection-office",
            "--now",
            "2026-06-01T09:00:00Z",
        ]);
        stdout(&all)
    };
    office(&["leads", "init", "--jurisdiction", "3506"]);
    let mut authorised = 0;
    for team in plan["teams"].as_array().expect("teams") {
        if team.get("kind").is_some() {
            continue;
        }
        let target = &division[team["target"].as_str().expect("a target")];
        for member in team["members"].as_array().expect("members") {
            let post = member["role"].as_str().expect("a role");
            if post != "leader" && post != "deputy-leader" {
                continue;
            }
            let person = member["person"].as_str().expect("a person");
            let id = team["id"].as_str().expect("an id");
            for by in ["city", "county"] {
                office(&[
                    "leads",
                    "authorise",
                    "--round",
                    "2026-zz-supervised-civil",
                    "--team",
                    id,
                    "--target",
                    target,
                    "--person",
                    person,
                    "--post",
                    post,
                    "--by",
                    by,
                ]);
            }
            authorised += 1;
        }
    }
    assert_eq!(authorised, 8, "a leader and a deputy on each of four teams");
    let listed = office(&["leads", "authorisations"]);
    assert_eq!(listed.lines().count(), 16, "{listed}");
    assert!(
        listed.lines().all(|l| l.ends_with("both levels")),
        "{listed}"
    );
    let verified = office(&["leads", "verify"]);
    assert!(!verified.is_empty());
}
