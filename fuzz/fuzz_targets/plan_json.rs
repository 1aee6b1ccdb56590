//! A plan in JSON. What loads formats back and reads again to the same
//! plan, and verifying it against the example round and roster lists
//! violations without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuncha_assign::{Plan, verify};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(plan) = Plan::from_json(text) else {
        return;
    };
    let json = plan.to_json().expect("a plan formats as JSON");
    assert_eq!(Plan::from_json(&json).expect("a formatted plan reads back"), plan);
    let engine = xuncha_fuzz::engine();
    let _ = verify(&plan, &xuncha_fuzz::ROUND, &xuncha_fuzz::ROSTER, &engine);
    let mut csv = Vec::new();
    plan.write_csv(&mut csv).expect("a plan writes as CSV");
});
