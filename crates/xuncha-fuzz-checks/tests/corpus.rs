//! Replays every input the fuzzers kept (`fuzz/corpus/<target>/`) and every
//! input that once failed (`fuzz/regressions/<target>/`) through its
//! target's check: a fuzz finding, once fixed, stays fixed.

use std::path::PathBuf;

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_kept_input_and_every_past_failure_passes_its_check() {
    let mut replayed = 0;
    for (target, check) in xuncha_fuzz_checks::TARGETS {
        let corpus = inputs("corpus", target);
        assert!(!corpus.is_empty(), "fuzz/corpus/{target} is empty");
        for path in corpus.iter().chain(&inputs("regressions", target)) {
            let data = std::fs::read(path).unwrap();
            check(&data);
            replayed += 1;
        }
    }
    assert!(replayed > 100, "only {replayed} inputs");
}
