#!/usr/bin/env bash
# shellcheck disable=SC2016 # jq filters use $variables in single quotes
# Case Study 1 of the source document (社内から他企業に対して不正アクセスが試行され、攻撃先から
# クレームが・・・): いろは食品 complains on 2003-09-30 that ABC情報システム's network attacked its
# web server. Same day: promise to investigate, proxy logs identify employee A, first report
# to the president. Next day: project under the president, no other targets, interview (a
# mistake with a security tool), apology letter in the president's name. Within 3 days:
# prevention and discipline. 4 days later: the president and A visit, the apology is accepted;
# the president explains the incident to all employees.
#   usage: bash case1_outbound_attack.sh /path/to/fukkyu
set -euo pipefail
# shellcheck source=lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
scenario_init "$0" "$@"

KIND=outbound-attack
PRESIDENT="田中 一郎"
ADMIN="山本 健"         # the web server administrator who happened to read the mail
T0=2003-09-30T09:40+09:00 # the complaint reaches the web server's admin address

fk init
# the signature and the inquiry desk of the documents (the source's 謝罪文例)
fk --json org set --name "ABC情報システム株式会社" --name-en "ABC Information Systems Co., Ltd." \
	--representative "$PRESIDENT" --representative-en "Ichiro Tanaka" \
	--title "代表取締役社長" --title-en "President and CEO" \
	--desk "情報システム部" --desk-en "Information Systems Department" \
	--phone "03-xxxx-xxxx" --email "webmaster@abc.example"

# ---- 当日 (2003-09-30) ---------------------------------------------------------------------
clock "$T0"
new_incident --kind "$KIND" --severity high \
	--title "いろは食品からのクレーム: 弊社ネットワークから貴社Webサーバへの不正アクセス" \
	--discovered "$T0" \
	--description "いろは食品 鈴木様より、弊社ネットワークから同社管理のWebサーバへ複数回にわたり通常とは異なるアクセスを試みた形跡があるとの連絡"
expect_jq "incident new: starts in emergency" '.state == "emergency"'
expect_jq "incident new: item count is the playbook's for $KIND" '.items == $n' \
	--argjson n "$(playbook_total "$KIND")"

fkj task list "$INC"
expect_jq "outbound-attack items are there" \
	'[.phases[].items[].id] as $ids | all("5.oa-1", "5.oa-2", "5.oa-4", "3.oa-1", "1.oa-1", "4.oa-2", "3.ins-1", "4.ins-1"; . as $x | $ids | index($x))'
expect_jq "other kinds' items are not" \
	'[.phases[].items[].id] | (index("5.vr-1") or index("2.df-2") or index("1.mw-1")) | not'
fkj task show "$INC" 5.oa-1
expect_jq "5.oa-1 (answer the complainant) is due 24h after the complaint" \
	'.due != null'
expect_eq "5.oa-1 due" "$(epoch "$(jqv .due)")" "$(($(epoch "$T0") + 24 * 3600))"

event "$INC" "$T0" "いろは食品 鈴木様より、貴社Webサーバへの不正アクセスの試行についてクレーム" \
	"メール (自社Webサーバの管理アドレス)"
fkj reporter add "$INC" --name "いろは食品株式会社 鈴木様" --channel email --contact "suzuki@iroha.example" \
	--at "$T0" --note "弊社ネットワークから同社管理のWebサーバへ複数回にわたり通常とは異なるアクセスを試みた形跡がある"
fkj handover set "$INC" --responders "$ADMIN (Webサーバ管理者。たまたま管理アドレスのメールを読んだ)" \
	--damage-scope "いろは食品のWebサーバへの複数回のアクセス試行 (他社への攻撃は未確認)" \
	--backups "プロキシサーバログを保全 (保存期間1ヶ月)"
fk --json role set "$INC" contact-window "$ADMIN" --org "情報システム部" --email "webmaster@abc.example"

clock 2003-09-30T10:00+09:00
fkj board
expect_jq "board: the answer to the complainant is the next due item, not yet overdue" \
	'.incidents[0] | .overdue == 0 and .next_due != null'
expect_eq "board next_due" "$(epoch "$(jqv '.incidents[0].next_due')")" "$(($(epoch "$T0") + 24 * 3600))"

clock 2003-09-30T10:30+09:00
event "$INC" 2003-09-30T10:30+09:00 "通報者 (いろは食品 鈴木様) に原因調査を約束" "電話"
item_done "$INC" 5.oa-1 "当日10:30 鈴木様へ電話で原因調査を約束"
fkj reporter contact "$INC" R1 --direction out --channel phone --summary "原因調査を約束" \
	--at 2003-09-30T10:30+09:00
