#!/usr/bin/env bash
# The audit trail is tamper-evident: after the four case studies are loaded, `audit verify`
# passes; then, on copies of the database, an edited row, a deleted row, two rows swapped, a
# row inserted, an unsealed row and a cut-off end are each detected, and the entry named.
set -euo pipefail
FUKKYU=$1
# The tampering is done on copies of the SQLite file; on PostgreSQL the same chain code runs
# (pg.scenario.* and pg.api verify it) but copies are not files.
[ -z "${FK_TEST_PG:-}" ] || { echo "skip audit_tamper: SQLite files"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export LANG=C.UTF-8 FUKKYU_TZ=Asia/Tokyo
fail() { echo "FAIL audit_tamper: $*" >&2; exit 1; }

"$FUKKYU" --db base.db demo > /dev/null
"$FUKKYU" --db base.db --json audit verify > ok.json || fail "verify of an untouched database failed"
total=$(jq .entries ok.json)
head=$(jq -r .head ok.json)
[ "$total" -gt 100 ] || fail "only $total audit entries after the demo"
[ "$(sqlite3 base.db 'SELECT count(*) FROM changes WHERE hash IS NULL')" = 0 ] || fail "unsealed rows"
# A change made through the CLI joins the chain, with its origin.
"$FUKKYU" --db base.db --as auditor-test timeline add INC-2026-0001 "監査テスト" --at 2026-11-01T10:00+09:00 \
	> /dev/null
"$FUKKYU" --db base.db --json audit verify --head "$head" > ok2.json || fail "verify after a CLI change"
[ "$(jq .entries ok2.json)" -gt "$total" ] || fail "the CLI change was not appended to the chain"
[ "$("$FUKKYU" --db base.db --json audit log --from "$total" | jq -r '.entries[-1] | "\(.actor) \(.origin)"')" = "auditor-test cli" ] ||
	fail "audit log does not show who and from where"

tamper() { # tamper NAME EXPECTED-ID PROBLEM SQL...: the verify must fail naming the entry
	local name=$1 id=$2 problem=$3
	shift 3
	cp base.db "$name.db"
	sqlite3 "$name.db" "$@"
	if "$FUKKYU" --db "$name.db" --json audit verify > "$name.json" 2> "$name.err"; then
		fail "$name: verify passed on a tampered database"
	fi
	[ "$(jq -r .first_bad "$name.json")" = "$id" ] || fail "$name: first bad entry $(jq .first_bad "$name.json"), expected $id"
	[ "$(jq -r .problem "$name.json")" = "$problem" ] || fail "$name: problem $(jq -r .problem "$name.json"), expected $problem"
	grep -q "tampered" "$name.err" || fail "$name: no message: $(cat "$name.err")"
}
tamper edited 40 altered "UPDATE changes SET new_value = 'nothing happened' WHERE id = 40"
tamper actor 41 altered "UPDATE changes SET actor = 'someone-else' WHERE id = 41"
tamper deleted 51 broken "DELETE FROM changes WHERE id = 50"
tamper swapped 60 altered "UPDATE changes SET id = -1 WHERE id = 60; UPDATE changes SET id = 60 WHERE id = 61; UPDATE changes SET id = 61 WHERE id = -1"
tamper inserted 70 altered "UPDATE changes SET id = id + 1000000 WHERE id >= 70; UPDATE changes SET id = id - 999999 WHERE id >= 1000000; INSERT INTO changes (id, at, actor, origin, entity, field, new_value, prev_hash, hash) SELECT 70, at, actor, origin, entity, field, 'forged', prev_hash, hash FROM changes WHERE id = 69"
tamper unsealed 80 unsealed "UPDATE changes SET hash = NULL WHERE id = 80"
# Cutting entries off the end leaves a valid chain: the head kept from before catches it.
cp base.db cut.db
sqlite3 cut.db "DELETE FROM changes WHERE id > $((total - 3))"
"$FUKKYU" --db cut.db audit verify > /dev/null || fail "cut: the shorter chain itself is valid"
if "$FUKKYU" --db cut.db audit verify --head "$head" 2> cut.err; then
	fail "cut: verify --head passed although the end was cut off"
fi
grep -q "no longer in the chain" cut.err || fail "cut: message: $(cat cut.err)"
echo "audit_tamper: ok ($total entries; edited, deleted, swapped, inserted, unsealed, cut all detected)"
