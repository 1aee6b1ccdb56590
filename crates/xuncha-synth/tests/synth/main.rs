//! Integration tests of xuncha-synth; modules mirror `src/`.

mod roster;
