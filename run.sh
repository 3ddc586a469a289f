#!/usr/bin/env bash
# Sets up and runs ExplainApi on the embedded default: state in ./data (SQLite), no external service.
# Listens on http://127.0.0.1:5080 unless --urls or ASPNETCORE_URLS says otherwise. Extra arguments go
# to the service (e.g. ./run.sh --urls http://0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-os-packages.sh run
dotnet build src/ExplainApi.Host -c Release -nologo -v quiet
# `dotnet run` starts the app in the project folder; keep the state in ./data of the checkout unless told otherwise.
export ExplainApi__DataDirectory="${ExplainApi__DataDirectory:-$PWD/data}"
exec dotnet run --project src/ExplainApi.Host -c Release --no-build --no-launch-profile -- "$@"
