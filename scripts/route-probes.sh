#!/usr/bin/env bash
# Route probes (issue 8): truncated, oversized, garbage and wrong-kind bodies against the real service on a loopback
# port; prints each status and problem, RSS before/after, 5xx count, whether client text reached the log, spool leftovers.
# Usage: scripts/route-probes.sh   (about a minute)
set -uo pipefail
cd "$(dirname "$0")/.."
W=$(mktemp -d /tmp/explainapi-probes-XXXXXX); mkdir -p $W/data; trap "rm -rf $W" EXIT
PORT=5421; API=http://127.0.0.1:$PORT; KEY=probe-key-0123456789abcdef; M=CLIENTMARKER
dotnet build src/ExplainApi.Host -c Release -v quiet -nologo >/dev/null
DLL=$(ls src/ExplainApi.Host/bin/Release/net10.0/*/ExplainApi.Host.dll | head -1)
dotnet run scripts/memory-inputs.cs -- $W/inputs >/dev/null
EXPLAINAPI_API_KEY=$KEY ExplainApi__DataDirectory=$W/data ExplainApi__Demo__Enabled=false ASPNETCORE_URLS=$API ASPNETCORE_ENVIRONMENT=Production dotnet $DLL > $W/log 2>&1 &
PID=$!
for i in $(seq 60); do curl -fs $API/healthz/live >/dev/null && break; sleep 0.5; done
H="Authorization: Bearer $KEY"
curl -s -o /dev/null -w "import probe %{http_code}\n" -H "$H" -F "model=@$W/inputs/probe.onnx" -F "spec=<$W/inputs/probe.json" $API/v1/models/import
for i in $(seq 60); do [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$H" $API/v2/models/probe/ready)" = 200 ] && break; sleep 0.5; done
rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$PID/status; }
echo "RSS before: $(rss) MiB"
# bodies
head -c 300000 /dev/urandom > $W/garbage.bin
B="$M$M"
{ printf -- "--$B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"$M.png\"\r\nContent-Type: image/png\r\n\r\n"; cat $W/inputs/render.png; printf "\r\n--$B--\r\n"; } > $W/mp-image.bin
head -c $(( $(stat -c %s $W/mp-image.bin) / 2 )) $W/mp-image.bin > $W/mp-image-half.bin
head -c $((70*1024*1024)) /dev/zero > $W/big.bin
head -c $(( $(stat -c %s $W/inputs/legal.json) / 2 )) $W/inputs/legal.json > $W/legal-half.json
probe() { # name, curl args...
  local name=$1; shift
  local out; out=$(curl -s -o $W/body -w '%{http_code}' -H "$H" "$@"); 
  printf '%-44s %s %s\n' "$name" "$out" "$(head -c 150 $W/body | tr -d '\n')"
}
for route in /v1/images/inspect /v1/images/render "/v1/models/probe/saliency?method=eigencam"; do
  probe "$route half multipart" -H "Content-Type: multipart/form-data; boundary=$B" --data-binary @$W/mp-image-half.bin $API$route
  probe "$route over limit (70 MiB)" -H "Content-Type: image/png" --data-binary @$W/big.bin $API$route
  probe "$route garbage" -H "Content-Type: image/png" --data-binary @$W/garbage.bin $API$route
done
probe "saliency of a model that does not exist" -H "Content-Type: image/png" --data-binary @$W/inputs/render.png "$API/v1/models/$M/saliency"
probe "kserve half JSON" -H "Content-Type: application/json" --data-binary @$W/legal-half.json $API/v2/models/probe/explain
probe "kserve over limit (70 MiB)" -H "Content-Type: application/json" --data-binary @$W/big.bin $API/v2/models/probe/explain
probe "kserve garbage" -H "Content-Type: application/json" --data-binary @$W/garbage.bin $API/v2/models/probe/explain
probe "kserve wrong shape" -H "Content-Type: application/json" -d "{\"inputs\":[{\"name\":\"$M\",\"shape\":[1,1,2,2],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}" $API/v2/models/probe/explain
probe "import half multipart" -H "Content-Type: multipart/form-data; boundary=$B" --data-binary @$W/mp-image-half.bin $API/v1/models/import
probe "import wrong kind (garbage .onnx)" -F "model=@$W/garbage.bin" -F "spec=<$W/inputs/probe.json" $API/v1/models/import
probe "import wrong kind (a PNG as model)" -F "model=@$W/inputs/render.png" -F "spec=<$W/inputs/probe.json" $API/v1/models/import
probe "datasets half multipart" -H "Content-Type: multipart/form-data; boundary=$B" --data-binary @$W/mp-image-half.bin $API/v1/datasets
probe "datasets garbage zip" -H "Content-Type: application/zip" --data-binary @$W/garbage.bin $API/v1/datasets
probe "datasets 5000-char boundary" -H "Content-Type: multipart/form-data; boundary=$(printf "$M%.0s" $(seq 400))" --data-binary @$W/mp-image-half.bin $API/v1/datasets
probe "evaluate garbage JSON" -H "Content-Type: application/json" --data-binary @$W/garbage.bin $API/v1/models/probe/evaluate
probe "jobs over 1 MiB" -H "Content-Type: application/json" --data-binary @$W/big.bin $API/v1/jobs
sleep 8
echo "RSS after: $(rss) MiB"
echo "5xx in log: $(grep -c '"StatusCode":5' $W/log)"
echo "client marker in log: $(grep -c $M $W/log)"
echo "spool entries: $(ls -A $W/data/spool | wc -l)"
kill $PID
