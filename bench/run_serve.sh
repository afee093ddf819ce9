#!/usr/bin/env bash
# Server benchmark (issue 5): with N incidents in the store (default 10,000), wrk with 64
# connections on loopback against GET /api/v1/incidents/ID and GET /api/v1/board, and in the
# same run nginx serving a static file of the incident answer's size (the practical ceiling
# for one HTTP response here). Reports requests/s, p99 latency and the server's resident
# memory. The server (and nginx) run on core 0 and wrk on core 1: with both sharing two
# cores, scheduling alone put p99 near 100 ms for nginx too.
#   usage: bench/run_serve.sh [FUKKYU] [N] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../build/fukkyu}")
n=${2:-10000} secs=${3:-10}
bash "$here/../scripts/deps.sh" bench
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; rm -rf "$work"' EXIT
export LANG=C.UTF-8 FUKKYU_AS=bench FUKKYU_DB="$work/serve.db"
"$(dirname "$bin")/bench/bench_incidents" "$work/serve.db" "$n" > /dev/null
echo 'bench-password-1' | "$bin" user add bench --role viewer --password-stdin > /dev/null
"$bin" user add admin --role admin > /dev/null
token=$("$bin" --json token add bench | jq -r .token)
taskset -c 0 "$bin" serve --listen 127.0.0.1:0 --threads 1 --max-connections 512 --per-address 256 \
	> "$work/serve.out" 2>&1 &
pids+=($!)
server=$!
for _ in $(seq 100); do grep -q http:// "$work/serve.out" && break; sleep 0.1; done
port=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/serve.out" | cut -d: -f2)
id=$((n / 2))
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/incidents/$id" > "$work/incident.json"
size=$(stat -c %s "$work/incident.json")
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/board" > "$work/board.json"
bsize=$(stat -c %s "$work/board.json")
# nginx, not as a service: its own prefix, one worker per core, access log off.
mkdir -p "$work/nginx/html" "$work/nginx/logs"
cp "$work/incident.json" "$work/board.json" "$work/nginx/html/"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:0; }
  server { listen 127.0.0.1:$((port + 1)); root $work/nginx/html; }
}
CONF
sed -i '/listen 127.0.0.1:0;/d' "$work/nginx/nginx.conf"
taskset -c 0 /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2> /dev/null &
pids+=($!)
sleep 0.5
wrk_run() { # NAME URL [header]: prints requests/s and p99
	local out
	out=$(taskset -c 1 wrk -t1 -c64 -d"${secs}s" --latency ${3:+-H "$3"} "$2")
	printf '%-44s %10s req/s  p99 %s\n' "$1" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
		"$(echo "$out" | awk '$1 == "99%" {print $2}')"
}
echo "== $n incidents; server and nginx on core 0, wrk -t1 -c64 -d${secs}s on core 1 (loopback) =="
wrk_run "nginx, a static file of $size bytes" "http://127.0.0.1:$((port + 1))/incident.json"
wrk_run "fukkyu GET /api/v1/incidents/$id ($size bytes)" "http://127.0.0.1:$port/api/v1/incidents/$id" "Authorization: Bearer $token"
wrk_run "nginx, a static file of $bsize bytes" "http://127.0.0.1:$((port + 1))/board.json"
wrk_run "fukkyu GET /api/v1/board (first 100 of $n)" "http://127.0.0.1:$port/api/v1/board" "Authorization: Bearer $token"
echo "fukkyu resident memory after the runs: $(awk '/VmRSS/ {print $2, $3}' "/proc/$server/status"), peak $(awk '/VmHWM/ {print $2, $3}' "/proc/$server/status")"
