/*
 * cmd_people.c - fukkyu affected (the register of people and companies harmed) and fukkyu
 * comms (every statement to the outside: drafted, approved, sent).
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/people.h"
#include "fukkyu/sweep.h"
#include "util/utf8.h"

static json_t *opt_int(int64_t v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

enum fk_code cli_affected_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_affected *a;
	size_t n;
	enum fk_code rc = fk_store_affected(c->st, inc->id, &a, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	int64_t persons = 0, companies = 0, sensitive = 0, notified = 0, pending = 0, offered = 0,
	        paid = 0, complaints = 0;
	for (size_t i = 0; i < n; i++) {
		char code[16];
		snprintf(code, sizeof code, "A%d", a[i].no);
		persons += a[i].kind == FK_AK_PERSON;
		companies += a[i].kind == FK_AK_COMPANY;
		sensitive += a[i].sensitive;
		notified += a[i].notice == FK_NOTICE_SENT;
		pending += a[i].notice == FK_NOTICE_PENDING;
		offered += a[i].offered > 0 ? a[i].offered : 0;
		paid += a[i].paid > 0 ? a[i].paid : 0;
		complaints += a[i].complaints;
		json_t *o = json_pack(
		    "{s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:s}", "id", code, "kind",
		    fk_affected_kinds[a[i].kind].key, "name", a[i].name, "contact",
		    cli_json_str(a[i].contact), "data", cli_json_str(a[i].data), "sensitive",
		    a[i].sensitive, "damage", cli_json_str(a[i].damage), "damage_amount",
		    opt_int(a[i].damage_amount), "contract", cli_json_str(a[i].contract), "notice",
		    fk_notices[a[i].notice].key);
		json_object_set_new(o, "notice_channel", cli_json_str(a[i].notice_channel));
		json_object_set_new(o, "notice_at", cli_json_time(c, a[i].notice_at));
		json_object_set_new(o, "offered", opt_int(a[i].offered));
		json_object_set_new(o, "paid", opt_int(a[i].paid));
		json_object_set_new(o, "complaints", json_integer(a[i].complaints));
		json_object_set_new(o, "replies", json_integer(a[i].replies));
		json_array_append_new(arr, o);
	}
	FK_FREE_ARRAY(a, n, fk_affected_release);
	*out = json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o}", "incident",
	                 inc->ref, "summary", "persons", (json_int_t)persons, "companies",
	                 (json_int_t)companies, "sensitive", (json_int_t)sensitive, "notified",
	                 (json_int_t)notified, "pending", (json_int_t)pending, "offered",
	                 (json_int_t)offered, "paid", (json_int_t)paid, "complaints",
	                 (json_int_t)complaints, "affected", arr);
	return FK_OK;
}

static enum fk_code affected_import(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, NULL, 0, "affected import ID FILE.csv", 2, 2,
	                            pos, &npos, &help);
	if (rc || help)
		return rc;
	FILE *f = cli_open_input(c, pos[1]);
	if (!f)
		return FK_EIO;
	struct fk_import_report r = {0};
	rc = fk_affected_import(&c->ctx, pos[0], f, pos[1], &r, &c->err);
	if (f != stdin)
		fclose(f);
	if (r.n_errors)
		cli_print_report(c, &r);
	if (!rc) {
		if (c->json)
			cli_json_out(json_pack("{s:s, s:I}", "incident", pos[0], "imported",
			                       (json_int_t)r.inserted));
		else
			printf(TR(c->lang, "%s: %lld affected users imported\n",
			          "%s: 被害者 %lld 件を取り込みました\n"),
			       pos[0], (long long)r.inserted);
	}
	fk_import_report_release(&r);
	return rc;
}

static enum fk_code affected_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "affected list ID", 1, 1, pos, &npos, &help);
	return rc || help ? rc : cli_show_doc(c, pos[0], cli_affected_doc);
}

static enum fk_code affected_set(struct cli *c, int argc, char **argv)
{
	struct fk_affected_patch p = {FK_UNSET, NULL, FK_TIME_NONE, -1, -1};
	const struct opt opts[] = {
	    {"notice", NULL, OPT_ENUM, &p.notice, fk_notices, FK_NOTICE_COUNT,
	     "pending, sent, unreachable or not-required", "通知の状況"},
	    {"channel", "TEXT", OPT_STR, &p.channel, NULL, 0, "how they were notified",
	     "通知の手段"},
	    {"at", NULL, OPT_TIME, &p.notice_at, NULL, 0, "when they were notified", "通知日時"},
	    {"offered", "N", OPT_INT, &p.offered, NULL, 0, "compensation offered",
	     "提示した補償額"},
	    {"paid", "N", OPT_INT, &p.paid, NULL, 0, "compensation paid", "支払った補償額"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "affected set ID A1 [--notice S] [--offered N] [--paid N]", 2,
	                            2, pos, &npos, &help);
	if (rc || help || (rc = fk_affected_set(&c->ctx, pos[0], pos[1], &p, &c->err)))
		return rc;
	return cli_show_doc(c, pos[0], cli_affected_doc);
}

static enum fk_code affected_contact(struct cli *c, int argc, char **argv)
{
	const char *complaint = NULL, *reply = NULL;
	int64_t at = FK_TIME_NONE;
	const struct opt opts[] = {
	    {"complaint", "TEXT", OPT_STR, &complaint, NULL, 0, "what they complained of",
	     "苦情の内容"},
	    {"reply", "TEXT", OPT_STR, &reply, NULL, 0, "our reply", "回答の内容"},
	    {"at", NULL, OPT_TIME, &at, NULL, 0, "when (default: now)", "日時 (既定: 現在)"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "affected contact ID A1 --complaint TEXT | --reply TEXT", 2, 2,
	                            pos, &npos, &help);
	if (rc || help)
		return rc;
	if (!complaint == !reply)
		return FK_ERR0(&c->err, FK_EUSAGE, "--complaint",
		               "give one of --complaint or --reply",
		               "--complaint か --reply のどちらか一方を指定してください");
	if ((rc = fk_affected_contact(&c->ctx, pos[0], pos[1], complaint != NULL,
	                              complaint ? complaint : reply, at, &c->err)))
		return rc;
	return cli_show_doc(c, pos[0], cli_affected_doc);
}

enum fk_code cmd_affected(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"import", affected_import, "import people or companies harmed (CSV, all or nothing)",
	     "被害者 (個人・法人) の取り込み (CSV、全件か無し)"},
	    {"list", affected_list, "the register with its summary", "被害者の一覧と集計"},
	    {"set", affected_set, "notice and compensation of one", "通知と補償の記録"},
	    {"contact", affected_contact, "a complaint from them or our reply", "苦情と回答の記録"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}

/* ---- comms ----------------------------------------------------------------------------- */

