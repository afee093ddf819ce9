#!/usr/bin/env bash
# shellcheck disable=SC2016 # jq filters use $variables in single quotes
# Case Study 4 of the source document (社内でワームが蔓延してしまった・・・) at company scale,
# through the company-wide sweep: an inventory of ~3,000 clients, servers, spares and backup
# images across 20 departments is imported; the infected PCs and a server are marked as hit;
# the sweep finds every similar system (same OS and version, or the outdated scanner engine);
# every department gets its instruction sheet at the same moment (no single fax machine);
# over two days the departments send their sheets back, the damaged systems are isolated,
# rebuilt and verified, and coverage reaches 100 % with per-department figures equal to
# counts this script computes from its own generated data. Then the countermeasure (scanner
# update and automatic pattern files) is approved and rolled out to the affected, similar and
# spare systems, applied everywhere but one backup image (an exception with its reason and
# who accepted the risk), and the board shows it all.
#   usage: bash case4_sweep_company.sh /path/to/fukkyu
set -euo pipefail
# shellcheck source=lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
scenario_init "$0" "$@"

CISO="高橋 誠一"
DEPTS="営業1部|営業2部|営業3部|経理部|人事部|総務部|法務部|購買部|物流部|製造1課|製造2課|品質保証部|研究開発/第1研究室|研究開発/第2研究室|情報システム部|広報部|経営企画部|カスタマーサポート|大阪支店|名古屋支店"
T0=2003-08-19T09:15+09:00
DEADLINE=2003-08-21T18:00+09:00
D=$TMP/data
mkdir -p "$D"

# ---- the inventory, generated -------------------------------------------------------------
# 2,800 clients (7 % Windows 10, 8 % macOS, the rest Windows 11; 6 % of the Windows PCs run
# the outdated scanner engine avscan 6.1; every 97th is a spare), 5 servers per department
# (one Windows Server 2019, one Ubuntu, three Windows Server 2022), a golden image of every
# server (spare, backup_of the server), and a backup of every 50th PC.
awk -v depts="$DEPTS" 'BEGIN {
	nd = split(depts, DN, "|")
	print "name,ip,os,os_version,software,department,owner,role,criticality,location,spare,backup_of,tags"
	for (i = 1; i <= 2800; i++) {
		d = (i - 1) % nd + 1
		h = (i * 7919) % 1000
		a = (i * 104729) % 100
		if (h < 70) { os = "Windows"; ver = "10" }
		else if (h < 150) { os = "macOS"; ver = "14" }
		else { os = "Windows"; ver = "11" }
		sw = "office 2019"
		if (os == "Windows") sw = sw ";avscan " (a < 6 ? "6.1" : "7.2")
		printf "pc-%04d,10.%d.%d.%d,%s,%s,%s,%s,user%04d,client,medium,site-%02d,%s,,%s\n", \
			i, d, int(i / 250), i % 250 + 1, os, ver, sw, DN[d], i, d, \
			(i % 97 == 0 ? "true" : "false"), (i % 13 == 0 ? "pc;kiosk" : "pc")
		if (i % 50 == 7)
			printf "bk-pc-%04d,,,,,%s,user%04d,other,low,backup-vault,false,pc-%04d,backup\n", \
				i, DN[d], i, i
	}
	for (d = 1; d <= nd; d++)
		for (k = 1; k <= 5; k++) {
			if (k == 1) { os = "Windows Server"; ver = "2019" }
			else if (k == 2) { os = "Ubuntu"; ver = "22.04" }
			else { os = "Windows Server"; ver = "2022" }
			sw = (os == "Ubuntu") ? "openssl 3.0.2" : "avscan " ((d == 5 || d == 12) && k == 3 ? "6.1" : "7.2")
			printf "srv-%02d-%d,10.%d.200.%d,%s,%s,%s,%s,admin%02d,server,high,dc-%02d,false,,server\n", \
				d, k, d, k, os, ver, sw, DN[d], d, d
			printf "img-srv-%02d-%d,,%s,%s,%s,%s,admin%02d,other,high,dc-%02d,true,srv-%02d-%d,image\n", \
				d, k, os, ver, sw, DN[d], d, d, d, k
		}
}' >"$D/inventory.csv"
N_ASSETS=$(($(wc -l <"$D/inventory.csv") - 1))
note "inventory: $N_ASSETS systems"

