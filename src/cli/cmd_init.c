/*
 * cmd_init.c - fukkyu init: create the database or upgrade its schema.
 */
#include "fukkyu/common.h"
#include "cli.h"

enum fk_code cmd_init(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos, from, to;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, NULL, 0, "init", 0, 0, pos, &npos, &help);
	if (rc || help)
		return rc;
	if ((rc = cli_store(c, true)) || (rc = fk_store_migrate(c->st, &from, &to, &c->err)))
		return rc;
	if (c->json) {
		cli_json_out(json_pack("{s:s, s:i, s:i}", "db", c->db, "from", from, "to", to));
	} else if (from == to) {
		printf(TR(c->lang, "%s is up to date (schema %d)\n",
		          "%s は最新です (スキーマ版 %d)\n"),
		       c->db, to);
	} else if (from == 0) {
		printf(
		    TR(c->lang, "created %s (schema %d)\n", "%s を作成しました (スキーマ版 %d)\n"),
		    c->db, to);
	} else {
		printf(TR(c->lang, "upgraded %s from schema %d to %d\n",
		          "%s をスキーマ版 %d から %d に更新しました\n"),
		       c->db, from, to);
	}
	return FK_OK;
}
