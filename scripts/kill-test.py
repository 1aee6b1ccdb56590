#!/usr/bin/env python3
"""Kill tests: `xuncha leads init`, `leads import`, `leads add` and `demo`
killed with SIGKILL at random points, then checked.

After every kill:
- nothing is left that blocks the retry, and the retry succeeds;
- a ledger that exists verifies (`xuncha leads verify`);
- every `add` that was acknowledged (exit 0 before the kill) is in the
  ledger, and sending the same command id again appends nothing;
- every file the demo wrote is whole: the old one or the new one.

Usage: scripts/kill-test.py [--kills N] [--bin PATH] [--seed S]
The result of a run is recorded in docs/reliability.md.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

NOW = "2026-03-02T09:00:00Z"


def run(bin_, args, check=True):
    out = subprocess.run([bin_] + args, capture_output=True, text=True)
    if check and out.returncode != 0:
        raise SystemExit(f"xuncha {' '.join(args)} failed ({out.returncode}): {out.stderr}")
    return out


def killed(bin_, args, delay):
    """Starts xuncha, kills it after `delay` seconds; True if it finished first."""
    proc = subprocess.Popen([bin_] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(delay)
    if proc.poll() is not None:
        return proc.returncode == 0
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return False


def duration(bin_, args):
    start = time.monotonic()
    run(bin_, args)
    return time.monotonic() - start


def verify(bin_, ledger):
    out = run(bin_, ["leads", "verify", "--ledger", ledger, "--json"])
    return json.loads(out.stdout)["verified"]["events"]


def leads_of(bin_, ledger, folder):
    out = os.path.join(folder, "state.json")
    run(bin_, ["leads", "export", "--ledger", ledger, "--what", "state", "--format", "json", "--out", out])
    with open(out, encoding="utf-8") as f:
        return set(json.load(f)["leads"])


def leftovers(folder):
    """Temporary files of processes still running: there must be none (a
    killed process's are stale, in nobody's way, and cleared by the next
    write of the same file)."""
    out = []
    for name in os.listdir(folder):
        if ".tmp-" not in name:
            continue
        pid = name.split(".tmp-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and os.path.exists(f"/proc/{pid}"):
            out.append(name)
    return out


def init_args(ledger):
    return ["leads", "init", "--ledger", ledger, "--jurisdiction", "3506", "--now", NOW, "--actor", "office"]


def test_init(bin_, kills, rng, folder):
    t = duration(bin_, init_args(os.path.join(folder, "probe-init.db")))
    survived = 0
    for i in range(kills):
        ledger = os.path.join(folder, f"init-{i}.db")
        done = killed(bin_, init_args(ledger), rng.uniform(0, 1.5 * t))
        survived += done
        if os.path.exists(ledger):
            verify(bin_, ledger)  # whole, or it would not be there
        else:
            run(bin_, init_args(ledger))  # the retry is not blocked
            verify(bin_, ledger)
    return survived


def test_import(bin_, kills, rng, folder):
    source = os.path.join(folder, "source.db")
    run(bin_, init_args(source))
    for n in range(200):
        run(bin_, add_args(source, f"S{n}", f"s-{n}"))
    log = os.path.join(folder, "log.json")
    run(bin_, ["leads", "export", "--ledger", source, "--what", "log", "--format", "json", "--out", log])
    events = verify(bin_, source)
    t = duration(bin_, ["leads", "import", "--from", log, "--ledger", os.path.join(folder, "probe-import.db")])
    survived = 0
    for i in range(kills):
        ledger = os.path.join(folder, f"import-{i}.db")
        args = ["leads", "import", "--from", log, "--ledger", ledger]
        survived += killed(bin_, args, rng.uniform(0, 1.5 * t))
        if not os.path.exists(ledger):
            run(bin_, args)
        assert verify(bin_, ledger) == events, f"import {i}: a partial ledger"
    return survived


def add_args(ledger, lead, command):
    return [
        "leads", "add", "--ledger", ledger, "--now", NOW, "--actor", "P7", "--role", "team-leader",
        "--lead", lead, "--round", "2026-1", "--team", "2026-1/350628", "--target", "350628",
        "--summary", "村级工程款去向不明", "--source", "interview", "--found-on", "2026-03-02",
        "--id", command,
    ]


def test_add(bin_, kills, rng, folder):
    ledger = os.path.join(folder, "add.db")
    run(bin_, init_args(ledger))
    t = duration(bin_, add_args(ledger, "probe", "probe"))
    acknowledged = {"probe"}
    sent = {"probe"}
    for i in range(kills):
        lead = f"L{i}"
        sent.add(lead)
        if killed(bin_, add_args(ledger, lead, f"add-{i}"), rng.uniform(0, 1.5 * t)):
            acknowledged.add(lead)
        verify(bin_, ledger)
        present = leads_of(bin_, ledger, folder)
        missing = acknowledged - present
        assert not missing, f"acknowledged but lost: {missing}"
        assert present <= sent, f"leads nobody sent: {present - sent}"
    # Resend every command: each appears exactly once.
    before = verify(bin_, ledger)
    resent = 0
    for i in range(kills):
        out = run(bin_, add_args(ledger, f"L{i}", f"add-{i}"))
        resent += "already recorded" not in out.stdout
    after = verify(bin_, ledger)
    assert after == before + resent, "a resent command appended twice"
    assert leads_of(bin_, ledger, folder) == sent
    return len(acknowledged) - 1


def demo_whole(out):
    """Every file the demo wrote reads as whole."""
    names = set(os.listdir(out))
    for name in names:
        path = os.path.join(out, name)
        if name.startswith(".xuncha-demo.tmp-"):
            continue  # the killed run's staging folder, removed by the next run
        if name.endswith(".json"):
            with open(path, encoding="utf-8") as f:
                json.load(f)
        if name.endswith(".html"):
            with open(path, encoding="utf-8") as f:
                assert f.read().rstrip().endswith("</html>"), f"{name} truncated"
        if name.endswith(".toml") or name.endswith(".csv") or name.endswith(".md"):
            with open(path, "rb") as f:
                data = f.read()
            assert data.endswith(b"\n"), f"{name} truncated"


def test_demo(bin_, kills, rng, folder):
    out = os.path.join(folder, "demo")
    t = duration(bin_, ["demo", "--out", out])
    survived = 0
    for i in range(kills):
        survived += killed(bin_, ["demo", "--out", out, "--seed", format(i + 1, "x")], rng.uniform(0, 1.2 * t))
        demo_whole(out)
        if os.path.exists(os.path.join(out, "ledger.sqlite")):
            verify(bin_, os.path.join(out, "ledger.sqlite"))
    run(bin_, ["demo", "--out", out])
    demo_whole(out)
    assert not [n for n in os.listdir(out) if n.startswith(".")], "the staging folder stayed"
    return survived


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--bin", default="target/release/xuncha")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        for name, test in [("init", test_init), ("import", test_import), ("add", test_add), ("demo", test_demo)]:
            start = time.monotonic()
            finished = test(args.bin, args.kills, rng, folder)
            assert not leftovers(folder), f"{name}: temporary files left: {leftovers(folder)}"
            print(
                f"{name}: {args.kills} runs killed at random points, {args.kills - finished} of them "
                f"before they finished; every check held ({time.monotonic() - start:.1f} s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
