/*
 * cmd_member.c - fukkyu member add|remove|restrict: need-to-know. Interviews and evidence
 * are sensitive (the source document warns about the rights of the people interviewed): an
 * incident can be restricted to its members, and is then invisible to other users of the
 * server (administrators excepted).
 */
#include "fukkyu/common.h"
#include "cli.h"

static enum fk_code member_change(struct cli *c, int argc, char **argv, bool add)
{
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, add ? "member add ID USER" : "member remove ID USER",
	              2, 2, pos, &npos, &help);
	if (rc || help || (rc = fk_incident_member(&c->ctx, pos[0], pos[1], add, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:b}", "incident", pos[0], "user", pos[1],
		                       "member", add));
	else
		printf(
		    add ? TR(c->lang, "%s is a member of %s\n", "%s を %s のメンバーにしました\n")
		        : TR(c->lang, "%s is no longer a member of %s\n",
		             "%s を %s のメンバーから外しました\n"),
		    pos[1], pos[0]);
	return FK_OK;
}

static enum fk_code member_add(struct cli *c, int argc, char **argv)
{
	return member_change(c, argc, argv, true);
}

static enum fk_code member_remove(struct cli *c, int argc, char **argv)
{
	return member_change(c, argc, argv, false);
}

static enum fk_code member_restrict(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "member restrict ID yes|no", 2, 2, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (strcmp(pos[1], "yes") && strcmp(pos[1], "no"))
		return FK_ERR(&c->err, FK_EUSAGE, "restricted", "'%s': expected yes or no",
		              "'%s': yes か no を指定してください", pos[1]);
	bool on = !strcmp(pos[1], "yes");
	if ((rc = fk_incident_restrict(&c->ctx, pos[0], on, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:b}", "incident", pos[0], "restricted", on));
	else
		printf(on ? TR(c->lang, "%s is visible to its members only\n",
		               "%s はメンバーのみ閲覧できます\n")
		          : TR(c->lang, "%s is visible to every user\n",
		               "%s は全ユーザが閲覧できます\n"),
		       pos[0]);
	return FK_OK;
}

enum fk_code cmd_member(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"add", member_add, "make a user a member of an incident",
	     "ユーザをインシデントのメンバーにする"},
	    {"remove", member_remove, "remove a member", "メンバーから外す"},
	    {"restrict", member_restrict,
	     "show the incident to its members only (yes) or to all (no)",
	     "インシデントをメンバーのみに見せる (yes) / 全員に見せる (no)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
