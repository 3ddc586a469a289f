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
# One summary line per test assembly ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ..."); add them up.
awk '/(Passed|Failed)! +- Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "TOTAL: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
