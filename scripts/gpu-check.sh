#!/usr/bin/env bash
# For a machine with an NVIDIA GPU: builds with -p:Accelerator=cuda, checks that ONNX Runtime's CUDA provider loads,
# runs the bench's quick classifier profile (raw forward, the saliency methods, Score-CAM vs K, the service) once on
# CUDA and once on CPU, and writes one JSON file: GPU, driver, provider load status and both result sets.
#   scripts/gpu-check.sh [OUT.json]     (default: ./gpu-check.json; takes about 5-10 minutes)
# Exit 2: no nvidia-smi (nothing to check here). Exit 3: the CUDA provider did not load or a model fell back to CPU;
# the JSON is still written, with the reason and the CPU results. Needs CUDA 13 + cuDNN 9 libraries on the loader path
# (README, "Packages, native dependencies and the GPU build").
set -euo pipefail
out="$(realpath -m "${1:-gpu-check.json}")"
cd "$(dirname "$0")/.."

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-check: nvidia-smi not found. This check needs an NVIDIA GPU with its driver installed; nothing was built or run." >&2
  exit 2
fi

# JSON string from arbitrary text (driver and error messages may hold quotes, backslashes or newlines).
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\n'/\\n}"; s="${s//$'\r'/}"; s="${s//$'\t'/ }"
  printf '"%s"' "$s"
}

gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -n 1)"
IFS=',' read -r gpu_name driver memory <<<"$gpu"
cuda_driver="$(nvidia-smi | grep -o 'CUDA Version: [0-9.]*' | head -n 1 | cut -d' ' -f3 || true)"

scripts/install-os-packages.sh run
dotnet build src/ExplainApi.Bench -c Release -p:Accelerator=cuda -nologo -v quiet
bench=(dotnet src/ExplainApi.Bench/bin/Release/net10.0/linux-x64/ExplainApi.Bench.dll)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

status=0
runtime="$("${bench[@]}" --runtime --accelerator cuda)" || status=3
[[ -n "$runtime" ]] || runtime="{\"error\": \"the bench's --runtime check printed nothing\"}"
echo "CUDA provider: $runtime"

cuda_results=null
if [[ $status -eq 0 ]]; then
  cuda_err="$work/cuda.err"
  if "${bench[@]}" --quick --classifier --accelerator cuda --out "$work/cuda/benchmarks.md" 2>"$cuda_err"; then
    cuda_results="$(cat "$work/cuda/benchmarks.json")"
  else
    cat "$cuda_err" >&2
    status=3
    cuda_results="{\"error\": $(json_string "$(tail -n 20 "$cuda_err")")}"
  fi
fi

"${bench[@]}" --quick --classifier --accelerator cpu --out "$work/cpu/benchmarks.md"
cpu_results="$(cat "$work/cpu/benchmarks.json")"

mkdir -p "$(dirname "$out")"
cat >"$out" <<EOF
{
  "measuredAt": $(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)"),
  "commit": $(json_string "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"),
  "gpu": $(json_string "${gpu_name# }"),
  "driver": $(json_string "${driver# }"),
  "gpuMemory": $(json_string "${memory# }"),
  "driverCudaVersion": $(json_string "$cuda_driver"),
  "cudaProvider": $runtime,
  "cuda": $cuda_results,
  "cpu": $cpu_results
}
EOF
echo "Wrote $out"
exit "$status"
