#!/usr/bin/env bash
# shellcheck disable=SC2016 # jq filters use $variables in single quotes
# Case Study 3 of the source document (管理を委託されているチケット販売ホームページが改ざんされて
# しまった・・・), with the dates of its sample notice (謝罪文掲載例): on 7月6日 at 7:20 the ticket
# site of Bチケットサービス, run by contractor D, is defaced; at 11:55 the site is stopped.
# Same day: D promises B an emergency response and calls in security experts; following a
# procedure prepared in advance, an explanation and apology go on the top page and users are
# sent to telephone booking; a project of D's and B's executives and the experts is set up.
# Next day: provisional fixes, ticket sales resume. 3 days: the fundamental plan and the
# outage damage. 5 days: a one-month improved recovery is chosen and approved. 1 month: the
# strengthened security is announced on the site.
#   usage: bash case3_defacement.sh /path/to/fukkyu
set -euo pipefail
# shellcheck source=lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
scenario_init "$0" "$@"

KIND=defacement
B_EXEC="山田 太郎"      # Bチケットサービス 取締役 (recovery owner, approver)
D_EXEC="中村 次郎"      # D社 取締役 (approver, arranges D's cost and staff)
D_OPERATOR="伊藤 誠"    # D社 運用担当 (not an approver)
PR="小林 さくら"        # Bチケットサービス 広報部 (contact window)
EXPERT="セキュリティ専門家 (外部)"
T0=2004-07-06T07:20+09:00 # 7月6日7時20分頃、一部コンテンツが書き換えられた
DUE=$(($(epoch "$T0") + 24 * 3600))

fk init
# the organisation and the inquiry desk of the sample notice (謝罪文掲載例)
fk --json org set --name "Bチケットサービス株式会社" --name-en "B Ticket Service Co., Ltd." \
	--desk "広報部" --desk-en "Public Relations Department" --phone "03-xxxx-xxxx" --email "info@xxx.co.jp"

# ---- 当日 (7月6日) --------------------------------------------------------------------------
clock 2004-07-06T07:40+09:00
new_incident --kind "$KIND" --severity high --title "チケット販売サイト改ざん" --discovered "$T0" \
	--description "外部の侵入者によって弊社ウェブサイトの一部コンテンツが書き換えられた (運用はD社に委託)"
expect_jq "incident new: item count is the playbook's for $KIND" '.items == $n' \
	--argjson n "$(playbook_total "$KIND")"
event "$INC" "$T0" "弊社ウェブサイトが外部の侵入者によって一部コンテンツを書き換えられる" "D社 運用監視"
fkj task list "$INC"
expect_jq "defacement items are there" \
	'[.phases[].items[].id] as $ids | all("5.df-1", "5.df-2", "5.df-3", "2.df-1", "2.df-2", "4.df-1", "2.in-1", "1.in-1"; . as $x | $ids | index($x))'
expect_jq "the notice and the phone line are due within 24h" \
	'[.phases[].items[] | select(.id == "5.df-1" or .id == "5.df-2") | .due != null] == [true, true]'

clock 2004-07-06T08:00+09:00
event "$INC" 2004-07-06T08:00+09:00 "D社はB社に対して緊急対応を約束。セキュリティ専門家に支援を仰ぐ" "D社"
item_done "$INC" 3.14 "外部のセキュリティ専門家に支援を要請"
item_done "$INC" 3.4 "専門家から改ざん手口について情報収集"

clock 2004-07-06T11:55+09:00
MARK=service-stopped event "$INC" 2004-07-06T11:55+09:00 "原因究明と復旧作業のため、弊社ウェブサイトを一旦停止" "D社"
fkj board
expect_jq "board (11:55): the notice is the next due item, nothing overdue" '.incidents[0].overdue == 0'
expect_eq "board (11:55): next_due is 24h after the defacement" \
	"$(epoch "$(jqv '.incidents[0].next_due')")" "$DUE"

clock 2004-07-06T12:10+09:00
event "$INC" 2004-07-06T12:10+09:00 \
	"あらかじめ定められていた手順に従い、トップページに説明とお詫びを掲載。緊急電話予約窓口へ誘導" "広報部"
item_done "$INC" 5.df-1 "トップページに「重要なお知らせ」(説明とお詫び) を掲載"
item_done "$INC" 5.df-2 "通常の電話予約窓口に加え緊急電話予約窓口 03-xxxx-xxxx を設置して誘導"
fkj handover set "$INC" \
	--backups "7月5日夜間のフルバックアップ (改ざん前であることを確認済み)" \
	--degraded "電話予約 (通常の電話予約窓口 + 緊急電話予約窓口) によるチケット販売" \
	--manual "電話予約を手作業で販売システムに入力する手順書" \
	--damage-scope "トップページ等の一部コンテンツ改ざん" \
	--responders "D社 運用チーム ($D_OPERATOR)、$EXPERT"

