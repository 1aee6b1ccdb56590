//! Integration tests of xuncha-leads.

// A scenario reads best as one function, however long rustfmt makes it.
#![allow(clippy::too_many_lines)]

mod authorisation;
mod clusters;
mod common;
mod crash;
mod export;
mod faults;
mod frontier;
mod lifecycle;
mod properties;
mod rectification;
mod redecide;
mod replay;
mod signatures;
mod snapshot;
mod sqlite;
mod tamper;
mod witness;
