#!/usr/bin/env bash
# Company-wide sweep benchmarks (issue 3): importing N assets (default 1,000,000) against the
# sqlite3 shell's .import of the same file into a plain table, in the same run; then sweep
# start and status on the result.   usage: bench/run_sweep.sh [FUKKYU_BINARY] [N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/fukkyu}")
n=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FUKKYU_AS=bench LANG=C.UTF-8
csv="$work/inventory.csv"
bash "$here/gen_inventory.sh" "$n" > "$csv"
echo "== $n assets, $(($(stat -c %s "$csv") / 1048576)) MiB of CSV; $(nproc) cores; $(sqlite3 --version | cut -d' ' -f1) =="

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() { /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null; cat "$work/t"; }

for i in 1 2 3; do
  rm -f "$work/base.db"
  secs sqlite3 "$work/base.db" ".mode csv" ".import $csv assets"
done > "$work/base"
for i in 1 2 3; do
  rm -f "$work/f.db"*
  "$bin" --db "$work/f.db" init >/dev/null
  secs "$bin" --db "$work/f.db" asset import "$csv"
done > "$work/fk"
b=$(cut -d' ' -f1 "$work/base" | median)
f=$(cut -d' ' -f1 "$work/fk" | median)
printf 'sqlite3 .import (baseline), median of 3   %s s, peak %s KiB\n' "$b" "$(cut -d' ' -f2 "$work/base" | sort -n | tail -1)"
printf 'fukkyu asset import, median of 3          %s s, peak %s KiB\n' "$f" "$(cut -d' ' -f2 "$work/fk" | sort -n | tail -1)"
awk -v b="$b" -v f="$f" 'BEGIN {printf "ratio fukkyu / baseline                   %.2f (goal: 2.00 or less)\n", f / b}'
printf 're-import of the same file (all updates)  %s s, peak %s KiB\n' $(secs "$bin" --db "$work/f.db" asset import "$csv")

db="$work/f.db"
"$bin" --db "$db" incident new --kind intrusion --title web --discovered 2026-11-20 >/dev/null
srv=$(awk -F, '$1 ~ /^srv/ && $3 == "Ubuntu" && $4 == "22.04" {print $1; exit}' "$csv")
pc=$(awk -F, '$1 ~ /^pc/ && $3 == "Windows" && $4 == "11" {print $1; exit}' "$csv")
"$bin" --db "$db" incident assets 1 add "$srv" >/dev/null
printf 'sweep start, os_version + software:nginx@1.18 (a web server hit)   %s s, peak %s KiB' $(secs "$bin" --db "$db" sweep start 1 --match os_version --match software:nginx@1.18)
printf ', %s systems\n' "$("$bin" --db "$db" --json sweep status 1 | jq .total)"
printf 'sweep status                                                        %s s, peak %s KiB\n' $(secs "$bin" --db "$db" sweep status 1)
"$bin" --db "$db" incident new --kind malware-outbreak --title worm --discovered 2026-11-20 >/dev/null
"$bin" --db "$db" incident assets 2 add "$srv" "$pc" >/dev/null
printf 'sweep start, os_version + software:openssl@3.0.2 (worst: half the fleet) %s s, peak %s KiB' $(secs "$bin" --db "$db" sweep start 2 --match os_version --match software:openssl@3.0.2)
printf ', %s systems\n' "$("$bin" --db "$db" --json sweep status 2 | jq .total)"
printf 'sweep status (worst)                                                %s s, peak %s KiB\n' $(secs "$bin" --db "$db" sweep status 2)
printf 'sweep start again, adds tag:dc (never resets)                       %s s\n' $(secs "$bin" --db "$db" sweep start 2 --match tag:dc | cut -d' ' -f1)
