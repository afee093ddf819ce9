/*
 * demo.c - the four case studies of the source document as demo incidents.
 *
 * Each case is data: the incident, its handover, roles, timeline (day offsets as the
 * document gives them: 当日, 翌日, 3日後 ...) and the playbook items it has moved. Day 0 is
 * start_days_ago days before ctx->now, so the board shows live progress and overdue items
 * (case 2's reporter, unanswered for four weeks, is overdue — the lesson of that case).
 */
#include "fukkyu/common.h"
#include "fukkyu/clocks.h"
#include "fukkyu/damage.h"
#include "fukkyu/demo.h"
#include "fukkyu/docs.h"
#include "fukkyu/lessons.h"
#include "fukkyu/sweep.h"
#include "util/buf.h"
#include "util/time.h"

struct demo_event {
	int day;
	const char *hhmm;
	const char *text;
	const char *source;
};

struct demo_task {
	const char *item;
	int state;
	const char *note;
	const char *as; /* who acts (an approver for approval items), NULL = ctx actor */
};

struct demo_person {
	int role;
	const char *name, *org, *email, *phone;
};

/* A damage ledger entry of a case (amounts are examples: the source gives none). */
struct demo_damage {
	int category;
	int64_t amount;
	const char *description, *split; /* split: "PARTY=PCT,..." or NULL */
};

/* The outside reporter of a case: the event that is the report, and the one that answered
 * them (0: never answered, as in case 2). */
struct demo_reporter {
	const char *name, *contact;
	int channel, report_event, answer_event;
};

/* The root-cause record as the source document tells it. */
struct demo_cause {
	int origin; /* enum fk_origin */
	const char *route, *root;
};

struct demo_case {
	int kind, severity, state;
	struct demo_cause cause;
	struct demo_reporter reporter;
	int stop_event, restore_event; /* 1-based events marked service stopped / restored */
	int64_t outage_revenue;        /* per hour: the outage's opportunity loss, 0 = none */
	struct demo_damage damage[4];
	int start_days_ago;
	const char *hhmm;
	const char *title, *description;
	const char *handover[FK_HO_COUNT];
	struct demo_person people[6];
	struct demo_event events[12];
	struct demo_task tasks[28];
};

#define DONE  FK_TASK_DONE
#define DOING FK_TASK_DOING

