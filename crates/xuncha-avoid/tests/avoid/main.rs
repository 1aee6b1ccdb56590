//! Integration tests of xuncha-avoid; modules mirror `src/`.

mod common;
mod engine;
mod roster;
mod rule;
mod ties;
