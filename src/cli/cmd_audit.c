/*
 * cmd_audit.c - fukkyu audit verify|log: the hash-chained audit trail of every change, for
 * auditors who must trust that what they read was not rewritten afterwards.
 */
#include "fukkyu/common.h"
#include "cli.h"

static enum fk_code audit_verify(struct cli *c, int argc, char **argv)
{
	bool help;
	int npos;
	const char *head = NULL;
	const struct opt opts[] = {
	    {"head", "HASH", OPT_STR, &head, NULL, 0,
	     "a head printed by an earlier verify: it must still be in the chain (nothing cut off "
	     "the end since)",
	     "以前の verify が表示した先頭ハッシュ: 連鎖に残っていること (末尾の削除がないこと)"},
	};
	struct fk_audit_check a;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "audit verify [--head HASH]", 0, 0, NULL, &npos, &help);
	if (rc || help || (rc = fk_store_audit_verify(c->st, head, &a, &c->err)))
		return rc;
	static const char *const key[] = {"ok", "altered", "broken", "gap", "unsealed"};
	/* "entry N" then what is wrong with it */
	static const char *const en[] = {
	    "", "was altered after it was written",
	    ("does not follow the entry before it: an entry was deleted, or this one was inserted "
	     "or moved"),
	    "comes after missing entries (the numbers skip)", "has no seal"};
	static const char *const ja[] = {
	    "", "は書き込み後に改変されています",
	    "が直前の記録に連鎖していません: 記録が削除されたか、この記録が挿入・移動されました",
	    "の前の記録が欠けています (番号が飛んでいます)", "に封印がありません"};
	if (c->json) {
		cli_json_out(json_pack("{s:b, s:I, s:I, s:s, s:o, s:s}", "ok", !a.bad_id, "entries",
		                       (json_int_t)a.total, "verified", (json_int_t)a.entries,
		                       "problem", key[a.problem], "first_bad",
		                       a.bad_id ? json_integer(a.bad_id) : json_null(), "head",
		                       a.head));
	} else if (!a.bad_id) {
		printf(TR(c->lang, "audit trail intact: %lld entries, head %s\n",
		          "監査記録は改ざんされていません: %lld 件、先頭ハッシュ %s\n"),
		       (long long)a.total, a.head);
	}
	if (!a.bad_id && head && !a.head_found)
		return FK_ERR(
		    &c->err, FK_ETAMPERED, "--head",
		    "the audit trail was tampered with: the head %.16s... is no longer in "
		    "the chain (entries were removed from its end)",
		    "監査記録が改ざんされています: 先頭ハッシュ %.16s... が連鎖にありません "
		    "(末尾の記録が削除されました)",
		    head);
	if (!a.bad_id)
		return FK_OK;
	/* %.0s: each language's text takes its own phrase and skips the other's */
	return FK_ERR(
	    &c->err, FK_ETAMPERED, "audit",
	    "the audit trail was tampered with: entry %lld %s%.0s (%lld of %lld entries "
	    "verified before it)",
	    "監査記録が改ざんされています: 記録 %lld %.0s%s (その前の %lld / %lld 件は検証済み)",
	    (long long)a.bad_id, en[a.problem], ja[a.problem], (long long)a.entries,
	    (long long)a.total);
}

json_t *cli_audit_entry_json(struct cli *c, const struct fk_change *ch)
{
	json_t *o = cli_change_json(c, ch);
	json_object_set_new(o, "incident", ch->incident ? json_integer(ch->incident) : json_null());
	json_object_set_new(o, "hash", json_string(ch->hash ? ch->hash : ""));
	return o;
}

static enum fk_code audit_log(struct cli *c, int argc, char **argv)
{
	bool help;
	int npos;
	int64_t from = 1;
	const struct opt opts[] = {
	    {"from", "N", OPT_INT, &from, NULL, 0, "from this entry on", "この記録番号から"},
	};
	struct fk_change *ch;
	size_t n;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts), "audit log [--from N]",
	                            0, 0, NULL, &npos, &help);
	if (rc || help || (rc = fk_store_audit_log(c->st, from, &ch, &n, &c->err)))
		return rc;
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		char t[40];
		if (c->json) {
			json_array_append_new(arr, cli_audit_entry_json(c, &ch[i]));
			continue;
		}
		cli_time(c, ch[i].at, t);
		printf("%6lld %s %-10s %-16s %s%s%s.%s: %s -> %s  [%.12s]\n", (long long)ch[i].id,
		       t, ch[i].actor, ch[i].origin, ch[i].entity, ch[i].entity_key ? " " : "",
		       ch[i].entity_key ? ch[i].entity_key : "", ch[i].field,
		       ch[i].old_value ? ch[i].old_value : "-",
		       ch[i].new_value ? ch[i].new_value : "-", ch[i].hash ? ch[i].hash : "");
	}
	if (c->json)
		cli_json_out(json_pack("{s:o}", "entries", arr));
	FK_FREE_ARRAY(ch, n, fk_change_release);
	return FK_OK;
}

enum fk_code cmd_audit(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"verify", audit_verify, "check the hash chain of every change",
	     "全変更記録のハッシュ連鎖を検証する"},
	    {"log", audit_log, "the audit trail, oldest first", "監査記録 (古い順)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
