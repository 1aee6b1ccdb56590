//! End-to-end tests of the `xuncha` binary; modules mirror `src/`.

mod org;
