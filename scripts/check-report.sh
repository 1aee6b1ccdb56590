#!/usr/bin/env bash
# Renders the demo's HTML statistics report in headless Chromium, takes a
# screenshot, and checks that each of the four charts drew something (a
# region of coloured pixels where the report's grid puts each chart); then
# checks the page's layout at 1024, 1280 and 1400 px in the same browser
# (scripts/check_report_layout.py: nothing past the viewport, every chart's
# labels in its panel, figures on the rate-ratio chart's axis and beside
# its intervals), with the CJK font a user has, so Chinese labels are
# measured as they are drawn.
# Installs Chromium and a CJK font (Debian packages) if they are missing.
# Run from anywhere: `bash scripts/check-report.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

# (fc-list's output is read whole: `grep -q` closing the pipe early would
# fail the pipeline under pipefail.)
fonts=$(fc-list 2>/dev/null || true)
if ! command -v chromium >/dev/null 2>&1 || ! grep -qi "Noto Sans CJK" <<<"$fonts"; then
    echo "installing chromium and fonts-noto-cjk" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run -q -p xuncha-cli -- demo --out "$work/demo" --json >/dev/null
html="$work/demo/report.html"
png="$work/report.png"
chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --user-data-dir="$work/profile" \
    --hide-scrollbars --window-size=1400,1100 --screenshot="$png" \
    "file://$html" >/dev/null 2>&1
test -s "$png" || { echo "no screenshot was written" >&2; exit 1; }
python3 scripts/check_report_png.py "$png"
python3 scripts/check_report_layout.py "$html" 1024 1280 1400
