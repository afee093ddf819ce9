# shellcheck shell=bash disable=SC2016  # jq filters use $variables in single quotes
# lib.bash - helpers shared by the end-to-end scenarios (sourced, never run by CTest:
# the CTest glob is scenarios/*.sh, so this file is named .bash on purpose).
#
# A scenario starts with
#     source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
#     scenario_init "$0" "$@"
# and then drives the real binary through the helpers below. Every helper that checks
# something fails the whole script (exit 1) with a message naming the check. None of them is
# meant to run inside $(...), where an exit would only leave the subshell.
#
# A command that exits other than expected stops the scenario at once (fail). A check whose
# result is wrong (expect_*) is reported and counted, and the scenario goes on so that one
# product bug does not hide the others; scenario_end then exits 1 if any check failed.
#
# Globals after a run: OUT (stdout), ERR (stderr), RC (exit status); $TMP/out holds stdout.
# FINISHED[item]=1 for every playbook item the scenario marked done or not applicable.

SCEN=scenario
FK=
TMP=
FAILS=0
declare -gA FINISHED=() FAILED_CHECKS=()

fail() {
	printf 'FAIL %s: %s\n' "$SCEN" "$*" >&2
	exit 1
}

# check_failed CHECK MESSAGE: reports a failed check once per check name and counts it.
check_failed() {
	FAILS=$((FAILS + 1))
	if [ -z "${FAILED_CHECKS[$1]+x}" ]; then
		FAILED_CHECKS[$1]=1
		printf 'FAIL %s: %s: %s\n' "$SCEN" "$1" "$2" >&2
	else
		FAILED_CHECKS[$1]=$((FAILED_CHECKS[$1] + 1))
	fi
}

# scenario_end: PASS, or the failed checks and exit 1.
scenario_end() {
	if [ "$FAILS" -eq 0 ]; then
		printf 'PASS %s\n' "$SCEN"
		return 0
	fi
	local k
	printf 'FAIL %s: %d failed checks:\n' "$SCEN" "$FAILS" >&2
	for k in "${!FAILED_CHECKS[@]}"; do
		printf '  %s (x%d)\n' "$k" "${FAILED_CHECKS[$k]}" >&2
	done
	exit 1
}

note() {
	printf '  %s\n' "$*"
}

