//! Avoidance rules in TOML. What loads formats back to TOML and reads
//! again to the same rules, and checks a person without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuncha_avoid::{Engine, RuleSet};
use xuncha_fuzz::{FUJIAN, ROSTER, UNITS};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = RuleSet::from_toml_str(text) else {
        return;
    };
    let toml = rules.to_toml().expect("rules format as TOML");
    let again = RuleSet::from_toml_str(&toml).expect("formatted rules read back");
    assert_eq!(rules, again);
    let engine = Engine::new(&FUJIAN, &UNITS, rules);
    let target = xuncha_org::Code::parse("350628").expect("a county code");
    for person in ROSTER.people().iter().take(5) {
        let _ = engine.check(
            person,
            &xuncha_avoid::Target::Division(target),
            xuncha_avoid::Role::Member,
            chrono_date(),
        );
    }
});

fn chrono_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date")
}
