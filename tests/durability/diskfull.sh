#!/usr/bin/env bash
# A full disk: writes through the API and the CLI fail with a clear error (the API a 5xx JSON
# error, the server still serving), the failed write leaves nothing behind (every table's row
# count unchanged, a bulk import rolled back with its indexes), and once there is room again
# the database is intact (integrity_check, audit verify) and writes work, through the same
# server. SQLite only (a PostgreSQL database's disk is the PostgreSQL server's). Two disks:
#   tmpfs   a real full disk (ENOSPC): a small tmpfs in a private mount namespace
#           (unshare -Urm, or unshare -m as root); skipped where namespaces are not allowed
#   rlimit  a file size limit (RLIMIT_FSIZE, EFBIG): fukkyu must not be killed by SIGXFSZ
#   usage: diskfull.sh FUKKYU [SOURCE_DIR]     (env FK_DISKFULL_MODES="tmpfs rlimit")
set -euo pipefail
FUKKYU=$(realpath "$1")
SRC=${2:-${FK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}}
[ -z "${FK_TEST_PG:-}" ] || { echo "diskfull: SQLite only"; exit 77; }
export LANG=C.UTF-8 FUKKYU_TZ=Asia/Tokyo FUKKYU_AS=setup
INC='INC-2026-0001'
FULL_EN='the disk is full; nothing was written'
FULL_JA='ディスクが一杯です。何も書き込まれていません'

# Each mode is this script run again with FK_DISKFULL_INNER=MODE (tmpfs: inside the
# namespace, where it mounts the disk).
if [ -z "${FK_DISKFULL_INNER:-}" ]; then
	status=0
	modes=${FK_DISKFULL_MODES:-tmpfs rlimit}
	for mode in $modes; do
		case $mode in
		tmpfs)
			ns=
			if unshare -Urm true 2> /dev/null; then
				ns='unshare -Urm'
			elif [ "$(id -u)" = 0 ] && unshare -m true 2> /dev/null; then
				ns='unshare -m'
			fi
			if [ -z "$ns" ]; then
				echo "diskfull (tmpfs): skipped: no private mount namespace here (unshare)"
				continue
			fi
			FK_DISKFULL_INNER=tmpfs $ns bash "$0" "$FUKKYU" "$SRC" || status=1
			;;
		rlimit) FK_DISKFULL_INNER=rlimit bash "$0" "$FUKKYU" "$SRC" || status=1 ;;
		*) echo "diskfull: unknown mode $mode" >&2; status=1 ;;
		esac
	done
	exit $status
fi
mode=$FK_DISKFULL_INNER
case $mode in tmpfs | rlimit) ;; *) echo "diskfull: unknown mode $mode" >&2; exit 1 ;; esac