clock 2004-07-06T13:00+09:00
event "$INC" 2004-07-06T13:00+09:00 "D社幹部、B社幹部、セキュリティ専門家から成る対応プロジェクトを発足"
fk --json role set "$INC" recovery-owner "$B_EXEC" --org "Bチケットサービス株式会社 取締役"
fk --json role set "$INC" approver "$B_EXEC"
fk --json role set "$INC" approver "$D_EXEC" --org "D社 取締役"
fk --json role set "$INC" cost-arranger "$D_EXEC"
fk --json role set "$INC" contact-window "$PR" --org "Bチケットサービス株式会社 広報部" \
	--phone "03-xxxx-xxxx" --email "info@xxx.co.jp"
item_done "$INC" 2.df-1 "B社取締役 $B_EXEC、D社取締役 $D_EXEC が参画"
item_done "$INC" 2.1 "$B_EXEC (B社)"
item_done "$INC" 2.2 "$D_EXEC (D社)"
fkj board
expect_jq "board (same day): nothing overdue, no due item left" \
	'.incidents[0].overdue == 0 and .incidents[0].next_due == null'
check_progress "$INC" "$KIND"

# ---- 翌日 ----------------------------------------------------------------------------------
T1=2004-07-07T10:00+09:00
clock "$T1"
MARK=service-restored event "$INC" "$T1" "暫定のセキュリティ対策を施し、チケット販売を再開"
advance --as "$B_EXEC" "$INC" recovery

# ---- 3日後 ---------------------------------------------------------------------------------
T3=2004-07-09T17:00+09:00
clock "$T3"
event "$INC" "$T3" "セキュリティ専門家の助言を受け、抜本対策案を立案" "$EXPERT"
event "$INC" "$T3" "サーバ停止期間のB社の被害額を算出: 約850万円" "B社 経理"
item_done "$INC" 2.15 "抜本対策案 (OS・Webサーバ最新化、監視サービス導入、運用者教育)"
item_done "$INC" 2.df-2 "サーバ停止期間の被害額 約850万円 (チケット販売の逸失利益)"
fkj cause set "$INC" --origin outside \
	--route "公開Webサーバの OS、Webサーバソフトウェアの既知の脆弱性 (最新化されていなかった)" \
	--direct "外部の侵入者によるトップページ等の一部コンテンツの書き換え" \
	--root "委託先D社の運用で OS、Webサーバソフトウェアが最新化されておらず、運用者のセキュリティのスキルも不足していた" \
	--factors "セキュリティ監視の仕組みがなく、改ざんの検知と対処を運用者に頼っていた" \
	--law "不正アクセス禁止法"
# The damage ledger computes the same from the timeline: stopped 11:55, sales again at 10:00
# the next day (22 h 05 min), at 385,000 yen of ticket sales an hour.
fkj damage outage "$INC" --revenue-per-hour 385000 --description "サーバ停止期間のチケット販売の逸失利益"
outage_min=$((($(epoch "$T1") - $(epoch 2004-07-06T11:55+09:00)) / 60))
expect_eq "outage from the timeline, in minutes (computed here)" "$outage_min" 1325
loss=$(((385000 * outage_min + 30) / 60))
expect_jq "damage outage: revenue x the timeline's outage, rounded" \
	'.amount == $a and .category == "opportunity-loss"' --argjson a "$loss"
expect_jq "damage outage: about 8.5 million yen, as the source computed" '.amount > 8400000 and .amount < 8600000'
fkj damage add "$INC" --category prevention --amount 1200000 --split D社=100 --description "OS、Webサーバソフトウェアの最新化"
fkj damage add "$INC" --category prevention --amount 600000 --split B社=100 --description "セキュリティ監視サービスの導入"
fkj damage summary "$INC"
expect_jq "damage summary: indirect is the outage, costs the prevention, each party its own" \
	'.indirect == $a and .costs == 1800000 and .total == $a + 1800000 and .by_party == {"B社": 600000, "D社": 1200000}' \
	--argjson a "$loss"