static const struct demo_case cases[] = {
    {
        .kind = FK_KIND_OUTBOUND_ATTACK,
        .cause = {FK_ORIGIN_INSIDE, "社員のPCのセキュリティツール",
                  "社員によるセキュリティツールの誤操作と、社内から社外への通信の管理不足"},
        .severity = FK_SEV_HIGH,
        .state = FK_STATE_MONITORING,
        .start_days_ago = 5,
        .hhmm = "09:30",
        .title = "【事例1】社員のセキュリティツール誤操作による他社Webサーバへの不正アクセス",
        .reporter = {"いろは食品株式会社 システム管理者", "webmaster@iroha.example", FK_CH_EMAIL, 1,
                     2},
        .description = "社内から他企業 (いろは食品株式会社) のWebサーバへ不正アクセスが試行され、"
                       "攻撃先から通報 (クレーム) があった。",
        .handover = {[FK_HO_BACKUPS] = "影響なし",
                     [FK_HO_DEGRADED] = "なし",
                     [FK_HO_DAMAGE_SCOPE] = "いろは食品株式会社のWebサーバへの複数回の異常アクセス"
                                            "。他社への攻撃はなし (翌日確認)",
                     [FK_HO_RESPONDERS] = "Webサーバ管理者 (通報メールを受信)、情報システム部"},
        .people = {{FK_ROLE_RECOVERY_OWNER, "田中 一郎", "ABC情報システム株式会社 代表取締役社長",
                    NULL, NULL},
                   {FK_ROLE_APPROVER, "田中 一郎", "ABC情報システム株式会社 代表取締役社長", NULL,
                    NULL},
                   {FK_ROLE_ROOT_CAUSE_OWNER, "佐藤 次郎", "情報システム部", NULL, NULL},
                   {FK_ROLE_USER_RESPONSE_OWNER, "鈴木 花子", "総務部", NULL, NULL},
                   {FK_ROLE_CONTACT_WINDOW, "セキュリティ窓口", "情報システム部",
                    "security@abc.example", "03-0000-0001"}},
        .events = {{0, "09:30",
                    "いろは食品株式会社から、弊社ネットワークからの不正アクセスについて通報 "
                    "(Webサーバ管理アドレス宛のメール)",
                    "メール"},
                   {0, "10:00", "通報者に原因調査を約束", NULL},
                   {0, "15:00", "プロキシサーバログを解析し、攻撃者A社員を特定", "プロキシログ"},
                   {0, "18:00", "社長へ第一報", NULL},
                   {1, "09:00", "社長を責任者とする対応プロジェクト発足", NULL},
                   {1, "14:00",
                    "プロキシサーバログを解析し、クレーム先以外への攻撃がないことを確認",
                    "プロキシログ"},
                   {1, "16:00", "A社員から事情聴取。セキュリティツールの操作ミスであることが判明",
                    "事情聴取"},
                   {1, "18:00", "社長名による謝罪文の作成および送付", NULL},
                   {4, "10:00",
                    "再発防止策、処分の検討 (3日間): "
                    "ネットワーク分離、ポリシー追加・マニュアル作成、処分決定",
                    NULL},
                   {4, "15:00", "社長およびA社員による訪問および謝罪。謝罪受け入れ", NULL},
                   {4, "17:00", "社長名で全社員に事件の概要を説明し、再発防止を訴える", NULL}},
        .tasks = {{"1.1", DONE, "いろは食品以外への影響なし", NULL},
                  {"1.oa-1", DONE, "翌日、プロキシログで他の攻撃先がないことを確認", NULL},
                  {"2.1", DONE, "社長", NULL},
                  {"2.2", DONE, NULL, NULL},
                  {"2.3", DONE, NULL, NULL},
                  {"3.1", DONE, NULL, NULL},
                  {"3.8", DONE, "社内 (A社員の端末)", NULL},
                  {"3.9", DONE, "プロキシサーバログ", NULL},
                  {"3.oa-1", DONE, NULL, NULL},
                  {"3.13", DONE, "A社員から事情聴取 (人権に配慮)", NULL},
                  {"3.ins-1", DONE, NULL, NULL},
                  {"4.1", DONE, NULL, NULL},
                  {"4.2", DONE,
                   "セキュリティツール使用ネットワークの分離、ポリシー追加とマニュアル作成", NULL},
                  {"4.6", DONE, "社長承認", "田中 一郎"},
                  {"4.14", DONE, "社長20%減給1ヶ月、A社員およびその上司訓告", NULL},
                  {"4.ins-1", DONE, NULL, NULL},
                  {"4.21", DONE, "社長名で全社員に概要説明", NULL},
                  {"4.oa-2", DOING, "ログ保存期間を1ヶ月以上に延長する案を検討中", NULL},
                  {"4.oa-3", DOING, "通報窓口の設置を検討中", NULL},
                  {"5.1", DONE, NULL, NULL},
                  {"5.4", DONE, "いろは食品株式会社", NULL},
                  {"5.oa-1", DONE, "当日中に原因調査を約束", NULL},
                  {"5.11", DONE, "謝罪文", NULL},
                  {"5.12", DONE, "社長承認", "田中 一郎"},
                  {"5.oa-2", DONE, "社長名の謝罪文を送付 (翌日)", "田中 一郎"},
                  {"5.13", DONE, NULL, NULL},
                  {"5.oa-4", DONE, "4日後に社長とA社員が訪問、謝罪受け入れ", NULL}},
    },
    {
        .kind = FK_KIND_VULNERABILITY_REPORT,
        .cause = {FK_ORIGIN_UNKNOWN,
                  "Webアプリケーションの入力値の検証不備 (クロスサイトスクリプティング)",
                  "委託先の開発・運用でのセキュリティ対策の不足"},
        .severity = FK_SEV_MEDIUM,
        .state = FK_STATE_RECOVERY,
        .start_days_ago = 29,
        .hhmm = "11:00",
        .title =
            "【事例2】委託先運用Webサイトのクロスサイトスクリプティング脆弱性 (第三者からの指摘)",
        .reporter = {"A氏", "a@reporter.example", FK_CH_EMAIL, 1, 0},
        .damage = {{FK_DMG_RESTORATION, 800000,
                    "プログラムの改修費用 (B社C社の折半で決着、2週間後。金額は例)",
                    "B社=50,C社=50"}},
        .description = "B社のWebサーバ (C社に運用委託) の脆弱性を第三者A氏が指摘。",
        .handover = {[FK_HO_DAMAGE_SCOPE] = "XSS。情報漏えいの有無は未調査",
                     [FK_HO_DEGRADED] = "最低限の暫定対処のみで運用継続",
                     [FK_HO_RESPONDERS] = "C社 運用チーム"},
        .people = {{FK_ROLE_RECOVERY_OWNER, "山本 三郎", "B社 Web事業部長", NULL, NULL},
                   {FK_ROLE_COST_ARRANGER, "高橋 四郎", "C社 営業部", NULL, NULL},
                   {FK_ROLE_APPROVER, "山本 三郎", "B社 Web事業部長", NULL, NULL}},
        .events = {{0, "11:00", "第三者A氏からB社へWebサイトの脆弱性の指摘", "メール"},
                   {0, "13:00", "C社がB社に対して調査を約束", NULL},
                   {0, "17:00",
                    "クロスサイトスクリプティングの問題を確認し、最低限の暫定対処のみ実施", NULL},
                   {1, "10:00", "C社がB社に、プログラム改修の必要がある旨を通知", NULL},
                   {14, "16:00", "改修費用の負担でB社C社の調整が難航。B社C社の折半で決着 (2週間後)",
                    NULL},
                   {28, "09:00",
                    "A氏がセキュリティコミュニティにB社Webサイトの脆弱性を公表 (連絡がないため)",
                    "セキュリティコミュニティ"}},
        .tasks = {{"1.1", DONE, NULL, NULL},
                  {"2.1", DONE, NULL, NULL},
                  {"2.vr-2", DONE, "B社C社折半 (合意まで2週間)", NULL},
                  {"2.21", DOING, "改修要員の手配待ち", NULL},
                  {"2.vr-1", DOING, "他業務との優先順位が未決", NULL}},
    },
    {
        .kind = FK_KIND_DEFACEMENT,
        .cause = {FK_ORIGIN_OUTSIDE, "WebサーバのOS・ソフトウェアの既知の脆弱性",
                  "OS・Webサーバソフトウェアの更新の遅れ"},
        .severity = FK_SEV_HIGH,
        .state = FK_STATE_RECOVERY,
        .start_days_ago = 3,
        .hhmm = "07:20",
        .title = "【事例3】チケット販売ホームページの改ざん",
        .stop_event = 3,
        .restore_event = 6,
        .outage_revenue = 120000,
        .damage = {{FK_DMG_PREVENTION, 1200000, "OS、Webサーバソフトウェアの最新化 (金額は例)",
                    "D社=100"},
                   {FK_DMG_PREVENTION, 600000, "セキュリティ監視サービスの導入 (年額、金額は例)",
                    "B社=100"},
                   {FK_DMG_PREVENTION, 400000, "D社の運用者のスキルアップ施策 (教育、金額は例)",
                    "D社=100"}},
        .description =
            "D社に運用委託しているB社のチケット販売サイトが外部の侵入者により改ざんされた。",
        .handover = {[FK_HO_BACKUPS] = "前日夜間のフルバックアップ (改ざん前であることを確認済み)",
                     [FK_HO_SUBSTITUTE_HW] = "予備サーバ1台",
                     [FK_HO_DEGRADED] = "Webサイト停止中。緊急電話予約窓口を設置",
                     [FK_HO_MANUAL] = "電話受付によるチケット予約 (手作業)",
                     [FK_HO_DAMAGE_SCOPE] = "トップページほか一部コンテンツの書き換え",
                     [FK_HO_RESPONDERS] = "D社 運用チーム、セキュリティ専門家"},
        .people = {{FK_ROLE_RECOVERY_OWNER, "中村 五郎", "B社 取締役", NULL, NULL},
                   {FK_ROLE_APPROVER, "中村 五郎", "B社 取締役", NULL, NULL},
                   {FK_ROLE_APPROVER, "小林 六郎", "D社 取締役", NULL, NULL},
                   {FK_ROLE_CONTACT_WINDOW, "広報部", "Bチケットサービス株式会社", "info@xxx.co.jp",
                    "03-xxxx-xxxx"},
                   {FK_ROLE_EXTERNAL_RESPONSE_OWNER, "広報部長", "Bチケットサービス株式会社", NULL,
                    NULL}},
        .events = {{0, "07:20", "外部の侵入者によってWebサイトの一部コンテンツが書き換えられる",
                    NULL},
                   {0, "08:30", "D社がB社に対して緊急対応を約束。セキュリティ専門家に支援を要請",
                    NULL},
                   {0, "11:55", "原因究明と復旧作業のため、Webサイトを一旦停止", NULL},
                   {0, "12:30",
                    "手順に従いトップページに説明とお詫びを掲載、緊急電話予約窓口へ誘導", NULL},
                   {0, "15:00",
                    "D社幹部、B社幹部、セキュリティ専門家から成る対応プロジェクトを発足", NULL},
                   {1, "10:00", "暫定のセキュリティ対策を施し、チケット販売を再開", NULL},
                   {3, "11:00", "セキュリティ専門家の助言を受け、抜本対策案を立案", NULL},
                   {3, "16:00", "サーバ停止期間のB社の被害額を算出", NULL}},
        .tasks =
            {{"5.df-1", DONE, "当日掲載", NULL},
             {"5.df-2", DONE, "緊急電話予約窓口 03-xxxx-xxxx", NULL},
             {"2.df-1", DONE, "D社幹部、B社幹部、専門家", NULL},
             {"2.1", DONE, NULL, NULL},
             {"2.9", DONE, "前日夜間のバックアップ", NULL},
             {"2.11", DONE, "電話予約で代替", NULL},
             {"3.4", DONE, "セキュリティ専門家の助言", NULL},
             {"3.14", DONE, NULL, NULL},
             {"2.df-2", DONE, "停止期間の販売機会損失を算出 (被害額と対策コストを比較)", NULL},
             {"2.6", DOING, "改善復旧 1ヶ月を提案中", NULL},
             {"2.15", DOING,
              "OS・Webサーバ最新化 (D社負担)、監視サービス導入 (B社負担)、運用者教育 (D社負担)",
              NULL}},
    },
    {
        .kind = FK_KIND_MALWARE_OUTBREAK,
        .cause = {FK_ORIGIN_OUTSIDE, "パッチ未適用のPCからのネットワーク経由の感染",
                  "パッチ適用の管理が全社のPC・サーバに行き届いていなかった"},
        .severity = FK_SEV_CRITICAL,
        .state = FK_STATE_MONITORING,
        .start_days_ago = 4,
        .hhmm = "08:45",
        .title = "【事例4】社内でのワーム蔓延",
        .description = "社内でワームが蔓延。全クライアント・サーバの感染確認と対策を実施。",
        .handover = {[FK_HO_SUBSTITUTE_NET] = "社外接続を停止。全クライアント・サーバを分離",
                     [FK_HO_MANUAL] = "FAXによる対策指示 (FAX 1台のため全組織への送信にまる一昼夜)",
                     [FK_HO_DAMAGE_SCOPE] = "感染PC・サーバ多数 (全社)",
                     [FK_HO_RESPONDERS] = "CISOをヘッドとする緊急対応プロジェクト"},
        .people = {{FK_ROLE_RECOVERY_OWNER, "伊藤 七海", "CISO", NULL, NULL},
                   {FK_ROLE_APPROVER, "伊藤 七海", "CISO", NULL, NULL},
                   {FK_ROLE_ROOT_CAUSE_OWNER, "情報セキュリティ室", NULL, NULL, NULL}},
        .events =
            {{0, "08:45", "感染が確認されたPC、サーバの即時隔離を指示", NULL},
             {0, "10:00", "CISOをヘッドとする緊急対応プロジェクトの発足", NULL},
             {0, "13:00", "社外接続停止、全クライアント・サーバの分離と再接続ルールの決定", NULL},
             {0, "18:00", "ワーム感染確認手順書を作成しFAXで配布開始 (FAX 1台のため翌日まで)",
              "FAX"},
             {1, "12:00", "最新パッチ、パターンファイルを収録したCD-ROMを作成・配布", NULL},
             {1, "17:00", "対策確認されたPC、サーバの再接続", NULL},
             {2, "18:00", "全クライアント、サーバの感染確認および対策実施を確認 (2日間)", NULL},
             {3, "09:00", "ほぼ通常状態へ復帰", NULL},
             {3, "15:00", "調査の結果、感染ノートPCの持ち込みが原因と判明", NULL},
             {3, "17:00",
              "全社のウィルス対策状況の報告により、パターンファイル未更新のPCが多数あることが判明",
              NULL}},
        .tasks = {{"1.1", DONE, NULL, NULL},
                  {"1.4", DONE, "全クライアント・サーバ", NULL},
                  {"1.mw-1", DONE, "2日間で全台確認", NULL},
                  {"1.mw-2", DONE, NULL, NULL},
                  {"1.7", DONE, NULL, NULL},
                  {"1.8", DONE, NULL, NULL},
                  {"1.10", DONE, NULL, NULL},
                  {"2.1", DONE, "CISO", NULL},
                  {"2.mw-1", DONE, "対策確認後に再接続", NULL},
                  {"2.mw-2", DONE, "CD-ROMで配布", NULL},
                  {"2.24", DONE, NULL, NULL},
                  {"2.26", DOING, "監視強化中", NULL},
                  {"3.10", DONE, "持ち込まれた感染ノートPC", NULL},
                  {"3.mw-1", DONE, "持ち込みノートPC", NULL},
                  {"3.mw-2", DONE, "パターンファイル未更新のPCが多数", NULL},
                  {"3.mw-3", DONE, NULL, NULL},
                  {"4.2", DOING,
                   "ノートPC対策強化、パッチ管理強化とパターンファイル自動更新の義務化、定期監査と"
                   "社員教育",
                   NULL},
                  {"4.mw-1", DOING, "FAX以外の一斉指示手段を検討中", NULL}},
    },
};

