//! A round in TOML. What loads formats back to TOML and reads again to the
//! same round; staffing it with the example roster gives a plan that
//! verifies, or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuncha_assign::Round;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(round) = Round::from_toml_str(text) else {
        return;
    };
    let toml = round.to_toml().expect("a round formats as TOML");
    let again = Round::from_toml_str(&toml).expect("a formatted round reads back");
    assert_eq!(round, again);
    xuncha_fuzz::staff_and_verify(&round);
});