enum fk_code cli_comms_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_comm *m;
	size_t n;
	enum fk_code rc = fk_store_comms(c->st, inc->id, &m, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; !rc && i < n; i++) {
		char code[16], *text = NULL, *sha = NULL;
		snprintf(code, sizeof code, "C%d", m[i].no);
		rc = fk_store_comm_text(c->st, m[i].id, m[i].version, &text, &sha, &c->err);
		json_t *o =
		    json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "id", code, "audience",
		              fk_audiences[m[i].audience].key, "title", m[i].title, "state",
		              fk_comm_states[m[i].state].key, "version", (json_int_t)m[i].version,
		              "text", cli_json_str(text), "sha256", cli_json_str(sha));
		json_object_set_new(o, "approved_version", opt_int(m[i].approved_version));
		json_object_set_new(o, "approved_by", cli_json_str(m[i].approved_by));
		json_object_set_new(o, "approved_at", cli_json_time(c, m[i].approved_at));
		json_object_set_new(o, "sent_at", cli_json_time(c, m[i].sent_at));
		json_object_set_new(o, "sent_by", cli_json_str(m[i].sent_by));
		json_object_set_new(o, "channel", cli_json_str(m[i].channel));
		json_array_append_new(arr, o);
		free(text);
		free(sha);
	}
	FK_FREE_ARRAY(m, n, fk_comm_release);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "incident", inc->ref, "communications", arr);
	return FK_OK;
}

