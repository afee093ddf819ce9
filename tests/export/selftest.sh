#!/usr/bin/env bash
# selftest.sh - checks tests/export/validate.py itself: the shared sample STIX bundle and the
# good fixtures must pass (also with --strict), each bad fixture must fail (exit 1) with its
# expected message fragment, and usage errors / unreadable files must exit 2.
#   usage: bash tests/export/selftest.sh
#   PYTHON=/usr/bin/python3 bash tests/export/selftest.sh   # Debian's python3-jsonschema
#   FK_SCHEMAS=DIR bash tests/export/selftest.sh            # schemas elsewhere
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VALIDATE=$HERE/validate.py
FIX=$HERE/fixtures
PY=${PYTHON:-python3}
SCHEMAS=${FK_SCHEMAS:-$(cd "$HERE/../.." && pwd)/tests/data/schemas}
SAMPLE=$SCHEMAS/stix21/sample-incident-bundle.json

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
RUNS=0
OUT=
RC=0

# run ARGS...: runs the validator; sets OUT (stdout), $TMP/err (stderr) and RC.
run() {
	RUNS=$((RUNS + 1))
	RC=0
	OUT=$("$PY" "$VALIDATE" --schemas "$SCHEMAS" "$@" 2>"$TMP/err") || RC=$?
}

failed() {
	FAILS=$((FAILS + 1))
	printf 'FAIL %s\n' "$1" >&2
	[ -z "$OUT" ] || printf '  stdout: %s\n' "$OUT" >&2
	[ ! -s "$TMP/err" ] || sed 's/^/  stderr: /' "$TMP/err" >&2
}

# expect_ok KIND FILE: exit 0 and the "ok:" line, with and without --strict.
expect_ok() {
	local kind=$1 file=$2
	run "$kind" "$file"
	if [ "$RC" -ne 0 ] || [[ "$OUT" != "ok: $file ($kind"* ]]; then
		failed "$kind $file: expected ok, got exit $RC"
		return
	fi
	run --strict "$kind" "$file"
	[ "$RC" -eq 0 ] || failed "$kind $file: expected ok with --strict (no warnings), got exit $RC"
}

# expect_fail KIND FILE FRAGMENT: exit 1, and an error line "FILE: $...: ...FRAGMENT...".
expect_fail() {
	local kind=$1 file=$2 fragment=$3 line found=0
	run "$kind" "$file"
	if [ "$RC" -ne 1 ]; then
		failed "$kind $file: expected exit 1, got $RC"
		return
	fi
	while IFS= read -r line; do
		if [[ "$line" == "$file: \$"*": "* && "$line" == *"$fragment"* ]]; then
			found=1
		fi
	done <<<"$OUT"
	[ "$found" -eq 1 ] || failed "$kind $file: no error line containing: $fragment"
}

# expect_usage ARGS...: exit 2 (usage error or unreadable input).
expect_usage() {
	RUNS=$((RUNS + 1))
	RC=0
	OUT=$("$PY" "$VALIDATE" "$@" 2>"$TMP/err") || RC=$?
	[ "$RC" -eq 2 ] || failed "validate.py $*: expected exit 2, got $RC"
}

# ---- (a) the shared sample bundle ----------------------------------------------------------
if [ -f "$SAMPLE" ]; then
	expect_ok stix "$SAMPLE"
else
	printf 'note: %s not found, skipped\n' "$SAMPLE"
fi

# ---- (b) good fixtures ---------------------------------------------------------------------
expect_ok veris "$FIX/veris-good-defacement.json"
expect_ok veris "$FIX/veris-good-worm.json"
expect_ok veris "$FIX/veris-good-leak.json"
expect_ok stix "$FIX/stix-good-bundle.json"
expect_ok stix "$FIX/stix-good-new-sdo.json"

# ---- bad VERIS fixtures: schema ------------------------------------------------------------
expect_fail veris "$FIX/veris-bad-missing-timeline.json" "'timeline' is a required property"
expect_fail veris "$FIX/veris-bad-enum.json" "'IDS' is not one of"
# ---- bad VERIS fixtures: checkValidity.py rules --------------------------------------------
expect_fail veris "$FIX/veris-bad-malware-no-software-installation.json" \
	"'Software installation' not in attribute.integrity.variety"
