//! Integration tests of xuncha-avoid; modules mirror `src/`.

mod common;
mod engine;
mod inspected;
mod roster;
mod rule;
mod ties;
