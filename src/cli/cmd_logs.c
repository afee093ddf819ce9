/*
 * cmd_logs.c - fukkyu logs scan: who reached which destinations, from proxy and web logs
 * (source document phase 3 and case study 1): Squid, Apache/nginx, W3C (IIS, Blue Coat) and
 * Zeek logs, plain, .gz or .zst, or standard input.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/logscan.h"
#include "util/utf8.h"

#include <errno.h>

static const char *const group_names[] = {"client", "user", "dest", "hour", "day"};

static json_t *group_json(struct cli *c, const struct fk_scan_group *g, unsigned group)
{
	json_t *o = json_object();
	for (int k = 0; k < 5; k++)
		if (group & (1u << k) && g->key[k])
			json_object_set_new(o, group_names[k], json_string(g->key[k]));
	json_object_set_new(o, "count", json_integer(g->count));
	json_object_set_new(o, "bytes", json_integer(g->bytes));
	json_object_set_new(o, "first", cli_json_time(c, g->first));
	json_object_set_new(o, "last", cli_json_time(c, g->last));
	return o;
}

/* Writes a group as --json does, without building it in jansson first: a scan may have
 * hundreds of thousands of groups (a quarter of a second per 100,000 saved here). Keys
 * come from the logs and are written with fk_json_quote (any bytes). */
static void put_group(struct cli *c, const struct fk_scan_group *g, unsigned group, bool first)
{
	char t1[40], t2[40];
	fputs(first ? "\n    {" : ",\n    {", stdout);
	for (int k = 0; k < 5; k++)
		if (group & (1u << k) && g->key[k]) {
			printf("\n      \"%s\": ", group_names[k]);
			fk_json_quote(stdout, g->key[k], strlen(g->key[k]));
			putchar(',');
		}
	fk_time_local(g->first, c->tz, t1);
	fk_time_local(g->last, c->tz, t2);
	printf("\n      \"count\": %lld,\n      \"bytes\": %lld,\n      \"first\": \"%s\","
	       "\n      \"last\": \"%s\"\n    }",
	       (long long)g->count, (long long)g->bytes, t1, t2);
}

static void add_target(void *ctx, const char *kind, const char *value)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s}", "kind", kind, "value", value));
}

/* Stores the scan as evidence of the incident, with the first and last sightings. */
static enum fk_code keep_evidence(struct cli *c, const char *incident,
                                  const struct fk_scan_query *q, const struct fk_scan_result *r,
                                  const char *format, const char *targets, const char *group,
                                  const char *client, int argc, char **argv, int64_t *eid)
{
	json_t *args = json_array();
	for (int i = 1; i < argc; i++)
		json_array_append_new(args, json_string(argv[i]));
	json_t *query = json_pack("{s:o, s:s, s:o, s:o, s:o}", "argv", args, "format",
	                          fk_log_formats[r->format], "targets", cli_json_str(targets),
	                          "group_by", cli_json_str(group), "client", cli_json_str(client));
	(void)format;
	if (q->targets) { /* what was looked for, for the STIX indicators of an export */
		json_t *list = json_array();
		fk_targets_each(q->targets, add_target, list);
		json_object_set_new(query, "target_values", list);
	}
	json_t *files = json_array(), *groups = json_array();
	for (size_t i = 0; i < r->n_files; i++)
		json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "name", r->files[i].name,
		                                       "size", (json_int_t)r->files[i].size,
		                                       "sha256", r->files[i].sha256));
	const struct fk_scan_group *first = NULL, *last = NULL;
	for (size_t i = 0; i < r->n_groups; i++) {
		json_array_append_new(groups, group_json(c, &r->groups[i], q->group));
		if (!first || r->groups[i].first < first->first)
			first = &r->groups[i];
		if (!last || r->groups[i].last > last->last)
			last = &r->groups[i];
	}
	json_t *summary = json_pack("{s:I, s:I, s:I}", "lines", (json_int_t)r->lines, "matched",
	                            (json_int_t)r->matched, "malformed", (json_int_t)r->malformed);
	struct fk_evidence e = {0};
	e.kind = fk_xstrdup("log-scan");
	e.query = json_dumps(query, JSON_COMPACT);
	e.files = json_dumps(files, JSON_COMPACT);
	e.summary = json_dumps(summary, JSON_COMPACT);
	e.result = json_dumps(groups, JSON_COMPACT);
	char ft[600] = "", lt[600] = "";
	const struct fk_scan_group *g[2] = {first, last};
	char *txt[2] = {ft, lt};
	for (int k = 0; k < 2; k++) {
		if (!g[k])
			continue;
		char who[400] = "";
		size_t w = 0;
		for (int j = 0; j < 5 && w < sizeof who - 1; j++)
			if (g[k]->key[j])
				w += (size_t)snprintf(who + w, sizeof who - w, "%s%s=%.100s",
				                      w ? ", " : "", group_names[j], g[k]->key[j]);
		snprintf(txt[k], 600, "%s (%s) / %s",
		         k ? "logs scan: last match" : "logs scan: first match", who,
		         k ? "ログ解析: 最後の一致" : "ログ解析: 最初の一致");
	}
	enum fk_code rc = fk_evidence_record(
	    &c->ctx, incident, &e, first ? first->first : FK_TIME_NONE, first ? ft : NULL,
	    last ? last->last : FK_TIME_NONE, last ? lt : NULL, &c->err);
	*eid = e.id;
	if (!rc && !c->json)
		fprintf(stderr,
		        TR(c->lang, "kept as evidence E%lld of %s\n",
		           "証拠 E%lld として %s に保存しました\n"),
		        (long long)e.id, incident);
	fk_evidence_release(&e);
	json_decref(query);
	json_decref(files);
	json_decref(groups);
	json_decref(summary);
	return rc;
}

