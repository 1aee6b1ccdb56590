//! Integration tests of xuncha-org; modules mirror `src/`.

mod code;
mod common;
mod hierarchy;
mod history;
mod nbs;
mod unit;
