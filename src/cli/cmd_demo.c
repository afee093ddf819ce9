/*
 * cmd_demo.c - fukkyu demo: a new database with the source document's four case studies.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/demo.h"

enum fk_code cmd_demo(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos, from, to;
	bool help;
	size_t n;
	struct fk_playbook pb;
	enum fk_code rc = cli_parse(c, argc, argv, NULL, 0, "demo", 0, 0, pos, &npos, &help);
	if (rc || help)
		return rc;
	if ((rc = cli_store(c, true)) || (rc = fk_store_migrate(c->st, &from, &to, &c->err)) ||
	    (rc = fk_playbook_load_default(&pb, &c->err)))
		return rc;
	rc = fk_demo_load(&c->ctx, &pb, &n, &c->err);
	fk_playbook_release(&pb);
	if (rc)
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:I}", "db", c->db, "incidents", (json_int_t)n));
	else
		printf(TR(c->lang, "%s: %zu case studies loaded as incidents\n",
		          "%s: 事例 %zu 件をインシデントとして登録しました\n"),
		       c->db, n);
	return FK_OK;
}
