#!/usr/bin/env python3
"""Checks a screenshot of the HTML statistics report: each chart's region
(the report's fixed grid: 680 x 330 pixels from (10, 70), 10 pixels apart)
must hold coloured pixels, and the header a dark text.

Decodes the PNG with the standard library only (zlib and the five
scanline filters)."""

import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                sys.exit(f"unsupported PNG: depth {depth}, colour type {colour}")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, channels, rows


def region_stats(rows, channels, x0, y0, x1, y1):
    coloured = dark = total = 0
    for y in range(y0, y1):
        line = rows[y]
        for x in range(x0, x1):
            r, g, b = line[x * channels : x * channels + 3]
            total += 1
            if max(r, g, b) - min(r, g, b) > 60:
                coloured += 1
            if max(r, g, b) < 100:
                dark += 1
    return coloured / total, dark / total


def main():
    width, height, channels, rows = decode(sys.argv[1])
    if width < 1390 or height < 750:
        sys.exit(f"screenshot too small: {width}x{height}")
    charts = {
        "leads, cases and sanctions per city": (10, 70),
        "funnel": (700, 70),
        "completion over time": (10, 410),
        "cross against regular": (700, 410),
    }
    failed = False
    for name, (x, y) in charts.items():
        coloured, dark = region_stats(rows, channels, x + 2, y + 30, x + 678, y + 328)
        ok = coloured > 0.005 and dark > 0.001
        failed |= not ok
        print(f"{'ok ' if ok else 'BAD'} {name}: {coloured:.1%} coloured, {dark:.1%} dark (text, axes)")
    _, header_dark = region_stats(rows, channels, 10, 10, 900, 60)
    print(f"{'ok ' if header_dark > 0.01 else 'BAD'} header text: {header_dark:.1%} dark")
    failed |= header_dark <= 0.01
    if failed:
        sys.exit("the report's charts did not render")
    print("the HTML report rendered its four charts")


main()
