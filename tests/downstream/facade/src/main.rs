//! The facade: the whole toolkit through one dependency.
use xuncha::prelude::*;

fn main() {
    let fujian = Hierarchy::fujian();
    assert_eq!(fujian.count(Level::County), 84);
    println!("xuncha: {} counties", fujian.count(Level::County));
}
