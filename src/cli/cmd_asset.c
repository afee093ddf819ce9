/*
 * cmd_asset.c - fukkyu asset import|list|show|export: the company's inventory of systems.
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "fukkyu/sweep.h"
#include "util/utf8.h"

#include <errno.h>

/* Opens FILE, or standard input for "-". */
FILE *cli_open_input(struct cli *c, const char *path)
{
	if (!strcmp(path, "-"))
		return stdin;
	FILE *f = fopen(path, "rb");
	if (!f)
		FK_ERR(&c->err, FK_EIO, path, "cannot open '%s': %s", "'%s' を開けません: %s", path,
		       strerror(errno));
	return f;
}

enum fk_code cli_read_text(struct cli *c, const char *path, const char *field, char **out)
{
	struct fk_buf b;
	char chunk[8192];
	size_t k;
	enum fk_code rc = FK_OK;
	*out = NULL;
	FILE *f = cli_open_input(c, path);
	if (!f)
		return FK_EIO;
	fk_buf_init(&b, 1 << 20);
	while (!rc && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (fk_buf_add(&b, chunk, k))
			rc = FK_ERR(&c->err, FK_ETOOBIG, field, "%s '%s' is over 1 MiB",
			            "%s '%s' が 1 MiB を超えています", field, path);
	if (!rc && ferror(f))
		rc = FK_ERR(&c->err, FK_EIO, field, "%s: cannot read '%s'", "%s: '%s' を読めません",
		            field, path);
	if (f != stdin)
		fclose(f);
	if (!rc && b.len && memchr(b.ptr, '\0', b.len))
		rc = FK_ERR(&c->err, FK_EINVAL, field, "%s '%s' is not text",
		            "%s '%s' はテキストではありません", field, path);
	if (!rc)
		*out = fk_xstrdup(b.len ? b.ptr : "");
	fk_buf_release(&b);
	return rc;
}

void cli_print_report(struct cli *c, const struct fk_import_report *r)
{
	fputs(c->lang == FK_LANG_JA ? r->errors_ja.ptr : r->errors_en.ptr, stderr);
	if (r->n_errors > FK_IMPORT_MAX_ERRORS)
		fprintf(stderr,
		        TR(c->lang, "... and %zu more errors\n", "... ほか %zu 件のエラー\n"),
		        r->n_errors - FK_IMPORT_MAX_ERRORS);
}

static enum fk_code asset_import(struct cli *c, int argc, char **argv)
{
	const char *format = NULL;
	const struct opt opts[] = {
	    {"format", "csv|jsonl", OPT_STR, &format, NULL, 0,
	     "input format (default: by the file name; .jsonl/.ndjson are JSON Lines)",
	     "入力形式 (既定: ファイル名から。.jsonl/.ndjson は JSON Lines)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, 1, "asset import FILE [--format csv|jsonl]", 1, 1, pos,
	              &npos, &help);
	if (rc || help)
		return rc;
	const char *dot = strrchr(pos[0], '.');
	int fmt = dot && (!strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson")) ? FK_IMPORT_JSONL
	                                                                     : FK_IMPORT_CSV;
	if (format && !strcmp(format, "jsonl"))
		fmt = FK_IMPORT_JSONL;
	else if (format && !strcmp(format, "csv"))
		fmt = FK_IMPORT_CSV;
	else if (format)
		return FK_ERR(&c->err, FK_EUSAGE, "--format",
		              "unknown --format '%s': expected csv or jsonl",
		              "--format '%s' は不明です: csv か jsonl を指定してください", format);
	FILE *f = cli_open_input(c, pos[0]);
	if (!f)
		return FK_EIO;
	struct fk_import_report r;
	rc = fk_asset_import(&c->ctx, f, pos[0], fmt, &r, &c->err);
	if (f != stdin)
		fclose(f);
	cli_print_report(c, &r);
	if (!rc) {
		if (c->json)
			cli_json_out(json_pack("{s:I, s:I, s:I}", "rows", (json_int_t)r.rows,
			                       "inserted", (json_int_t)r.inserted, "updated",
			                       (json_int_t)r.updated));
		else
			printf(TR(c->lang, "imported %lld assets (%lld new, %lld updated)\n",
			          "資産 %lld 件を取り込みました (新規 %lld、更新 %lld)\n"),
			       (long long)r.rows, (long long)r.inserted, (long long)r.updated);
	}
	fk_import_report_release(&r);
	return rc;
}

json_t *cli_asset_json(const struct fk_asset *a)
{
	json_t *o = json_object();
	for (int i = 0; i < FK_ACOL_COUNT; i++) {
		if (i == FK_ACOL_SPARE)
			json_object_set_new(o, "spare", json_boolean(a->spare));
		else
			json_object_set_new(o, fk_asset_cols[i], cli_json_str(a->col[i]));
	}
	return o;
}

struct list_ctx {
	struct cli *c;
	int64_t shown, limit;
};

#define STOP FK_ECONFLICT /* a callback's way to end the walk early; not an error */

static enum fk_code list_one(void *vctx, const struct fk_asset *a)
{
	struct list_ctx *l = vctx;
	if (l->limit >= 0 && l->shown >= l->limit)
		return STOP;
	l->shown++;
	if (l->c->json) {
		cli_jarr_item(cli_asset_json(a));
		return FK_OK;
	}
	const int w[] = {20, 16, 14, 10, 16, 8};
	const char *v[] = {a->col[FK_ACOL_NAME],       a->col[FK_ACOL_IP],
	                   a->col[FK_ACOL_OS],         a->col[FK_ACOL_OS_VERSION],
	                   a->col[FK_ACOL_DEPARTMENT], fk_asset_roles[a->role].key};
	for (size_t i = 0; i < FK_ARRAY_LEN(w); i++) {
		fk_utf8_fput(stdout, v[i] ? v[i] : "-", (size_t)w[i]);
		putchar(' ');
	}
	printf("%s%s\n", a->spare ? "spare " : "",
	       a->col[FK_ACOL_BACKUP_OF] ? a->col[FK_ACOL_BACKUP_OF] : "");
	return FK_OK;
}

static enum fk_code asset_list(struct cli *c, int argc, char **argv)
{
	const char *dept = NULL;
	int64_t limit = -1;
	const struct opt opts[] = {
	    {"department", "NAME", OPT_STR, &dept, NULL, 0, "only this department", "この部署のみ"},
	    {"limit", "N", OPT_INT, &limit, NULL, 0, "at most N assets", "最大 N 件"},
	};
	char *pos[1];
	int npos;
	bool help;
	int64_t total = 0;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "asset list [--department NAME] [--limit N]", 0, 0, pos, &npos, &help);
	if (rc || help || (rc = fk_store_asset_count_in(c->st, dept, &total, &c->err)))
		return rc;
	struct list_ctx l = {c, 0, limit};
	if (c->json)
		cli_jarr_begin(json_pack("{s:I}", "total", (json_int_t)total), "assets");
	else
		printf("%-20s %-16s %-14s %-10s %-16s %-8s\n", TR(c->lang, "NAME", "名前"), "IP",
		       "OS", TR(c->lang, "VERSION", "版"), TR(c->lang, "DEPARTMENT", "部署"),
		       TR(c->lang, "ROLE", "種類"));
	rc = fk_store_asset_each(c->st, dept, list_one, &l, &c->err);
	if (rc == STOP)
		rc = FK_OK;
	if (c->json)
		cli_jarr_end();
	else if (!rc)
		printf(TR(c->lang, "%lld of %lld assets\n", "%lld 件 (全 %lld 件)\n"),
		       (long long)l.shown, (long long)total);
	return rc;
}

static enum fk_code asset_show(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_asset a;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "asset show NAME", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = fk_store_asset_find(c->st, pos[0], &a, &c->err)))
		return rc;
	if (c->json) {
		cli_json_out(cli_asset_json(&a));
	} else {
		for (int i = 0; i < FK_ACOL_COUNT; i++)
			printf("%-12s %s\n", fk_asset_cols[i], a.col[i] ? a.col[i] : "-");
	}
	fk_asset_release(&a);
	return FK_OK;
}

