#!/usr/bin/env bash
# Two `fukkyu serve` processes on one database (PostgreSQL as a team would run them behind a
# load balancer; SQLite as two processes on one file), with concurrent writers on both:
#   1. a session made on one server is valid on the other, and ended on it for both;
#   2. writers on both servers add timeline entries at once: every acknowledged (201) entry
#      is there exactly once, and nothing else was added;
#   3. two people on different servers change the same task from the same revision at the
#      same moment: exactly one wins, the other gets 409, in every round;
#   4. the audit chain verifies (and SQLite's integrity check passes).
#   usage: twoservers.sh FUKKYU [SOURCE_DIR]
set -euo pipefail
FUKKYU=$(realpath "$1")
SRC=${2:-${FK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}}
work=$(mktemp -d)
# shellcheck source=../lib/testdb.bash
. "$SRC/tests/lib/testdb.bash"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
	wait 2> /dev/null || true
	fk_testdb_drop
	rm -rf "$work"
}
trap cleanup EXIT
fk_testdb "$work/two.db"
export LANG=C.UTF-8 FUKKYU_TZ=Asia/Tokyo FUKKYU_AS=setup
fails=0
fail() { echo "FAIL twoservers: $*" >&2; fails=$((fails + 1)); }

"$FUKKYU" demo > /dev/null
echo "password-of-alice" | "$FUKKYU" user add alice --role responder --password-stdin > /dev/null
echo "password-of-bob" | "$FUKKYU" user add bob --role owner --password-stdin > /dev/null
TA=$("$FUKKYU" --json token add alice | jq -r .token)
TB=$("$FUKKYU" --json token add bob | jq -r .token)

start() { # start NAME: a server on a free loopback port; sets PORT_NAME
	"$FUKKYU" serve --listen 127.0.0.1:0 > "$work/$1.out" 2> "$work/$1.err" &
	pids+=($!)
	local port=
	for _ in $(seq 100); do
		port=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/$1.out" 2> /dev/null | head -1 | cut -d: -f2 || true)
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { cat "$work/$1.err" >&2; echo "FAIL twoservers: server $1 did not start" >&2; exit 1; }
	printf -v "PORT_$1" '%s' "$port"
}
start A
start B
A="http://127.0.0.1:$PORT_A" B="http://127.0.0.1:$PORT_B"

# 1. sessions live in the database: valid on every server
curl -s -c "$work/jar" -o "$work/login" -H 'Content-Type: application/json' \
	--data '{"name": "alice", "password": "password-of-alice"}' "$A/api/v1/session"
csrf=$(jq -r .csrf "$work/login")
[ "$(curl -s -b "$work/jar" "$B/api/v1/me" | jq -r .name)" = alice ] ||
	fail "a session made on server A is not valid on server B"
s=$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" -H "X-CSRF-Token: $csrf" -X DELETE "$B/api/v1/session")
[ "$s" = 200 ] || [ "$s" = 204 ] || fail "sign-out on server B: $s"
s=$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" "$A/api/v1/me")
[ "$s" = 401 ] || fail "a session ended on server B is still valid on server A: $s"

# 2. concurrent writers on both servers
before=$("$FUKKYU" --json timeline list INC-2026-0003 | jq '.timeline | length')
writer() { # writer ID BASE TOKEN: 40 entries; the acknowledged texts go to $work/acked.ID
	local id=$1 base=$2 token=$3 i s
	for i in $(seq 40); do
		s=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
			-H 'Content-Type: application/json' --max-time 20 \
			--data "{\"text\": \"w$id-$i\"}" "$base/api/v1/incidents/INC-2026-0003/timeline") || s=000
		if [ "$s" = 201 ]; then echo "w$id-$i" >> "$work/acked.$id"; else echo "w$id-$i $s" >> "$work/refused.$id"; fi
	done
}
writer 1 "$A" "$TA" &
w1=$!
writer 2 "$B" "$TB" &
w2=$!
writer 3 "$A" "$TB" &
w3=$!
writer 4 "$B" "$TA" &
w4=$!
wait $w1 $w2 $w3 $w4
cat "$work"/acked.* | sort > "$work/acked"
acked=$(wc -l < "$work/acked")
[ "$acked" -ge 150 ] || fail "only $acked of 160 writes acknowledged: $(cat "$work"/refused.* 2> /dev/null | head -5)"
"$FUKKYU" --json timeline list INC-2026-0003 | jq -r '.timeline[].text' | grep '^w[0-9]-' | sort > "$work/stored"
dups=$(uniq -d "$work/stored" | wc -l)
[ "$dups" = 0 ] || fail "$dups entries stored twice"
diff -q "$work/acked" "$work/stored" > /dev/null || fail "stored entries differ from the acknowledged ones: $(diff "$work/acked" "$work/stored" | head -5)"
after=$("$FUKKYU" --json timeline list INC-2026-0003 | jq '.timeline | length')
[ $((after - before)) = "$acked" ] || fail "$((after - before)) entries added for $acked acknowledged"

# 3. the same task, from the same revision, on both servers at once
rounds=0 wins=0 conflicts=0
for i in $(seq 8); do
	rev=$(curl -s -H "Authorization: Bearer $TA" "$A/api/v1/incidents/INC-2026-0003/tasks" |
		jq '.tasks[] | select(.id == "3.1") | .rev')
	curl -s -o "$work/ra" -w '%{http_code}' -X PATCH -H "Authorization: Bearer $TA" \
		-H 'Content-Type: application/json' -H "If-Match: \"$rev\"" \
		--data "{\"note\": \"alice $i\"}" "$A/api/v1/incidents/INC-2026-0003/tasks/3.1" > "$work/sa" &
	pa=$!
	curl -s -o "$work/rb" -w '%{http_code}' -X PATCH -H "Authorization: Bearer $TB" \
		-H 'Content-Type: application/json' -H "If-Match: \"$rev\"" \
		--data "{\"note\": \"bob $i\"}" "$B/api/v1/incidents/INC-2026-0003/tasks/3.1" > "$work/sb" &
	pb=$!
	wait $pa $pb
	sa=$(cat "$work/sa") sb=$(cat "$work/sb")
	rounds=$((rounds + 1))
	case "$sa $sb" in
	"200 409") wins=$((wins + 1)) conflicts=$((conflicts + 1)) winner="alice $i" ;;
	"409 200") wins=$((wins + 1)) conflicts=$((conflicts + 1)) winner="bob $i" ;;
	*) fail "round $i: statuses $sa and $sb, expected one 200 and one 409"; continue ;;
	esac
	note=$(curl -s -H "Authorization: Bearer $TA" "$B/api/v1/incidents/INC-2026-0003/tasks" |
		jq -r '.tasks[] | select(.id == "3.1") | .note')
	[ "$note" = "$winner" ] || fail "round $i: the note is '$note', the winner wrote '$winner'"
done

# 4. the chain, after everything
"$FUKKYU" audit verify > /dev/null || fail "audit verify failed after the concurrent writes"
if [ "$(fk_backend)" = sqlite ]; then
	[ "$(dbq 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
fi
[ "$fails" = 0 ] || exit 1
echo "twoservers ($(fk_backend)): ok ($acked acknowledged writes on two servers, each stored once; $wins of $rounds simultaneous edits won and $conflicts refused with 409)"
