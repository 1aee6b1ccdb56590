#!/usr/bin/env python3
"""Writes testdata/article/: records built to match the figures of the
source article (People's Daily, 2019-01-07, 福建省探索推动县级交叉巡察),
in the formats xuncha-stats reads.

    python3 scripts/article-fixture.py            # from the repository's root

Deterministic: no randomness, the same files every run. It writes

  plans/<scene>/<round>.toml  round files (docs/formats.md, "Round"), one
                              directory per scene of the article, so that
                              `xuncha stats --plans DIR --by mode` gives a
                              scene's cross and regular groups alone;
  petitions.csv               the petitions CSV (docs/formats.md);
  leads.csv                   the leads, one row per group of leads with
                              the same history: `leads` leads of `round`'s
                              team at `target`, found, transferred, a case
                              filed and concluded on the days given (empty:
                              not yet), with the outcome of the conclusion;
  findings.csv                the finding lists (问题清单): `items` items,
                              the first `closed` of them closed on
                              `closed_on`, `rules` rules established on
                              `rules_on`.

The test crates/xuncha-stats/tests/stats/article.rs builds a SQLite ledger
from leads.csv and findings.csv through xuncha-leads' commands, then computes
the figures with xuncha-stats. What the article leaves open (how many teams
each city sent, the channels of the petitions, the days) is chosen here
and listed in testdata/article/README.md.
"""

import csv
import datetime as dt
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "testdata", "article")
STREETS = os.path.join(ROOT, "crates", "xuncha-org", "data", "fujian", "streets.csv")

# Days from a round's start: a lead is found two weeks in, transferred three
# days later, a case filed a month after, concluded 45 days after that.
FOUND, TRANSFER, CASE, CONCLUDE = 14, 3, 30, 45

# Sanction kinds given in turn to the sanctioned.
KINDS = [
    "party-warning",
    "party-serious-warning",
    "administrative-warning",
    "administrative-demerit",
    "party-post-removal",
    "party-probation",
    "administrative-major-demerit",
    "party-expulsion",
]


def d(text):
    return dt.date.fromisoformat(text)


