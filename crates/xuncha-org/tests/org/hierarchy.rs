//! The hierarchy's queries, on the embedded Fujian default and the real
//! national list.

use proptest::prelude::*;
use xuncha_org::{Code, Division, DivisionKind, Hierarchy, Level, LevelCounts};

use crate::common::{fujian, national};

fn code(text: &str) -> Code {
    Code::parse(text).expect("valid test code")
}

#[test]
fn the_hierarchy_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Hierarchy>();
}

#[test]
fn fujian_has_the_published_counts() {
    assert_eq!(
        fujian().counts(),
        LevelCounts {
            province: 1,
            city: 9,
            county: 84,
            township: 1_170,
            village: 17_498
        }
    );
}

#[test]
fn the_national_list_has_the_published_counts() {
    let counts = national().counts();
    assert_eq!(
        counts,
        LevelCounts {
            province: 31,
            city: 342,
            county: 2_978,
            township: 41_352,
            village: 620_573
        }
    );
    assert_eq!(national().len(), counts.total());
}

#[test]
fn the_embedded_national_list_is_the_published_one() {
    let embedded = Hierarchy::national();
    assert_eq!(embedded.counts(), national().counts());
    assert_eq!(embedded.source(), "embedded national (NBS 2023)");
    let rows = |h: &Hierarchy| -> Vec<(Code, String, Option<Code>)> {
        h.iter()
            .map(|d| {
                (
                    d.code(),
                    d.name().to_owned(),
                    d.parent().map(Division::code),
                )
            })
            .collect()
    };
    assert_eq!(rows(&embedded), rows(national()));
}

#[test]
fn the_embedded_fujian_matches_the_national_subtree() {
    let national_fujian: Vec<(Code, &str)> = national()
        .lookup("35")
        .expect("Fujian is in the national list")
        .subtree()
        .map(|d| (d.code(), d.name()))
        .collect();
    let embedded: Vec<(Code, &str)> = fujian().iter().map(|d| (d.code(), d.name())).collect();
    assert_eq!(embedded, national_fujian);
}

#[test]
fn lookup_gives_the_full_path() {
    let longhai = fujian().lookup("350604").expect("龙海区 exists");
    assert_eq!(longhai.name(), "龙海区");
    assert_eq!(longhai.path_string(), "福建省 / 漳州市 / 龙海区");
    assert_eq!(longhai.level(), Level::County);
    let padded = fujian().lookup("350600000000").expect("padded city code");
    assert_eq!(padded.name(), "漳州市");
}

#[test]
fn unknown_and_malformed_codes_are_typed_errors() {
    assert!(matches!(
        fujian().lookup("350681"),
        Err(xuncha_org::Error::UnknownCode { .. })
    ));
    assert!(matches!(
        fujian().lookup("35x"),
        Err(xuncha_org::Error::InvalidCode { .. })
    ));
    assert!(fujian().get(code("44")).is_none());
}

#[test]
fn children_are_one_level_down_and_know_their_parent() {
    for division in fujian().iter() {
        let mut below = 1;
        for child in division.children() {
            assert_eq!(child.parent(), Some(division));
            assert_eq!(Some(child.level()), division.level().child());
            below += child.subtree().len();
        }
        assert_eq!(below, division.subtree().len(), "{division}");
    }
}

#[test]
fn grouping_rows_are_marked_as_groupings() {
    let china = national();
    for grouping in [
        "1101", "1201", "3101", "5001", "5002", "4190", "4290", "4690", "6590",
    ] {
        let division = china.lookup(grouping).expect("grouping row exists");
        assert_eq!(division.kind(), DivisionKind::Grouping, "{division}");
        assert!(division.children().count() > 0);
    }
    assert!(!china.lookup("3506").expect("漳州市").is_grouping());
    let groupings = china.iter().filter(|d| d.is_grouping()).count();
    assert_eq!(groupings, 9);
}