static enum fk_code comms_add(struct cli *c, int argc, char **argv)
{
	struct fk_comm m = {.audience = FK_UNSET};
	const char *title = NULL, *file = NULL;
	const struct opt opts[] = {
	    {"audience", NULL, OPT_ENUM, &m.audience, fk_audiences, FK_AUD_COUNT, "who it is for",
	     "宛先"},
	    {"title", "TEXT", OPT_STR, &title, NULL, 0, "what it is", "件名"},
	    {"file", "PATH", OPT_STR, &file, NULL, 0, "the text (- reads stdin)",
	     "本文 (- で標準入力)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "comms add ID --audience A --title TEXT --file PATH", 1, 1, pos,
	                            &npos, &help);
	if (rc || help)
		return rc;
	char *text = NULL;
	if (file && (rc = cli_read_text(c, file, "--file", &text)))
		return rc;
	m.title = title ? fk_xstrdup(title) : NULL;
	rc = fk_comm_add(&c->ctx, pos[0], &m, text, &c->err);
	free(text);
	fk_comm_release(&m);
	return rc ? rc : cli_show_doc(c, pos[0], cli_comms_doc);
}

static enum fk_code comms_edit(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	const struct opt opts[] = {
	    {"file", "PATH", OPT_STR, &file, NULL, 0, "the new text (- reads stdin)",
	     "新しい本文 (- で標準入力)"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "comms edit ID C1 --file PATH", 2, 2,
	                            pos, &npos, &help);
	if (rc || help)
		return rc;
	char *text = NULL;
	if (file && (rc = cli_read_text(c, file, "--file", &text)))
		return rc;
	rc = fk_comm_edit(&c->ctx, pos[0], pos[1], text, &c->err);
	free(text);
	return rc ? rc : cli_show_doc(c, pos[0], cli_comms_doc);
}

static enum fk_code comms_approve(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, NULL, 0, "comms approve ID C1 (as an approver)",
	                            2, 2, pos, &npos, &help);
	if (rc || help || (rc = fk_comm_approve(&c->ctx, pos[0], pos[1], &c->err)))
		return rc;
	return cli_show_doc(c, pos[0], cli_comms_doc);
}

static enum fk_code comms_send(struct cli *c, int argc, char **argv)
{
	const char *channel = NULL;
	int64_t at = FK_TIME_NONE;
	const struct opt opts[] = {
	    {"channel", "TEXT", OPT_STR, &channel, NULL, 0, "how it was sent or published",
	     "送付・公表の手段"},
	    {"at", NULL, OPT_TIME, &at, NULL, 0, "when (default: now)", "日時 (既定: 現在)"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "comms send ID C1 --channel TEXT [--at T]", 2, 2, pos, &npos, &help);
	if (rc || help || (rc = fk_comm_send(&c->ctx, pos[0], pos[1], channel, at, &c->err)))
		return rc;
	return cli_show_doc(c, pos[0], cli_comms_doc);
}

static enum fk_code comms_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "comms list ID", 1, 1, pos, &npos, &help);
	return rc || help ? rc : cli_show_doc(c, pos[0], cli_comms_doc);
}

enum fk_code cmd_comms(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", comms_add, "draft a statement (users, media, regulators, police, CERTs ...)",
	     "文書の下書き (利用者、報道、監督官庁、警察、CERT など)"},
	    {"edit", comms_edit, "a new version (an approved one needs approving again)",
	     "新しい版 (承認済みなら再承認が必要)"},
	    {"approve", comms_approve, "approve the current version (approvers)",
	     "現在の版を承認 (承認者)"},
	    {"send", comms_send, "record that the approved version was sent",
	     "承認済みの版の送付・公表を記録"},
	    {"list", comms_list, "every statement with its state and current text",
	     "文書の一覧 (状態と現在の本文)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
