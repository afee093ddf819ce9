/*
 * cmd_backup.c - fukkyu backup [verify] | restore | migrate: a consistent copy of the whole
 * database while a server may be running, a check of a copy without restoring it, a restore
 * into an empty database, and a move between backends (docs/BACKUP.md).
 */
#include "fukkyu/common.h"
#include "cli.h"
#include "store/store.h"

static const struct fk_enum FORMATS[] = {
    {"sqlite", "a SQLite database file", "SQLite のデータベースファイル"},
    {"dump", "fukkyu's portable dump (JSON lines)", "fukkyu の可搬なダンプ (JSON Lines)"},
};

static const char *format_key(enum fk_backup_format f)
{
	return f == FK_BACKUP_DUMP ? "dump" : "sqlite";
}

static json_t *audit_json(const struct fk_backup_info *b)
{
	return json_pack("{s:b, s:I, s:I, s:o, s:s}", "ok", !b->audit.bad_id, "entries",
	                 (json_int_t)b->audit.total, "verified", (json_int_t)b->audit.entries,
	                 "first_bad", b->audit.bad_id ? json_integer(b->audit.bad_id) : json_null(),
	                 "head", b->audit.head);
}

/* What a backup (or a database) holds, as JSON: the same for every command. */
static json_t *info_json(const struct fk_backup_info *b)
{
	json_t *counts = json_object();
	for (size_t i = 0; i < b->ntables; i++)
		json_object_set_new(counts, b->tables[i].name, json_integer(b->tables[i].rows));
	return json_pack("{s:s, s:s, s:i, s:o, s:o, s:I, s:I, s:o, s:o}", "format",
	                 format_key(b->format), "source", b->source, "schema", b->schema,
	                 "created_at", cli_json_str(*b->created_at ? b->created_at : NULL),
	                 "sha256", cli_json_str(*b->sha256 ? b->sha256 : NULL), "tables",
	                 (json_int_t)b->ntables, "rows", (json_int_t)b->rows, "counts", counts,
	                 "audit", audit_json(b));
}

static void print_audit(struct cli *c, const struct fk_backup_info *b)
{
	if (!b->audit.bad_id)
		printf(TR(c->lang, "audit trail intact: %lld entries, head %s\n",
		          "監査記録は改ざんされていません: %lld 件、先頭ハッシュ %s\n"),
		       (long long)b->audit.total, b->audit.head);
	else
		printf(TR(c->lang,
		          "audit trail broken at entry %lld (%lld of %lld entries verified)\n",
		          "監査記録は記録 %lld で壊れています (%lld / %lld 件を検証済み)\n"),
		       (long long)b->audit.bad_id, (long long)b->audit.entries,
		       (long long)b->audit.total);
}

static const char *kind_text(struct cli *c, enum fk_backup_format f)
{
	return f == FK_BACKUP_DUMP ? TR(c->lang, "fukkyu dump", "fukkyu ダンプ")
	                           : TR(c->lang, "SQLite file", "SQLite ファイル");
}

static enum fk_code backup_verify(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_backup_info b;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "backup verify FILE", 1, 1, pos, &npos, &help);
	if (rc || help || (rc = fk_backup_verify(pos[0], &b, &c->err)))
		return rc;
	if (c->json) {
		json_t *o = info_json(&b);
		json_object_set_new(o, "file", json_string(pos[0]));
		json_object_set_new(o, "ok", json_true());
		cli_json_out(o);
		return FK_OK;
	}
	printf(TR(c->lang, "%s: %s of schema %d (from %s): %zu tables, %lld rows\n",
	          "%s: %s (スキーマ版 %d、元は %s): テーブル %zu 個、%lld 行\n"),
	       pos[0], kind_text(c, b.format), b.schema, b.source, b.ntables, (long long)b.rows);
	if (b.format == FK_BACKUP_DUMP)
		printf(TR(c->lang, "taken %s, sha256 %s\n", "取得 %s、sha256 %s\n"), b.created_at,
		       b.sha256);
	print_audit(c, &b);
	return FK_OK;
}

enum fk_code cmd_backup(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "verify")) {
		c->cmd = "backup verify";
		return backup_verify(c, argc - 1, argv + 1);
	}
	char *pos[1];
	int npos, format = -1;
	bool help;
	const struct opt opts[] = {
	    {"format", NULL, OPT_ENUM, &format, FORMATS, FK_ARRAY_LEN(FORMATS),
	     "the kind of backup (default: a SQLite file from SQLite, a dump from PostgreSQL)",
	     "バックアップの形式 (既定: SQLite からは SQLite ファイル、PostgreSQL からはダンプ)"},
	};
	struct fk_backup_info b;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "backup [--format sqlite|dump] FILE | backup verify FILE", 1, 1,
	                            pos, &npos, &help);
	if (rc || help || (rc = cli_store(c, false)))
		return rc;
	enum fk_backup_format f = format < 0 ? FK_BACKUP_AUTO
	                          : format   ? FK_BACKUP_DUMP
	                                     : FK_BACKUP_SQLITE;
	rc = fk_backup_write(c->st, pos[0], f, &b, &c->err);
	if (rc && rc != FK_ETAMPERED) /* tampered: written, and said so below */
		return rc;
	if (c->json) {
		json_t *o = info_json(&b);
		json_object_set_new(o, "file", json_string(pos[0]));
		cli_json_out(o);
	} else {
		printf(
		    TR(c->lang, "backup written to %s (%s, schema %d): %zu tables, %lld rows\n",
		       "バックアップを %s に書き込みました (%s、スキーマ版 %d): テーブル %zu 個、"
		       "%lld 行\n"),
		    pos[0], kind_text(c, b.format), b.schema, b.ntables, (long long)b.rows);
		print_audit(c, &b);
	}
	return rc;
}