# The infected systems: the first Windows 10 PC of six departments, and one 2019 server.
awk -F, -v depts="$DEPTS" 'BEGIN { nd = split(depts, DN, "|"); split("1 2 4 7 11 16", W, " ")
		for (k in W) want[DN[W[k]]] = 1 }
	NR > 1 && $1 ~ /^pc-/ && $3 == "Windows" && $4 == "10" && ($6 in want) && !($6 in got) {
		got[$6] = 1; print $1 }
	END { print "srv-03-1" }' "$D/inventory.csv" >"$D/infected.txt"
mapfile -t INFECTED <"$D/infected.txt"
[ "${#INFECTED[@]}" -eq 7 ] || fail "the generator gave ${#INFECTED[@]} infected systems, expected 7"

# The sweep, computed here: the infected, and every system with the OS and version of one of
# them, or running avscan 6.1. swept.tsv: name, department, spare.
awk -F, 'FNR == NR { hit[$1] = 1; next }
	FNR == 1 { pass++; next }
	pass == 1 { if ($1 in hit) pair[$3 "|" $4] = 1; next }
	{
		s = ($1 in hit) || (($3 "|" $4) in pair)
		n = split($5, sw, ";")
		for (k = 1; k <= n; k++) if (sw[k] == "avscan 6.1") s = 1
		if (s) printf "%s\t%s\t%s\n", $1, $6, $11
	}' "$D/infected.txt" "$D/inventory.csv" "$D/inventory.csv" >"$D/swept.tsv"
N_SWEPT=$(wc -l <"$D/swept.tsv")
# per department: department, systems
awk -F'\t' '{ n[$2]++ } END { for (d in n) printf "%s\t%d\n", d, n[d] }' "$D/swept.tsv" |
	sort >"$D/dept_counts.tsv"
N_DEPTS=$(wc -l <"$D/dept_counts.tsv")
# The rollout, computed here: the sweep (the infected included) and every system whose
# backup_of names a swept one.
awk -F'\t' 'FNR == NR { print $1; swept[$1] = 1; next }
	FNR > 1 { split($0, f, ","); if (f[12] != "" && (f[12] in swept) && !(f[1] in swept)) print f[1] }' \
	"$D/swept.tsv" "$D/inventory.csv" | sort >"$D/rollout.txt"
N_ROLLOUT=$(wc -l <"$D/rollout.txt")
# Systems the departments will report damaged: every 40th swept system not already known.
awk -F'\t' 'FNR == NR { hit[$1] = 1; next } FNR % 40 == 0 && !($1 in hit) { print $1 }' \
	"$D/infected.txt" "$D/swept.tsv" >"$D/found.txt"
N_FOUND=$(wc -l <"$D/found.txt")
note "computed: $N_SWEPT systems to sweep in $N_DEPTS departments, $N_FOUND more damaged, rollout $N_ROLLOUT"
if [ "$N_SWEPT" -le 250 ] || [ "$N_DEPTS" -ne 20 ] || [ "$N_FOUND" -lt 5 ]; then
	fail "the generated data is not what this scenario needs"
fi

