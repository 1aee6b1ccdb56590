#!/usr/bin/env python3
"""Checks the HTML statistics report's layout in headless Chromium at the
widths a clerk's screen has (1024 and 1280 px, and the report's own 1400):
no element past the viewport and no sideways scroll (a wide table scrolls
inside its own box), every chart's labels inside its panel, the funnel's
bars inside theirs, and the rate-ratio chart with figures on its axis and
beside each interval.

Usage: check_report_layout.py REPORT.html [WIDTH ...]
"""

import html
import json
import os
import re
import subprocess
import sys
import tempfile

CHECK = r"""
<script>
window.addEventListener('load', () => {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const where = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.textContent ? ' "' + el.textContent.trim().slice(0, 30) + '"' : '');
  if (document.documentElement.scrollWidth > vw + 1) {
    problems.push('the page is ' + document.documentElement.scrollWidth + 'px wide in a ' + vw + 'px viewport');
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.wide') || el.id === 'layout-report') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > vw + 1 || r.left < -1) {
      problems.push(where(el) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + vw);
    }
  }
  const wanted = {'chart-cities': 6, 'chart-funnel': 10, 'chart-completion': 6, 'chart-compare': 6};
  for (const [id, least] of Object.entries(wanted)) {
    const fig = document.getElementById(id);
    if (!fig) { problems.push('no ' + id); continue; }
    const panel = fig.getBoundingClientRect();
    const texts = [...fig.querySelectorAll('svg text')];
    if (texts.length < least) problems.push(id + ': ' + texts.length + ' labels, fewer than ' + least);
    for (const t of fig.querySelectorAll('svg text, svg rect:not(:first-of-type), svg line, svg circle')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > panel.right + 1 || r.left < panel.left - 1 || r.bottom > panel.bottom + 1) {
        problems.push(id + ': ' + where(t) + ' outside its panel (' + Math.round(r.left) + '..' + Math.round(r.right) +
          ' in ' + Math.round(panel.left) + '..' + Math.round(panel.right) + ')');
      }
    }
  }
  const compare = document.getElementById('chart-compare');
  if (compare && compare.querySelector('svg text')) {
    const texts = [...compare.querySelectorAll('svg text')].map(t => t.textContent.trim());
    const figures = texts.filter(t => /^[0-9.]+$/.test(t) && t !== '1');
    const beside = texts.filter(t => t.startsWith('\u00d7'));
    if (!texts.includes('无数据 (no data)')) {
      if (figures.length < 2) problems.push('chart-compare: axis figures ' + JSON.stringify(figures));
      if (beside.length === 0) problems.push('chart-compare: no figures beside the intervals');
    }
  }
  const pre = document.createElement('pre');
  pre.id = 'layout-report';
  pre.textContent = JSON.stringify(problems);
  document.body.appendChild(pre);
});
</script>
"""


def check(path, width):
    page = open(path, encoding="utf-8").read()
    with tempfile.TemporaryDirectory() as work:
        copy = os.path.join(work, "report.html")
        with open(copy, "w", encoding="utf-8") as f:
            f.write(page.replace("</body>", CHECK + "</body>"))
        dom = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={work}/profile", "--hide-scrollbars",
             f"--window-size={width},900", "--virtual-time-budget=5000", "--dump-dom",
             "file://" + copy],
            capture_output=True, text=True, timeout=120,
        ).stdout
    found = re.search(r'<pre id="layout-report">(.*?)</pre>', dom, re.S)
    if not found:
        return [f"the layout check did not run at {width}px"]
    return json.loads(html.unescape(found.group(1)))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    widths = [int(w) for w in sys.argv[2:]] or [1024, 1280, 1400]
    failed = False
    for width in widths:
        problems = check(sys.argv[1], width)
        for p in problems[:40]:
            print(f"{width}px: {p}", file=sys.stderr)
        if problems:
            failed = True
        else:
            print(f"{width}px: the layout holds")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
