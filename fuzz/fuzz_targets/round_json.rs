//! A round in JSON. What loads serialises and reads again to the same
//! round; staffing it with the example roster gives a plan that verifies,
//! or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuncha_assign::Round;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(round) = Round::from_json_str(text) else {
        return;
    };
    let json = serde_json::to_string(&round).expect("a round serialises");
    let again = Round::from_json_str(&json).expect("a serialised round reads back");
    assert_eq!(round, again);
    xuncha_fuzz::staff_and_verify(&round);
});
