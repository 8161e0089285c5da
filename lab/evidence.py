#!/usr/bin/env python3
"""Helpers for labelling lab logs by hand (no npm, no analyser involved).

  evidence.py show FILE REGEX...     print the raw lines (JSON strings, escape bytes kept) whose
                                     text, with ANSI sequences removed, matches each REGEX; with
                                     their 1-based line numbers. Use it to copy evidence verbatim.
  evidence.py check LABELS.json      check that every label's evidence line occurs verbatim in its
                                     log, in the order given, and count kernel starts per log.
  evidence.py draft LABELS.json NAME...
                                     write (or rewrite) the entry of lab/scenarios/NAME.sh's log in
                                     LABELS.json from the "# label:" comment block of the scenario
                                     (what the scenario makes happen, judged by DESIGN.md's rules;
                                     see lab/README.md), picking each "# evidence:" regex's first
                                     match in order (ANSI removed; "last:" before the regex takes the
                                     last match). Prints what it picked; a regex that matches nothing
                                     is an error. The result is read and corrected by hand.

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


FIELDS = ("label", "evidence", "note", "judgement")


def scenario_block(path):
    """The "# label:" block of a scenario script: label fields, evidence regexes, note, judgement."""
    spec = {"evidence": [], "note": [], "judgement": []}
    desc = None
    for raw in open(path):
        m = re.match(r"^DESC=([\"'])(.*)\1\s*$", raw.rstrip("\n"))
        if m and desc is None:
            desc = m.group(2)
        m = re.match(r"^# (label|evidence|note|judgement): ?(.*)$", raw.rstrip("\n"))
        if not m:
            continue
        key, val = m.groups()
        if key == "label":
            for kv in val.split():
                k, v = kv.split("=", 1)
                spec[k] = v
        else:
            spec[key].append(val)
    spec["desc"] = desc
    return spec


def draft(labels_path, names):
    base = os.path.dirname(os.path.abspath(labels_path))
    lab = os.path.dirname(os.path.abspath(__file__))
    labels = json.load(open(labels_path)) if os.path.exists(labels_path) else []
    ok = True
    for name in names:
        spec = scenario_block(os.path.join(lab, "scenarios", name + ".sh"))
        file = name + ".log"
        lines = lines_of(os.path.join(base, file))
        evidence, pos = [], 0
        for pat in spec["evidence"]:
            last = pat.startswith("last: ")
            rx = re.compile(pat[6:] if last else pat)
            hits = [i for i in range(pos, len(lines)) if rx.search(clean(lines[i]))]
            if not hits:
                print(f"{file}: no line after {pos} matches /{pat}/")
                ok = False
                continue
            i = hits[-1] if last else hits[0]
            evidence.append(lines[i])
            pos = i + 1
            print(f"{file}:{i + 1}: {json.dumps(lines[i], ensure_ascii=True)}")
        entry = {
            "file": file,
            "sessions": int(spec["sessions"]),
            "last_stage": None if spec["last_stage"] == "null" else spec["last_stage"],
            "outcome": spec["outcome"],
            "evidence": evidence,
            "source": "booted under QEMU (software emulation), Debian 12 kernel, bootdiag lab scenario " + name,
            "scenario": spec["desc"],
        }
        if spec["note"]:
            entry["note"] = " ".join(spec["note"])
        if spec.get("negative") == "true":
            entry["negative"] = True
        if spec["judgement"]:
            entry["strict"] = False
            entry["judgement"] = " ".join(spec["judgement"])
        for i, old in enumerate(labels):
            if old["file"] == file:
                labels[i] = entry
                break
        else:
            labels.append(entry)
    with open(labels_path, "w") as f:
        json.dump(labels, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return ok


def main(argv):
    if len(argv) >= 3 and argv[0] == "show":
        show(argv[1], argv[2:])
        return 0
    if len(argv) >= 3 and argv[0] == "draft":
        return 0 if draft(argv[1], argv[2:]) else 1
    if len(argv) == 2 and argv[0] == "check":
        return 0 if check(argv[1]) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
