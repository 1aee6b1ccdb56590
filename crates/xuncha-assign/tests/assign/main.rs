//! Integration tests of xuncha-assign; modules mirror `src/`.

mod flow;
mod rotation;
mod staffing;