#[test]
fn cities_without_counties_still_answer_which_county_a_township_is_in() {
    let china = national();
    for (city, county) in [
        ("4419", "441900"),
        ("4420", "442000"),
        ("4604", "460400"),
        ("6202", "620201"),
    ] {
        let city = china.lookup(city).expect("city exists");
        let county = Code::parse_at(county, Level::County).expect("county code");
        let townships: Vec<Division<'_>> = city
            .subtree()
            .filter(|d| d.level() == Level::Township)
            .collect();
        assert!(!townships.is_empty(), "{city} has townships");
        for township in townships {
            let found = township
                .ancestor_at(Level::County)
                .expect("every township has a county");
            assert_eq!(found.code(), county, "{township}");
            assert_eq!(found.name(), city.name());
            assert_eq!(township.ancestor_at(Level::City), Some(city));
        }
    }
}

#[test]
fn jinmen_placeholders_keep_their_levels() {
    let village = Code::parse_at("350527000000", Level::Village).expect("village code");
    let township = Code::parse_at("350527000", Level::Township).expect("township code");
    let county = fujian().lookup("350527").expect("金门县");
    let village = fujian().get(village).expect("placeholder village");
    let township = fujian().get(township).expect("placeholder township");
    assert_eq!(village.parent(), Some(township));
    assert_eq!(township.parent(), Some(county));
    assert!(county.contains(village));
}

#[test]
fn searching_a_repeated_name_returns_every_match_with_its_path() {
    let matches = national().find("城关镇");
    assert_eq!(matches.len(), 88);
    let mut paths: Vec<String> = matches.iter().map(|d| d.path_string()).collect();
    assert!(
        paths
            .iter()
            .all(|p| p.ends_with(" / 城关镇") && p.split(" / ").count() == 4)
    );
    paths.sort();
    paths.dedup();
    assert!(paths.len() > 1, "the matches lie in different places");
    assert!(
        matches.windows(2).all(|w| w[0].code() < w[1].code()),
        "results come in code order"
    );
}

#[test]
fn prefix_search_finds_every_name_with_the_prefix() {
    let found = fujian().find_prefix("平和");
    let expected: Vec<Division<'_>> = fujian()
        .iter()
        .filter(|d| d.name().starts_with("平和"))
        .collect();
    assert_eq!(found, expected);
    assert!(found.iter().any(|d| d.name() == "平和县"));
    assert!(fujian().find_prefix("no such name").is_empty());
    assert!(fujian().find("").is_empty());
}

#[test]
fn levels_iterate_in_code_order() {
    let counties: Vec<Code> = fujian()
        .at_level(Level::County)
        .map(Division::code)
        .collect();
    assert_eq!(counties.len(), 84);
    assert!(counties.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(fujian().roots().count(), 1);
}

/// The slow, obvious answer: walk up from `b` looking for `a`.
fn contains_by_walking(a: Division<'_>, b: Division<'_>) -> bool {
    a == b || b.ancestors().any(|ancestor| ancestor == a)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn contains_agrees_with_walking_the_parents(
        a in 0..620_000usize,
        b in 0..665_276usize,
        level in 0..5usize,
        related in any::<bool>(),
    ) {
        let china = national();
        let b = china.division_at(b % china.len()).expect("in range");
        // Half the pairs are an ancestor and its descendant, half random.
        let a = if related {
            b.ancestor_at(Level::ALL[level]).unwrap_or(b)
        } else {
            china.division_at(a % china.len()).expect("in range")
        };
        let expected = contains_by_walking(a, b);
        prop_assert_eq!(china.contains(a.id(), b.id()), expected);
        prop_assert_eq!(a.contains(b), expected);
        prop_assert_eq!(a.code().contains(b.code()), expected);
        prop_assert_eq!(china.contains_code(a.code(), b.code()), expected);
    }

    #[test]
    fn ancestors_are_one_per_level_above(index in 0..665_276usize) {
        let china = national();
        let division = china.division_at(index % china.len()).expect("in range");
        let levels: Vec<Level> = division.ancestors().map(Division::level).collect();
        let expected: Vec<Level> = Level::ALL[..division.level().index()].iter().rev().copied().collect();
        prop_assert_eq!(levels, expected);
        for ancestor in division.ancestors() {
            prop_assert_eq!(division.ancestor_at(ancestor.level()), Some(ancestor));
            prop_assert_eq!(division.code().ancestor_at(ancestor.level()), Some(ancestor.code()));
        }
        prop_assert_eq!(division.path().len(), division.level().index() + 1);
    }
}