# scenario_init SCRIPT FUKKYU_BINARY: temp dir (removed on exit), database, language, zone.
scenario_init() {
	SCEN=$(basename "$1" .sh)
	shift
	[ $# -eq 1 ] || { printf 'usage: bash %s.sh /path/to/fukkyu\n' "$SCEN" >&2; exit 2; }
	[ -x "$1" ] || fail "'$1' is not an executable fukkyu binary"
	command -v jq >/dev/null || fail "jq is needed (apt-get install jq)"
	FK=$(realpath "$1")
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/fukkyu-$SCEN.XXXXXX")
	# shellcheck source=../lib/testdb.bash
	. "$(dirname "${BASH_SOURCE[0]}")/../lib/testdb.bash"
	trap 'fk_testdb_drop; rm -rf "$TMP"' EXIT
	fk_testdb "$TMP/fukkyu.db" || fail "no test database"
	export FUKKYU_TZ=Asia/Tokyo FUKKYU_AS=scenario-runner
	export LANG=C.UTF-8 LC_ALL='' LC_MESSAGES=''
	unset FUKKYU_NOW
	SRC_DIR=${FK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	PLAYBOOK_YAML=$SRC_DIR/playbooks/recovery.yaml
	[ -r "$PLAYBOOK_YAML" ] || fail "cannot read the playbook '$PLAYBOOK_YAML' (set FK_SOURCE_DIR)"
	FINISHED=()
	printf '%s: %s\n' "$SCEN" "$FK"
}

# clock ISO: the simulated "now" of every later command (FUKKYU_NOW).
clock() {
	export FUKKYU_NOW=$1
	# as fukkyu shows a time: minutes, seconds only when not zero, the zone's offset
	NOW_LOCAL=$(TZ=Asia/Tokyo date -d "$1" +%Y-%m-%dT%H:%M%:z)
	[ "$(date -d "$1" +%S)" = 00 ] || NOW_LOCAL=$(TZ=Asia/Tokyo date -d "$1" +%Y-%m-%dT%H:%M:%S%:z)
	note "--- $1"
}

# run_fk ARGS...: runs fukkyu, whatever its exit status.
run_fk() {
	if "$FK" "$@" >"$TMP/out" 2>"$TMP/err"; then RC=0; else RC=$?; fi
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# fk ARGS...: runs fukkyu; it must exit 0.
fk() {
	run_fk "$@"
	[ "$RC" -eq 0 ] || fail "'fukkyu $*' exited $RC (expected 0): $ERR"
}

# fkj ARGS...: fk --json ARGS; stdout must be exactly one JSON document.
fkj() {
	fk --json "$@"
	local n
	n=$(jq -s 'length' "$TMP/out" 2>/dev/null) ||
		fail "'fukkyu --json $*' printed something that is not JSON: $OUT"
	[ "$n" = 1 ] || fail "'fukkyu --json $*' printed $n JSON documents, expected one"
}

# fk_fails CODE ARGS...: fukkyu must exit CODE, say why on stderr and print nothing on stdout.
fk_fails() {
	local want=$1
	shift
	run_fk "$@"
	[ "$RC" -eq "$want" ] || fail "'fukkyu $*' exited $RC, expected $want (stderr: $ERR)"
	[ -n "$ERR" ] || fail "'fukkyu $*' failed without a message on stderr"
	[ -z "$OUT" ] || fail "'fukkyu $*' failed but printed on stdout: $OUT"
}

# expect_eq CHECK GOT WANT
expect_eq() {
	[ "$2" == "$3" ] || check_failed "$1" "got '$2', expected '$3'"
}

# expect_has CHECK HAYSTACK NEEDLE
expect_has() {
	[[ $2 == *"$3"* ]] || check_failed "$1" "'$3' not found in: $2"
}

# expect_jq CHECK FILTER [JQ OPTIONS...]: FILTER must be true on the last stdout.
expect_jq() {
	local check=$1 filter=$2
	shift 2
	jq -e "$@" "$filter" "$TMP/out" >/dev/null 2>"$TMP/jq.err" ||
		check_failed "$check" "jq '$filter' is not true$(sed 's/^/ /' "$TMP/jq.err") on: $(head -c 2000 "$TMP/out")"
}

# jqv FILTER [JQ OPTIONS...]: prints a value of the last stdout (for use in $(...)).
jqv() {
	local filter=$1
	shift
	jq -r "$@" "$filter" "$TMP/out"
}

# epoch ISO: seconds since 1970 (GNU date).
epoch() {
	date -d "$1" +%s
}

# day_of BASE_ISO ISO: calendar days from BASE to ISO in Asia/Tokyo (what 当日/翌日 count).
day_of() {
	local a b
	a=$(TZ=Asia/Tokyo date -d "$1" +%F)
	b=$(TZ=Asia/Tokyo date -d "$2" +%F)
	echo $((($(date -u -d "$b" +%s) - $(date -u -d "$a" +%s)) / 86400))
}

# golden_docs CASE: renders every shipped template for $REF in both languages and compares the
# Markdown with tests/scenarios/golden/CASE/TEMPLATE.LANG.md (FK_UPDATE_GOLDEN=1 writes them
# instead; FK_DOC_DATA_DIR=DIR also keeps the data the templates saw, for template authors).
# The HTML and text forms must render too, and name the same missing data. Then the case is
# exported as VERIS and STIX, each checked by tests/export/validate.py.
golden_docs() {
	local dir=$SRC_DIR/tests/scenarios/golden/$1 t l f names
	fkj doc list-templates
	mapfile -t names < <(jqv '.templates[].name')
	expect_eq "doc list-templates: the eleven documents" "${#names[@]}" 11
	for t in "${names[@]}"; do
		for l in ja en; do
			rm -f "$TMP/doc.md"
			fk doc render "$REF" "$t" --doc-lang "$l" --out "$TMP/doc.md"
			if [ "${FK_UPDATE_GOLDEN:-}" = 1 ]; then
				mkdir -p "$dir"
				cp "$TMP/doc.md" "$dir/$t.$l.md"
			elif [ ! -f "$dir/$t.$l.md" ]; then
				check_failed "golden $1/$t.$l.md" "missing: run with FK_UPDATE_GOLDEN=1 and review"
			elif ! diff -u "$dir/$t.$l.md" "$TMP/doc.md" >"$TMP/diff"; then
				check_failed "golden $1/$t.$l.md" "differs: $(head -c 3000 "$TMP/diff")"
			fi
			local missing=$ERR
			for f in html txt; do
				fk doc render "$REF" "$t" --doc-lang "$l" --format "$f"
				expect_eq "doc render $t.$l --format $f: the same missing data" "$ERR" "$missing"
			done
		done
	done
	# sharing the case: both exports valid (schemas, the official checker's rules, references)
	for f in veris stix; do
		rm -f "$TMP/export.json"
		fk export "$REF" --format "$f" --out "$TMP/export.json"
		python3 "$SRC_DIR/tests/export/validate.py" --strict "$f" "$TMP/export.json" >"$TMP/valid" 2>&1 ||
			check_failed "export $f of $1" "$(head -c 2000 "$TMP/valid")"
	done
	if [ -n "${FK_DOC_DATA_DIR:-}" ]; then
		mkdir -p "$FK_DOC_DATA_DIR"
		for l in ja en; do
			fk doc data "$REF" --doc-lang "$l"
			cp "$TMP/out" "$FK_DOC_DATA_DIR/$1.$l.json"
		done
	fi
}

# new_incident ARGS...: incident new; sets INC (id) and REF.
new_incident() {
	fkj incident new "$@"
	INC=$(jqv .id)
	REF=$(jqv .ref)
	[[ $INC =~ ^[0-9]+$ ]] || fail "incident new: no integer id in: $OUT"
	[[ $REF =~ ^INC-[0-9]{4}-[0-9]{4}$ ]] || fail "incident new: ref '$REF' is not INC-YYYY-NNNN"
}

# event INC AT TEXT [SOURCE]: a timeline entry at AT, checked as it comes back.
event() {
	local inc=$1 at=$2 text=$3 mark=()
	[ -n "${MARK:-}" ] && mark=(--mark "$MARK") # MARK=service-stopped event ...
	if [ $# -ge 4 ]; then
		fkj timeline add "$inc" "$text" --at "$at" --source "$4" "${mark[@]}"
	else
		fkj timeline add "$inc" "$text" --at "$at" "${mark[@]}"
	fi
	expect_jq "timeline add '$text' returns an id" '.id | type == "number"'
	local got
	got=$(jqv .at)
	[ "$(epoch "$got")" = "$(epoch "$at")" ] ||
		fail "timeline add '$text': recorded at '$got', expected the instant '$at'"
}

# item_set [--as NAME] INC ITEM STATE TEXT: STATE done (TEXT is the note) or na (TEXT is
# the reason); checks the answer and remembers the item as finished.
item_set() {
	local as=()
	if [ "$1" = --as ]; then
		as=(--as "$2")
		shift 2
	fi
	local inc=$1 item=$2 state=$3 text=$4 actor=${FUKKYU_AS} field=note
	[ ${#as[@]} -eq 0 ] || actor=${as[1]}
	case $state in
	"done") fk "${as[@]}" --json task set "$inc" "$item" --state "done" --note "$text" ;;
	na)
		fk "${as[@]}" --json task set "$inc" "$item" --state na --reason "$text"
		field=na_reason
		;;
	*) fail "item_set: unknown state '$state'" ;;
	esac
	local args=(--arg i "$item" --arg s "$state" --arg f "$field" --arg t "$text"
		--arg a "$actor" --arg now "$NOW_LOCAL")
	expect_jq "task set $item: answers the item, $state, $field kept, not overdue" \
		'.id == $i and .state == $s and .[$f] == $t and .overdue == false' "${args[@]}"
	expect_jq "task set --json answers with this change's updated_by and updated_at" \
		'.updated_by == $a and .updated_at == $now' "${args[@]}"
	fkj task show "$inc" "$item"
	expect_jq "task show $item: stored as $state, $field kept, by $actor at $NOW_LOCAL" \
		'.state == $s and .[$f] == $t and .updated_by == $a and .updated_at == $now' "${args[@]}"
	FINISHED[$item]=1
}

# item_done [--as NAME] INC ITEM NOTE
item_done() {
	if [ "$1" = --as ]; then
		item_set --as "$2" "$3" "$4" "done" "$5"
	else
		item_set "$1" "$2" "done" "$3"
	fi
}

# playbook_total KIND [PHASE]: items an incident of KIND gets, counted from the YAML itself
# (base items have no "kinds:" line; kind items list their kinds), independently of fukkyu.
playbook_total() {
	awk -v kind="$1" -v phase="${2:-}" '
		function emit() {
			if (id == "") return
			if (phase != "" && substr(id, 1, index(id, ".") - 1) != phase) return
			if (kinds == "" || kinds ~ ("[[ ,]" kind "[],]")) n++
		}
		/^ *- id: / { emit(); id = $3; gsub(/"/, "", id); kinds = ""; next }
		/^ *kinds: / { kinds = $0 }
		END { emit(); print n + 0 }
	' "$PLAYBOOK_YAML"
}

# finished_count [PHASE]: how many items this script finished (in PHASE).
finished_count() {
	local n=0 k
	for k in "${!FINISHED[@]}"; do
		if [ -z "${1:-}" ] || [ "${k%%.*}" = "$1" ]; then
			n=$((n + 1))
		fi
	done
	echo "$n"
}

# check_progress INC KIND: incident show --json and the board (with --all) agree with what the
# script finished and with the playbook's item counts, overall and per phase.
check_progress() {
	local inc=$1 kind=$2 ndone total p
	ndone=$(finished_count)
	total=$(playbook_total "$kind")
	fkj incident show "$inc"
	expect_jq "incident show: progress is $ndone/$total" \
		'.progress == {done: $d, total: $t}' --argjson d "$ndone" --argjson t "$total"
	for p in 1 2 3 4 5 6; do
		expect_jq "incident show: phase $p progress" \
			'.phases[] | select(.no == $p) | .done == $d and .total == $t' \
			--argjson p "$p" --argjson d "$(finished_count "$p")" \
			--argjson t "$(playbook_total "$kind" "$p")"
	done
	fkj board --all
	expect_jq "board: one row for incident $inc" \
		'[.incidents[] | select(.id == $i)] | length == 1' --argjson i "$inc"
	expect_jq "board: progress is $ndone/$total" \
		'.incidents[] | select(.id == $i) | .progress == {done: $d, total: $t}' \
		--argjson i "$inc" --argjson d "$ndone" --argjson t "$total"
	for p in 1 2 3 4 5 6; do
		expect_jq "board: phase $p progress" \
			'.incidents[] | select(.id == $i) | .phases[] | select(.no == $p) |
			 .done == $d and .total == $t' \
			--argjson i "$inc" --argjson p "$p" --argjson d "$(finished_count "$p")" \
			--argjson t "$(playbook_total "$kind" "$p")"
	done
	fkj task list "$inc"
	expect_jq "task list: the finished items are exactly the ones the scenario finished" \
		'[.phases[].items[] | select(.state == "done" or .state == "na") | .id] | sort ==
		 ($f | split(" ") | map(select(. != "")) | sort)' --arg f "${!FINISHED[*]}"
	note "progress $ndone/$total"
}

# check_state INC STATE
check_state() {
	fkj incident show "$1"
	expect_jq "incident $1 is in state $2" '.state == $s' --arg s "$2"
}

# advance [--as NAME] INC STATE: incident advance to the next state, which must be STATE.
advance() {
	local as=()
	if [ "$1" = --as ]; then
		as=(--as "$2")
		shift 2
	fi
	fk "${as[@]}" --json incident advance "$1"
	expect_jq "advance $1 to $2" '.state == $s' --arg s "$2"
	check_state "$1" "$2"
}
