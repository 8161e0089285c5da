#!/usr/bin/env python3
"""Helpers for labelling lab logs by hand (no npm, no analyser involved).

  evidence.py show FILE REGEX...     print the raw lines (JSON strings, escape bytes kept) whose
                                     text, with ANSI sequences removed, matches each REGEX; with
                                     their 1-based line numbers. Use it to copy evidence verbatim.
  evidence.py check LABELS.json      check that every label's evidence line occurs verbatim in its
                                     log, in the order given, and count kernel starts per log.

A "line" is what lies between two \\n, with trailing \\r removed, as in the shared corpus labels.
"""
import json
import os
import re
import sys

ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|[A-Za-z@-_])")


def lines_of(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    return [line.rstrip("\r") for line in text.split("\n")]


def clean(line):
    return ANSI.sub("", line)


def show(path, patterns):
    lines = lines_of(path)
    for pat in patterns:
        rx = re.compile(pat)
        print(f"# /{pat}/")
        for i, line in enumerate(lines, 1):
            if rx.search(clean(line)):
                print(f"{i}: {json.dumps(line, ensure_ascii=True)}")


def check(labels_path):
    base = os.path.dirname(os.path.abspath(labels_path))
    ok = True
    for label in json.load(open(labels_path)):
        lines = lines_of(os.path.join(base, label["file"]))
        starts = sum(1 for line in lines if "Linux version " in clean(line))
        pos = 0
        for ev in label["evidence"]:
            try:
                pos = lines.index(ev, pos) + 1
            except ValueError:
                print(f"{label['file']}: evidence not found (in order): {ev!r}")
                ok = False
        print(f"{label['file']}: {len(lines)} lines, {starts} kernel start(s); labelled "
              f"sessions={label['sessions']} {label['last_stage']}/{label['outcome']}")
    return ok


def main(argv):
    if len(argv) >= 3 and argv[0] == "show":
        show(argv[1], argv[2:])
        return 0
    if len(argv) == 2 and argv[0] == "check":
        return 0 if check(argv[1]) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