static enum fk_code logs_scan(struct cli *c, int argc, char **argv)
{
	struct fk_scan_query q = {.format = FK_LOG_AUTO, .from = FK_TIME_NONE, .to = FK_TIME_NONE};
	const char *format = NULL, *targets = NULL, *group = NULL, *client = NULL, *incident = NULL;
	int64_t status = 0;
	bool csv = false, strict = false;
	const char *to_text = NULL;
	const struct opt opts[] = {
	    {"format", "squid|combined|w3c|zeek|auto", OPT_STR, &format, NULL, 0,
	     "log format (default auto)", "ログ形式 (既定 auto)"},
	    {"targets", "FILE", OPT_STR, &targets, NULL, 0,
	     "destinations to look for (hosts, *.domain, addresses, CIDR, url:TEXT)",
	     "探す宛先 (ホスト、*.ドメイン、アドレス、CIDR、url:文字列)"},
	    {"group-by", "LIST", OPT_STR, &group, NULL, 0, "client,user,dest,hour,day",
	     "client,user,dest,hour,day"},
	    {"client", "ADDR|CIDR", OPT_STR, &client, NULL, 0, "only this client",
	     "このクライアントのみ"},
	    {"user", "NAME", OPT_STR, &q.user, NULL, 0, "only this user", "このユーザのみ"},
	    {"method", "METHOD", OPT_STR, &q.method, NULL, 0, "only this method",
	     "このメソッドのみ"},
	    {"status", "N", OPT_INT, &status, NULL, 0, "only this HTTP status",
	     "この HTTP ステータスのみ"},
	    {"from", NULL, OPT_TIME, &q.from, NULL, 0, "from this time", "この日時から"},
	    {"to", "TIME", OPT_STR, &to_text, NULL, 0,
	     "up to this time (a date alone: to the end of that day)",
	     "この日時まで (日付のみならその日の終わりまで)"},
	    {"csv", NULL, OPT_FLAG, &csv, NULL, 0, "groups as CSV", "グループを CSV で出力"},
	    {"strict", NULL, OPT_FLAG, &strict, NULL, 0, "stop at the first malformed line",
	     "解析できない行があれば止める"},
	    {"incident", "ID", OPT_STR, &incident, NULL, 0,
	     "keep the query, the files' SHA-256 and the result as evidence of this incident",
	     "条件・ファイルの SHA-256・結果をこのインシデントの証拠として保存"},
	};
	char **pos = fk_xcalloc((size_t)argc + 1, sizeof *pos);
	int npos;
	bool help;
	struct fk_targets *t = NULL;
	struct fk_scan_result r;
	fk_scan_result_init(&r);
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "logs scan [--format F] [--targets FILE] [--group-by LIST] "
	                            "[filters] FILE... (- for standard input)",
	                            1, argc, pos, &npos, &help);
	if (rc || help)
		goto out;
	q.status = (int)status;
	if (to_text && (rc = fk_time_parse(to_text, c->tz, "--to", &q.to, &c->err)))
		goto out;
	if (to_text && strlen(to_text) == 10) /* a whole day: up to its last second */
		q.to += 86399;
	if (format) {
		int fmt = -1;
		for (int i = 0; i < FK_LOG_COUNT; i++)
			if (!strcmp(format, fk_log_formats[i]))
				fmt = i;
		if (fmt < 0) {
			rc = FK_ERR(
			    &c->err, FK_EUSAGE, "--format",
			    "unknown format '%s': expected squid, combined, w3c, zeek or auto",
			    "形式 '%s' は不明です: squid, combined, w3c, zeek, auto のいずれかです",
			    format);
			goto out;
		}
		q.format = fmt;
	}
	if (group && (rc = fk_group_parse(group, &q.group, &c->err)))
		goto out;
	if (!group)
		q.group = FK_GROUP_CLIENT;
	if (client) {
		if (!fk_cidr_parse(client, strlen(client), &q.client)) {
			rc = FK_ERR(&c->err, FK_EUSAGE, "--client",
			            "--client '%s' is not an address or CIDR range",
			            "--client '%s' はアドレスや CIDR として読めません", client);
			goto out;
		}
		q.has_client = true;
	}
	if (targets) {
		FILE *tf = cli_open_input(c, targets);
		if (!tf) {
			rc = FK_EIO;
			goto out;
		}
		rc = fk_targets_load(tf, targets, &t, &c->err);
		if (tf != stdin)
			fclose(tf);
		if (rc)
			goto out;
		q.targets = t;
	}
	q.hash_files = incident != NULL;
	q.strict = strict;
	if (incident && (rc = cli_store(c, false)))
		goto out;
	for (int i = 0; !rc && i < npos; i++) {
		FILE *f = cli_open_input(c, pos[i]);
		if (!f) {
			rc = FK_EIO;
			break;
		}
		rc = fk_scan_file(&q, f, pos[i], &r, &c->err);
		if (f != stdin)
			fclose(f);
	}
	if (rc)
		goto out;
	fk_scan_finish(&r, q.group);
	int64_t eid = 0;
	if (incident && (rc = keep_evidence(c, incident, &q, &r, format, targets, group, client,
	                                    argc, argv, &eid)))
		goto out;
	if (r.malformed)
		fprintf(stderr,
		        TR(c->lang, "fukkyu: %lld malformed lines skipped (first: %s)\n",
		           "fukkyu: 解析できない行 %lld 行を飛ばしました (最初: %s)\n"),
		        (long long)r.malformed, r.malformed_at.ptr);
	if (c->json) {
		json_t *head =
		    json_pack("{s:s, s:I, s:I, s:I}", "format", fk_log_formats[r.format], "lines",
		              (json_int_t)r.lines, "matched", (json_int_t)r.matched, "malformed",
		              (json_int_t)r.malformed);
		if (eid)
			json_object_set_new(head, "evidence", json_integer(eid));
		cli_jarr_begin(head, "groups");
		for (size_t i = 0; i < r.n_groups; i++)
			put_group(c, &r.groups[i], q.group, i == 0);
		cli_jarr_end_items(r.n_groups);
	} else if (csv) {
		const char *head[8];
		size_t nh = 0;
		for (int k = 0; k < 5; k++)
			if (q.group & (1u << k) && !(k == 4 && (q.group & FK_GROUP_HOUR)))
				head[nh++] = group_names[k];
		head[nh++] = "count";
		head[nh++] = "bytes";
		cli_csv_row(stdout, head, nh);
		for (size_t i = 0; i < r.n_groups; i++) {
			const char *v[8];
			char cnt[24], bytes[24];
			size_t nv = 0;
			for (int k = 0; k < 5; k++)
				if (q.group & (1u << k) && !(k == 4 && (q.group & FK_GROUP_HOUR)))
					v[nv++] = r.groups[i].key[k];
			snprintf(cnt, sizeof cnt, "%lld", (long long)r.groups[i].count);
			snprintf(bytes, sizeof bytes, "%lld", (long long)r.groups[i].bytes);
			v[nv++] = cnt;
			v[nv++] = bytes;
			cli_csv_row(stdout, v, nv);
		}
	} else {
		printf(TR(c->lang, "%lld lines (%s), %lld matched, %lld malformed\n",
		          "%lld 行 (%s)、一致 %lld、解析不能 %lld\n"),
		       (long long)r.lines, fk_log_formats[r.format], (long long)r.matched,
		       (long long)r.malformed);
		for (size_t i = 0; i < r.n_groups; i++) {
			const struct fk_scan_group *g = &r.groups[i];
			char first[40], last[40];
			cli_time(c, g->first, first);
			cli_time(c, g->last, last);
			for (int k = 0; k < 5; k++) {
				if (!(q.group & (1u << k)) || !g->key[k])
					continue;
				fk_utf8_fput(stdout, *g->key[k] ? g->key[k] : "-",
				             k == 2 ? 32 : 20);
				putchar(' ');
			}
			printf("%8lld %12lld  %s .. %s\n", (long long)g->count, (long long)g->bytes,
			       first, last);
		}
	}
out:
	fk_scan_result_release(&r);
	fk_targets_free(t);
	free(pos);
	return rc;
}

enum fk_code cmd_logs(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"scan", logs_scan, "who reached which destinations (Squid, Apache/nginx logs)",
	     "誰がどの宛先にアクセスしたか (Squid、Apache/nginx のログ)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