expect_fail veris "$FIX/veris-bad-social-no-person.json" \
	"'Alter behavior' not in attribute.integrity.variety"
expect_fail veris "$FIX/veris-bad-social-no-person.json" "no 'P - ' (people) asset"
expect_fail veris "$FIX/veris-bad-social-no-person.json" "needs asset.assets variety 'P - End-user'"
expect_fail veris "$FIX/veris-bad-sqli-no-repurpose.json" "'Repurpose' not in attribute.integrity"
expect_fail veris "$FIX/veris-bad-confirmed-no-attribute.json" "attribute section is missing"
expect_fail veris "$FIX/veris-bad-theft-no-loss.json" "'Loss' not in attribute.availability.variety"
expect_fail veris "$FIX/veris-bad-data-total.json" "but data_total is 10"
expect_fail veris "$FIX/veris-bad-impact-total.json" "impact.overall_amount is 1000"
expect_fail veris "$FIX/veris-bad-misuse-actor.json" "no internal or partner actor"
expect_fail veris "$FIX/veris-bad-future-date.json" "later than today's date"
expect_fail veris "$FIX/veris-bad-ransomware-value-chain.json" \
	"needs value_chain['cash-out'].variety 'Cryptocurrency'"
# ---- bad VERIS fixtures: rules.py / convert scripts / VCDB lint ----------------------------
expect_fail veris "$FIX/veris-bad-webapp-no-asset.json" \
	"needs asset.assets variety 'S - Web application'"
expect_fail veris "$FIX/veris-bad-desktop-parent.json" "not the parent 'U - Desktop or laptop'"
expect_fail veris "$FIX/veris-bad-dos-motive.json" "needs actor.external.motive 'Secondary'"

# ---- bad STIX fixtures ---------------------------------------------------------------------
expect_fail stix "$FIX/stix-bad-envelope.json" "id must be 'bundle--<UUID>'"
expect_fail stix "$FIX/stix-bad-envelope.json" "a STIX 2.1 bundle has only type, id and objects"
expect_fail stix "$FIX/stix-bad-dangling-ref.json" \
	"target_ref incident--00000000-0000-4000-8000-000000000000 names no object in the bundle"
expect_fail stix "$FIX/stix-bad-marking-ref.json" "object_marking_refs marking-definition--"
expect_fail stix "$FIX/stix-bad-unknown-type.json" "unknown STIX type 'x-fukkyu-case'"
expect_fail stix "$FIX/stix-bad-duplicate-id.json" "duplicate id note--"
expect_fail stix "$FIX/stix-bad-modified-before-created.json" "is earlier than created"
expect_fail stix "$FIX/stix-bad-observed-order.json" "is earlier than first_observed"
expect_fail stix "$FIX/stix-bad-spec-version.json" "spec_version must be '2.1'"
expect_fail stix "$FIX/stix-bad-indicator-no-pattern.json" "'pattern' is a required property"
expect_fail stix "$FIX/stix-bad-observed-data-ref-type.json" \
	"object_refs of an observed-data must not name an identity"
expect_fail stix "$FIX/stix-bad-sco-ref-type.json" \
	"image_ref of a process must not name an ipv4-addr"
expect_fail stix "$FIX/stix-bad-created-by-ref-type.json" \
	"created_by_ref of an indicator must not name an incident"
expect_fail stix "$FIX/stix-bad-incident-core.json" "'confirmed' is not one of"

# ---- usage errors and unreadable input: exit 2 ---------------------------------------------
printf '{"type": "bundle",' >"$TMP/truncated.json"
expect_usage
expect_usage xml "$FIX/stix-good-bundle.json"
expect_usage veris "$TMP/does-not-exist.json" --schemas "$SCHEMAS"
expect_usage stix "$TMP/truncated.json" --schemas "$SCHEMAS"
expect_usage veris "$FIX/veris-good-worm.json" --schemas "$TMP"

if [ "$FAILS" -ne 0 ]; then
	printf 'selftest: %d of %d checks failed (%s)\n' "$FAILS" "$RUNS" "$PY" >&2
	exit 1
fi
printf 'selftest: %d runs passed (%s)\n' "$RUNS" "$PY"