/* The instant of hh:mm on day (day 0 = the case's first day) in the ctx zone. */
static int64_t at(const struct fk_ctx *c, int start_days_ago, int day, const char *hhmm)
{
	int64_t today = fk_time_day_diff(0, c->now, c->tz); /* local days since the epoch */
	int64_t y;
	unsigned m, d;
	fk_civil_from_days(today - start_days_ago + day, &y, &m, &d);
	char buf[40];
	int64_t t = c->now;
	snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%s", (long long)y, m, d, hhmm);
	if (fk_time_parse(buf, c->tz, "demo", &t, NULL))
		abort(); /* the table above is well-formed */
	return t;
}

static enum fk_code load_case(struct fk_ctx *c, const struct fk_playbook *pb,
                              const struct demo_case *dc, struct fk_err *err)
{
	struct fk_incident inc = {0};
	inc.title = fk_xstrdup(dc->title);
	inc.description = fk_xstrdup(dc->description);
	inc.kind = dc->kind;
	inc.severity = dc->severity;
	inc.state = FK_STATE_EMERGENCY;
	inc.discovered_at = at(c, dc->start_days_ago, 0, dc->hhmm);
	inc.contained_at = FK_TIME_NONE;
	inc.pii_count = -1;
	char id[24];
	enum fk_code rc = fk_incident_create(c, &inc, pb, err);
	if (rc)
		goto out;
	snprintf(id, sizeof id, "%lld", (long long)inc.id);
	rc = fk_handover_change(c, id, dc->handover, err);
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(dc->people) && dc->people[i].name; i++) {
		const struct demo_person *dp = &dc->people[i];
		struct fk_person p = {0,
		                      dp->role,
		                      (char *)dp->name,
		                      (char *)dp->org,
		                      (char *)dp->email,
		                      (char *)dp->phone};
		rc = fk_role_assign(c, id, &p, err);
	}
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(dc->events) && dc->events[i].text; i++) {
		const struct demo_event *de = &dc->events[i];
		struct fk_timeline_entry e = {0};
		e.at = at(c, dc->start_days_ago, de->day, de->hhmm);
		e.text = fk_xstrdup(de->text);
		e.source = de->source ? fk_xstrdup(de->source) : NULL;
		e.mark = (int)i + 1 == dc->stop_event      ? FK_MARK_STOPPED
		         : (int)i + 1 == dc->restore_event ? FK_MARK_RESTORED
		                                           : FK_MARK_NONE;
		rc = fk_timeline_record(c, id, &e, err);
		fk_timeline_entry_release(&e);
	}
	if (!rc && dc->reporter.name) {
		const struct demo_reporter *dr = &dc->reporter;
		const struct demo_event *ev = &dc->events[dr->report_event - 1];
		struct fk_reporter r = {.channel = dr->channel};
		r.name = fk_xstrdup(dr->name);
		r.contact = fk_xstrdup(dr->contact);
		r.note = fk_xstrdup(ev->text);
		r.at = at(c, dc->start_days_ago, ev->day, ev->hhmm);
		rc = fk_reporter_add(c, id, &r, err);
		if (!rc && dr->answer_event) {
			const struct demo_event *ans = &dc->events[dr->answer_event - 1];
			struct fk_contact k = {.out = true, .channel = dr->channel};
			k.at = at(c, dc->start_days_ago, ans->day, ans->hhmm);
			k.summary = fk_xstrdup(ans->text);
			rc = fk_reporter_contact(c, id, "R1", &k, err);
			fk_contact_release(&k);
		}
		fk_reporter_release(&r);
	}
	if (!rc && dc->cause.route) {
		struct fk_cause cause = {.origin = dc->cause.origin};
		cause.route = (char *)(uintptr_t)dc->cause.route;
		cause.root_cause = (char *)(uintptr_t)dc->cause.root;
		rc = fk_cause_set(c, id, &cause, err);
	}
	if (!rc && dc->outage_revenue) {
		struct fk_damage d = {.currency = "JPY"};
		d.description = fk_xstrdup("サーバ停止期間のB社の被害額 (売上は例)");
		rc = fk_damage_outage(c, id, dc->outage_revenue, FK_TIME_NONE, FK_TIME_NONE, &d,
		                      err);
		fk_damage_release(&d);
	}
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(dc->damage) && dc->damage[i].description; i++) {
		const struct demo_damage *dd = &dc->damage[i];
		struct fk_damage d = {
		    .category = dd->category, .amount = dd->amount, .currency = "JPY"};
		d.description = fk_xstrdup(dd->description);
		char *list = dd->split ? fk_xstrdup(dd->split) : NULL, *save = NULL;
		for (char *p = list ? strtok_r(list, ",", &save) : NULL; p && !rc;
		     p = strtok_r(NULL, ",", &save))
			rc = fk_split_parse(p, "split", &d.split[d.nsplit++], err);
		free(list);
		if (!rc)
			rc = fk_damage_add(c, id, &d, err);
		fk_damage_release(&d);
	}
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(dc->tasks) && dc->tasks[i].item; i++) {
		const struct demo_task *dt = &dc->tasks[i];
		struct fk_task_patch p = FK_TASK_PATCH_INIT;
		struct fk_task out;
		struct fk_ctx as = *c;
		p.state = dt->state;
		p.note = dt->note;
		if (dt->as)
			as.actor = dt->as;
		rc = fk_task_change(&as, id, dt->item, &p, &out, err);
		if (!rc)
			fk_task_release(&out);
	}
	/* Walk the states the case has reached. */
	while (!rc && inc.state != dc->state) {
		struct fk_incident next;
		rc = fk_incident_transition(c, id, FK_UNSET, &next, err);
		if (!rc) {
			inc.state = next.state;
			fk_incident_release(&next);
		}
	}