item_done "$INC" 5.7 "クレームへの一次対応: 当日中に調査を約束済み"

clock 2003-09-30T15:00+09:00
event "$INC" 2003-09-30T15:00+09:00 "プロキシサーバログ等を解析し、攻撃者A社員を特定" "プロキシサーバログ"
item_done "$INC" 3.oa-1 "プロキシログで送信元端末と利用者 (A社員) を特定"
item_done "$INC" 3.8 "攻撃元は社内: A社員の端末"

clock 2003-09-30T18:00+09:00
event "$INC" 2003-09-30T18:00+09:00 "社長へ第一報"
fkj board
expect_jq "board: nothing overdue on the same day" '.incidents[0].overdue == 0'
expect_jq "board: no open due item left" '.incidents[0].next_due == null'
check_state "$INC" emergency
check_progress "$INC" "$KIND"

# ---- 翌日 (2003-10-01) ---------------------------------------------------------------------
T1=2003-10-01T09:00+09:00
clock "$T1"
event "$INC" "$T1" "社長を責任者とする対応プロジェクト発足"
fk --json role set "$INC" recovery-owner "$PRESIDENT" --org "ABC情報システム 代表取締役社長"
fk --json role set "$INC" approver "$PRESIDENT"
fk --json role set "$INC" root-cause-owner "$ADMIN"
fk --json role set "$INC" user-response-owner "$PRESIDENT"
item_done "$INC" 2.1 "社長 $PRESIDENT"
item_done "$INC" 3.1 "社長を責任者とする対応プロジェクト"
item_done "$INC" 5.1 "社長 $PRESIDENT"
advance --as "$PRESIDENT" "$INC" recovery
expect_eq "contained_at is set when the emergency ends" \
	"$(epoch "$(jqv .contained_at)")" "$(epoch "$T1")"

clock 2003-10-01T11:00+09:00
event "$INC" 2003-10-01T11:00+09:00 "プロキシサーバログ等を解析し、クレーム先以外への攻撃がないことを確認" \
	"プロキシサーバログ"
item_done "$INC" 1.oa-1 "いろは食品以外への攻撃なし"
item_done "$INC" 3.9 "プロキシサーバログを詳細に解析"

clock 2003-10-01T14:00+09:00
event "$INC" 2003-10-01T14:00+09:00 "A社員からの事情聴取。セキュリティツールの操作ミスであることが判明" "事情聴取"
item_done "$INC" 3.ins-1 "人事同席で事情聴取、記録あり: セキュリティツールの操作ミス"
item_done "$INC" 3.13 "A社員および上司から聴取"
fkj cause set "$INC" --origin inside \
	--route "社内ネットワークからプロキシサーバ経由で、いろは食品のWebサーバへ複数回アクセス" \
	--direct "A社員によるセキュリティツールの操作ミス (意図的なものではない)" \
	--root "セキュリティツールを業務用ネットワークで使用でき、その使用に関するポリシーとマニュアルがなかった" \
	--factors "社外からの通報を受ける窓口が定まっておらず、Webサーバの管理アドレスへのメールをたまたま管理者が読んで対応した" \
	--law "不正アクセス禁止法"

clock 2003-10-01T17:00+09:00
item_done "$INC" 5.11 "謝罪文 (2003年10月1日付、いろは食品 鈴木様宛)"
fk_fails 1 --as "$ADMIN" task set "$INC" 5.oa-2 --state "done" --note "送付"
expect_has "a non-approver cannot sign off the apology letter" "$ERR" "approver"
item_done --as "$PRESIDENT" "$INC" 5.oa-2 "代表取締役社長 $PRESIDENT 名で作成、送付"
item_done "$INC" 5.13 "謝罪文を送付"
event "$INC" 2003-10-01T17:00+09:00 "社長名による謝罪文の作成および送付" "謝罪文"
printf 'kind,name,contact,data,sensitive,damage,damage_amount,contract\ncompany,いろは食品株式会社,suzuki@iroha.example,,no,管理するWebサーバへの複数回にわたる通常とは異なるアクセスの試行,,\n' \
	>"$TMP/affected.csv"
fkj affected import "$INC" "$TMP/affected.csv"
fkj affected set "$INC" A1 --notice sent --channel "謝罪文 (社長名、郵送)" --at 2003-10-01T17:00+09:00
fkj reporter contact "$INC" R1 --direction out --channel other --summary "社長名の謝罪文を送付" \
	--at 2003-10-01T17:00+09:00
