/*
 * cmd_role.c - fukkyu role set|list|unset: who is responsible for what.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "util/utf8.h"

json_t *cli_person_json(const struct fk_person *p)
{
	return json_pack("{s:s, s:o, s:s, s:o, s:o, s:o}", "role", fk_roles[p->role].key, "label",
	                 cli_json_i18n(fk_roles[p->role].ja, fk_roles[p->role].en), "name", p->name,
	                 "org", cli_json_str(p->org), "email", cli_json_str(p->email), "phone",
	                 cli_json_str(p->phone));
}

enum fk_code cli_roles_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	struct fk_person *p;
	size_t n;
	enum fk_code rc = fk_store_roles_get(c->st, inc->id, &p, &n, &c->err);
	if (rc)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, cli_person_json(&p[i]));
	*out = json_pack("{s:s, s:o}", "incident", inc->ref, "roles", arr);
	FK_FREE_ARRAY(p, n, fk_person_release);
	return FK_OK;
}

static enum fk_code role_set(struct cli *c, int argc, char **argv)
{
	struct fk_person p = {0};
	const struct opt opts[] = {
	    {"org", "TEXT", OPT_STR, &p.org, NULL, 0, "organisation or department", "所属"},
	    {"email", "ADDR", OPT_STR, &p.email, NULL, 0, "e-mail address", "メールアドレス"},
	    {"phone", "NUMBER", OPT_STR, &p.phone, NULL, 0, "phone number", "電話番号"},
	};
	char *pos[3];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "role set ID ROLE NAME [--org TEXT] [--email ADDR] [--phone N]",
	                            3, 3, pos, &npos, &help);
	if (rc || help ||
	    (rc = fk_enum_parse(fk_roles, FK_ROLE_COUNT, pos[1], "role", &p.role, &c->err)))
		return rc;
	p.name = pos[2];
	if ((rc = fk_role_assign(&c->ctx, pos[0], &p, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s}", "incident", pos[0], "role",
		                       fk_roles[p.role].key, "name", p.name));
	else
		printf("%s: %s = %s\n", pos[0],
		       fk_enum_label(fk_roles, FK_ROLE_COUNT, p.role, c->lang), p.name);
	return FK_OK;
}

static enum fk_code role_unset(struct cli *c, int argc, char **argv)
{
	char *pos[3];
	int npos, role;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "role unset ID ROLE [NAME]", 2, 3, pos, &npos, &help);
	if (rc || help ||
	    (rc = fk_enum_parse(fk_roles, FK_ROLE_COUNT, pos[1], "role", &role, &c->err)))
		return rc;
	if ((rc = fk_role_remove(&c->ctx, pos[0], role, npos > 2 ? pos[2] : NULL, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(
		    json_pack("{s:s, s:s}", "incident", pos[0], "role", fk_roles[role].key));
	else
		printf(TR(c->lang, "%s: removed %s\n", "%s: %s を外しました\n"), pos[0],
		       fk_enum_label(fk_roles, FK_ROLE_COUNT, role, c->lang));
	return FK_OK;
}

static enum fk_code role_list(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_incident inc;
	struct fk_person *p;
	size_t n;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "role list ID", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if (c->json || (rc = fk_store_roles_get(c->st, inc.id, &p, &n, &c->err))) {
		json_t *doc;
		if (!rc && !(rc = cli_roles_doc(c, &inc, &doc)))
			cli_json_out(doc);
		fk_incident_release(&inc);
		return rc;
	}
	{
		printf("%s  %s\n", inc.ref, inc.title);
		for (int r = 0; r < FK_ROLE_COUNT; r++) {
			bool any = false;
			for (size_t i = 0; i < n; i++) {
				if (p[i].role != r)
					continue;
				printf("  ");
				fk_utf8_fput(
				    stdout,
				    any ? "" : fk_enum_label(fk_roles, FK_ROLE_COUNT, r, c->lang),
				    30);
				printf(" %s", p[i].name);
				if (p[i].org)
					printf("  (%s)", p[i].org);
				if (p[i].email)
					printf("  %s", p[i].email);
				if (p[i].phone)
					printf("  %s", p[i].phone);
				printf("\n");
				any = true;
			}
			if (!any) {
				printf("  ");
				fk_utf8_fput(
				    stdout, fk_enum_label(fk_roles, FK_ROLE_COUNT, r, c->lang), 30);
				printf(" %s\n", TR(c->lang, "(not assigned)", "(未設定)"));
			}
		}
	}
	FK_FREE_ARRAY(p, n, fk_person_release);
	fk_incident_release(&inc);
	return FK_OK;
}

enum fk_code cmd_role(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"set", role_set, "assign a role (approvers accumulate)",
	     "役割を割り当てる (承認者は複数可)"},
	    {"unset", role_unset, "remove a role holder", "役割を外す"},
	    {"list", role_list, "who holds which role", "役割の一覧"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
