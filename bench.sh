#!/usr/bin/env bash
# Builds Release and runs the benchmark (src/ExplainApi.Bench; not a test): saliency method latency and
# throughput, the gradient pass, Score-CAM versus K and its fast mode, request overhead, the thread plan, raw ONNX Runtime
# passes, and the service under 1/8/32 loopback clients with and without dynamic batching (--only-overhead,
# --only-gradient-pass, --only-scorecam, --only-batching: that section alone).
# Writes docs/benchmarks.md and docs/benchmarks.json, then GAN training time and difference-map latency to
# docs/benchmarks-difference-maps.md and .json (--difference-maps: only those, a few minutes), then the dense CRF's lattice and
# inference times beside the C++ reference to docs/benchmarks-crf.md and .json (--crf: only those, about a minute). --quick: few
# repetitions, short load levels and a few training steps, a smoke check (a few minutes, RISE's one run
# dominating; about a minute with --difference-maps); the full run takes about 40 minutes on 2 cores.
# Other arguments go to the benchmark (--out PATH, --host PATH/TO/ExplainApi.Host.dll).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-os-packages.sh run
# Building the bench builds the host too (a project reference); the service benchmark starts the host's own build output.
dotnet build src/ExplainApi.Bench -c Release -nologo -v quiet
exec dotnet src/ExplainApi.Bench/bin/Release/net10.0/linux-x64/ExplainApi.Bench.dll "$@"
