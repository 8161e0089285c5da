#!/bin/bash
# Regenerate every lab log (or the named ones), one QEMU at a time (or -j N at a time).
#   lab/run-all.sh                    # all scenarios in lab/scenarios/
#   lab/run-all.sh healthy-login ...  # just these
#   lab/run-all.sh -j 2 ...           # two QEMUs at once (a 2-core host: no more than that)
#   lab/run-all.sh --missing          # the scenarios that have no log in test/corpus/lab yet
# Goes on after a failed scenario and lists the failures at the end (exit 1 if any).
set -uo pipefail
LAB=$(cd "$(dirname "$0")" && pwd)
JOBS=1
if [ "${1:-}" = -j ]; then JOBS=$2; shift 2; fi
if [ "${1:-}" = --missing ]; then
  shift
  set -- $(for f in "$LAB"/scenarios/*.sh; do
    n=$(basename "$f" .sh); [ -e "$LAB/../test/corpus/lab/$n.log" ] || echo "$n"
  done)
elif [ $# -eq 0 ]; then
  set -- $(for f in "$LAB"/scenarios/*.sh; do basename "$f" .sh; done)
fi
failed=$(mktemp)
printf '%s\n' "$@" | xargs -P "$JOBS" -I{} sh -c '"$1/run-scenario.sh" "$2" || echo "$2" >> "$3"' _ "$LAB" {} "$failed"
if [ -s "$failed" ]; then
  echo "[lab] failed: $(tr '\n' ' ' < "$failed")" >&2
  rm -f "$failed"
  exit 1
fi
rm -f "$failed"
echo "[lab] all done: $*" >&2
