#!/usr/bin/env bash
# Durability under kill -9: `fukkyu serve` is killed with SIGKILL again and again while
# writers POST timeline entries; after each restart every write the API acknowledged (2xx)
# is there exactly once, nothing is there twice, `fukkyu audit verify` passes and (SQLite)
# PRAGMA integrity_check is ok. A write whose answer was lost may or may not be there.
#   usage: kill9.sh FUKKYU [SOURCE_DIR]
#   env: FK_KILL9_ROUNDS (default 5), FK_KILL9_WRITERS (default 3); FK_TEST_PG selects
#        PostgreSQL (tests/lib/testdb.bash)
# Loopback only; every wait is bounded (the whole test takes about 15-30 s).
set -euo pipefail
FUKKYU=$(realpath "$1")
SRC=${2:-${FK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}}
ROUNDS=${FK_KILL9_ROUNDS:-5}
WRITERS=${FK_KILL9_WRITERS:-3}
work=$(mktemp -d)
server=
writers=()
# shellcheck source=../lib/testdb.bash
. "$SRC/tests/lib/testdb.bash"
cleanup() {
	touch "$work/stop" 2> /dev/null || true
	[ -n "$server" ] && kill -KILL "$server" 2> /dev/null
	for p in "${writers[@]}"; do kill "$p" 2> /dev/null; done
	wait 2> /dev/null
	fk_testdb_drop
	rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/ack" "$work/try" "$work/errors"
fk_testdb "$work/kill9.db"
export LANG=C.UTF-8 FUKKYU_TZ=Asia/Tokyo FUKKYU_AS=setup
fails=0
fail() { echo "FAIL kill9: $*" >&2; fails=$((fails + 1)); }
INC='INC-2026-0001'

"$FUKKYU" demo > /dev/null
echo "password-of-resp" | "$FUKKYU" user add resp --role responder --password-stdin > /dev/null
token=$("$FUKKYU" --json token add resp | jq -r .token)
[ -n "$token" ] && [ "$token" != null ] || { echo "FAIL kill9: no API token" >&2; exit 1; }

# start ROUND: a server on a new random loopback port; its port is published in $work/port
# (the writers read it before each request) once it answers.
start() {
	local out="$work/serve.$1.out" err="$work/serve.$1.err" p=
	"$FUKKYU" serve --listen 127.0.0.1:0 > "$out" 2> "$err" &
	server=$!
	for _ in $(seq 150); do
		p=$(grep -o '127\.0\.0\.1:[0-9]*' "$out" 2> /dev/null | head -1 | cut -d: -f2) || true
		[ -n "$p" ] && break
		kill -0 "$server" 2> /dev/null || break
		sleep 0.1
	done
	[ -n "$p" ] || { cat "$err" >&2; echo "FAIL kill9: the server did not start (round $1)" >&2; exit 1; }
	echo "$p" > "$work/port.tmp" && mv "$work/port.tmp" "$work/port"
}

# writer N: POSTs unique texts k9-wN-I; each text is tried once (a retry could duplicate it),
# written to attempts.N before the request and to acked.N only after a 2xx answer.
writer() {
	local w=$1 i=0 port status
	local deadline=$((SECONDS + 120))
	while [ ! -e "$work/stop" ] && [ "$SECONDS" -lt "$deadline" ]; do
		port=$(cat "$work/port" 2> /dev/null) || port=
		if [ -z "$port" ]; then sleep 0.05; continue; fi
		i=$((i + 1))
		local text="k9-w$w-$i"
		echo "$text" >> "$work/try/$w"
		status=$(curl -s -o "$work/resp.$w" -w '%{http_code}' --connect-timeout 1 --max-time 5 \
			-H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
			--data-binary "{\"text\": \"$text\", \"source\": \"kill9\"}" \
			"http://127.0.0.1:$port/api/v1/incidents/$INC/timeline") || status=000
		case $status in
		2??) echo "$text" >> "$work/ack/$w" ;;
		000) sleep 0.05 ;; # no server (killed, or not yet restarted)
		*) echo "$status $text: $(head -c 200 "$work/resp.$w")" >> "$work/errors/$w" ;;
		esac
	done
}

