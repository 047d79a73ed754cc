"""Rebuild core/zipcodes.idx.gz from the `zipcodes` package: `python -m tools.zipindex`.

Run it after upgrading `zipcodes`; tests/core/test_zipcodes.py checks that the two agree.
"""

import gzip

import zipcodes

from core.zipcodes import INDEX, RECORD, index_line


def build() -> bytes:
    lines = sorted(index_line(row) for row in zipcodes.list_all())
    if any(len(line.encode("utf-8")) != RECORD for line in lines):
        raise SystemExit("A city name is longer than the index's 27 characters: widen RECORD.")
    return "".join(lines).encode("utf-8")


if __name__ == "__main__":
    INDEX.write_bytes(gzip.compress(build(), compresslevel=9, mtime=0))
    print(f"{INDEX}: {INDEX.stat().st_size} bytes")
