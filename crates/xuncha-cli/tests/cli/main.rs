//! End-to-end tests of the `xuncha` binary; modules mirror `src/`.

mod common;
mod demo;
mod examples;
mod forms;
mod hints;
mod insider;
mod leads;
mod limits;
mod org;
mod planning;
mod randomized;
mod replan;
mod roster;
mod rotate;
mod shell;
mod signed;
mod stats;
mod storage;
mod term;
mod tour;