out:
	fk_incident_release(&inc);
	return rc;
}

/* Case 4 at company scale: 200 PCs and 20 servers in five departments, the worm's sweep two
 * days in (most checked, a few damaged and rebuilt), and the pattern-file countermeasure
 * rolled out to every PC, spares included, half applied. Incident 4 is case 4. */
static enum fk_code load_sweep(struct fk_ctx *c, struct fk_err *err)
{
	static const char *const depts[] = {"営業部", "経理部", "開発部", "総務部", "工場"};
	struct fk_buf csv = FK_BUF_INIT;
	(void)fk_buf_adds(&csv, "name,ip,os,os_version,software,department,owner,role,spare,"
	                        "backup_of,tags\n");
	for (int i = 1; i <= 200; i++)
		(void)fk_buf_addf(&csv,
		                  "pc-%03d,10.1.%d.%d,Windows,XP SP1,antivirus 2003,%s,,client,"
		                  "false,,%s\n",
		                  i, i / 250, i % 250, depts[i % 5], i % 7 ? "office" : "laptop");
	for (int i = 1; i <= 20; i++)
		(void)fk_buf_addf(&csv,
		                  "srv-%02d,10.0.0.%d,Windows,2000 SP4,antivirus 2003,%s,,server,"
		                  "%s,%s,dc\n",
		                  i, i, depts[i % 5], i > 18 ? "true" : "false",
		                  i > 18 ? "srv-01" : "");
	FILE *f = fmemopen(csv.ptr, csv.len, "r");
	struct fk_import_report r;
	enum fk_code rc =
	    f ? fk_asset_import(c, f, "demo-inventory.csv", FK_IMPORT_CSV, &r, err) : FK_EIO;
	if (f) {
		fclose(f);
		fk_import_report_release(&r);
	}
	fk_buf_release(&csv);
	char *hit[] = {"pc-017", "pc-042"};
	char *crit[] = {"os_version", "software:antivirus@2003"};
	size_t added;
	int64_t n;
	if (!rc)
		rc = fk_incident_assets_add(c, "4", hit, 2, &added, err);
	if (!rc)
		rc = fk_sweep_start(c, "4", crit, 2, &n, err);
	for (int i = 1; !rc && i <= 200; i++) {
		char name[16];
		snprintf(name, sizeof name, "pc-%03d", i);
		if (i == 17 || i == 42 || i == 133) {
			static const int path[] = {FK_SW_DAMAGED, FK_SW_ISOLATED, FK_SW_REBUILT};
			for (size_t k = 0; !rc && k < FK_ARRAY_LEN(path); k++)
				rc = fk_sweep_set(c, "4", name, path[k],
				                  k ? NULL : "ワーム感染を確認", err);
		} else if (i % 9) { /* the rest of every ninth PC is still to be checked */
			rc = fk_sweep_set(c, "4", name, FK_SW_CLEAN, NULL, err);
		}
	}
	struct fk_measure m = {.kind = FK_MK_TECHNICAL, .cost = 3000000, .due_at = FK_TIME_NONE};
	m.title = fk_xstrdup("パターンファイル自動更新の義務化");
	if (!rc)
		rc = fk_measure_add(c, "4", &m, err);
	fk_measure_release(&m);
	struct fk_ctx ciso = *c;
	ciso.actor = "伊藤 七海";
	if (!rc)
		rc = fk_measure_approve(&ciso, "4", "M1", err);
	if (!rc)
		rc = fk_measure_rollout(
		    c, "4", "M1", FK_SCOPE_AFFECTED | FK_SCOPE_SIMILAR | FK_SCOPE_SPARES, &n, err);
	for (int i = 1; !rc && i <= 200; i += 2) {
		char name[16];
		snprintf(name, sizeof name, "pc-%03d", i);
		rc = fk_measure_set(c, "4", "M1", name, FK_RO_APPLIED, NULL, NULL, err);
	}
	return rc;
}

