#!/usr/bin/env bash
# Installs the Debian packages Rubric needs, and only those that are missing.
# As root it runs apt-get; otherwise it names the packages and stops.
set -euo pipefail
packages=(build-essential cmake ninja-build ccache pkg-config tao-pegtl-dev libfmt-dev
          libcli11-dev catch2 libsimdjson-dev libz3-dev libbenchmark-dev graphviz
          chromium python3 patch time clang-14 libclang-rt-14-dev nlohmann-json3-dev
          python3-dev python3-pybind11 python3-pytest python3-pandas python3-distributed
          libssl-dev libsqlite3-dev libcpp-httplib-dev libjemalloc-dev nginx wrk apache2-utils bc)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "rubric: missing Debian packages: ${missing[*]}" >&2
  echo "rubric: install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "rubric: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