# check LABEL ACKED-FILE: every acknowledged text present exactly once, no text twice, no
# text that was never sent, the audit chain intact, SQLite's integrity check ok.
checked=0
check() {
	local label=$1 acked=$2
	if ! "$FUKKYU" --json timeline list "$INC" > "$work/list.json" 2> "$work/list.err"; then
		fail "$label: timeline list failed: $(cat "$work/list.err")"
		return
	fi
	jq -r '.timeline[].text | select(startswith("k9-"))' "$work/list.json" | sort > "$work/present"
	local dups missing unknown
	dups=$(uniq -d "$work/present" | head -5 | tr '\n' ' ')
	[ -z "$dups" ] || fail "$label: entries present more than once: $dups"
	sort -u "$acked" > "$work/acked.sorted"
	missing=$(comm -23 "$work/acked.sorted" <(sort -u "$work/present") | head -5 | tr '\n' ' ')
	[ -z "$missing" ] || fail "$label: acknowledged writes lost: $missing"
	cat "$work"/try/* 2> /dev/null | sort -u > "$work/attempts.sorted"
	unknown=$(comm -13 "$work/attempts.sorted" <(sort -u "$work/present") | head -5 | tr '\n' ' ')
	[ -z "$unknown" ] || fail "$label: entries that were never sent: $unknown"
	"$FUKKYU" audit verify > "$work/verify.out" 2>&1 || fail "$label: audit verify: $(cat "$work/verify.out")"
	if [ "$(fk_backend)" = sqlite ]; then
		local ic
		ic=$(dbq 'PRAGMA integrity_check' 2>&1) || true
		[ "$ic" = ok ] || fail "$label: integrity_check: $ic"
	fi
	checked=$(wc -l < "$work/acked.sorted")
	present_n=$(wc -l < "$work/present")
}

start 0
for w in $(seq "$WRITERS"); do
	: > "$work/try/$w"
	: > "$work/ack/$w"
	writer "$w" &
	writers+=($!)
done

t0=$SECONDS
kills=0
for round in $(seq "$ROUNDS"); do
	ms=$((300 + RANDOM % 1200))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	before=$(cat "$work"/ack/* | wc -l)
	kill -KILL "$server"
	wait "$server" 2> /dev/null || true
	server=
	kills=$((kills + 1))
	rm -f "$work/port"
	# What was acknowledged before the kill (an answer read just before it may be logged a
	# moment later: it is then checked in the next round).
	cat "$work"/ack/* > "$work/acked.round"
	start "$round"
	check "round $round (killed after ${ms} ms, $before acknowledged so far)" "$work/acked.round"
	echo "kill9: round $round: killed after ${ms} ms; $checked acknowledged writes checked, $present_n present"
done

# Stop the writers (each request has a 5 s cap), then one last check with everything.
touch "$work/stop"
for p in "${writers[@]}"; do
	for _ in $(seq 100); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
	kill "$p" 2> /dev/null || true
	wait "$p" 2> /dev/null || true
done
writers=()
cat "$work"/ack/* > "$work/acked.all"
check "final" "$work/acked.all"
attempts=$(cat "$work"/try/* | wc -l)
[ "$checked" -ge 20 ] || fail "only $checked writes were acknowledged: the test did not exercise the server"
# Any other answer than 2xx is a failure, but "busy" (503: the database stayed locked longer
# than the busy timeout, which a loaded machine may see).
cat "$work"/errors/* > "$work/errors.all" 2> /dev/null || true
busy=$(grep -c '^503 ' "$work/errors.all") || true
[ "$busy" = 0 ] || echo "kill9: $busy writes answered 503 (busy)"
bad=$(grep -v '^503 ' "$work/errors.all" | head -5) || true
[ -z "$bad" ] || fail "writes answered with an error: $bad"
# The server that was not killed still answers, and stops cleanly.
port=$(cat "$work/port")
s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $token" \
	"http://127.0.0.1:$port/api/v1/incidents/$INC/timeline") || s=000
[ "$s" = 200 ] || fail "the last server does not answer: $s"
kill -TERM "$server"
for _ in $(seq 150); do kill -0 "$server" 2> /dev/null || break; sleep 0.1; done
kill -0 "$server" 2> /dev/null && { fail "the last server did not stop on SIGTERM"; kill -KILL "$server"; }
wait "$server" || fail "the last server exited $? on SIGTERM"
server=
[ "$fails" = 0 ] || { echo "kill9: $fails failures" >&2; exit 1; }
echo "kill9 ($(fk_backend)): ok ($kills kills, $WRITERS writers, $attempts writes sent," \
	"$checked acknowledged and present exactly once, $present_n present, $((SECONDS - t0)) s)"