check_progress "$INC" "$KIND"

# ---- 再発防止策、処分の検討 (3日間) → 3日後 (2003-10-03) --------------------------------------
T3=2003-10-03T17:00+09:00
clock "$T3"
item_done "$INC" 4.2 "技術: セキュリティツール使用ネットワークの分離 / 運用: ポリシー追加、マニュアル作成"
item_done "$INC" 4.7 "セキュリティツール使用に関するポリシーを追加し、マニュアルを作成"
item_done "$INC" 4.10 "セキュリティツール使用ネットワークを分離"
item_done "$INC" 4.14 "A社員およびその上司を訓告処分"
item_done "$INC" 4.ins-1 "社長20%減給1ヶ月、A社員およびその上司訓告処分"
item_done --as "$PRESIDENT" "$INC" 4.6 "再発防止策を社長が承認"
event "$INC" "$T3" "再発防止策 (ネットワーク分離、ポリシー追加・マニュアル作成) と処分 (社長20%減給1ヶ月、A社員および上司訓告) を決定"
fkj measure add "$INC" --kind technical --title "セキュリティツール使用ネットワークの分離" --owner "$ADMIN"
fkj measure add "$INC" --kind operational --title "セキュリティツール使用に関するポリシー追加およびマニュアルの作成" \
	--owner "$ADMIN"
fkj measure add "$INC" --kind operational --title "社外からの通報を受ける窓口体制の設置" --owner "$ADMIN"
for m in M1 M2 M3; do fkj --as "$PRESIDENT" measure approve "$INC" "$m"; done
fkj lesson add "$INC" --kind lesson --lesson "通報から調査、謝罪までを翌日に行い、社長が陣頭指揮を執って誠意を示せた" \
	--action "調査が長引きそうな場合は、通報者へ適宜状況を報告する手順を対応手順書に加える" \
	--owner "$ADMIN" --verify "手順書の改訂版を確認" --changes "緊急時対応手順書"
fkj lesson add "$INC" --kind lesson --lesson "通報が届いたのはたまたまWebサーバの管理者がメールを読んだためで、確実に受けられる窓口がなかった" \
	--action "通報を受ける窓口 (メールアドレスと担当者) を定め、Webサイトに掲載する" \
	--owner "$ADMIN" --verify "窓口アドレス宛の試験メールが当日中に処理されること" --changes "緊急時対応体制"
fkj lesson add "$INC" --kind lesson --lesson "通報が1ヶ月後になることも珍しくなく、社内から社外への不正アクセスを追跡できるログと保存期間が必要" \
	--action "プロキシサーバログの取得対象を見直し、保存期間を1ヶ月から1年に延長する" \
	--owner "$ADMIN" --due 2003-10-31T18:00+09:00 --verify "1年前のログを検索できることを確認" --changes "ログ管理規程"

# ---- 4日後 (2003-10-04) --------------------------------------------------------------------
T4=2003-10-04T14:00+09:00
clock "$T4"
event "$INC" "$T4" "社長およびA社員がいろは食品を訪問して謝罪。謝罪受け入れ" "訪問"
item_done "$INC" 5.oa-4 "社長とA社員が訪問、経緯と再発防止策を説明。謝罪受け入れ"
item_done "$INC" 5.14 "個別訪問 (4日後)"
fkj affected contact "$INC" A1 --reply "社長とA社員が訪問し、経緯と再発防止策を説明して謝罪。謝罪受け入れ" --at "$T4"
advance --as "$PRESIDENT" "$INC" monitoring

T6=2003-10-06T10:00+09:00
clock "$T6"
event "$INC" "$T6" "社長名で全社員に事件の概要を説明し、再発防止を訴える" "全社通達"
item_done "$INC" 4.21 "社長名で全社員へ事件の概要説明と再発防止の訴え"

# ---- checks --------------------------------------------------------------------------------
fkj timeline list "$INC"
expect_jq "timeline: 11 entries" '.timeline | length == 11'
expect_jq "timeline: in time order" '[.timeline[].at] == ([.timeline[].at] | sort)'
want_days=()
for at in $(jq -r '.timeline[].at' "$TMP/out"); do
	want_days+=("$(day_of "$T0" "$at")")
done
expect_eq "timeline days counted independently" "${want_days[*]}" "0 0 0 0 1 1 1 1 3 4 6"
expect_jq "timeline: day numbers 0,1,3,4,6" '[.timeline[].day] == [0,0,0,0,1,1,1,1,3,4,6]'
expect_jq "timeline: Japanese labels" \
	'[.timeline[].day_label.ja] | unique == ["3日後","4日後","6日後","当日","翌日"]'
