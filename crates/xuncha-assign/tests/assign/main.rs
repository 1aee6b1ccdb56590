//! Integration tests of xuncha-assign; modules mirror `src/`.

mod alternates;
mod fixtures;
mod randomized;
mod replan;
mod rotation;
mod skills;
mod staffing;
mod term;
mod ties;
