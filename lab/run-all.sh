#!/bin/bash
# Regenerate every lab log (or the named ones), one QEMU at a time.
#   lab/run-all.sh                    # all scenarios in lab/scenarios/
#   lab/run-all.sh healthy-login ...  # just these
# Goes on after a failed scenario and lists the failures at the end (exit 1 if any).
set -uo pipefail
LAB=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
  set -- $(for f in "$LAB"/scenarios/*.sh; do basename "$f" .sh; done)
fi
failed=()
for name in "$@"; do
  "$LAB/run-scenario.sh" "$name" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "[lab] failed: ${failed[*]}" >&2
  exit 1
fi
echo "[lab] all done: $*" >&2