expect_jq "timeline: same day / next day labels" \
	'(.timeline[0].day_label == {ja: "当日", en: "same day"}) and
	 (.timeline[4].day_label == {ja: "翌日", en: "next day"}) and
	 (.timeline[9].day_label == {ja: "4日後", en: "4 days later"})'
expect_jq "timeline: the complaint came by mail to the admin address" \
	'.timeline[0].source == "メール (自社Webサーバの管理アドレス)"'
expect_jq "timeline: recorded by the runner" '[.timeline[].recorded_by] | unique == ["scenario-runner"]'

fk --lang ja timeline list "$INC"
expect_has "timeline --lang ja shows 当日" "$OUT" "当日"
expect_has "timeline --lang ja shows 翌日" "$OUT" "翌日"
expect_has "timeline --lang ja shows 4日後" "$OUT" "4日後"
expect_has "timeline --lang ja shows the visit" "$OUT" "謝罪受け入れ"
fkj --lang ja timeline list "$INC"
expect_jq "timeline --lang ja --json keeps both labels" '.timeline[9].day_label.ja == "4日後"'

check_state "$INC" monitoring
expect_jq "incident show: no overdue item" '.overdue == 0'
expect_jq "incident show: the president is recovery owner and approver" \
	'(.roles | map(select(.role == "recovery-owner")) | .[0].name == $p) and
	 (.roles | map(select(.role == "approver")) | .[0].name == $p)' --arg p "$PRESIDENT"
check_progress "$INC" "$KIND"

fkj board
expect_jq "board: the incident is open, in monitoring, owned by the president" \
	'.incidents | length == 1 and .[0].state == "monitoring" and .[0].owner == $p and .[0].ref == $r' \
	--arg p "$PRESIDENT" --arg r "$REF"
expect_jq "board: nothing overdue" '.incidents[0].overdue == 0'
expect_eq "board: progress = items set done" "$(jqv '.incidents[0].progress.done')" "$(finished_count)"

fkj task show "$INC" 5.oa-2
expect_jq "the apology letter was signed off by the president" \
	'.state == "done" and .approval == true and .updated_by == $p' --arg p "$PRESIDENT"

fkj incident history "$REF"
expect_jq "history: emergency → recovery → monitoring, by the president" \
	'[.changes[] | select(.entity == "incident" and .field == "state") | [.old, .new, .actor]] ==
	 [["emergency","recovery",$p],["recovery","monitoring",$p]]' --arg p "$PRESIDENT"
expect_jq "history: the apology letter sign-off is recorded with the approver" \
	'any(.changes[]; .entity == "task" and .key == "5.oa-2" and .field == "state" and .new == "done" and .actor == $p)' \
	--arg p "$PRESIDENT"
expect_jq "history: the refused sign-off left no trace" \
	'all(.changes[]; .actor != $a or .entity != "task" or .key != "5.oa-2")' --arg a "$ADMIN"

# The proxy log that identified employee A, kept as evidence for the documents (after the
# checks above: the scan adds its first and last sightings to the timeline). A's PC reached the
# complaining company's server from 13:00 the day before the complaint.
t0=$(epoch 2003-09-29T13:00+09:00)
awk -v t0="$t0" 'BEGIN {
	for (i = 0; i < 40; i++)
		printf "%d.000    120 10.5.5.5 TCP_MISS/404 312 GET http://www.iroha-foods.example/cgi-bin/test%d.cgi - HIER_DIRECT/203.0.113.80 text/html\n", t0 + i * 15, i
	for (i = 0; i < 60; i++)
		printf "%d.000    200 10.5.%d.%d TCP_MISS/200 4096 GET http://www%d.example.com/ - HIER_DIRECT/198.51.100.%d text/html\n", t0 - 3600 + i * 120, i % 8, i % 16 + 1, i % 30, i % 250 + 1
}' | sort -n >"$TMP/access.log"
printf '# the complaining company\nwww.iroha-foods.example\n203.0.113.80\n' >"$TMP/iroha.txt"
pushd "$TMP" >/dev/null
fkj logs scan --incident "$INC" --targets iroha.txt --group-by client access.log
popd >/dev/null
expect_jq "logs scan: one employee's PC reached the complaining company, 40 times" \
	'.groups == [{client: "10.5.5.5", count: 40, bytes: 12480, first: "2003-09-29T13:00+09:00", last: "2003-09-29T13:09:45+09:00"}]'

golden_docs case1

scenario_end
