#!/usr/bin/env bash
# Runs fuzz targets one after another, each for SECONDS (default 600),
# from the committed corpus plus the seeds, then minimises the corpus.
# Do not pause a running fuzzer: libFuzzer's timeout runs on the wall clock.
# From the repository root, after `bash fuzz/seed.sh`:
#   bash fuzz/run.sh [SECONDS] [TARGET...]      (default: every target)
# cargo-fuzz needs nightly's -Z flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain take them. Logs go to fuzz/logs/<target>.log; a crash leaves
# its input in fuzz/artifacts/<target>/ and the script goes on.
set -uo pipefail
seconds=${1:-600}
shift || true
cd fuzz
export RUSTC_BOOTSTRAP=1
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "seeds/$t"
  echo "== $t: ${seconds} s"
  cargo fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 > "logs/$t.log" 2>&1
  status=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|cov:|SUMMARY|panicked" "logs/$t.log" | tail -4
  echo "   exit $status"
  cargo fuzz cmin -O "$t" "corpus/$t" > "logs/$t.cmin.log" 2>&1 || true
done
