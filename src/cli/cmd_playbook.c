/*
 * cmd_playbook.c - fukkyu playbook check|show: validate an organisation's playbook file,
 * or show the items (the standard one when no file is given).
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "util/utf8.h"

static enum fk_code load(struct cli *c, int npos, char **pos, struct fk_playbook *pb)
{
	return npos ? fk_playbook_load_file(pos[0], pb, &c->err)
	            : fk_playbook_load_default(pb, &c->err);
}

static enum fk_code playbook_check(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_playbook pb;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "playbook check [FILE]", 0, 1, pos, &npos, &help);
	if (rc || help || (rc = load(c, npos, pos, &pb)))
		return rc;
	size_t items = 0;
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++)
		for (size_t g = 0; g < pb.phases[p].n_groups; g++)
			items += pb.phases[p].groups[g].n_items;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:i, s:I}", "playbook", pb.name, "version",
		                       pb.version, "items", (json_int_t)items));
	else
		printf(TR(c->lang, "%s: playbook '%s' is valid: 6 phases, %zu items\n",
		          "%s: プレイブック '%s' は正しい形式です: 6 フェーズ、%zu 項目\n"),
		       npos ? pos[0] : FK_PLAYBOOK_DEFAULT, pb.name, items);
	fk_playbook_release(&pb);
	return FK_OK;
}

static enum fk_code playbook_show(struct cli *c, int argc, char **argv)
{
	int kind = FK_UNSET;
	const struct opt opts[] = {
	    {"kind", NULL, OPT_ENUM, &kind, fk_kinds, FK_KIND_COUNT,
	     "only the items an incident of this kind gets",
	     "この種別のインシデントに適用される項目のみ"},
	};
	char *pos[1];
	int npos;
	bool help;
	struct fk_playbook pb;
	enum fk_code rc = cli_parse(c, argc, argv, opts, 1, "playbook show [FILE] [--kind KIND]", 0,
	                            1, pos, &npos, &help);
	if (rc || help || (rc = load(c, npos, pos, &pb)))
		return rc;
	json_t *phases = json_array();
	if (!c->json)
		printf("%s (%s)\n", cli_pick(c, pb.title_ja, pb.title_en), pb.name);
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		const struct fk_pb_phase *ph = &pb.phases[p];
		json_t *items = json_array();
		if (!c->json)
			printf("\n%d %s\n", ph->no, cli_pick(c, ph->title_ja, ph->title_en));
		for (size_t g = 0; g < ph->n_groups; g++) {
			const struct fk_pb_group *gr = &ph->groups[g];
			bool header = false;
			for (size_t i = 0; i < gr->n_items; i++) {
				const struct fk_pb_item *it = &gr->items[i];
				if (kind != FK_UNSET && it->kinds && !(it->kinds & (1u << kind)))
					continue;
				if (c->json) {
					json_array_append_new(
					    items,
					    json_pack("{s:s, s:s, s:o}", "id", it->id, "group",
					              gr->key, "title",
					              cli_json_i18n(it->title_ja, it->title_en)));
					continue;
				}
				if (!header)
					printf("  %s\n", cli_pick(c, gr->title_ja, gr->title_en));
				header = true;
				printf("    %-8s %s%s\n", it->id,
				       cli_pick(c, it->title_ja, it->title_en),
				       it->kinds ? TR(c->lang, "  (kind-specific)", "  (種別固有)")
				                 : "");
			}
		}
		json_array_append_new(
		    phases, json_pack("{s:i, s:s, s:o, s:o}", "no", ph->no, "key", ph->key, "title",
		                      cli_json_i18n(ph->title_ja, ph->title_en), "items", items));
	}
	if (c->json)
		cli_json_out(json_pack("{s:s, s:o}", "playbook", pb.name, "phases", phases));
	else
		json_decref(phases);
	fk_playbook_release(&pb);
	return FK_OK;
}

enum fk_code cmd_playbook(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"check", playbook_check, "validate a playbook file", "プレイブックファイルを検査"},
	    {"show", playbook_show, "list a playbook's items", "プレイブックの項目を表示"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
