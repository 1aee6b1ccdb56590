//! xuncha-stats alone: a Wilson interval.
fn main() {
    let interval = xuncha_stats::wilson(7, 28, 0.95).expect("defined");
    let (lower, upper) = (
        interval.lower.expect("lower"),
        interval.upper.expect("upper"),
    );
    assert!(lower < 0.25 && 0.25 < upper);
    println!("xuncha-stats: 7/28 in [{lower:.3}, {upper:.3}]");
}