enum fk_code fk_demo_load(struct fk_ctx *c, const struct fk_playbook *pb, size_t *created,
                          struct fk_err *err)
{
	struct fk_incident *incs;
	size_t n;
	*created = 0;
	enum fk_code rc = fk_store_incident_list(c->st, true, &incs, &n, err);
	if (rc)
		return rc;
	FK_FREE_ARRAY(incs, n, fk_incident_release);
	if (n)
		return FK_ERR(err, FK_EREFUSED, "--db",
		              "the database already holds %zu incidents: the demo needs a new one",
		              "データベースには既に %zu 件のインシデントがあります: デモには新しい"
		              "データベースが必要です",
		              n);
	for (size_t i = 0; !rc && i < FK_ARRAY_LEN(cases); i++) {
		rc = load_case(c, pb, &cases[i], err);
		*created += !rc;
	}
	if (!rc) { /* whom the demo's documents are signed by */
		const char *org[FK_ORG_FIELD_COUNT] = {
		    [FK_ORG_NAME] = "復旧デモ株式会社",
		    [FK_ORG_NAME_EN] = "Fukkyu Demo Co., Ltd.",
		    [FK_ORG_REPRESENTATIVE] = "山本 健一",
		    [FK_ORG_REPRESENTATIVE_EN] = "Kenichi Yamamoto",
		    [FK_ORG_TITLE] = "代表取締役社長",
		    [FK_ORG_TITLE_EN] = "President and CEO",
		    [FK_ORG_DESK] = "情報セキュリティ室",
		    [FK_ORG_DESK_EN] = "Information Security Office",
		    [FK_ORG_PHONE] = "03-0000-0000",
		    [FK_ORG_EMAIL] = "security@demo.example",
		    [FK_ORG_WEBSITE] = "https://www.demo.example/",
		};
		rc = fk_org_set(c, org, err);
	}
	return rc ? rc : load_sweep(c, err);
}