# slug DEPARTMENT: the sheet's file name (path separators become _)
slug() {
	local s=${1//\//_}
	printf '%s' "$s"
}

# ---- 当日: import, the incident, the sweep ---------------------------------------------------
clock "$T0"
fk init
fkj asset import "$D/inventory.csv"
expect_jq "asset import: every row inserted" '.rows == $n and .inserted == $n and .updated == 0' \
	--argjson n "$N_ASSETS"
fkj asset list --limit 3
expect_jq "asset list: total is the inventory, three listed" '.total == $n and (.assets | length) == 3' \
	--argjson n "$N_ASSETS"
fkj asset list --department 法務部
expect_jq "asset list --department: as generated" '(.assets | length) == $n' \
	--argjson n "$(awk -F, '$6 == "法務部"' "$D/inventory.csv" | wc -l)"

new_incident --kind malware-outbreak --severity critical --title "社内でワームが蔓延 (全社調査)" \
	--discovered "$T0" --description "社内の複数のPC、サーバでワーム感染を確認"
fk --json role set "$INC" approver "$CISO"
fkj incident assets "$INC" add "${INFECTED[@]}"
expect_jq "incident assets add: the infected systems" '.added == 7'

clock 2003-08-19T10:00+09:00
fkj sweep start "$INC" --match os_version --match software:avscan@6.1
expect_jq "sweep start: the systems this script computed" '.added == $n' --argjson n "$N_SWEPT"
fkj sweep status "$INC"
expect_jq "sweep status: nothing checked yet" \
	'.total == $n and .checked == 0 and .coverage == 0 and .by_state.unchecked == $n' \
	--argjson n "$N_SWEPT"
expect_jq "sweep status: the criteria" '.criteria == "os_version,software:avscan@6.1"'
# a re-run changes nothing
fkj sweep start "$INC" --match software:avscan@6.1
expect_jq "sweep start again: nothing new" '.added == 0'

# The infected systems are isolated at once.
clock 2003-08-19T10:30+09:00
for s in "${INFECTED[@]}"; do
	fk sweep set "$INC" "$s" --state damaged --note "ワーム感染を確認"
	fk sweep set "$INC" "$s" --state isolated
done
fk_fails 1 sweep set "$INC" "${INFECTED[0]}" --state clean
expect_has "sweep set: isolated to clean is refused" "$ERR" "cannot go from isolated to clean"

# ---- the sheets: every department at the same moment ---------------------------------------
clock 2003-08-19T18:00+09:00
PROC="ウイルス対策ソフトのパターンファイルを配布CD-ROMで更新し、全ドライブを検査する"
CM="Windows Update の MS03-026 を適用し、445/tcp と 135/tcp を遮断する"
RECON="検査で被害なしを確認し、対策を適用したPCのみ再接続する"
REPLY="情報セキュリティ室 sweep@example.co.jp (内線 1234)"
fkj sweep instructions "$INC" --out "$D/sheets" --procedure "$PROC" --countermeasure "$CM" \
	--reconnect "$RECON" --deadline "$DEADLINE" --reply-to "$REPLY"
expect_jq "sweep instructions: one sheet per department, in Markdown ja/en and CSV" \
	'.departments == $d and (.files | length) == 3 * $d' --argjson d "$N_DEPTS"
[ -z "$(find "$D/sheets" -name '*.tmp')" ] || check_failed "sheets: no temporary files left" "$(ls "$D/sheets")"
while IFS=$'\t' read -r dept n; do
	base="$D/sheets/$(slug "$dept")"
	for ext in csv ja.md en.md; do
		[ -s "$base.$ext" ] || check_failed "sheets: every department's files exist" "$base.$ext"
	done
	[ -s "$base.csv" ] || continue
	expect_eq "sheet $dept: its systems" "$(($(wc -l <"$base.csv") - 1))" "$n"
	expect_eq "sheet $dept: the CSV header" "$(head -n 1 "$base.csv")" \
		"name,ip,os,os_version,department,owner,location,reasons,state,note"
	md=$(cat "$base.ja.md")
	expect_has "sheet $dept (ja): the incident" "$md" "$REF"
	expect_has "sheet $dept (ja): the department" "$md" "部署: $dept"
	expect_has "sheet $dept (ja): the count" "$md" "対象: $n 台"
	expect_has "sheet $dept (ja): the procedure" "$md" "$PROC"
	expect_has "sheet $dept (ja): the countermeasure" "$md" "$CM"
	expect_has "sheet $dept (ja): the reconnection rule" "$md" "$RECON"
	expect_has "sheet $dept (ja): the deadline" "$md" "期限: 2003-08-21 18:00"
	expect_has "sheet $dept (ja): where to reply" "$md" "$REPLY"
	md=$(cat "$base.en.md")
	expect_has "sheet $dept (en): the count" "$md" "Systems: $n"
	expect_has "sheet $dept (en): the procedure" "$md" "$PROC"
	expect_has "sheet $dept (en): the deadline" "$md" "Deadline: 2003-08-21 18:00"
	expect_has "sheet $dept (en): where to reply" "$md" "$REPLY"
	expect_has "sheet $dept (en): the reconnection rule" "$md" "## Reconnection rule"
done <"$D/dept_counts.tsv"
# the sheets list exactly the swept systems of their department
cut -f1 "$D/swept.tsv" | sort >"$D/want_names.txt"
for f in "$D"/sheets/*.csv; do tail -n +2 "$f" | cut -d, -f1; done | sort >"$D/sheet_names.txt"
expect_eq "sheets: together exactly the swept systems" \
	"$(cmp -s "$D/want_names.txt" "$D/sheet_names.txt" && echo same)" same
expect_eq "sheets: the infected are listed as isolated" \
	"$(cat "$D"/sheets/*.csv | grep -c ',isolated,ワーム感染を確認$')" 7

# return DEPT: the department fills in its sheet (clean, or damaged for the systems it
# found) and sends it back; it is imported.
return_sheet() {
	local dept=$1 base
	base="$D/sheets/$(slug "$dept")"
	awk -F, 'FNR == NR { found[$1] = 1; next }
		FNR == 1 { print; next }
		{ if ($1 in found) sub(/,,$/, ",damaged,ワームを検出");
		  else sub(/,,$/, ",clean,")
		  print }' "$D/found.txt" "$base.csv" >"$D/returned-$(slug "$dept").csv"
	fkj sweep import "$INC" "$D/returned-$(slug "$dept").csv"
	expect_jq "sweep import $dept: every row recorded" '.updated == $n and .rows == $n' \
		--argjson n "$(awk -F'\t' -v d="$dept" '$1 == d { print $2 }' "$D/dept_counts.tsv")"
}

# a sheet with a mistake (an unknown state on one line, the others filled in) is refused whole
awk 'NR > 1 && !bad && sub(/,,$/, ",cleaned,") { bad = NR; print; next }
	NR > 1 { sub(/,,$/, ",clean,") } { print }' "$D/sheets/$(slug 経理部).csv" >"$D/bad.csv"
bad_line=$(grep -n ',cleaned,$' "$D/bad.csv" | cut -d: -f1)
fk_fails 1 sweep import "$INC" "$D/bad.csv"
expect_has "sweep import: an unknown state is refused at its line and column" "$ERR" \
	"bad.csv:$bad_line:9"
fkj sweep status "$INC"
expect_jq "sweep status: the refused sheet changed nothing" '.checked == 7'

# ---- 翌日: half of the departments send their sheets back -----------------------------------
clock 2003-08-20T17:00+09:00
mapfile -t DEPT_LIST < <(cut -f1 "$D/dept_counts.tsv")
for ((k = 0; k < 10; k++)); do return_sheet "${DEPT_LIST[$k]}"; done
# checked: the ten departments' systems, and the infected systems elsewhere (isolated)
want_day1=$(awk -F'\t' 'FILENAME == ARGV[1] { if (FNR <= 10) first[$1] = 1; next }
	FILENAME == ARGV[2] { hit[$1] = 1; next }
	($2 in first) || ($1 in hit) { n++ } END { print n + 0 }' \
	"$D/dept_counts.tsv" "$D/infected.txt" "$D/swept.tsv")
fkj sweep status "$INC"
expect_jq "sweep status after day 1: checked as computed" '.checked == $c and .total == $n' \
	--argjson c "$want_day1" --argjson n "$N_SWEPT"
note "day 1: $want_day1 / $N_SWEPT checked"

# damaged systems found on day 1 are isolated the same evening
clock 2003-08-20T19:00+09:00
fkj sweep list "$INC" --state damaged
mapfile -t DAMAGED < <(jq -r '.systems[].name' "$TMP/out")
for s in "${DAMAGED[@]}"; do fk sweep set "$INC" "$s" --state isolated --note "LANから切り離し"; done

# ---- 2日後: the other departments; rebuild and verify ----------------------------------------
clock 2003-08-21T15:00+09:00
for ((k = 10; k < ${#DEPT_LIST[@]}; k++)); do return_sheet "${DEPT_LIST[$k]}"; done
fkj sweep list "$INC" --state damaged
mapfile -t DAMAGED < <(jq -r '.systems[].name' "$TMP/out")
for s in "${DAMAGED[@]}"; do fk sweep set "$INC" "$s" --state isolated; done
fkj sweep status "$INC"
expect_jq "sweep status: everything checked once every sheet is back" \
	'.checked == .total and .coverage == 1 and .by_state.unchecked == 0'

clock 2003-08-21T20:00+09:00
fkj sweep list "$INC" --state isolated
jq -r '.systems[].name' "$TMP/out" | sort >"$D/isolated.txt"
cat "$D/infected.txt" "$D/found.txt" | sort >"$D/want_isolated.txt"
expect_eq "sweep list: isolated are the infected and the found ones" \
	"$(cmp -s "$D/isolated.txt" "$D/want_isolated.txt" && echo same)" same
mapfile -t ISOLATED <"$D/isolated.txt"
for s in "${ISOLATED[@]}"; do
	fk sweep set "$INC" "$s" --state rebuilt --note "クリーンインストール"
	fk sweep set "$INC" "$s" --state verified
done

fkj sweep status "$INC"
N_DAMAGED=$((7 + N_FOUND))
expect_jq "sweep status: coverage 100 %" \
	'.total == $n and .checked == $n and .coverage == 1 and (.unchecked | length) == 0' \
	--argjson n "$N_SWEPT"
expect_jq "sweep status: by state (verified = damaged, the rest clean)" \
	'.by_state.verified == $v and .by_state.clean == ($n - $v) and
	 ([.by_state[]] | add) == $n' --argjson v "$N_DAMAGED" --argjson n "$N_SWEPT"
want_depts=$(jq -R -s 'split("\n") | map(select(length > 0) | split("\t") |
	{department: .[0], total: (.[1] | tonumber), checked: (.[1] | tonumber)})' "$D/dept_counts.tsv")
expect_jq "sweep status: per department, as computed from the generated data" \
	'[.by_department[] | {department, total, checked}] | sort_by(.department) ==
	 ($w | sort_by(.department))' --argjson w "$want_depts"
expect_jq "sweep status: every department at 100 %" 'all(.by_department[]; .coverage == 1)'
fk sweep status "$INC"
expect_has "sweep status (text): coverage line" "$OUT" "$N_SWEPT / $N_SWEPT checked (100.0 %)"

# ---- 再発防止策: approved, rolled out to affected, similar and spares ---------------------------
clock 2003-08-25T17:00+09:00
fkj measure add "$INC" --kind technical --title "avscan 7.2 へ更新しパターンファイル自動更新を義務化" \
	--owner 情報システム部 --cost 1200000 --due 2003-09-05T18:00+09:00
expect_jq "measure add: M1" '.id == "M1" and .approved_by == null'
fk_fails 1 measure approve "$INC" M1
expect_has "measure approve: only an approver" "$ERR" "not an approver"
fkj --as "$CISO" measure approve "$INC" M1
fkj measure rollout "$INC" M1 --scope affected,similar,spares
expect_jq "measure rollout: the systems this script computed" '.added == $n' --argjson n "$N_ROLLOUT"
fkj measure status "$INC" M1 --limit 100000
expect_jq "measure status: all pending, approved by the CISO" \
	'.total == $n and .pending == $n and .approved_by == $c' --argjson n "$N_ROLLOUT" --arg c "$CISO"
jq -r '.pending_systems[].name' "$TMP/out" | sort >"$D/pending.txt"
expect_eq "measure status: the pending systems are the computed rollout" \
	"$(cmp -s "$D/pending.txt" "$D/rollout.txt" && echo same)" same
expect_jq "measure status: images and backups of swept systems are in as spares" \
	'any(.pending_systems[]; .name == "img-srv-03-1" and .scope == "spare") and
	 all(.pending_systems[] | select(.name | startswith("bk-pc-")); .scope == "spare") and
	 any(.pending_systems[]; .name | startswith("bk-pc-"))'
expect_jq "measure status: the infected are labelled affected" \
	'[.pending_systems[] | select(.scope == "affected") | .name] | sort == ($a | split(" ") | sort)' \
	--arg a "${INFECTED[*]}"

# every system but one golden image gets the measure
EXC=img-srv-03-1
clock 2003-08-27T17:00+09:00
mapfile -t APPLY < <(grep -vx "$EXC" "$D/rollout.txt")
expect_eq "rollout: the exception is one of the computed systems" "${#APPLY[@]}" "$((N_ROLLOUT - 1))"
for s in "${APPLY[@]}"; do fk measure set "$INC" M1 "$s" --state applied; done
fk_fails 2 measure set "$INC" M1 "$EXC" --state exception --reason "オフライン保管のイメージ"
fk measure set "$INC" M1 "$EXC" --state exception --reason "オフライン保管のイメージ: 次回展開時に再作成" \
	--accepted-by "$CISO"
fkj measure status "$INC" M1
expect_jq "measure status: applied everywhere but the exception" \
	'.total == $n and .applied == ($n - 1) and .exception == 1 and .pending == 0 and .verified == 0 and
	 (.pending_systems | length) == 0' --argjson n "$N_ROLLOUT"
expect_jq "measure status: the exception with its reason and who accepted the risk" \
	'.exceptions == [{name: $e, scope: "spare", state: "exception",
	  reason: "オフライン保管のイメージ: 次回展開時に再作成", accepted_by: $c}]' \
	--arg e "$EXC" --arg c "$CISO"
fkj measure list "$INC"
expect_jq "measure list: rollout figures" \
	'.measures[0].rollout == {total: $n, pending: 0, applied: ($n - 1), verified: 0, exception: 1}' \
	--argjson n "$N_ROLLOUT"

fkj board
expect_jq "board: sweep coverage 1.0 and the rollout done" \
	'.incidents[] | select(.id == $i) | .sweep == {total: $n, checked: $n, coverage: 1} and
	 .rollout.done == .rollout.total and .rollout.total == $r' \
	--argjson i "$INC" --argjson n "$N_SWEPT" --argjson r "$N_ROLLOUT"

fkj incident history "$REF"
expect_jq "history: the exception is attributed" \
	'any(.changes[]; .entity == "rollout" and .field == "accepted_by" and .new == $c)' --arg c "$CISO"
expect_jq "history: the sheet imports are recorded" \
	'[.changes[] | select(.entity == "sweep" and .field == "import")] | length == $d' \
	--argjson d "$N_DEPTS"

scenario_end
