#!/usr/bin/env bash
# Runs one CLI data-file case against the real binary on a fresh temporary database.
#   usage: run_case.sh CASE_FILE FUKKYU_BINARY
#
# A case file has sections, each starting with a line "%name":
#   %desc         what the case checks (free text)
#   %env          KEY=VALUE lines exported for every command (e.g. FUKKYU_NOW, LANG)
#   %setup        fukkyu argument lines run first; each must exit 0
#   %shell        bash run before %args (write files; $FUKKYU, $DB, $TMP are set)
#   %args         the fukkyu arguments under test (one line, shell words)
#   %exit         the expected exit status (default 0)
#   %stdout       the exact expected standard output
#   %stdout-has   lines each of which must occur in standard output
#   %stdout-not   lines none of which may occur in standard output
#   %stderr-has   lines each of which must occur in standard error
#   %json         jq filters over standard output, each must print true
#   %check        bash lines run afterwards, each must succeed ($OUT, $ERR hold the output;
#                 dbq SQL queries the database on either backend)
#   %backend      sqlite: the case is about the SQLite file itself; none: it opens no
#                 database (logs, playbook files). Either way it runs once, in the SQLite run
#                 (skipped, exit 77, when the run is on PostgreSQL)
# The database is $TMP/test.db, given through FUKKYU_DB, or with FK_TEST_PG set a new
# PostgreSQL database (tests/lib/testdb.bash); FUKKYU_AS=tester, LANG=C.UTF-8.
# $DATA is the source tree's tests/data (from FK_SOURCE_DIR, set by CTest).
set -uo pipefail
case_file=$1
FUKKYU=$(realpath "$2")
TMP=$(mktemp -d)
SRC=${FK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=../lib/testdb.bash
. "$SRC/tests/lib/testdb.bash"
trap 'fk_testdb_drop; rm -rf "$TMP"' EXIT
export FUKKYU TMP
export DATA="$SRC/tests/data"
export FUKKYU_AS=tester LANG=C.UTF-8 LC_ALL= LC_MESSAGES= FUKKYU_TZ=Asia/Tokyo
export FUKKYU_BUSY_MS=200
name=$(basename "$case_file")
fail() { printf 'FAIL %s: %s\n' "$name" "$*" >&2; exit 1; }

declare -A sec
current=""
while IFS= read -r line || [ -n "$line" ]; do
  if [[ $line =~ ^%([a-z-]+)[[:space:]]*$ ]]; then
    current=${BASH_REMATCH[1]}
    sec[$current]=""
    continue
  fi
  [ -z "$current" ] && continue
  sec[$current]+="$line"$'\n'
done < "$case_file"

[ -n "${sec[args]+x}" ] || fail "no %args section"
backend=$(printf '%s' "${sec[backend]-}" | tr -d '[:space:]')
[ "$backend" = none ] && backend=sqlite
if [ -n "$backend" ] && [ "$backend" != "$(fk_backend)" ]; then
  echo "skip $name: $backend only"
  exit 77
fi
fk_testdb "$TMP/test.db" || fail "no test database"

while IFS= read -r kv; do
  [ -z "$kv" ] && continue
  export "${kv?}"
done <<< "${sec[env]-}"

cd "$TMP" || fail "no temp dir"
while IFS= read -r line; do
  [ -z "$line" ] && continue
  eval "set -- $line"
  "$FUKKYU" "$@" >"$TMP/setup.out" 2>"$TMP/setup.err" ||
    fail "setup '$line' exited $?: $(cat "$TMP/setup.err")"
done <<< "${sec[setup]-}"

if [ -n "${sec[shell]-}" ]; then
  bash -euo pipefail -c "${sec[shell]}" || fail "%shell failed"
fi

args_line=$(printf '%s' "${sec[args]}" | head -n 1)
eval "set -- $args_line"
"$FUKKYU" "$@" >"$TMP/out" 2>"$TMP/err"
status=$?
OUT=$(cat "$TMP/out")
ERR=$(cat "$TMP/err")
export OUT ERR

want_exit=$(printf '%s' "${sec[exit]-0}" | tr -d '[:space:]')
[ "$status" = "${want_exit:-0}" ] ||
  fail "exit $status, expected ${want_exit:-0}
--- stdout
$OUT
--- stderr
$ERR"

if [ -n "${sec[stdout]+x}" ]; then
  diff -u <(printf '%s' "${sec[stdout]}") "$TMP/out" >"$TMP/diff" || fail "stdout differs:
$(cat "$TMP/diff")"
fi
while IFS= read -r want; do
  [ -z "$want" ] && continue
  grep -qF -- "$want" "$TMP/out" || fail "stdout lacks '$want':
$OUT"
done <<< "${sec[stdout-has]-}"
while IFS= read -r bad; do
  [ -z "$bad" ] && continue
  grep -qF -- "$bad" "$TMP/out" && fail "stdout has '$bad':
$OUT"
done <<< "${sec[stdout-not]-}"
while IFS= read -r want; do
  [ -z "$want" ] && continue
  grep -qF -- "$want" "$TMP/err" || fail "stderr lacks '$want':
$ERR"
done <<< "${sec[stderr-has]-}"
while IFS= read -r filter; do
  [ -z "$filter" ] && continue
  got=$(jq -e "$filter" "$TMP/out" 2>&1) || fail "jq '$filter' gave '$got' on:
$OUT"
  [ "$got" = "true" ] || fail "jq '$filter' gave '$got', expected true"
done <<< "${sec[json]-}"
while IFS= read -r check; do
  [ -z "$check" ] && continue
  # pipefail: a failing command piped into a check fails it. 141 is a producer stopped by
  # SIGPIPE because its reader had what it wanted and left (grep -q matched, head): success.
  rc=0
  bash -o pipefail -c "$check" || rc=$?
  [ "$rc" -eq 0 ] || [ "$rc" -eq 141 ] || fail "check failed: $check"
done <<< "${sec[check]-}"
echo "ok $name"
