#!/usr/bin/env bash
# Packages every published crate with verification (each built from its
# .crate file against its packaged siblings), then builds and runs the
# downstream workspace under tests/downstream/, whose members each depend on
# one library alone, taken from those packages.
set -euo pipefail
cd "$(dirname "$0")/.."
# `cargo package` verifies each crate against its siblings through a
# temporary registry, and cargo extracts that registry's crates under
# $CARGO_HOME/registry/src once per version: a crate repackaged at the same
# version would be verified against the stale extraction of an earlier run.
# Our own crates are never fetched from anywhere else, so they go.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
rm -rf "$cargo_home"/registry/src/*/xuncha-[a-z]*-0.* "$cargo_home"/registry/src/*/xuncha-0.* \
       "$cargo_home"/registry/cache/*/xuncha-[a-z]*-0.* "$cargo_home"/registry/cache/*/xuncha-0.*
cargo package --allow-dirty --workspace --exclude xuncha-benches --exclude xuncha-fuzz-checks
for member in org flow avoid round assign leads stats synth facade; do
    cargo run --quiet --manifest-path tests/downstream/Cargo.toml -p "downstream-$member"
done
