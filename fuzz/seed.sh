#!/usr/bin/env bash
# Seeds each fuzz target's corpus from real files: slices of the NBS
# division list, the demo's outputs, the facade's examples, the malformed
# inputs of testdata/bad. Run from the repository root:
#   bash fuzz/seed.sh [DIVISIONS_DIR]   (default ../shared/data/divisions)
# The seeds go to fuzz/seeds/<target>/ (not committed); the corpus the
# fuzzer keeps, minimised, is fuzz/corpus/<target>/ (committed).
set -euo pipefail
divisions=${1:-../shared/data/divisions}
seeds=fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
cargo build --release -q -p xuncha-cli
xuncha=target/release/xuncha
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The five division files as one input, split at NUL: the first lines of
# each file, and Fujian's rows of each file.
for t in divisions_csv units_csv roster_csv roster_json rules_toml round_toml round_json plan_json code_history ledger_import event_decode; do
  mkdir -p "$seeds/$t"
done
python3 - "$divisions" "$seeds/divisions_csv" <<'PY'
import sys, pathlib
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
files = ["provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"]
def lines(name, keep, limit):
    with open(src / name, "rb") as f:
        head = f.readline()
        rows = [l for l in f if keep(l)][:limit]
    return head + b"".join(rows)
for label, keep, limit in [
    ("head", lambda l: True, 12),
    ("fujian-3508", lambda l: l.startswith(b"35") and (len(l.split(b",")[0]) <= 2 or l.startswith(b"3508")), 40),
    ("beijing", lambda l: l.startswith(b"11"), 25),
]:
    (out / label).write_bytes(b"\0".join(lines(f, keep, limit) for f in files))
PY

"$xuncha" demo --out "$work/demo" > /dev/null
"$xuncha" roster generate --count 12 --seed 5eed --out "$work/roster.csv"
"$xuncha" roster generate --count 12 --seed 5eed --out "$work/roster.json"
cp "$work/roster.csv" "$seeds/roster_csv/synthetic.csv"
head -n 40 crates/xuncha/examples/data/roster.csv > "$seeds/roster_csv/example.csv"
cp testdata/bad/roster-*.csv "$seeds/roster_csv/"
cp "$work/roster.json" "$seeds/roster_json/synthetic.json"
cp testdata/bad/units-*.csv "$seeds/units_csv/"
printf 'id,name,kind,division,parent\nu-1,漳浦县财政局,bureau,350623,\nu-2,漳浦县财政局办公室,office,350623,u-1\n' > "$seeds/units_csv/two.csv"
cp "$work/demo/rules.toml" "$seeds/rules_toml/demo.toml"
cp "$work/demo/round.toml" "$seeds/round_toml/demo.toml"
cp testdata/bad/round-*.toml "$seeds/round_toml/"
cp crates/xuncha/examples/data/round.toml "$seeds/round_toml/example.toml"
python3 -c 'import sys, tomllib, json; print(json.dumps(tomllib.load(open(sys.argv[1], "rb")), default=str))' \
  crates/xuncha/examples/data/round.toml > "$seeds/round_json/example.json"
"$xuncha" plan --round crates/xuncha/examples/data/round.toml --roster crates/xuncha/examples/data/roster.csv \
  --out "$seeds/plan_json/example.json" > /dev/null
cp testdata/bad/plan-*.json "$seeds/plan_json/"
printf 'old,new,date,kind,note\n350681,350604,2021-06-01,recoded,龙海撤市设区\n350628,350606,2021-06-01,merged,\n' > "$seeds/code_history/two.csv"
python3 - "$work/demo/ledger.sqlite" "$seeds/event_decode" <<'PY'
import sqlite3, sys, pathlib
db = sqlite3.connect(sys.argv[1])
rows = [r[0] for r in db.execute("select body from events order by seq")]
out = pathlib.Path(sys.argv[2])
for n in (1, 5, 40):
    (out / f"first-{n}").write_bytes(b"\n".join(bytes(r) for r in rows[:n]))
PY
# Log exports of the demo ledger's first events, with their RFC 6962
# checkpoint (leaf = SHA-256(0x00 || stored bytes)).
python3 - "$work/demo/ledger.sqlite" "$seeds/ledger_import" <<'PY'
import hashlib, json, sqlite3, sys, pathlib
db = sqlite3.connect(sys.argv[1])
rows = [bytes(r[0]) for r in db.execute("select body from events order by seq")]
def root(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\0" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\1" + root(leaves[:k]) + root(leaves[k:])).digest()
out = pathlib.Path(sys.argv[2])
for n in (0, 3, 25):
    log = {"version": 1, "checkpoint": {"size": n, "root": root(rows[:n]).hex()},
           "events": [json.loads(r) for r in rows[:n]]}
    (out / f"first-{n}.json").write_text(json.dumps(log, ensure_ascii=False, indent=2))
PY
ls "$seeds"/* | head -100
