//! Integration tests of xuncha-stats; modules mirror `src/`.

mod aggregate;
mod article;
mod fixtures;
mod interval;
mod report;