work=$(mktemp -d)
server=
cleanup() {
	[ -n "$server" ] && kill -KILL "$server" 2> /dev/null
	wait 2> /dev/null
	[ "$mode" = tmpfs ] && umount "$work/disk" 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL diskfull ($mode): $*" >&2; fails=$((fails + 1)); }
mkdir "$work/disk"
if [ "$mode" = tmpfs ]; then
	mount -t tmpfs -o size=64m fukkyu-diskfull "$work/disk" ||
		{ echo "FAIL diskfull: cannot mount a tmpfs in the namespace" >&2; exit 1; }
fi
export DB="$work/disk/full.db" FUKKYU_DB="$work/disk/full.db"

"$FUKKYU" demo > /dev/null
echo "password-of-resp" | "$FUKKYU" user add resp --role responder --password-stdin > /dev/null
token=$("$FUKKYU" --json token add resp | jq -r .token)
{
	echo name,ip,os,department
	for i in $(seq 5000); do echo "df-host-$i,10.9.$((i / 250)).$((i % 250)),Linux,Ops"; done
} > "$work/inventory.csv"
filler=$(head -c 30000 /dev/zero | tr '\0' x)

# Room for about 640 KiB more: the disk itself (tmpfs), or each file (RLIMIT_FSIZE, soft
# limit only, so that prlimit can raise it again for the running server).
if [ "$mode" = tmpfs ]; then
	used=$(du -sk "$work/disk" | cut -f1)
	mount -o remount,size=$((used + 640))k "$work/disk"
	limited() { "$@"; }
else
	fsize=$(($(stat -c %s "$DB") / 1024 + 640))
	limited() { (ulimit -S -f "$fsize" && exec "$@"); }
fi

# Every table's row count, read without writing (a read-only connection never checkpoints).
counts() {
	local q
	q=$(sqlite3 -readonly "$DB" "SELECT group_concat('SELECT ''' || name || ''', COUNT(*) FROM \"' || name || '\"', ' UNION ALL ') FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	sqlite3 -readonly "$DB" "$q"
}
# same-counts WHAT BEFORE-FILE: nothing was written by the failed WHAT
same_counts() {
	counts > "$work/counts.after"
	cmp -s "$1" "$work/counts.after" ||
		fail "$2 left rows behind: $(diff "$1" "$work/counts.after" | grep '^[<>]' | tr '\n' ' ')"
}
# full-message LANG TEXT: the message says the disk is full (the tmpfs disk); a file size
# limit (EFBIG) is reported the same way (lib/store/sqlite.c maps it)
full_message() {
	local want=$FULL_EN
	[ "$1" = ja ] && want=$FULL_JA
	case $2 in
	*"$want"*) return 0 ;;
	esac
	# a file size limit: SQLite's EFBIG, said as such
	[ "$mode" = rlimit ] || return 1
	[ "$1" = ja ] && want='ファイルが上限の大きさに達しました。何も書き込まれていません' ||
		want='the file reached its size limit; nothing was written'
	[[ $2 == *"$want"* ]]
}

# (no function or extra subshell between: $server is the server's own process)
if [ "$mode" = rlimit ]; then
	(ulimit -S -f "$fsize" && exec "$FUKKYU" serve --listen 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.err") &
else
	"$FUKKYU" serve --listen 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.err" &
fi
server=$!
for _ in $(seq 100); do grep -q 'http://' "$work/serve.out" 2> /dev/null && break; sleep 0.1; done
port=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/serve.out" | head -1 | cut -d: -f2)
[ -n "$port" ] || { cat "$work/serve.err" >&2; echo "FAIL diskfull: the server did not start" >&2; exit 1; }
BASE="http://127.0.0.1:$port/api/v1"
post() { # post TEXT [QUERY]: the status; the body in $work/body
	printf '{"text": "%s"}' "$1" > "$work/req"
	curl -s -o "$work/body" -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' --data-binary @"$work/req" \
		"$BASE/incidents/$INC/timeline${2:-}" || echo 000
}

# 1. The API: write until the disk is full.
full=
for i in $(seq 300); do
	counts > "$work/counts.before"
	s=$(post "df-api-$i $filler")
	[ "$s" = 201 ] && continue
	full=$i
	break
done
[ -n "$full" ] || { echo "FAIL diskfull ($mode): 300 writes of 30 KB and the disk is not full" >&2; exit 1; }
kill -0 "$server" 2> /dev/null || { echo "FAIL diskfull ($mode): the server died: $(cat "$work/serve.err")" >&2; exit 1; }
msg=$(jq -r '.error.message' "$work/body" 2> /dev/null) || msg=
[[ $s == 5?? ]] || fail "the API: status $s for a write to a full disk, expected 5xx: $(head -c 300 "$work/body")"
full_message en "$msg" || fail "the API's message: '$msg' ($(head -c 300 "$work/body"))"
api_en=$msg
same_counts "$work/counts.before" "the failed API write"
s=$(post "df-api-ja $filler" '?lang=ja')
msg=$(jq -r '.error.message' "$work/body" 2> /dev/null) || msg=
[[ $s == 5?? ]] || fail "the API (ja): status $s, expected 5xx"
full_message ja "$msg" || fail "the API's message (ja): '$msg'"
same_counts "$work/counts.before" "the failed API write (ja)"
# The server still reads.
s=$(curl -s -o "$work/body" -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $token" "$BASE/incidents/$INC/timeline") || s=000
[ "$s" = 200 ] && jq -e --arg t "df-api-1 $filler" '[.timeline[].text] | index($t) != null' "$work/body" > /dev/null ||
	fail "reading the timeline from the server on a full disk: $s"
s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $token" "$BASE/board") || s=000
[ "$s" = 200 ] || fail "the board from the server on a full disk: $s"

# 2. The CLI: the same write, in both languages, then a bulk import (5,000 rows).
set +e
limited "$FUKKYU" timeline add "$INC" "df-cli $filler" > /dev/null 2> "$work/err"
rc=$?
[ "$rc" = 1 ] || fail "the CLI exited $rc on a full disk, expected 1 (153 is SIGXFSZ): $(cat "$work/err")"
full_message en "$(cat "$work/err")" || fail "the CLI's message: $(cat "$work/err")"
grep -q "^fukkyu: error: .*'$DB'" "$work/err" || fail "the CLI's message does not name the database: $(cat "$work/err")"
cli_en=$(cat "$work/err")
same_counts "$work/counts.before" "the failed CLI write"
limited "$FUKKYU" --lang ja timeline add "$INC" "df-cli-ja $filler" > /dev/null 2> "$work/err"
rc=$?
[ "$rc" = 1 ] || fail "the CLI (ja) exited $rc on a full disk, expected 1: $(cat "$work/err")"
grep -q '^fukkyu: エラー: ' "$work/err" && full_message ja "$(cat "$work/err")" || fail "the CLI's message (ja): $(cat "$work/err")"
same_counts "$work/counts.before" "the failed CLI write (ja)"
limited "$FUKKYU" asset import "$work/inventory.csv" > /dev/null 2> "$work/err"
rc=$?
[ "$rc" = 1 ] || fail "an import to a full disk exited $rc, expected 1: $(cat "$work/err")"
full_message en "$(cat "$work/err")" || fail "the import's message: $(cat "$work/err")"
same_counts "$work/counts.before" "the failed import"
set -e
ic=$(sqlite3 -readonly "$DB" 'PRAGMA integrity_check' 2>&1) || true
[ "$ic" = ok ] || fail "integrity_check on the full disk: $ic"

# 3. Room again: the same server writes; the database is intact.
if [ "$mode" = tmpfs ]; then
	mount -o remount,size=64m "$work/disk"
	limited() { "$@"; }
elif command -v prlimit > /dev/null; then
	prlimit --pid "$server" --fsize=unlimited:
	limited() { "$@"; }
else
	fail "no prlimit to raise the server's limit"
fi
s=$(post "df-api-after")
[ "$s" = 201 ] || fail "the server's first write after the disk was freed: $s $(head -c 300 "$work/body")"
"$FUKKYU" timeline add "$INC" "df-cli-after" > /dev/null || fail "a CLI write after the disk was freed"
"$FUKKYU" --json asset import "$work/inventory.csv" > "$work/import.json" &&
	jq -e '.inserted == 5000' "$work/import.json" > /dev/null || fail "the import after the disk was freed: $(cat "$work/import.json")"
n=$(sqlite3 -readonly "$DB" "SELECT COUNT(*) FROM timeline WHERE text LIKE 'df-%'")
[ "$n" = $((full + 1)) ] ||
	fail "$n df- entries on the timeline, expected $((full - 1)) before the disk was full and 2 after"
n=$(sqlite3 -readonly "$DB" "SELECT COUNT(*) FROM timeline WHERE text IN ('df-api-$full $filler', 'df-api-ja $filler', 'df-cli $filler', 'df-cli-ja $filler')")
[ "$n" = 0 ] || fail "$n failed writes are on the timeline"
kill -TERM "$server"
for _ in $(seq 150); do kill -0 "$server" 2> /dev/null || break; sleep 0.1; done
kill -0 "$server" 2> /dev/null && { fail "the server did not stop on SIGTERM"; kill -KILL "$server"; }
wait "$server" || fail "the server exited $? on SIGTERM: $(cat "$work/serve.err")"
server=
"$FUKKYU" audit verify > "$work/verify" 2>&1 || fail "audit verify: $(cat "$work/verify")"
ic=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1) || true
[ "$ic" = ok ] || fail "integrity_check: $ic"
[ "$fails" = 0 ] || { echo "diskfull ($mode): $fails failures" >&2; exit 1; }
echo "diskfull ($mode): ok (full after $((full - 1)) API writes of 30 KB; API: $api_en; CLI: $cli_en)"
