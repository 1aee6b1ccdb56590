//! xuncha-org alone: the embedded Fujian hierarchy.
fn main() {
    let fujian = xuncha_org::Hierarchy::fujian();
    let counties = fujian.count(xuncha_org::Level::County);
    assert_eq!(counties, 84);
    let pinghe = fujian.lookup("350628").expect("平和县");
    println!("xuncha-org: {counties} counties; {}", pinghe.path_string());
}
