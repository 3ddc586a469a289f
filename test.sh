#!/usr/bin/env bash
# Sets up and runs every test. Prints one "TOTAL: N passed, N failed, N skipped" line at the end.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-os-packages.sh test
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test ExplainApi.sln -c Release -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# Each test assembly ends with "Total tests: N" then indented "Passed: N", "Failed: N", "Skipped: N"
# lines (or, at minimal verbosity, one "Passed!  - Failed: 0, Passed: N, ..." line); add them up.
awk '/^ +Passed: [0-9]+$/ { p += $2 } /^ +Failed: [0-9]+$/ { f += $2 } /^ +Skipped: [0-9]+$/ { s += $2 }
     /(Passed|Failed)! +- Failed:/ { for (i = 1; i <= NF; i++) { v = $(i+1); gsub(",", "", v);
         if ($i == "Failed:") f += v; if ($i == "Passed:") p += v; if ($i == "Skipped:") s += v } }
     END { printf "TOTAL: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
