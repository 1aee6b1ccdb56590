#!/usr/bin/env python3
"""`xuncha leads add` as a fresh process on a long ledger, beside its peer:
the `sqlite3` shell inserting the same bytes into a copy of the same file
with the same durability (WAL, synchronous=FULL). Alternates the two, one
run each in turn, and prints the median wall time of each and the median
of the per-pair ratios.

    python3 benches/peers/leads_add.py --bin target/release/xuncha \
        --ledger target/xuncha-bench/leads-1m-v4.db --runs 15
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="xuncha-add-")
    try:
        ledger = os.path.join(work, "ledger.db")
        peer = os.path.join(work, "peer.db")
        shutil.copy(args.ledger, ledger)
        shutil.copy(args.ledger, peer)
        subprocess.run(
            ["sqlite3", peer, "CREATE TABLE scratch (seq INTEGER PRIMARY KEY, body BLOB NOT NULL);"],
            check=True,
        )
        ours, theirs, ratios = [], [], []
        for run in range(args.runs + 1):
            lead = f"BENCH-{os.getpid()}-{run}"
            add = [
                args.bin, "leads", "add", "--ledger", ledger, "--actor", "P7",
                "--role", "team-leader", "--lead", lead, "--round", "2026-1",
                "--team", "2026-1/350628", "--target", "350628",
                "--summary", "村级工程款去向不明", "--source", "interview",
                "--found-on", "2026-03-02", "--json",
            ]
            start = time.perf_counter()
            out = subprocess.run(add, capture_output=True, check=True)
            a = time.perf_counter() - start
            # The same bytes the ledger stored: the event's JSON, about the
            # size of the row `add` appended.
            body = out.stdout.hex()[: 2 * 700]
            sql = (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                f"INSERT INTO scratch (body) VALUES (x'{body}');"
            )
            start = time.perf_counter()
            subprocess.run(["sqlite3", peer, sql], capture_output=True, check=True)
            b = time.perf_counter() - start
            if run == 0:
                continue  # warm-up
            ours.append(a)
            theirs.append(b)
            ratios.append(a / b)
        print(f"xuncha leads add: median {statistics.median(ours) * 1e3:.1f} ms "
              f"(min {min(ours) * 1e3:.1f}, max {max(ours) * 1e3:.1f})")
        print(f"sqlite3 insert:   median {statistics.median(theirs) * 1e3:.1f} ms "
              f"(min {min(theirs) * 1e3:.1f}, max {max(theirs) * 1e3:.1f})")
        print(f"ratio per pair:   median {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}), {args.runs} pairs")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
