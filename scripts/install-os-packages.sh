#!/usr/bin/env bash
# Installs the Debian packages ExplainApi needs, only those missing. Usage: install-os-packages.sh run|test
#   run:  libgdcm-cil (GDCM's .NET binding: DICOM decoding, needed to build and to run),
#         mricron-data (Colin27 brain + AAL atlas: the built-in synthetic:brain-atrophy dataset)
#   test: + dcmtk and libgdcm-tools (tests make real DICOM files with them), chromium (the Swagger page test)
set -euo pipefail
profile="${1:-run}"
packages=(libgdcm-cil mricron-data)
if [[ "$profile" == "test" ]]; then
  packages+=(dcmtk libgdcm-tools chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Missing OS packages: ${missing[*]}. This script installs them with apt-get (Debian/Ubuntu); install them by hand elsewhere." >&2
  exit 1
fi
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing OS packages: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
