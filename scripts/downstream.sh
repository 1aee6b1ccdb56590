#!/usr/bin/env bash
# Packages every published crate with verification (each built from its
# .crate file against its packaged siblings), then builds and runs the
# downstream workspace under tests/downstream/, whose members each depend on
# one library alone, taken from those packages.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo package --allow-dirty --workspace --exclude xuncha-benches --exclude xuncha-fuzz-checks
for member in org flow avoid assign leads stats synth facade; do
    cargo run --quiet --manifest-path tests/downstream/Cargo.toml -p "downstream-$member"
done