# ---- 5日後: 改善復旧1ヶ月、計画の承認 --------------------------------------------------------
T5=2004-07-11T15:00+09:00
clock "$T5"
item_done "$INC" 2.6 "改善復旧 1ヶ月"
item_done "$INC" 2.7 "2004-08-06"
item_done "$INC" 2.18 "OS・Webサーバ最新化 (D社負担)、セキュリティ監視サービス (B社負担)、運用者教育 (D社負担)"
fk_fails 1 --as "$D_OPERATOR" task set "$INC" 2.19 --state "done" --note "承認"
expect_has "a non-approver is refused: the message names the approvers" "$ERR" "$B_EXEC"
expect_has "a non-approver is refused: the message says who tried" "$ERR" "$D_OPERATOR"
fkj task show "$INC" 2.19
expect_jq "the refused sign-off changed nothing" '.state == "todo" and .note == null'
item_done --as "$B_EXEC" "$INC" 2.19 "改善復旧1ヶ月の計画を承認"
item_done "$INC" 4.df-1 "セキュリティ監視サービスを導入 (B社負担)"
event "$INC" "$T5" "被害額と対策コストのバランスを考え改善復旧を1ヶ月と定め対策に着手"
printf '%s\n' "2004-07-31,OS、Webサーバソフトウェアの最新化 (D社負担)" "2004-07-31,セキュリティ監視サービスの導入 (B社負担)" \
	"2004-08-06,D社運用者のスキルアップ教育 (D社負担)" "2004-08-06,セキュリティの強化についてホームページに掲載" \
	>"$TMP/schedule.csv"
fkj plan set "$INC" --level improved --deadline 2004-08-06T18:00+09:00 \
	--priority "チケット販売の継続を最優先 (電話予約で代替し、暫定対策のうえ翌日に再開済み)。抜本対策は被害額と対策コストのバランスから1ヶ月で実施" \
	--cost 1800000 --schedule "$TMP/schedule.csv" \
	--monitoring-start 2004-08-06T10:00+09:00 --monitoring-end 2004-09-06T10:00+09:00 \
	--exit-criteria "セキュリティ監視サービスで1ヶ月間、改ざんや不審なアクセスが検知されないこと" \
	--compromised-at "$T0"
fkj plan restore "$INC" --system "チケット販売Webサーバ" --backup "7月5日夜間のフルバックアップ" \
	--backup-time 2004-07-05T23:00+09:00 --integrity "改ざんされたファイルと比較し、改ざん前であることを確認" \
	--restored-at 2004-07-07T09:00+09:00
fkj plan submit "$INC"
fkj --as "$B_EXEC" plan approve "$INC"
fkj measure add "$INC" --kind technical --title "OS、Webサーバソフトウェアの最新化 (D社負担)" --owner "$D_EXEC" \
	--cost 1200000 --due 2004-07-31T18:00+09:00
fkj measure add "$INC" --kind technical --title "セキュリティ監視サービスの導入 (B社負担)" --owner "$B_EXEC" \
	--cost 600000 --due 2004-07-31T18:00+09:00
fkj measure add "$INC" --kind operational --title "D社の運用者のスキルアップ施策 (教育) の実施 (D社負担)" \
	--owner "$D_EXEC" --due 2004-08-06T18:00+09:00
for m in M1 M2 M3; do fkj --as "$B_EXEC" measure approve "$INC" "$m"; done

# ---- 1ヵ月後 -------------------------------------------------------------------------------
T31=2004-08-06T10:00+09:00
clock "$T31"
item_done "$INC" 2.21 "OS、Webサーバソフトウェアを最新化 (D社負担)"
item_done "$INC" 2.24 "改善復旧完了"
item_done "$INC" 4.22 "D社運用者のスキルアップ教育を実施 (D社負担)"
item_done "$INC" 5.df-3 "セキュリティの強化についてホームページに掲載"
printf '%s' "OS、Webサーバソフトウェアの最新化、セキュリティ監視サービスの導入、D社運用者の教育を完了し、改善復旧を終えた。セキュリティの強化についてホームページに掲載した。" >"$TMP/report.txt"
fkj plan complete "$INC" --report "$TMP/report.txt"
fkj lesson add "$INC" --lesson "あらかじめ手順が決まっていたため、ユーザへの告知と代替サービスへの誘導が早かった" \
	--action "お知らせの文例と緊急電話予約窓口の手順を年1回見直し、訓練する" --kind drill \
	--owner "$PR" --verify "訓練記録" --changes "緊急時対応手順書"
fkj lesson add "$INC" --lesson "決定権を持つ幹部が対応プロジェクトに参画し、早い段階から専門家の助言を仰いだ" \
	--action "委託先を含む幹部の緊急連絡先と、支援を依頼するセキュリティ専門会社をあらかじめ決めておく" \
	--owner "$B_EXEC" --verify "緊急連絡網と契約の確認" --changes "緊急時対応体制"
