#!/usr/bin/env python3
"""Generate Genjin's icons (8-bit RGBA PNGs and a PNG-in-ICO) with no third-party packages.

The mark: a teal rounded square with a white check-arrow loop ("follow up")."""
import struct, zlib, os, math

def png(size):
    rows = []
    r = size * 0.18
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            # rounded-square mask
            cx = min(max(x + 0.5, r), size - r); cy = min(max(y + 0.5, r), size - r)
            inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r
            if not inside:
                row += bytes([0, 0, 0, 0]); continue
            u, v = (x + 0.5) / size, (y + 0.5) / size
            # ring (circle outline) and a check mark inside
            d = math.hypot(u - 0.5, v - 0.5)
            ring = abs(d - 0.30) < 0.045 and not (u > 0.5 and v < 0.5 and (u - 0.5) > (0.5 - v) * 0.3 and d > 0.2 and u > 0.72)
            def seg(ax, ay, bx, by, w):
                px, py = u - ax, v - ay; dx, dy = bx - ax, by - ay
                t = max(0, min(1, (px * dx + py * dy) / (dx * dx + dy * dy)))
                return math.hypot(px - t * dx, py - t * dy) < w
            check = seg(0.36, 0.50, 0.46, 0.61, 0.045) or seg(0.46, 0.61, 0.66, 0.39, 0.045)
            if ring or check:
                row += bytes([255, 255, 255, 255])
            else:
                row += bytes([0x0f, 0x76, 0x6e, 255])
        rows.append(bytes(row))
    raw = b"".join(rows)
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

out = os.path.join(os.path.dirname(__file__), "..", "icons")
os.makedirs(out, exist_ok=True)
for name, s in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
    open(os.path.join(out, name), "wb").write(png(s))
p = png(256)
ico = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 0, 0, 0, 0, 1, 32, len(p), 22) + p
open(os.path.join(out, "icon.ico"), "wb").write(ico)