def townships():
    """Fujian's townships by city, in code order (金门县 left out)."""
    by_city = {}
    with open(STREETS, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["areaCode"] == "350527":
                continue
            by_city.setdefault(row["cityCode"], []).append(row["code"])
    return by_city


TOWNS = townships()


def slice_of(city, start, n):
    towns = TOWNS[city]
    return [towns[(start + i) % len(towns)] for i in range(n)]


class Round:
    def __init__(self, scene, rid, date, mode, targets, counties, note, theme=None):
        self.scene, self.id, self.date, self.mode = scene, rid, d(date), mode
        self.targets, self.counties, self.note, self.theme = targets, counties, note, theme


def division_round(scene, rid, date, city, start, n, note, mode="cross", theme=None):
    targets = slice_of(city, start, n)
    return Round(scene, rid, date, mode, targets, [t[:6] for t in targets], note, theme)


def unit_round(scene, rid, date, units, note, mode="cross"):
    return Round(
        scene, rid, date, mode, [f"unit:{u}" for u, _ in units], [c for _, c in units], note
    )


JINAN_UNITS = [
    ("ja-finance", "350111"),  # 晋安区财政局
    ("ja-civil", "350111"),  # 晋安区民政局
    ("ja-housing", "350111"),  # 晋安区住建局
    ("ja-education", "350111"),  # 晋安区教育局
    ("ja-health", "350111"),  # 晋安区卫计局
    ("ja-agriculture", "350111"),  # 晋安区农业局
    ("ja-urban", "350111"),  # 晋安区城管局
    ("ja-water", "350111"),  # 晋安区水利局
    ("ja-culture", "350111"),  # 晋安区文体局
    ("ja-market", "350111"),  # 晋安区市场监管局
]

# 漳州's first two cross rounds: the civil affairs bureaus (民政局) of eight
# counties, four a round (the article names 龙海, 漳浦 and 南靖's).
ZHANGZHOU_UNITS = [
    ("lh-civil", "350604"),  # 龙海市民政局 (today 龙海区)
    ("zp-civil", "350623"),  # 漳浦县民政局
    ("nj-civil", "350627"),  # 南靖县民政局
    ("ph-civil", "350628"),  # 平和县民政局
    ("yx-civil", "350622"),  # 云霄县民政局
    ("za-civil", "350624"),  # 诏安县民政局
    ("ds-civil", "350626"),  # 东山县民政局
    ("ha-civil", "350629"),  # 华安县民政局
]

ROUNDS = [
    # 晋安区: four regular rounds of the district committee in 2017 (10
    # units, 43 petitions), then the city's cross round of Feb-May 2018 on
    # 新店镇 and 岳峰镇 (215 petitions).
    unit_round("jinan", "2017-ja-1", "2017-03-13", JINAN_UNITS[0:3], "晋安区委 regular round 1", "regular"),
    unit_round("jinan", "2017-ja-2", "2017-05-15", JINAN_UNITS[3:6], "晋安区委 regular round 2", "regular"),
    unit_round("jinan", "2017-ja-3", "2017-08-14", JINAN_UNITS[6:8], "晋安区委 regular round 3", "regular"),
    unit_round("jinan", "2017-ja-4", "2017-10-16", JINAN_UNITS[8:10], "晋安区委 regular round 4", "regular"),
    Round("jinan", "2018-fz-ja", "2018-02-26", "cross",
          ["350111101", "350111102"], ["350111", "350111"],
          "福州市委 cross round on 晋安区's 新店镇 and 岳峰镇, February to May 2018"),
    # 福州's other cross teams.
    division_round("fuzhou", "2017-fz-1", "2017-09-04", "3501", 0, 39, "福州市 cross round 1"),
    division_round("fuzhou", "2018-fz-2", "2018-03-05", "3501", 39, 39, "福州市 cross round 2"),
    division_round("xiamen", "2017-xm-1", "2017-09-11", "3502", 0, 18, "厦门市 cross round 1"),
    division_round("xiamen", "2018-xm-2", "2018-03-12", "3502", 18, 18, "厦门市 cross round 2"),
    division_round("putian", "2017-pt-1", "2017-09-18", "3503", 0, 22, "莆田市 cross round 1"),
    division_round("putian", "2018-pt-2", "2018-04-02", "3503", 22, 22,
                   "莆田市 cross round on the 放管服 reform, April 2018", theme="service-reform"),
    division_round("sanming", "2017-sm-1", "2017-05-08", "3504", 0, 35, "三明市 first cross round (推磨式)"),
    division_round("sanming", "2018-sm-2", "2018-03-19", "3504", 35, 35, "三明市 cross round 2"),
    # 泉州: a round beside the provincial inspection (上借下力), then the
    # counterpart round beside the city's (下借上势).
    division_round("quanzhou", "2017-qz-1", "2017-03-06", "3505", 0, 32, "泉州市 cross round beside the provincial inspection"),
    division_round("quanzhou", "2018-qz-2", "2018-03-05", "3505", 32, 32, "泉州市 counterpart round beside the city's"),
    unit_round("zhangzhou-first-two", "2017-zz-1", "2017-04-10", ZHANGZHOU_UNITS[0:4], "漳州市 cross round 1"),
    unit_round("zhangzhou-first-two", "2017-zz-2", "2017-09-11", ZHANGZHOU_UNITS[4:8], "漳州市 cross round 2"),
    division_round("zhangzhou", "2018-zz-3", "2018-03-12", "3506", 0, 11, "漳州市 cross round 3"),
    # 南平: the city's two county-level cross rounds, and the counties' own
    # (regular) rounds they are compared with.
    division_round("nanping", "2017-np-x1", "2017-09-04", "3507", 0, 6, "南平市委 cross round 1"),
    division_round("nanping", "2018-np-x2", "2018-03-12", "3507", 6, 6, "南平市委 cross round 2"),
    division_round("nanping", "2017-np-r1", "2017-04-10", "3507", 40, 9, "南平's counties' regular rounds, spring 2017", "regular"),
    division_round("nanping", "2017-np-r2", "2017-10-09", "3507", 49, 9, "南平's counties' regular rounds, autumn 2017", "regular"),
    division_round("longyan", "2017-ly-1", "2017-03-20", "3508", 0, 14, "龙岩市 cross round 1"),
    division_round("longyan", "2017-ly-2", "2017-09-18", "3508", 14, 14, "龙岩市 cross round 2"),
    division_round("longyan", "2018-ly-3", "2018-03-19", "3508", 28, 14, "龙岩市 cross round 3"),
    division_round("longyan", "2018-ly-4", "2018-05-14", "3508", 42, 14, "龙岩市 cross round 4"),
    division_round("ningde", "2017-nd-1", "2017-09-11", "3509", 0, 37, "宁德市 cross round 1"),
    division_round("ningde", "2018-nd-2", "2018-05-07", "3509", 37, 38, "宁德市 cross round 2"),
]
BY_ID = {r.id: r for r in ROUNDS}

# Cross inspection to the end of June 2018, by city: leads transferred,
# cases filed, sanctions, judicial referrals. 泉州's are the article's; the
# others are the fixture's split of the province's 1,662 / 298 / 178 / 15.
CITIES = {
    "3501": (["2017-fz-1", "2018-fz-ja", "2018-fz-2"], 290, 52, 31, 3),
    "3502": (["2017-xm-1", "2018-xm-2"], 130, 24, 14, 1),
    "3503": (["2017-pt-1", "2018-pt-2"], 160, 28, 17, 1),
    "3504": (["2017-sm-1", "2018-sm-2"], 250, 45, 27, 2),
    "3505": (["2017-qz-1", "2018-qz-2"], 91, 25, 21, 1),
    "3506": (["2017-zz-1", "2017-zz-2", "2018-zz-3"], 120, 22, 13, 2),
    "3507": (["2017-np-x1", "2018-np-x2"], 58, 11, 6, 1),
    "3508": (["2017-ly-1", "2017-ly-2", "2018-ly-3", "2018-ly-4"], 230, 40, 22, 2),
    "3509": (["2017-nd-1", "2018-nd-2"], 333, 51, 27, 2),
}
# 南平's regular rounds: 78 leads, all transferred, no case filed.
NANPING_REGULAR = (["2017-np-r1", "2017-np-r2"], 78)


def split(total, weights):
    """`total` split in proportion to `weights`, remainders to the first."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


def leads_rows():
    """One dict per lead: round, target, county and its history."""
    out = []

    def round_leads(r, n):
        # Lead j goes to team j mod teams: the leads are spread evenly.
        found = r.date + dt.timedelta(days=FOUND)
        for j in range(n):
            t = j % len(r.targets)
            out.append({
                "round": r.id, "target": r.targets[t], "county": r.counties[t],
                "found_on": found, "transferred_on": found + dt.timedelta(days=TRANSFER),
                "case_filed_on": None, "concluded_on": None, "outcome": "",
            })
        return out[len(out) - n:]

    for city, (rounds, transferred, cases, sanctions, referrals) in CITIES.items():
        teams = [len(BY_ID[r].targets) for r in rounds]
        leads = []
        for r, n in zip(rounds, split(transferred, teams)):
            leads.extend(round_leads(BY_ID[r], n))
        # Cases on leads of 2017 rounds (concluded by June 2018), spread over
        # their teams: every k-th lead.
        early = [l for l in leads if l["round"].startswith("2017")]
        step = len(early) // cases
        chosen = early[::step][:cases]
        assert len(chosen) == cases, city
        for k, lead in enumerate(chosen):
            lead["case_filed_on"] = lead["transferred_on"] + dt.timedelta(days=CASE)
            if k < sanctions + referrals:
                lead["concluded_on"] = lead["case_filed_on"] + dt.timedelta(days=CONCLUDE)
                lead["outcome"] = (
                    KINDS[k % len(KINDS)] if k < sanctions else "judicial-referral"
                )
        if city == "3509":
            # After the end of June, so outside the article's figures: three
            # leads transferred in 2017 whose cases were filed in July 2018
            # and concluded with a sanction in September, and four leads found
            # in June and transferred in July.
            late = [l for l in early if l["case_filed_on"] is None][:3]
            for lead in late:
                lead["case_filed_on"] = d("2018-07-10")
                lead["concluded_on"] = d("2018-09-20")
                lead["outcome"] = "party-warning"
            r = BY_ID["2018-nd-2"]
            for j in range(4):
                out.append({
                    "round": r.id, "target": r.targets[j], "county": r.counties[j],
                    "found_on": d("2018-06-20"), "transferred_on": d("2018-07-03"),
                    "case_filed_on": None, "concluded_on": None, "outcome": "",
                })
    rounds, transferred = NANPING_REGULAR
    teams = [len(BY_ID[r].targets) for r in rounds]
    for r, n in zip(rounds, split(transferred, teams)):
        round_leads(BY_ID[r], n)
    return out


def write_leads(path):
    rows = leads_rows()
    key = lambda l: (l["round"], l["target"], l["county"], l["found_on"], l["transferred_on"],
                     l["case_filed_on"], l["concluded_on"], l["outcome"])
    groups = {}
    order = []
    for lead in rows:
        k = key(lead)
        if k not in groups:
            groups[k] = 0
            order.append(k)
        groups[k] += 1
    text = lambda v: "" if v is None else str(v)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["round", "target", "county", "leads", "found_on", "transferred_on",
                    "case_filed_on", "concluded_on", "outcome"])
        for k in sorted(order, key=lambda k: (k[0], k[1], text(k[5]), text(k[6]), k[7], text(k[4]))):
            r, t, c, found, tr, case, concl, outcome = k
            w.writerow([r, t, c, groups[k], found, text(tr), text(case), text(concl), outcome])


def write_findings(path):
    rows = []
    # 漳州's first two rounds: 85 problems fed back to the eight bureaus, 84
    # closed item by item (98.82 %), 114 rules established.
    items = [11, 10, 11, 10, 11, 10, 11, 11]
    closed = [11, 10, 11, 10, 11, 10, 11, 10]
    rules = [15, 14, 15, 14, 14, 14, 14, 14]
    zz = BY_ID["2017-zz-1"].targets + BY_ID["2017-zz-2"].targets
    for i, unit in enumerate(zz):
        r = BY_ID["2017-zz-1" if i < 4 else "2017-zz-2"]
        issued = r.date + dt.timedelta(days=35)
        rows.append([f"{r.id}/{unit}", r.id, unit, issued, items[i], closed[i],
                     issued + dt.timedelta(days=120), rules[i], issued + dt.timedelta(days=150)])
    # 泉州: 464 problems found, one list per team, fed back a month in.
    qz = [(BY_ID[r], t) for r in ("2017-qz-1", "2018-qz-2") for t in BY_ID[r].targets]
    for i, (r, target) in enumerate(qz):
        issued = r.date + dt.timedelta(days=30)
        n = 8 if i % 4 == 0 else 7
        rows.append([f"{r.id}/{target}", r.id, target, issued, n, 0, "", 0, ""])
    assert sum(r[4] for r in rows[8:]) == 464
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["list", "round", "unit", "issued_on", "items", "closed", "closed_on",
                    "rules", "rules_on"])
        w.writerows(rows)


def write_petitions(path):
    rows = []

    def add(r, team, county, n, channels, persons=None, batch_prefix=None, days=80):
        """n petitions to round r's team at `team`, channels in turn; visits
        with persons in turn (1 each by default), one record per batch."""
        for i in range(n):
            channel = channels[i % len(channels)]
            p, batch = 1, ""
            if channel == "visit":
                if persons:
                    p = persons[len([x for x in rows if x[-1].startswith(batch_prefix)]) % len(persons)]
                batch = f"{batch_prefix}{len([x for x in rows if x[-1].startswith(batch_prefix)]) + 1:03}"
            date = r.date + dt.timedelta(days=i * days // n)
            pid = batch if batch else f"{r.id}/{team}/{i + 1:03}"
            rows.append([date, channel, batch, p, county, r.id, "", pid])

    # 晋安, regular: 43 over four rounds (11, 11, 11, 10).
    for rid, n in zip(["2017-ja-1", "2017-ja-2", "2017-ja-3", "2017-ja-4"], [11, 11, 11, 10]):
        add(BY_ID[rid], "350111", "350111", n, ["letter", "letter", "call", "letter", "letter", "letter",
                                      "call", "letter", "visit", "letter", "letter"],
            batch_prefix=f"{rid}/350111/B", days=40)
    # 晋安, cross: 215, of which 60 visits (one record per batch, 300 persons).
    cross = BY_ID["2018-fz-ja"]
    # 43 in turn, five times: 12 visits spread evenly, the rest letters and
    # a call every fifth.
    pattern = [
        "visit" if (i * 12) // 43 != ((i + 1) * 12) // 43 else "call" if i % 5 == 3 else "letter"
        for i in range(43)
    ]
    assert len(pattern) == 43 and pattern.count("visit") == 12
    add(cross, "350111", "350111", 215, pattern, persons=[3, 4, 5, 6, 7],
        batch_prefix="2018-fz-ja/350111/B", days=94)
    # 南平: 10 petitions a cross team, 5 a regular one.
    for rid, n in [("2017-np-x1", 10), ("2018-np-x2", 10), ("2017-np-r1", 5), ("2017-np-r2", 5)]:
        r = BY_ID[rid]
        for target, county in zip(r.targets, r.counties):
            add(r, target, county, n, ["letter", "call", "letter", "visit", "letter"],
                batch_prefix=f"{rid}/{target}/B", days=30)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["date", "channel", "batch", "persons", "county", "round", "mode", "id"])
        w.writerows(rows)


def write_rounds():
    for r in ROUNDS:
        folder = os.path.join(OUT, "plans", r.scene)
        os.makedirs(folder, exist_ok=True)
        lines = [
            f"# {r.note}.",
            "# Generated by scripts/article-fixture.py: do not edit.",
            "version = 1",
            f'id = "{r.id}"',
            f'date = "{r.date}"',
            f'mode = "{r.mode}"',
        ]
        if r.theme:
            lines += ["", "[theme]", f'id = "{r.theme}"']
        for t in r.targets:
            lines += ["", "[[targets]]", f'target = "{t}"']
        with open(os.path.join(folder, f"{r.id}.toml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


def main():
    if len(sys.argv) > 1:
        sys.exit(__doc__)
    os.makedirs(OUT, exist_ok=True)
    write_rounds()
    write_leads(os.path.join(OUT, "leads.csv"))
    write_findings(os.path.join(OUT, "findings.csv"))
    write_petitions(os.path.join(OUT, "petitions.csv"))


if __name__ == "__main__":
    main()
