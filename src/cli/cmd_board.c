/*
 * cmd_board.c - fukkyu board: every open incident with its state, per-phase progress,
 * overdue items, the next due date and the recovery owner.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "util/utf8.h"

json_t *cli_board_row_json(struct cli *c, const struct fk_board_row *r)
{
	int done = 0, total = 0;
	json_t *ph = json_array();
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		done += r->finished[p];
		total += r->total[p];
		json_array_append_new(ph, json_pack("{s:i, s:i, s:i}", "no", p + 1, "done",
		                                    r->finished[p], "total", r->total[p]));
	}
	json_t *o = cli_incident_json(c, &r->inc);
	json_object_set_new(o, "owner", cli_json_str(r->owner));
	json_object_set_new(o, "progress", json_pack("{s:i, s:i}", "done", done, "total", total));
	json_object_set_new(o, "phases", ph);
	json_object_set_new(o, "overdue", json_integer(r->overdue));
	json_object_set_new(o, "next_due", cli_json_time(c, r->next_due));
	json_object_set_new(
	    o, "sweep",
	    json_pack("{s:I, s:I, s:f}", "total", (json_int_t)r->sweep_total, "checked",
	              (json_int_t)r->sweep_checked, "coverage",
	              r->sweep_total ? (double)r->sweep_checked / (double)r->sweep_total : 0.0));
	json_object_set_new(o, "rollout",
	                    json_pack("{s:I, s:I}", "total", (json_int_t)r->rollout_total, "done",
	                              (json_int_t)r->rollout_done));
	json_object_set_new(o, "damage_jpy", json_integer(r->damage_jpy));
	json_object_set_new(o, "affected",
	                    json_pack("{s:I, s:I}", "total", (json_int_t)r->affected,
	                              "not_notified", (json_int_t)r->not_notified));
	json_object_set_new(o, "clocks",
	                    json_pack("{s:i, s:o, s:o}", "overdue", r->clocks_overdue, "next_due",
	                              cli_json_time(c, r->clock_due), "next_key",
	                              cli_json_str(r->clock_key[0] ? r->clock_key : NULL)));
	return o;
}

enum fk_code cmd_board(struct cli *c, int argc, char **argv)
{
	bool all = false;
	const struct opt opts[] = {
	    {"all", NULL, OPT_FLAG, &all, NULL, 0, "include closed incidents",
	     "完了したインシデントも含める"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_board b;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, 1, "board [--all]", 0, 0, pos, &npos, &help);
	if (rc || help || (rc = fk_board_build(&c->ctx, all, &b, &c->err)))
		return rc;
	if (c->json) {
		cli_jarr_begin(json_pack("{s:o}", "now", cli_json_time(c, c->ctx.now)),
		               "incidents");
		for (size_t i = 0; i < b.n; i++) {
			json_t *o = cli_board_row_json(c, &b.rows[i]);
			cli_jarr_item(o);
		}
		cli_jarr_end();
		fk_board_release(&b);
		return FK_OK;
	}
	char now[40];
	cli_time(c, c->ctx.now, now);
	printf("%s — %s (%s)\n\n", TR(c->lang, "fukkyu board", "fukkyu ボード"), now, c->tz);
	if (!b.n)
		printf("%s\n",
		       TR(c->lang, "no open incidents", "対応中のインシデントはありません"));
	else {
		fk_utf8_fput(stdout, TR(c->lang, "REF", "参照番号"), 14);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "STATE", "状態"), 10);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "SEV", "重大度"), 8);
		for (int p = 0; p < FK_PLAYBOOK_PHASES; p++)
			printf(" P%d    ", p + 1);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "ALL", "全体"), 5);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "OVERDUE", "期限超過"), 8);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "NEXT DUE", "次の期限"), 16);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "SWEEP", "全社調査"), 8);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "ROLLOUT", "対策展開"), 13);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "CLOCKS LATE", "法定等の期限超過"), 16);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "NEXT CLOCK", "次の法定等の期限"), 38);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "DAMAGE (JPY)", "被害・費用 (円)"), 16);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "AFFECTED", "被害者 (未通知)"), 16);
		printf(" ");
		fk_utf8_fput(stdout, TR(c->lang, "OWNER", "責任者"), 12);
		printf(" %s\n", TR(c->lang, "TITLE", "件名"));
	}
	for (size_t i = 0; i < b.n; i++) {
		const struct fk_board_row *r = &b.rows[i];
		int done = 0, total = 0;
		char cell[16], due[40];
		printf("%-14s ", r->inc.ref);
		fk_utf8_fput(stdout,
		             c->lang == FK_LANG_JA ? fk_states[r->inc.state].ja
		                                   : fk_states[r->inc.state].key,
		             10);
		printf(" ");
		fk_utf8_fput(stdout,
		             fk_enum_label(fk_severities, FK_SEV_COUNT, r->inc.severity, c->lang),
		             8);
		for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
			done += r->finished[p];
			total += r->total[p];
			snprintf(cell, sizeof cell, "%d/%d", r->finished[p], r->total[p]);
			printf(" %-6s", cell);
		}
		snprintf(cell, sizeof cell, "%d%%", total ? done * 100 / total : 0);
		printf(" %-5s %-8d ", cell, r->overdue);
		cli_time(c, r->next_due, due);
		fk_utf8_fput(stdout, due, 16);
		char sweep[24] = "-", rollout[40] = "-";
		if (r->sweep_total)
			snprintf(sweep, sizeof sweep, "%lld%%",
			         (long long)(r->sweep_checked * 100 / r->sweep_total));
		if (r->rollout_total)
			snprintf(rollout, sizeof rollout, "%lld/%lld", (long long)r->rollout_done,
			         (long long)r->rollout_total);
		printf(" %-8s %-13s ", sweep, rollout);
		char clock[96] = "-", when[40];
		if (r->clock_key[0]) {
			cli_time(c, r->clock_due, when);
			snprintf(clock, sizeof clock, "%s %s", when, r->clock_key);
		}
		printf("%-16d ", r->clocks_overdue);
		fk_utf8_fput(stdout, clock, 38);
		char aff[48] = "-";
		if (r->affected)
			snprintf(aff, sizeof aff, "%lld (%lld)", (long long)r->affected,
			         (long long)r->not_notified);
		printf(" %-16lld %-16s ", (long long)r->damage_jpy, aff);
		fk_utf8_fput(stdout, r->owner ? r->owner : "-", 12);
		printf(" %s\n", r->inc.title);
	}
	fk_board_release(&b);
	return FK_OK;
}