fkj lesson add "$INC" --lesson "被害額を算出したことが、復旧と再発防止策への経営者の投資判断につながった" \
	--action "復旧計画には被害額と対策コストの根拠を必ず添える" \
	--owner "$B_EXEC" --verify "次回の復旧計画の記載" --changes "復旧計画の様式"
fkj lesson add "$INC" --kind training --lesson "運用者のセキュリティ教育だけでは、改ざんの早期検知に限界がある" \
	--action "D社運用者の教育を継続し、セキュリティ監視サービスの検知結果を毎月確認する" \
	--owner "$D_EXEC" --verify "月次報告"
event "$INC" "$T31" "セキュリティの強化について、ホームページに掲載" "ホームページ"
advance --as "$B_EXEC" "$INC" monitoring

# ---- checks --------------------------------------------------------------------------------
fkj handover show "$INC"
expect_jq "handover: backups" '.handover.backups | test("バックアップ")'
expect_jq "handover: degraded operation is phone sales" '.handover.degraded | test("電話予約")'
expect_jq "handover: manual workaround" '.handover.manual | test("手作業")'
expect_jq "handover: responders" '.handover.responders | test("D社") and test("専門家")'
expect_jq "handover: fields not given stay empty" \
	'.handover["substitute-hw"] == null and .handover["substitute-net"] == null'
expect_jq "handover: who recorded it" '.updated_by == "scenario-runner" and .updated_at != null'

fkj role list "$INC"
expect_jq "roles: the contact window has the phone number" \
	'.roles[] | select(.role == "contact-window") | .name == $n and .phone == "03-xxxx-xxxx" and .email == "info@xxx.co.jp"' \
	--arg n "$PR"
expect_jq "roles: two approvers, one from each company" \
	'[.roles[] | select(.role == "approver") | .name] | sort == ([$b, $d] | sort)' \
	--arg b "$B_EXEC" --arg d "$D_EXEC"
expect_jq "roles: the recovery owner" \
	'.roles[] | select(.role == "recovery-owner") | .name == $b' --arg b "$B_EXEC"

fkj task show "$INC" 2.df-2
expect_jq "2.df-2: the damage figure is on record" '.state == "done" and (.note | test("850万円"))'
fkj task show "$INC" 2.6
expect_jq "2.6: improved recovery, one month" '.note == "改善復旧 1ヶ月"'
fkj task show "$INC" 2.19
expect_jq "2.19: approved by the B executive" \
	'.state == "done" and .approval == true and .updated_by == $b' --arg b "$B_EXEC"

fkj timeline list "$INC"
want_days=()
for at in $(jq -r '.timeline[].at' "$TMP/out"); do
	want_days+=("$(day_of "$T0" "$at")")
done
expect_eq "timeline days counted independently" "${want_days[*]}" "0 0 0 0 0 1 3 3 5 31"
expect_jq "timeline: day numbers" '[.timeline[].day] == [0,0,0,0,0,1,3,3,5,31]'
expect_jq "timeline: labels" \
	'[.timeline[].day_label.ja] | unique == ["31日後","3日後","5日後","当日","翌日"]'
expect_jq "timeline: the notice's times 7:20 and 11:55" \
	'(.timeline[0].at == "2004-07-06T07:20+09:00") and (.timeline[2].at == "2004-07-06T11:55+09:00")'
fk --lang ja timeline list "$INC"
expect_has "timeline --lang ja: 当日" "$OUT" "2004-07-06 07:20  当日"
expect_has "timeline --lang ja: 翌日 sales resumed" "$OUT" "チケット販売を再開"
expect_has "timeline --lang ja: 3日後" "$OUT" "3日後"

check_state "$INC" monitoring
check_progress "$INC" "$KIND"
fkj board
expect_jq "board (end): owner, state, nothing overdue" \
	'.incidents[0] | .owner == $b and .state == "monitoring" and .overdue == 0' --arg b "$B_EXEC"

fkj incident history "$INC"
expect_jq "history: the approval is recorded with the approver" \
	'any(.changes[]; .entity == "task" and .key == "2.19" and .field == "state" and .new == "done" and .actor == $b)' \
	--arg b "$B_EXEC"
expect_jq "history: the refused attempt left no trace" \
	'all(.changes[]; .actor != $o)' --arg o "$D_OPERATOR"
expect_jq "history: the handover change is recorded" 'any(.changes[]; .entity == "handover")'

golden_docs case3

scenario_end
