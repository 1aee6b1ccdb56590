//! The five NBS division files (provinces, cities, areas, streets,
//! villages) as one input split at NUL bytes. What loads is a consistent
//! hierarchy: every code reads back from its text and is found by it, and
//! every division lies within its parent, a level above.
//!
//! `bash fuzz/run.sh 600 divisions_csv` (see docs/reliability.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz_checks::divisions_csv(data));
