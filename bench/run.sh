#!/usr/bin/env bash
# Foundation benchmarks: incident creation with the full playbook, and the board over
# N incidents (default 10,000), each next to a baseline measured in the same run.
#   usage: bench/run.sh [FUKKYU_BINARY] [N]
# Figures go to stdout; copy them into bench/README.md with the date and machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/fukkyu}")
n=${2:-10000}
bench_bin=$(dirname "$bin")/bench/bench_incidents
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FUKKYU_AS=bench LANG=C.UTF-8

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms_of() { # runs "$@" once, prints wall milliseconds
  local t0 t1
  t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000))e-3 | awk '{printf "%.2f\n", $1}'
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024) " MiB"}' /proc/meminfo), $(sqlite3 --version | cut -d' ' -f1) =="

echo "== library level: $n incidents created one by one (a transaction each, synchronous=FULL) =="
"$bench_bin" "$work/lib.db" "$n"

echo "== CLI level, process start included =="
db="$work/cli.db"
"$bin" --db "$db" init >/dev/null
for i in $(seq 1 50); do
  ms_of "$bin" --db "$db" incident new --kind defacement --title "bench $i" --discovered 2026-07-06T07:20+09:00
done | median | xargs printf 'incident new (median of 50)             %s ms\n'
big="$work/lib.db"
for i in $(seq 1 7); do ms_of "$bin" --db "$big" --json board; done | median |
  xargs printf "board --json over $n incidents (median of 7)  %s ms\n"
for i in $(seq 1 7); do ms_of "$bin" --db "$big" board; done | median |
  xargs printf "board (table) over $n incidents (median of 7) %s ms\n"
/usr/bin/time -f '%M' -o "$work/rss" "$bin" --db "$big" --json board >/dev/null
printf 'board --json peak memory                      %s KiB\n' "$(cat "$work/rss")"
/usr/bin/time -f '%M' -o "$work/rss" "$bin" --db "$db" incident new --kind data-leak --title x --discovered 2026-07-06 >/dev/null
printf 'incident new peak memory                      %s KiB\n' "$(cat "$work/rss")"

echo "== baseline in the same run: the sqlite3 shell =="
for i in $(seq 1 7); do
  ms_of sqlite3 "$big" "SELECT t.incident_id, t.phase, SUM(t.state IN ('done','na')), COUNT(*) FROM tasks t JOIN incidents i ON i.id = t.incident_id WHERE i.state <> 'closed' GROUP BY 1, 2"
done | median | xargs printf 'sqlite3: naive per-phase count over every task  %s ms\n'
for i in $(seq 1 7); do
  ms_of sqlite3 "$big" "SELECT i.*, p.no, p.finished, p.total FROM incidents i JOIN phases p ON p.incident_id = i.id WHERE i.state <> 'closed'"
done | median | xargs printf 'sqlite3: the rows the board reads (no decoding) %s ms\n'
/usr/bin/time -f '%M' -o "$work/rss" sqlite3 "$big" "SELECT i.*, p.no, p.finished, p.total FROM incidents i JOIN phases p ON p.incident_id = i.id WHERE i.state <> 'closed'" >/dev/null
printf 'sqlite3 same rows, peak memory                 %s KiB\n' "$(cat "$work/rss")"