/* Writes one CSV field, quoted when it must be (RFC 4180). */
static void csv_field(FILE *f, const char *v, bool last)
{
	if (v && strpbrk(v, ",\"\r\n")) {
		fputc('"', f);
		for (; *v; v++) {
			if (*v == '"')
				fputc('"', f);
			fputc(*v, f);
		}
		fputc('"', f);
	} else if (v) {
		fputs(v, f);
	}
	fputc(last ? '\n' : ',', f);
}

void cli_csv_row(FILE *f, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_field(f, v[i], i + 1 == n);
}

static enum fk_code export_one(void *vctx, const struct fk_asset *a)
{
	FILE *f = vctx;
	const char *v[FK_ACOL_COUNT];
	for (int i = 0; i < FK_ACOL_COUNT; i++)
		v[i] = a->col[i];
	v[FK_ACOL_ROLE] = fk_asset_roles[a->role].key;
	v[FK_ACOL_SPARE] = a->spare ? "true" : "false";
	cli_csv_row(f, v, FK_ACOL_COUNT);
	return FK_OK;
}

static enum fk_code asset_export(struct cli *c, int argc, char **argv)
{
	const char *out = NULL;
	const struct opt opts[] = {
	    {"out", "FILE", OPT_STR, &out, NULL, 0, "write to FILE (default: standard output)",
	     "FILE に書く (既定: 標準出力)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, 1, "asset export [--out FILE]", 0, 0, pos, &npos, &help);
	if (rc || help)
		return rc;
	FILE *f = stdout;
	char tmp[4096];
	if (out) {
		snprintf(tmp, sizeof tmp, "%s.tmp", out);
		if (!(f = fopen(tmp, "wb")))
			return FK_ERR(&c->err, FK_EIO, out, "cannot write '%s': %s",
			              "'%s' に書き込めません: %s", tmp, strerror(errno));
	}
	cli_csv_row(f, fk_asset_cols, FK_ACOL_COUNT);
	rc = fk_store_asset_each(c->st, NULL, export_one, f, &c->err);
	if (out) {
		bool bad = fflush(f) || ferror(f);
		fclose(f);
		if (!rc && (bad || rename(tmp, out)))
			rc = FK_ERR(&c->err, FK_EIO, out, "cannot write '%s'",
			            "'%s' に書き込めません", out);
		if (rc)
			remove(tmp);
	}
	return rc;
}

enum fk_code cmd_asset(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"import", asset_import, "import an inventory (CSV or JSON Lines), all or nothing",
	     "資産台帳の取り込み (CSV / JSON Lines、全件成功か何もしない)"},
	    {"list", asset_list, "list the inventory", "資産の一覧"},
	    {"show", asset_show, "one asset", "資産の表示"},
	    {"export", asset_export, "the inventory as CSV (imports back unchanged)",
	     "資産台帳の CSV 出力 (そのまま再取り込み可能)"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
