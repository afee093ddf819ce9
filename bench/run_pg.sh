#!/usr/bin/env bash
# Several servers on PostgreSQL against one on SQLite (issue 8): N incidents (default 2,000)
# in each store; wrk on loopback with a read-mostly mix (10% writes) and a write-heavy one
# (80% writes; bench/mix.lua: GET an incident, POST a timeline entry). One fukkyu server on
# the SQLite file gets wrk -c64; two fukkyu servers on one PostgreSQL database get wrk -c32
# each at the same time (what a load balancer in front of them would spread). Reports
# requests/s (summed over the two) and the worse p99, and errors (non-2xx). Everything shares
# the machine's cores: the PostgreSQL server, the fukkyu servers and wrk.
#   usage: bench/run_pg.sh [FUKKYU] [N] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/fukkyu}")
n=${2:-2000} secs=${3:-10}
bash "$here/../scripts/deps.sh" bench
work=$(mktemp -d)
pg=/tmp/fukkyu-bench-pg.$$
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
	wait 2> /dev/null || true
	bash "$here/../scripts/pg-cluster.sh" stop "$pg" > /dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
export LANG=C.UTF-8 FUKKYU_AS=bench
bash "$here/../scripts/pg-cluster.sh" start "$pg" > /dev/null
url=$(bash "$here/../scripts/pg-cluster.sh" createdb "$pg" bench)
filled() { # DB: N incidents, a responder with a token (printed)
	local t0=$SECONDS
	"$(dirname "$bin")/bench/bench_incidents" "$1" "$n" > /dev/null
	"$bin" --db "$1" user add bench --role responder > /dev/null
	echo "filled $1 with $n incidents in $((SECONDS - t0)) s" >&2
	"$bin" --db "$1" --json token add bench | jq -r .token
}
tok_sqlite=$(filled "$work/bench.db")
tok_pg=$(filled "$url")

serve() { # DB: a server on a free port (printed)
	local out="$work/serve.$RANDOM"
	"$bin" --db "$1" serve --listen 127.0.0.1:0 --max-connections 512 --per-address 256 > "$out" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do grep -q http:// "$out" && break; sleep 0.1; done
	grep -o '127\.0\.0\.1:[0-9]*' "$out" | head -1 | cut -d: -f2
}
p_sqlite=$(serve "$work/bench.db")
p_pg1=$(serve "$url")
p_pg2=$(serve "$url")

wrk_once() { # PORT CONNECTIONS TOKEN WRITE_PCT OUT
	FK_N=$n FK_TOKEN=$3 FK_WRITE_PCT=$4 wrk -t1 -c"$2" -d"${secs}s" --latency -s "$here/mix.lua" \
		"http://127.0.0.1:$1" > "$5"
}
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
errs() { awk '/Non-2xx/ {print $NF; found=1} END {if (!found) print 0}' "$1"; }
ms() { # a wrk latency (850us, 12.5ms, 1.2s) in ms
	awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else printf "%.2f", v * 1000 }'
}
echo "== $n incidents; wrk ${secs}s per run on loopback; 2 cores shared by everything =="
printf '%-44s %12s %10s %8s\n' "setup / mix" "requests/s" "p99 ms" "errors"
for mix in 10 80; do
	name=$([ "$mix" = 10 ] && echo "read-mostly (10% writes)" || echo "write-heavy (80% writes)")
	wrk_once "$p_sqlite" 64 "$tok_sqlite" "$mix" "$work/s.txt"
	printf '%-44s %12s %10s %8s\n' "1 server, SQLite: $name" "$(rps "$work/s.txt")" \
		"$(ms "$(p99 "$work/s.txt")")" "$(errs "$work/s.txt")"
	wrk_once "$p_pg1" 32 "$tok_pg" "$mix" "$work/a.txt" &
	wa=$!
	wrk_once "$p_pg2" 32 "$tok_pg" "$mix" "$work/b.txt" &
	wb=$!
	wait $wa $wb
	total=$(awk -v a="$(rps "$work/a.txt")" -v b="$(rps "$work/b.txt")" 'BEGIN {printf "%.2f", a + b}')
	worst=$(awk -v a="$(ms "$(p99 "$work/a.txt")")" -v b="$(ms "$(p99 "$work/b.txt")")" 'BEGIN {print (a > b ? a : b)}')
	printf '%-44s %12s %10s %8s\n' "2 servers, PostgreSQL: $name" "$total" "$worst" \
		"$(($(errs "$work/a.txt") + $(errs "$work/b.txt")))"
done
"$bin" --db "$work/bench.db" audit verify > /dev/null && "$bin" --db "$url" audit verify > /dev/null &&
	echo "audit verify: both chains intact after the runs"
