#!/usr/bin/env python3
"""The national round (`examples/national_round`: 2,978 counties, 100,000
synthetic people, the city-or-province pool) beside LEMON solving that
round's own staffing networks, exported as DIMACS by the same example.

Alternates the two, one run each in turn: `staff` timed inside the example
(index, offers, networks, solving, reading the plan back; loading the
hierarchy and making the roster not counted), LEMON's network simplex on
every exported network (best of seven solves each, reading the files not
counted, as `run.py` times it), summed. Prints the median of each and of
the per-pair ratios.

    cargo build --release -p xuncha-benches --examples
    python3 benches/peers/national_round.py --runs 7
"""

import argparse
import pathlib
import re
import statistics
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "target" / "release" / "examples" / "national_round"
OUT = ROOT / "target" / "peers" / "national-round"
DRIVER = ROOT / "target" / "peers" / "lemon_solver"


def staff_ms(extra=()):
    out = subprocess.run([str(EXAMPLE), *extra], capture_output=True, text=True, check=True).stdout
    found = re.search(r"staffed (\d+) teams in (\d+) ms", out)
    if not found:
        raise SystemExit(f"unexpected output: {out}")
    return float(found.group(2))


def lemon_ms(files):
    out = subprocess.run([str(DRIVER), *map(str, files)], capture_output=True, text=True, check=True).stdout
    return sum(float(line.split()[2]) for line in out.splitlines()) / 1000.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not pathlib.Path("/usr/include/lemon/network_simplex.h").exists():
        subprocess.run(["apt-get", "install", "-y", "liblemon-dev"], check=True)
    DRIVER.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["g++", "-O2", "-std=c++17", "-o", str(DRIVER), str(ROOT / "benches/peers/lemon_solver.cpp"), "-llemon"],
        check=True,
    )
    for old in OUT.glob("*.min"):
        old.unlink()
    staff_ms(["--dimacs", str(OUT)])
    files = sorted(OUT.glob("*.min"))
    ours, theirs, ratios = [], [], []
    for _ in range(args.runs):
        a = staff_ms()
        b = lemon_ms(files)
        ours.append(a)
        theirs.append(b)
        ratios.append(a / b)
    print(f"{len(files)} networks")
    print(f"xuncha staff (whole round): median {statistics.median(ours):.0f} ms (min {min(ours):.0f}, max {max(ours):.0f})")
    print(f"LEMON, the same networks:   median {statistics.median(theirs):.0f} ms (min {min(theirs):.0f}, max {max(theirs):.0f})")
    print(f"ratio per pair:             median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f}), {args.runs} pairs")


if __name__ == "__main__":
    main()