/* Source and target side by side: rows per table, then the audit chains. */
static void print_compare(struct cli *c, const struct fk_backup_info *from,
                          const struct fk_backup_info *to)
{
	printf("%-24s %10s %10s\n", TR(c->lang, "table", "テーブル"),
	       TR(c->lang, "source", "複製元"), TR(c->lang, "target", "複製先"));
	for (size_t i = 0; i < to->ntables; i++) {
		size_t k = 0;
		while (k < from->ntables && strcmp(from->tables[k].name, to->tables[i].name))
			k++;
		char src[24] = "-";
		if (k < from->ntables)
			snprintf(src, sizeof src, "%lld", (long long)from->tables[k].rows);
		printf("%-24s %10s %10lld\n", to->tables[i].name, src,
		       (long long)to->tables[i].rows);
	}
	printf(TR(c->lang, "audit trail: source %lld entries, head %s\n",
	          "監査記録: 複製元 %lld 件、先頭ハッシュ %s\n"),
	       (long long)from->audit.total, from->audit.head);
	printf(TR(c->lang, "             target %lld entries, head %s\n",
	          "          複製先 %lld 件、先頭ハッシュ %s\n"),
	       (long long)to->audit.total, to->audit.head);
}

static json_t *compare_json(const struct fk_backup_info *from, const struct fk_backup_info *to,
                            bool ok)
{
	json_t *tables = json_array();
	for (size_t i = 0; i < to->ntables; i++) {
		size_t k = 0;
		while (k < from->ntables && strcmp(from->tables[k].name, to->tables[i].name))
			k++;
		json_array_append_new(
		    tables,
		    json_pack("{s:s, s:o, s:I}", "table", to->tables[i].name, "source",
		              k < from->ntables ? json_integer(from->tables[k].rows) : json_null(),
		              "target", (json_int_t)to->tables[i].rows));
	}
	return json_pack("{s:b, s:i, s:I, s:I, s:o, s:{s:o, s:o}}", "ok", ok, "schema", to->schema,
	                 "tables", (json_int_t)to->ntables, "rows", (json_int_t)to->rows,
	                 "per_table", tables, "audit", "source", audit_json(from), "target",
	                 audit_json(to));
}

enum fk_code cmd_restore(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	struct fk_backup_info from, to;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "restore FILE", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (!c->db || !*c->db)
		return FK_ERR0(&c->err, FK_EUSAGE, "--db",
		               "no database to restore into: use --db PATH|URL or set FUKKYU_DB",
		               "復元先のデータベースが指定されていません: --db PATH|URL か環境変数 "
		               "FUKKYU_DB で指定してください");
	rc = fk_backup_restore(pos[0], c->db, &from, &to, &c->err);
	if (!to.ntables) /* nothing was restored */
		return rc;
	if (c->json) {
		json_t *o = compare_json(&from, &to, !rc);
		json_object_set_new(o, "file", json_string(pos[0]));
		json_object_set_new(o, "format", json_string(format_key(from.format)));
		json_object_set_new(o, "db", json_string(c->db));
		cli_json_out(o);
		return rc;
	}
	if (rc)
		print_compare(c, &from, &to);
	printf(TR(c->lang, "restored %s (%s of schema %d) into %s: %zu tables, %lld rows\n",
	          "%s (%s、スキーマ版 %d) を %s に復元しました: テーブル %zu 個、%lld 行\n"),
	       pos[0], kind_text(c, from.format), from.schema, c->db, to.ntables,
	       (long long)to.rows);
	print_audit(c, &to);
	return rc;
}

enum fk_code cmd_migrate(struct cli *c, int argc, char **argv)
{
	int npos;
	bool help;
	const char *from_url = NULL, *to_url = NULL;
	const struct opt opts[] = {
	    {"from", "URL", OPT_STR, &from_url, NULL, 0,
	     "the database to copy: a SQLite file (sqlite:PATH or PATH) or postgresql://...",
	     "複製元のデータベース: SQLite ファイル (sqlite:PATH か PATH) か postgresql://..."},
	    {"to", "URL", OPT_STR, &to_url, NULL, 0,
	     "the new or empty database to copy into, in the same forms",
	     "複製先の新しいか空のデータベース (同じ書き方)"},
	};
	struct fk_backup_info from, to;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "migrate --from URL --to URL", 0, 0, NULL, &npos, &help);
	if (rc || help)
		return rc;
	if (!from_url || !to_url || !*from_url || !*to_url)
		return FK_ERR0(&c->err, FK_EUSAGE, from_url ? "--to" : "--from",
		               "migrate needs --from URL and --to URL",
		               "migrate には --from URL と --to URL が必要です");
	rc = fk_backup_migrate(from_url, to_url, &from, &to, &c->err);
	if (!to.ntables)
		return rc;
	if (c->json) {
		json_t *o = compare_json(&from, &to, !rc);
		json_object_set_new(o, "from", json_string(from_url));
		json_object_set_new(o, "to", json_string(to_url));
		cli_json_out(o);
		return rc;
	}
	print_compare(c, &from, &to);
	if (!rc)
		printf(
		    TR(c->lang,
		       "migrated %s to %s: %zu tables, %lld rows and the audit trail, the same in "
		       "both\n",
		       "%s を %s に移行しました: テーブル %zu 個、%lld "
		       "行と監査記録が一致しています\n"),
		    from.source, to.source, to.ntables, (long long)to.rows);
	return rc;
}
