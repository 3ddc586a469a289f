#!/usr/bin/env bash
# Memory under request bursts (issue 8, item 2): builds the host, starts the real service on a loopback port with a
# temporary data folder and an API key, imports a small 3×224×224 ONNX classifier, then fires three bursts and records
# the process's RSS (VmRSS, sampled every 0.1 s) before, at peak, 10 s and 75 s after, with every status code:
#   (a) four concurrent 100 MB KServe JSON bodies (over the model's limit: 413), Content-Length and chunked;
#   (b) 16 concurrent legal 4096² PNG renders (POST /v1/images/render);
#   (c) 16 concurrent legal KServe explain requests (4 images each; 8 JSON, 8 binary tensor extension).
# Run once with the runtime's defaults and once with DOTNET_GCHeapHardLimit=0x80000000 (2 GB).
# Output: docs/memory.json and docs/memory.md. Usage: scripts/memory-bursts.sh [PORT]   (about 12 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-5391}
WORK=$(mktemp -d /tmp/explainapi-memory-XXXXXX)
KEY="memory-bursts-$(date +%s)-key"
API="http://127.0.0.1:$PORT"
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

dotnet build src/ExplainApi.Host -c Release -v quiet -nologo >/dev/null
HOST_DLL=$(ls src/ExplainApi.Host/bin/Release/net10.0/*/ExplainApi.Host.dll | head -1)
dotnet run scripts/memory-inputs.cs -- "$WORK/inputs" >/dev/null
{ printf '{"inputs":[{"name":"input","shape":[16,3,224,224],"datatype":"FP32","data":['
  (yes '0.5,' || true) | head -c $((100 * 1024 * 1024)) | tr -d '\n'; printf '0.5]}]}'; } >"$WORK/big.json"

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$PID/status"; }

start() { # $1 = extra environment (or empty)
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  env $1 EXPLAINAPI_API_KEY="$KEY" ExplainApi__DataDirectory="$WORK/data" ExplainApi__Demo__Enabled=false \
    ASPNETCORE_URLS="$API" ASPNETCORE_ENVIRONMENT=Production dotnet "$HOST_DLL" >"$WORK/service.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -fs "$API/healthz/live" >/dev/null && break; sleep 0.5; done
  curl -fs -o /dev/null -H "Authorization: Bearer $KEY" -F "model=@$WORK/inputs/probe.onnx" -F "spec=<$WORK/inputs/probe.json" "$API/v1/models/import"
  for _ in $(seq 1 120); do [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$API/v2/models/probe/ready")" = 200 ] && break; sleep 0.5; done
  # One request of each kind first, so "before" includes the warmed-up runtime, not first-use allocations.
  send_legal json >/dev/null; send_render >/dev/null; sleep 5
}

send_big() { # $1 = length | chunked
  local chunked=(); [ "$1" = chunked ] && chunked=(-H "Transfer-Encoding: chunked")
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "${chunked[@]}" \
    --data-binary "@$WORK/big.json" "$API/v2/models/probe/explain" || true
}
send_render() {
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: image/png' \
    --data-binary "@$WORK/inputs/render.png" "$API/v1/images/render" || true
}
send_legal() { # $1 = json | binary
  if [ "$1" = json ]; then
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
      --data-binary "@$WORK/inputs/legal.json" "$API/v2/models/probe/explain" || true
  else
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/octet-stream' \
      -H "Inference-Header-Content-Length: $(cat "$WORK/inputs/legal.bin.header-length")" \
      --data-binary "@$WORK/inputs/legal.bin" "$API/v2/models/probe/explain" || true
  fi
}

burst() { # $1 = name, rest = commands run concurrently; prints one JSON object
  local name=$1; shift
  local before; before=$(rss)
  : >"$WORK/samples"; : >"$WORK/codes"
  ( while kill -0 "$PID" 2>/dev/null; do rss >>"$WORK/samples" 2>/dev/null || true; sleep 0.1; done ) & local sampler=$!
  local jobs=()
  for command in "$@"; do $command >>"$WORK/codes" & jobs+=($!); done
  wait "${jobs[@]}"
  sleep 10
  local soon; soon=$(rss)
  sleep 65 # ArrayPool.Shared keeps arrays until a full collection a minute after their last use (MemoryRelief's second pass)
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  local after; after=$(rss)
  local peak; peak=$(sort -n "$WORK/samples" | tail -1)
  local codes; codes=$(sort "$WORK/codes" | uniq -c | awk '{printf "%s\"%s\": %s", (NR > 1 ? ", " : ""), $2, $1}')
  printf '{"burst": "%s", "rssBeforeMiB": %s, "rssPeakMiB": %s, "rssAfter10sMiB": %s, "rssAfterMiB": %s, "statusCodes": {%s}}' "$name" "$before" "${peak:-$before}" "$soon" "$after" "$codes"
}

run() { # $1 = label, $2 = extra environment
  start "$2"
  local big=() render=() legal=()
  for _ in 1 2; do big+=("send_big length" "send_big chunked"); done
  for _ in $(seq 1 16); do render+=(send_render); done
  for _ in $(seq 1 8); do legal+=("send_legal json" "send_legal binary"); done
  local a b c
  a=$(burst "4 × 100 MB KServe JSON (2 Content-Length, 2 chunked)" "${big[@]}")
  b=$(burst "16 × 4096² PNG render" "${render[@]}")
  c=$(burst "16 × legal KServe explain (4 × 3×224×224; 8 JSON, 8 binary)" "${legal[@]}")
  local errors; errors=$(grep -c 'answered with 5' "$WORK/service.log" || true)
  kill "$PID"; wait "$PID" 2>/dev/null || true
  printf '{"run": "%s", "environment": "%s", "bursts": [%s, %s, %s], "loggedServerErrors": %s}' "$1" "${2:-}" "$a" "$b" "$c" "$errors"
}

first=$(run "runtime defaults (Server GC, DATAS)" "")
second=$(run "2 GB heap limit" "DOTNET_GCHeapHardLimit=0x80000000")
commit=$(git rev-parse --short HEAD)
printf '{"commit": "%s", "date": "%s", "cpus": %s, "runs": [%s, %s]}\n' "$commit" "$(date -u +%FT%TZ)" "$(nproc)" "$first" "$second" \
  | python3 -m json.tool >docs/memory.json

python3 - docs/memory.json >docs/memory.md <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print("# Memory under request bursts\n")
print(f"`scripts/memory-bursts.sh` at {d['commit']} ({d['date']}, {d['cpus']} CPUs): RSS of the service process (VmRSS) before a burst, "
      "its peak during the burst, 10 s and 75 s after it ended (the service's MemoryRelief collects once the burst is over and again a minute later, "
      "when ArrayPool.Shared lets go of arrays the burst rented). Targets (issue 8): after within 300 MiB of before; never a 500.\n")
for run in d["runs"]:
    print(f"## {run['run']}\n")
    if run["environment"]:
        print(f"Environment: `{run['environment']}`\n")
    print("| burst | before MiB | peak MiB | 10 s after MiB | 75 s after MiB | after − before | status codes |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for b in run["bursts"]:
        codes = ", ".join(f"{k} × {v}" for k, v in sorted(b["statusCodes"].items()))
        print(f"| {b['burst']} | {b['rssBeforeMiB']} | {b['rssPeakMiB']} | {b['rssAfter10sMiB']} | {b['rssAfterMiB']} | {b['rssAfterMiB'] - b['rssBeforeMiB']:+d} | {codes} |")
    print(f"\nServer errors logged: {run['loggedServerErrors']}.\n")
EOF
cat docs/memory.md
