#!/usr/bin/env bash
# Reproduces docs/overlays.png, the README's picture of saliency overlays of the demo model: abnormal squares images
# (subtypes A and B, from a seed the demo model never trained on) explained by several methods, one column each.
# Needs a running service with the demo model squares-classifier ready (./run.sh on an empty data folder trains it)
# and Debian's chromium (scripts/install-os-packages.sh test), which lays the grid out and screenshots it.
# Usage: scripts/readme-figure.sh [API] [DATA_DIR]   (defaults: http://127.0.0.1:5080, ./data)
# Environment: WAIT (seconds to wait for the model, default 900), METHODS (space-separated), SEED (dataset seed, default 2026), INDICES (odd = abnormal, default "1 3 5 7"),
#              OUT (default docs/overlays.png).
set -euo pipefail
cd "$(dirname "$0")/.."
api="${1:-http://127.0.0.1:5080}"
data="${2:-data}"
methods=(${METHODS:-gradcam gradcampp layercam eigencam scorecam integratedgradients occlusion rise})
seed="${SEED:-2026}"
indices=(${INDICES:-1 3 5 7})
out="${OUT:-docs/overlays.png}"
model=squares-classifier
key="$(cat "$data/bootstrap-api-key")"
# Waits (up to WAIT seconds, default 900) for the demo model, which a first start is still training.
deadline=$(( SECONDS + ${WAIT:-900} ))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$api/v2/models/$model/ready")" == 200 ]]; do
  (( SECONDS < deadline )) || { echo "$model is not ready at $api (GET /v1/jobs shows its training job)" >&2; exit 1; }
  sleep 5
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The inputs: samples of the squares set as 16-bit grey PNGs (scripts/squares-png.cs prints each one's boxes).
dotnet run scripts/squares-png.cs -- "$work" "$seed" "${indices[@]}" | tee "$work/inputs.txt"

declare -A label=([cam]="CAM" [gradcam]="Grad-CAM" [gradcampp]="Grad-CAM++" [xgradcam]="XGrad-CAM" [layercam]="Layer-CAM"
  [hirescam]="HiRes-CAM" [scorecam]="Score-CAM" [ablationcam]="Ablation-CAM" [eigencam]="Eigen-CAM" [gradient]="Gradient"
  [smoothgrad]="SmoothGrad" [integratedgradients]="Integrated Gradients" [occlusion]="Occlusion" [rise]="RISE")
{
  echo '<!doctype html><meta charset="utf-8"><style>'
  echo 'body{margin:0;background:#fff;font:600 15px "DejaVu Sans",sans-serif;color:#222}'
  echo 'table{border-collapse:separate;border-spacing:4px;padding:4px}th{font-weight:600;height:40px;padding:0;text-align:center;vertical-align:bottom}'
  echo 'td.row{font-weight:400;font-size:13px;writing-mode:vertical-rl;transform:rotate(180deg);text-align:center}'
  echo 'img{width:168px;height:168px;image-rendering:pixelated;display:block}</style><table><tr><th></th><th>input</th>'
  for m in "${methods[@]}"; do echo "<th>${label[$m]:-$m}</th>"; done
  echo '</tr>'
} > "$work/figure.html"

for input in "$work"/squares-*.png; do
  name="$(basename "$input" .png)"
  subtype="${name##*-}"
  echo "<tr><td class=row>abnormal, subtype $subtype</td><td><img src=\"$name.png\"></td>" >> "$work/figure.html"
  for m in "${methods[@]}"; do
    # target=abnormal: every column explains the same class, whatever the model predicts; seed: RISE repeatable.
    start=$EPOCHREALTIME
    status=$(curl -s -o "$work/$name-$m.png" -w '%{http_code}' -H "Authorization: Bearer $key" -H "Accept: image/png" \
      -H "Content-Type: image/png" --data-binary @"$input" \
      "$api/v1/models/$model/saliency?method=$m&target=abnormal&render=overlay&seed=1")
    [[ "$status" == 200 ]] || { echo "$m on $name: HTTP $status: $(cat "$work/$name-$m.png")" >&2; exit 1; }
    awk -v n="$name" -v m="$m" -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%s %-20s %6.2f s\n", n, m, b - a }'
    echo "<td><img src=\"$name-$m.png\"></td>" >> "$work/figure.html"
  done
  echo '</tr>' >> "$work/figure.html"
done
echo '</table>' >> "$work/figure.html"

rows=${#indices[@]}
columns=$(( ${#methods[@]} + 1 ))
width=$(( 8 + 24 + columns * 172 + 8 ))
height=$(( 8 + 44 + rows * 172 + 32 ))
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --disable-background-networking --no-first-run \
  --force-device-scale-factor=1 --window-size="$width,$height" --screenshot="$PWD/$out" "file://$work/figure.html" 2>/dev/null
echo "wrote $out (${width}x${height})"
