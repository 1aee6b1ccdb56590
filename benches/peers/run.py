#!/usr/bin/env python3
"""Differential check of xuncha's network simplex against two peers.

Writes the seeded instances (cargo example `dimacs_instances`), solves every
one with OR-Tools' SimpleMinCostFlow (PyPI `ortools`) and LEMON's network
simplex (Debian `liblemon-dev`, through the small C++ driver beside this
script), checks that all three optimal costs (or infeasibility verdicts) are
equal, and prints the time ratios per shape. Solve times only, setting up
the solver counted and reading the file not: xuncha (cargo example
`solve_dimacs`) and LEMON each take the best of seven solves per file,
alternating in chunks of files, three rounds over all, each file's best
kept; OR-Tools the best of seven.

Usage, from the repository root:  python3 benches/peers/run.py
Installs what it lacks: `apt-get install liblemon-dev` (as root) and
`pip install ortools`. Exits non-zero on any disagreement.
"""

import csv
import importlib
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "peers"
SOLVE = ROOT / "target" / "release" / "examples" / "solve_dimacs"
# Rounds of alternating xuncha and LEMON over every file (see timed_rounds).
ROUNDS = 3


def ensure_tools():
    if not pathlib.Path("/usr/include/lemon/network_simplex.h").exists():
        subprocess.run(["apt-get", "install", "-y", "liblemon-dev"], check=True)
    try:
        importlib.import_module("ortools")
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "ortools"], check=True)
    driver = OUT / "lemon_solver"
    subprocess.run(
        ["g++", "-O2", "-std=c++17", "-o", str(driver), str(ROOT / "benches/peers/lemon_solver.cpp"), "-llemon"],
        check=True,
    )
    return driver


def read_dimacs(path):
    supplies, arcs, n = {}, [], 0
    for line in open(path):
        f = line.split()
        if not f or f[0] == "c":
            continue
        if f[0] == "p":
            n = int(f[2])
        elif f[0] == "n":
            supplies[int(f[1]) - 1] = int(f[2])
        elif f[0] == "a":
            arcs.append((int(f[1]) - 1, int(f[2]) - 1, int(f[3]), int(f[4]), int(f[5])))
    return n, supplies, arcs


def solve_ortools(path):
    import numpy as np
    from ortools.graph.python import min_cost_flow

    n, supplies, arcs = read_dimacs(path)
    supply = [0] * n
    for node, s in supplies.items():
        supply[node] = s
    offset = 0
    # OR-Tools has no lower bounds: move them into the supplies.
    for (u, v, low, _cap, cost) in arcs:
        supply[u] -= low
        supply[v] += low
        offset += low * cost
    smcf = min_cost_flow.SimpleMinCostFlow()
    if arcs:
        smcf.add_arcs_with_capacity_and_unit_cost(
            np.array([a[0] for a in arcs], dtype=np.int32),
            np.array([a[1] for a in arcs], dtype=np.int32),
            np.array([a[3] - a[2] for a in arcs], dtype=np.int64),
            np.array([a[4] for a in arcs], dtype=np.int64),
        )
    for node in range(n):
        smcf.set_node_supply(node, supply[node])
    # Best of seven solves, as the other two are timed.
    micros = float("inf")
    for _ in range(7):
        start = time.perf_counter()
        status = smcf.solve()
        micros = min(micros, (time.perf_counter() - start) * 1e6)
    if status == smcf.OPTIMAL:
        return str(smcf.optimal_cost() + offset), micros
    return "infeasible", micros


def timed_rounds(files, driver):
    """Per file, the optimal cost and the best time of xuncha and of LEMON.

    Each solver takes its best of seven solves per file, in chunks of 200
    files that alternate between the two, and the whole is done ROUNDS
    times, keeping each file's best: a busy moment of a shared machine then
    falls on both solvers alike or on neither.
    """
    ours, lemon = {}, {}
    for _ in range(ROUNDS):
        for i in range(0, len(files), 200):
            chunk = files[i : i + 200]
            for command, into in (([str(SOLVE), "--runs", "7"], ours), ([str(driver)], lemon)):
                done = subprocess.run(command + chunk, check=True, capture_output=True, text=True)
                for line in done.stdout.splitlines():
                    f, cost, micros = line.split()
                    old = into.get(f)
                    if old is not None and old[0] != cost:
                        raise SystemExit(f"{f}: the same solver gave {old[0]} and {cost}")
                    into[f] = (cost, min(float(micros), old[1] if old else float("inf")))
    return ours, lemon


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    driver = ensure_tools()
    cargo = ["cargo", "-q", "--release", "-p", "xuncha-benches", "--example"]
    subprocess.run(["cargo", "build"] + cargo[1:] + ["solve_dimacs"], check=True, cwd=ROOT)
    subprocess.run(["cargo", "run"] + cargo[1:] + ["dimacs_instances", "--", str(OUT)], check=True, cwd=ROOT)
    rows = list(csv.DictReader(open(OUT / "manifest.csv")))
    files = [str(OUT / r["file"]) for r in rows]
    ours, lemon = timed_rounds(files, driver)
    mismatches = 0
    times = {}
    for r in rows:
        f = str(OUT / r["file"])
        mine = ours[f]
        ort = solve_ortools(f)
        lem = lemon[f]
        if not (r["cost"] == mine[0] == ort[0] == lem[0]):
            mismatches += 1
            print(f"MISMATCH {r['file']}: xuncha {mine[0]} (when written: {r['cost']}), OR-Tools {ort[0]}, LEMON {lem[0]}")
        t = times.setdefault(r["shape"], [0.0, 0.0, 0.0, 0])
        t[0] += mine[1]
        t[1] += ort[1]
        t[2] += lem[1]
        t[3] += 1
    print(f"{len(rows)} instances, {mismatches} disagreements")
    print(f"{'shape':<11} {'count':>5} {'xuncha ms':>10} {'OR-Tools ms':>12} {'LEMON ms':>9} {'xuncha/OR-Tools':>16} {'xuncha/LEMON':>13}")
    for shape, (mine, ort, lem, count) in sorted(times.items()):
        print(
            f"{shape:<11} {count:>5} {mine / 1e3:>10.1f} {ort / 1e3:>12.1f} {lem / 1e3:>9.1f} "
            f"{mine / max(ort, 1):>16.2f} {mine / max(lem, 1):>13.2f}"
        )
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
