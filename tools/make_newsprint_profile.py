#!/usr/bin/env python3
"""Make pagesetter's default output profile: coldset newsprint (报纸新闻纸冷固印刷), CGATS TR 002.

    python3 tools/make_newsprint_profile.py      # needs Debian's argyll and icc-profiles-free

The recipe (the profile is committed with its sha256, so a build never needs ArgyllCMS):

- characterization data: ANSI CGATS/SNAP TR 002-2007, "Color Characterization Data for Coldset
  Printing on Newsprint" (Debian icc-profiles-free: /usr/share/color/icc/TR002.ti3; "Profiles …
  based on these data may be distributed", the report named as the source of the data);
- ArgyllCMS `colprof` (Debian argyll), medium quality, an output (CMYK → Lab) profile with:
  total ink limit 240 % (`-l240`, what newsprint presses take), black limit 95 % (`-L95`),
  black generation for newsprint (`-kp 0 0 0.9 1 1`: black from the paper white on, rising
  linearly to full at 90 % of the way to black — heavy GCR: grey balance carried by K, less
  CMY on a press that drifts), perceptual tables gamut-mapped from sRGB (`-s sRGB.icm`, the space
  pictures come in), no measurement data inside (`-nc`);
- then made reproducible: the header's creation date fixed at 2000-01-01 (colprof stamps the clock
  in, ICC.1 §7.2.8) and the profile ID made again to match (§7.2.18).

It writes src/pagesetter/profiles/CGATS-TR002-newsprint-240.icc and the .sha256 beside it.
"""
from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path("/usr/share/color/icc/TR002.ti3")
SRGB = Path("/usr/share/color/argyll/ref/sRGB.icm")
OUT = Path(__file__).resolve().parent.parent / "src/pagesetter/profiles/CGATS-TR002-newsprint-240.icc"
DESCRIPTION = "CGATS TR 002 coldset newsprint, 240% total ink, heavy GCR (pagesetter)"
COPYRIGHT = ("Made by pagesetter with ArgyllCMS from ANSI CGATS/SNAP TR 002-2007 characterization "
             "data (NPES); no rights claimed in the profile")
ARGS = ["-qm", "-nc", "-kp", "0", "0", "0.9", "1", "1", "-l240", "-L95"]


def reproducible(data: bytes) -> bytes:
    """The profile with its creation date fixed (2000-01-01) and its profile ID recomputed."""
    out = bytearray(data)
    out[24:36] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    blank = bytearray(out)
    blank[44:48] = blank[64:68] = bytes(4)  # flags and rendering intent: zero for the ID
    blank[84:100] = bytes(16)
    out[84:100] = hashlib.md5(bytes(blank)).digest()
    return bytes(out)


def main() -> int:
    if shutil.which("colprof") is None or not DATA.is_file() or not SRGB.is_file():
        print("needs colprof (apt-get install argyll) and TR002.ti3 (apt-get install icc-profiles-free)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(DATA, Path(tmp) / "TR002.ti3")
        subprocess.run(["colprof", *ARGS, "-s", str(SRGB), "-D", DESCRIPTION, "-C", COPYRIGHT,
                        "-O", "out.icc", "TR002"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        data = reproducible((Path(tmp) / "out.icc").read_bytes())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    OUT.with_suffix(".icc.sha256").write_text(f"{digest}  {OUT.name}\n")
    print(f"{OUT.name}: {len(data)} bytes, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
