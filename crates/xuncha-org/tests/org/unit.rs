//! Units located in divisions.

use std::path::Path;

use xuncha_org::{Code, DataProblem, Unit, UnitId, UnitKind, Units};

use crate::common::fujian;

const UNITS: &str = "\
id,name,kind,division,parent
zz-civil,漳州市民政局,bureau,3506,
ph-civil,平和县民政局,bureau,350628,
ph-road,公路局平和分局,branch,350628,zz-road
zz-road,漳州市公路局,bureau,3506,
xx-dm,东门社区居委会,village-committee,350628100201,
lh-land,龙海区不动产登记中心,centre,350681,
xm-civil,厦门市民政局,bureau,3502,
";

fn code(text: &str) -> Code {
    Code::parse(text).expect("valid test code")
}

fn units() -> Units {
    Units::from_csv_reader(Path::new("units.csv"), UNITS.as_bytes(), fujian()).expect("valid units")
}

#[test]
fn units_in_covers_the_whole_subtree() {
    let units = units();
    let ids = |division: &str| -> Vec<&str> {
        let mut ids: Vec<&str> = units
            .units_in(code(division))
            .iter()
            .map(|u| u.id.as_str())
            .collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(ids("350628"), ["ph-civil", "ph-road", "xx-dm"]);
    assert_eq!(
        ids("3506"),
        [
            "lh-land", "ph-civil", "ph-road", "xx-dm", "zz-civil", "zz-road"
        ]
    );
    assert_eq!(ids("35").len(), 7);
    assert_eq!(ids("350628100"), ["xx-dm"]);
    assert!(ids("3505").is_empty());
}

#[test]
fn units_in_agrees_with_the_hierarchy() {
    let units = units();
    for division in fujian().iter().take(2_000) {
        let expected: Vec<&Unit> = units
            .iter()
            .filter(|u| fujian().contains_code(division.code(), u.division))
            .collect();
        let found: Vec<&Unit> = units.units_in(division.code()).iter().collect();
        assert_eq!(found, expected, "{division}");
    }
}

#[test]
fn an_old_division_code_is_resolved_through_the_history() {
    let units = units();
    let land = units.get(&UnitId::from("lh-land")).expect("unit");
    assert_eq!(land.division, code("350604"));
    assert_eq!(land.kind, UnitKind::Centre);
    let road = units.get(&UnitId::from("ph-road")).expect("unit");
    assert_eq!(road.parent, Some(UnitId::from("zz-road")));
}

fn error_for(csv: &str) -> xuncha_org::Error {
    Units::from_csv_reader(Path::new("units.csv"), csv.as_bytes(), fujian()).expect_err("bad units")
}

#[test]
fn bad_units_are_located_errors() {
    let header = "id,name,kind,division,parent\n";
    let err = error_for(&format!("{header}a,甲,bureau,350699,\n"));
    assert!(
        matches!(
            err.data_problem(),
            Some(DataProblem::UnknownDivision { .. })
        ),
        "{err}"
    );
    assert_eq!(
        err.location().map(ToString::to_string).as_deref(),
        Some("units.csv, line 2, field `division`")
    );

    let err = error_for(&format!("{header}a,甲,bureau,3506,\na,乙,bureau,3506,\n"));
    assert!(
        matches!(err.data_problem(), Some(DataProblem::DuplicateUnit { .. })),
        "{err}"
    );

    let err = error_for(&format!("{header}a,甲,bureau,3506,b\n"));
    assert!(
        matches!(
            err.data_problem(),
            Some(DataProblem::UnknownParentUnit { .. })
        ),
        "{err}"
    );

    let err = error_for(&format!("{header}a,甲,bureau,3506,b\nb,乙,bureau,3506,a\n"));
    assert!(
        matches!(err.data_problem(), Some(DataProblem::UnitCycle { .. })),
        "{err}"
    );

    let err = error_for(&format!("{header}a,甲,bureau,35x6,\n"));
    assert!(
        matches!(err.data_problem(), Some(DataProblem::InvalidCode { .. })),
        "{err}"
    );

    let err = error_for(&format!("{header},甲,bureau,3506,\n"));
    assert_eq!(err.location().and_then(|l| l.field.as_deref()), Some("id"));

    let err = error_for("id,name,division\na,甲,3506\n");
    assert!(
        matches!(err.data_problem(), Some(DataProblem::MissingColumn { .. })),
        "{err}"
    );
}

#[test]
fn units_round_trip_through_json() {
    let units = units();
    let json = serde_json::to_string(&units.iter().collect::<Vec<_>>()).expect("serialise");
    let back: Vec<Unit> = serde_json::from_str(&json).expect("deserialise");
    let rebuilt = Units::new(back, fujian()).expect("valid");
    assert_eq!(
        rebuilt.iter().collect::<Vec<_>>(),
        units.iter().collect::<Vec<_>>()
    );
    assert_eq!(UnitKind::Other("协会".into()).to_string(), "协会");
}
