#!/usr/bin/env bash
# Installs the Debian packages listed in deps/debian.txt (or deps/debian-NAME.txt with an
# argument: "bench" for the benchmarks' tools) that are missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
list="$here/deps/debian${1:+-$1}.txt"
mapfile -t want < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$list" | awk 'NF {print $1}')
missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
