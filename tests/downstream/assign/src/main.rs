//! xuncha-assign alone: a rotation among three counties.
use xuncha_org::Code;

fn main() {
    let counties: Vec<Code> = ["350602", "350603", "350628"]
        .iter()
        .map(|c| Code::parse(c).expect("a code"))
        .collect();
    let rotation = xuncha_assign::plan_rotation(&counties, &[], 7).expect("a rotation");
    assert_eq!(rotation.pairs().len(), 3);
    assert!(rotation.pairs().iter().all(|(a, b)| a != b));
    println!("xuncha-assign: {:?}", rotation.pairs());
}
