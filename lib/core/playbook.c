/*
 * playbook.c - strict loader for playbook YAML (libfyaml builds the tree; we walk it).
 *
 * libfyaml keeps positions only on scalar tokens, so every walker carries the line of the
 * nearest key and reports that for mappings and sequences. Aliases are refused: a playbook
 * has no use for them and they are the classic way to make a parser explode.
 */
#include "fukkyu/common.h"
#include "fukkyu/playbook.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/time.h"
#include "util/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>

struct ctx {
	const char *origin;
	struct fk_err *err;
	struct fk_playbook *pb;
};

/* 1-based line of a node: its own token for a scalar, its first key or element for a
 * mapping or sequence, else fallback. */
static int node_line(struct fy_node *n, int fallback)
{
	void *it = NULL;
	if (!n)
		return fallback;
	if (fy_node_is_scalar(n)) {
		struct fy_token *t = fy_node_get_scalar_token(n);
		const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
		return m ? m->line + 1 : fallback;
	}
	if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
		return p ? node_line(fy_node_pair_key(p), fallback) : fallback;
	}
	if (fy_node_is_sequence(n))
		return node_line(fy_node_sequence_iterate(n, &it), fallback);
	return fallback;
}

static enum fk_code failf(struct ctx *c, int line, const char *en, const char *ja)
{
	char where[64], m_en[768], m_ja[768];
	snprintf(where, sizeof where, "%s:%d", c->origin, line);
	snprintf(m_en, sizeof m_en, "%s: %s", where, en);
	snprintf(m_ja, sizeof m_ja, "%s: %s", where, ja);
	return fk_err_set(c->err, FK_EINVAL, where, m_en, m_ja);
}

/* Reads a non-empty UTF-8 scalar into *out (malloc'd). */
static enum fk_code get_text(struct ctx *c, struct fy_node *n, int line, const char *key,
                             char **out)
{
	char en[256], ja[256];
	if (!n || !fy_node_is_scalar(n) || fy_node_get_style(n) == FYNS_ALIAS) {
		snprintf(en, sizeof en, "'%s' must be a text, e.g. %s: ...", key, key);
		snprintf(ja, sizeof ja, "'%s' はテキストで指定してください (例 %s: ...)", key, key);
		return failf(c, node_line(n, line), en, ja);
	}
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);
	if (!s || !len) {
		snprintf(en, sizeof en, "'%s' is empty: expected a text", key);
		snprintf(ja, sizeof ja, "'%s' が空です: テキストを指定してください", key);
		return failf(c, node_line(n, line), en, ja);
	}
	if (!fk_utf8_valid(s, len) || memchr(s, '\0', len)) {
		snprintf(en, sizeof en, "'%s' is not valid UTF-8 text", key);
		snprintf(ja, sizeof ja, "'%s' が正しい UTF-8 テキストではありません", key);
		return failf(c, node_line(n, line), en, ja);
	}
	*out = fk_xstrndup(s, len);
	return FK_OK;
}

/* Checks that every key of mapping n is among allowed (NULL-terminated). */
static enum fk_code check_keys(struct ctx *c, struct fy_node *n, int line, const char *what,
                               const char *const *allowed)
{
	char en[512], ja[512];
	if (!n || !fy_node_is_mapping(n)) {
		snprintf(en, sizeof en, "%s must be a mapping (key: value lines)", what);
		snprintf(ja, sizeof ja, "%s はマッピング (key: value) で指定してください", what);
		return failf(c, node_line(n, line), en, ja);
	}
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *ks = k && fy_node_is_scalar(k) ? fy_node_get_scalar0(k) : NULL;
		bool ok = false;
		for (const char *const *a = allowed; ks && *a; a++)
			ok = ok || !strcmp(ks, *a);
		if (!ok) {
			struct fk_buf list = FK_BUF_INIT;
			for (const char *const *a = allowed; *a; a++)
				(void)fk_buf_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
			snprintf(en, sizeof en, "unknown key '%s' in %s: expected %s",
			         ks ? ks : "?", what, list.ptr);
			snprintf(ja, sizeof ja, "%s に不明なキー '%s' があります: 使えるキーは %s",
			         what, ks ? ks : "?", list.ptr);
			fk_buf_release(&list);
			return failf(c, node_line(k, line), en, ja);
		}
	}
	return FK_OK;
}

/* The value of key in mapping n and the line of that key (or line if absent). */
static struct fy_node *lookup(struct fy_node *n, const char *key, int line, int *key_line)
{
	void *it = NULL;
	struct fy_node_pair *p;
	*key_line = line;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		if (k && fy_node_is_scalar(k) && !strcmp(fy_node_get_scalar0(k), key)) {
			*key_line = node_line(k, line);
			return fy_node_pair_value(p);
		}
	}
	return NULL;
}

static enum fk_code required(struct ctx *c, struct fy_node *n, const char *key, int line,
                             const char *what, struct fy_node **out, int *key_line)
{
	bool present = false;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		if (k && fy_node_is_scalar(k) && !strcmp(fy_node_get_scalar0(k), key))
			present = true;
	}
	*out = lookup(n, key, line, key_line);
	if (!present) {
		char en[256], ja[256];
		snprintf(en, sizeof en, "%s has no '%s': it is required", what, key);
		snprintf(ja, sizeof ja, "%s に '%s' がありません: 必須です", what, key);
		return failf(c, line, en, ja);
	}
	return FK_OK;
}

/* A {ja: ..., en: ...} pair, both required. */
static enum fk_code get_i18n(struct ctx *c, struct fy_node *n, int line, const char *key, char **ja,
                             char **en)
{
	static const char *const keys[] = {"ja", "en", NULL};
	char what[64];
	snprintf(what, sizeof what, "'%s'", key);
	enum fk_code rc = check_keys(c, n, line, what, keys);
	struct fy_node *v;
	int kl;
	if (!rc)
		rc = required(c, n, "ja", line, what, &v, &kl);
	if (!rc)
		rc = get_text(c, v, kl, "ja", ja);
	if (!rc)
		rc = required(c, n, "en", line, what, &v, &kl);
	if (!rc)
		rc = get_text(c, v, kl, "en", en);
	return rc;
}

static enum fk_code get_int(struct ctx *c, struct fy_node *n, int line, const char *key, long min,
                            long max, long *out)
{
	const char *s = n && fy_node_is_scalar(n) && fy_node_get_style(n) == FYNS_PLAIN
	                    ? fy_node_get_scalar0(n)
	                    : NULL;
	char *end = NULL;
	errno = 0;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || v < min || v > max) {
		char en[256], ja[256];
		snprintf(en, sizeof en, "'%s' must be a whole number from %ld to %ld", key, min,
		         max);
		snprintf(ja, sizeof ja, "'%s' は %ld から %ld までの整数で指定してください", key,
		         min, max);
		return failf(c, node_line(n, line), en, ja);
	}
	*out = v;
	return FK_OK;
}

static bool key_ok(const char *s)
{
	if (!*s || strlen(s) > 48)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return true;
}

static enum fk_code get_key(struct ctx *c, struct fy_node *n, int line, const char *key, char **out)
{
	enum fk_code rc = get_text(c, n, line, key, out);
	if (!rc && !key_ok(*out)) {
		char en[256], ja[256];
		snprintf(en, sizeof en,
		         "'%s' must be lower-case letters, digits and '-' (at most 48), e.g. "
		         "root-cause",
		         key);
		snprintf(
		    ja, sizeof ja,
		    "'%s' は英小文字・数字・'-' (48文字以内) で指定してください (例 root-cause)",
		    key);
		return failf(c, node_line(n, line), en, ja);
	}
	return rc;
}

/* Item ids: "P.N" with P the phase number and N letters, digits or '-'. */
static bool item_id_ok(const char *id, int phase)
{
	if (id[0] != '0' + phase || id[1] != '.' || !id[2] || strlen(id) > 24)
		return false;
	for (const char *p = id + 2; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
	return isalnum((unsigned char)id[2]);
}

static enum fk_code parse_item(struct ctx *c, struct fy_node *n, int line, int phase,
                               struct fk_pb_item *it)
{
	static const char *const keys[] = {"id",        "title", "kinds", "approval",
	                                   "due_hours", "why",   NULL};
	struct fy_node *v;
	int kl = line;
	enum fk_code rc = check_keys(c, n, line, "item", keys);
	it->line = line;
	if (!rc)
		rc = required(c, n, "id", line, "item", &v, &kl);
	if (!rc)
		rc = get_text(c, v, kl, "id", &it->id);
	if (rc)
		return rc;
	if (!item_id_ok(it->id, phase)) {
		char en[256], ja[256];
		snprintf(
		    en, sizeof en,
		    "item id '%s' must start with its phase number, e.g. \"%d.1\" or \"%d.dl-1\"",
		    it->id, phase, phase);
		snprintf(ja, sizeof ja,
		         "項目 ID '%s' はフェーズ番号で始めてください (例 \"%d.1\"、\"%d.dl-1\")",
		         it->id, phase, phase);
		return failf(c, kl, en, ja);
	}
	it->line = kl;
	rc = required(c, n, "title", line, "item", &v, &kl);
	if (!rc)
		rc = get_i18n(c, v, kl, "title", &it->title_ja, &it->title_en);
	if (!rc && (v = lookup(n, "why", line, &kl)))
		rc = get_i18n(c, v, kl, "why", &it->why_ja, &it->why_en);
	if (!rc && (v = lookup(n, "approval", line, &kl))) {
		const char *s = fy_node_is_scalar(v) && fy_node_get_style(v) == FYNS_PLAIN
		                    ? fy_node_get_scalar0(v)
		                    : "";
		if (!strcmp(s, "true"))
			it->approval = true;
		else if (strcmp(s, "false"))
			return failf(c, node_line(v, kl), "'approval' must be true or false",
			             "'approval' は true または false で指定してください");
	}
	long hours;
	if (!rc && (v = lookup(n, "due_hours", line, &kl))) {
		rc = get_int(c, v, kl, "due_hours", 1, 24L * 366, &hours);
		it->due_hours = (int)hours;
	}
	if (!rc && (v = lookup(n, "kinds", line, &kl))) {
		if (!fy_node_is_sequence(v) || !fy_node_sequence_item_count(v))
			return failf(c, node_line(v, kl),
			             "'kinds' must be a list of incident kinds, e.g. [data-leak]",
			             "'kinds' はインシデント種別のリストで指定してください (例 "
			             "[data-leak])");
		void *si = NULL;
		struct fy_node *k;
		while (!rc && (k = fy_node_sequence_iterate(v, &si))) {
			char *s = NULL;
			int kind;
			struct fk_err e;
			rc = get_text(c, k, kl, "kinds", &s);
			if (!rc && fk_enum_parse(fk_kinds, FK_KIND_COUNT, s, "kind", &kind, &e)) {
				rc = failf(c, node_line(k, kl), e.en, e.ja);
			} else if (!rc) {
				it->kinds |= 1u << kind;
			}
			free(s);
		}
	}
	return rc;
}

static enum fk_code parse_group(struct ctx *c, struct fy_node *n, int line, int phase,
                                struct fk_pb_group *g)
{
	static const char *const keys[] = {"key", "title", "items", NULL};
	struct fy_node *v;
	int kl;
	enum fk_code rc = check_keys(c, n, line, "group", keys);
	if (!rc)
		rc = required(c, n, "key", line, "group", &v, &kl);
	if (!rc)
		rc = get_key(c, v, kl, "key", &g->key);
	if (!rc)
		rc = required(c, n, "title", line, "group", &v, &kl);
	if (!rc)
		rc = get_i18n(c, v, kl, "title", &g->title_ja, &g->title_en);
	if (!rc)
		rc = required(c, n, "items", line, "group", &v, &kl);
	if (!rc && (!fy_node_is_sequence(v) || !fy_node_sequence_item_count(v)))
		rc = failf(c, kl, "'items' must be a non-empty list of items",
		           "'items' には項目のリストを指定してください (空は不可)");
	if (rc)
		return rc;
	g->items = fk_xcalloc((size_t)fy_node_sequence_item_count(v), sizeof *g->items);
	void *si = NULL;
	struct fy_node *in;
	while (!rc && (in = fy_node_sequence_iterate(v, &si)))
		rc = parse_item(c, in, node_line(in, kl), phase, &g->items[g->n_items++]);
	return rc;
}

static enum fk_code parse_phase(struct ctx *c, struct fy_node *n, int line, int expect_no,
                                struct fk_pb_phase *ph)
{
	static const char *const keys[] = {"no", "key", "title", "groups", NULL};
	struct fy_node *v;
	int kl;
	long no = 0;
	enum fk_code rc = check_keys(c, n, line, "phase", keys);
	if (!rc)
		rc = required(c, n, "no", line, "phase", &v, &kl);
	if (!rc)
		rc = get_int(c, v, kl, "no", 1, FK_PLAYBOOK_PHASES, &no);
	if (!rc && no != expect_no) {
		char en[256], ja[256];
		snprintf(en, sizeof en, "phase 'no' is %ld: expected %d (phases 1 to 6, in order)",
		         no, expect_no);
		snprintf(ja, sizeof ja,
		         "フェーズ番号が %ld です: %d が必要です (フェーズ 1〜6 を順に)", no,
		         expect_no);
		return failf(c, kl, en, ja);
	}
	if (rc)
		return rc;
	ph->no = (int)no;
	rc = required(c, n, "key", line, "phase", &v, &kl);
	if (!rc)
		rc = get_key(c, v, kl, "key", &ph->key);
	if (!rc)
		rc = required(c, n, "title", line, "phase", &v, &kl);
	if (!rc)
		rc = get_i18n(c, v, kl, "title", &ph->title_ja, &ph->title_en);
	if (!rc)
		rc = required(c, n, "groups", line, "phase", &v, &kl);
	if (!rc && (!fy_node_is_sequence(v) || !fy_node_sequence_item_count(v)))
		rc = failf(c, kl, "'groups' must be a non-empty list of groups",
		           "'groups' にはグループのリストを指定してください (空は不可)");
	if (rc)
		return rc;
	ph->groups = fk_xcalloc((size_t)fy_node_sequence_item_count(v), sizeof *ph->groups);
	void *si = NULL;
	struct fy_node *gn;
	while (!rc && (gn = fy_node_sequence_iterate(v, &si)))
		rc = parse_group(c, gn, node_line(gn, kl), ph->no, &ph->groups[ph->n_groups++]);
	return rc;
}

/* Every item id once across the whole playbook (a few hundred items: pairwise is fine). */
static enum fk_code check_unique(struct ctx *c)
{
	const struct fk_pb_item **all = NULL;
	size_t n = 0;
	enum fk_code rc = FK_OK;
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++)
		for (size_t g = 0; g < c->pb->phases[p].n_groups; g++)
			for (size_t i = 0; i < c->pb->phases[p].groups[g].n_items; i++) {
				all = fk_xrealloc(all, (n + 1) * sizeof *all);
				all[n++] = &c->pb->phases[p].groups[g].items[i];
			}
	for (size_t i = 0; i < n && !rc; i++)
		for (size_t j = 0; j < i && !rc; j++) {
			if (strcmp(all[i]->id, all[j]->id))
				continue;
			char en[256], ja[256];
			snprintf(
			    en, sizeof en,
			    "duplicate item id '%s' (first at line %d): every id must be unique",
			    all[i]->id, all[j]->line);
			snprintf(ja, sizeof ja,
			         "項目 ID '%s' が重複しています (最初は %d 行目): ID "
			         "は一意にしてください",
			         all[i]->id, all[j]->line);
			rc = failf(c, all[i]->line, en, ja);
		}
	free(all);
	return rc;
}

/* The first line (1-based) holding invalid UTF-8 or a NUL byte, for the error message. */
static bool find_bad_utf8(const char *data, size_t len, int *line)
{
	const char *p = data, *end = data + len;
	*line = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!fk_utf8_valid(p, n) || memchr(p, '\0', n))
			return true;
		if (!nl)
			break;
		p = nl + 1;
		(*line)++;
	}
	return false;
}

enum fk_code fk_playbook_parse(const char *data, size_t len, const char *origin,
                               struct fk_playbook *pb, struct fk_err *err)
{
	struct ctx c = {origin, err, pb};
	memset(pb, 0, sizeof *pb);
	int bad_line;
	if (len > FK_PLAYBOOK_MAX_BYTES)
		return FK_ERR(err, FK_ETOOBIG, origin, "%s: the playbook is larger than %u bytes",
		              "%s: プレイブックが %u バイトを超えています", origin,
		              FK_PLAYBOOK_MAX_BYTES);
	if (find_bad_utf8(data, len, &bad_line))
		return failf(&c, bad_line, "the line is not valid UTF-8: save the file as UTF-8",
		             "この行が UTF-8 ではありません: ファイルを UTF-8 で保存してください");

	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.colorize = false;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	if (!diag)
		abort();
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG, .diag = diag};
	struct fy_parser *parser = fy_parser_create(&cfg);
	if (!parser || fy_parser_set_string(parser, data, len))
		abort(); /* only fails on allocation */
	struct fy_document *doc = fy_parse_load_document(parser), *extra = NULL;
	enum fk_code rc = FK_OK;
	/* A playbook is one document: a second one (even a broken one) is refused, not ignored. */
	if (doc && fy_document_root(doc) && !fy_parser_get_stream_error(parser))
		extra = fy_parse_load_document(parser);
	if (!doc || !fy_document_root(doc) || fy_parser_get_stream_error(parser)) {
		void *it = NULL;
		/* libfyaml's collected errors count lines and columns from 1 (token marks from 0).
		 */
		struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
		char en[512], ja[512];
		snprintf(en, sizeof en, "%s%s (column %d): expected YAML",
		         de ? "broken YAML: " : "the file is empty or not YAML",
		         de && de->msg ? de->msg : "", de ? de->column : 1);
		snprintf(ja, sizeof ja, "%s%s (%d 桁目): YAML として読めるファイルが必要です",
		         de ? "YAML の構文エラー: " : "ファイルが空か YAML ではありません",
		         de && de->msg ? de->msg : "", de ? de->column : 1);
		rc = failf(&c, de ? de->line : 1, en, ja);
		goto out;
	}
	if (extra) {
		rc = failf(
		    &c, node_line(fy_document_root(extra), 1),
		    "a second YAML document follows the playbook: a file holds one playbook",
		    "プレイブックの後に2つ目の YAML 文書があります: 1ファイルに1つのプレイブック"
		    "にしてください");
		goto out;
	}

	struct fy_node *root = fy_document_root(doc), *v;
	static const char *const keys[] = {"playbook", "version", "title", "phases", NULL};
	int kl;
	long version = 0;
	rc = check_keys(&c, root, 1, "the playbook", keys);
	if (!rc)
		rc = required(&c, root, "playbook", 1, "the playbook", &v, &kl);
	if (!rc)
		rc = get_key(&c, v, kl, "playbook", &pb->name);
	if (!rc)
		rc = required(&c, root, "version", 1, "the playbook", &v, &kl);
	if (!rc)
		rc = get_int(&c, v, kl, "version", 1, 1, &version);
	pb->version = 1;
	if (!rc)
		rc = required(&c, root, "title", 1, "the playbook", &v, &kl);
	if (!rc)
		rc = get_i18n(&c, v, kl, "title", &pb->title_ja, &pb->title_en);
	if (!rc)
		rc = required(&c, root, "phases", 1, "the playbook", &v, &kl);
	if (!rc &&
	    (!fy_node_is_sequence(v) || fy_node_sequence_item_count(v) != FK_PLAYBOOK_PHASES)) {
		rc = failf(&c, kl, "'phases' must be a list of exactly 6 phases (no: 1 to 6)",
		           "'phases' にはちょうど 6 つのフェーズ (no: 1〜6) を指定してください");
	}
	if (!rc) {
		void *si = NULL;
		struct fy_node *pn;
		int i = 0;
		while (!rc && (pn = fy_node_sequence_iterate(v, &si))) {
			rc = parse_phase(&c, pn, node_line(pn, kl), i + 1, &pb->phases[i]);
			i++;
		}
	}
	if (!rc)
		rc = check_unique(&c);
out:
	if (extra)
		fy_parse_document_destroy(parser, extra);
	if (doc)
		fy_parse_document_destroy(parser, doc);
	fy_parser_destroy(parser);
	fy_diag_destroy(diag);
	if (rc)
		fk_playbook_release(pb);
	return rc;
}

enum fk_code fk_playbook_load_file(const char *path, struct fk_playbook *pb, struct fk_err *err)
{
	memset(pb, 0, sizeof *pb);
	FILE *f = fopen(path, "rb");
	if (!f)
		return FK_ERR(err, FK_EIO, path, "cannot open playbook '%s': %s",
		              "プレイブック '%s' を開けません: %s", path, strerror(errno));
	struct fk_buf b = FK_BUF_INIT;
	b.max = FK_PLAYBOOK_MAX_BYTES;
	char chunk[65536];
	size_t n;
	enum fk_code rc = FK_OK;
	while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		rc = fk_buf_add(&b, chunk, n);
	bool io_error = ferror(f);
	fclose(f);
	if (rc)
		rc = FK_ERR(err, FK_ETOOBIG, path, "playbook '%s' is larger than %u bytes",
		            "プレイブック '%s' が %u バイトを超えています", path,
		            FK_PLAYBOOK_MAX_BYTES);
	else if (io_error)
		rc = FK_ERR(err, FK_EIO, path, "cannot read playbook '%s'",
		            "プレイブック '%s' を読めません", path);
	else
		rc = fk_playbook_parse(b.ptr, b.len, path, pb, err);
	fk_buf_release(&b);
	return rc;
}

enum fk_code fk_playbook_load_default(struct fk_playbook *pb, struct fk_err *err)
{
	const struct fk_embedded *e = fk_embedded_find(FK_PLAYBOOK_DEFAULT);
	if (!e)
		abort(); /* the build embeds it */
	return fk_playbook_parse(e->data, e->len, FK_PLAYBOOK_DEFAULT, pb, err);
}

void fk_playbook_release(struct fk_playbook *pb)
{
	free(pb->name);
	free(pb->title_ja);
	free(pb->title_en);
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		struct fk_pb_phase *ph = &pb->phases[p];
		for (size_t g = 0; g < ph->n_groups; g++) {
			struct fk_pb_group *gr = &ph->groups[g];
			for (size_t i = 0; i < gr->n_items; i++) {
				struct fk_pb_item *it = &gr->items[i];
				free(it->id);
				free(it->title_ja);
				free(it->title_en);
				free(it->why_ja);
				free(it->why_en);
			}
			free(gr->items);
			free(gr->key);
			free(gr->title_ja);
			free(gr->title_en);
		}
		free(ph->groups);
		free(ph->key);
		free(ph->title_ja);
		free(ph->title_en);
	}
	memset(pb, 0, sizeof *pb);
}

static bool applies(const struct fk_pb_item *it, int kind)
{
	return !it->kinds || (it->kinds & (1u << kind));
}

size_t fk_playbook_count(const struct fk_playbook *pb, int kind)
{
	size_t n = 0;
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++)
		for (size_t g = 0; g < pb->phases[p].n_groups; g++)
			for (size_t i = 0; i < pb->phases[p].groups[g].n_items; i++)
				n += applies(&pb->phases[p].groups[g].items[i], kind);
	return n;
}

static char *dup_or_null(const char *s)
{
	return s ? fk_xstrdup(s) : NULL;
}

void fk_playbook_instantiate(const struct fk_playbook *pb, int kind, int64_t discovered_at,
                             struct fk_phase **phases, struct fk_task **tasks, size_t *n_tasks)
{
	size_t n = fk_playbook_count(pb, kind), k = 0;
	*phases = fk_xcalloc(FK_PLAYBOOK_PHASES, sizeof **phases);
	*tasks = fk_xcalloc(n, sizeof **tasks);
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		const struct fk_pb_phase *ph = &pb->phases[p];
		(*phases)[p] =
		    (struct fk_phase){ph->no, fk_xstrdup(ph->key), fk_xstrdup(ph->title_ja),
		                      fk_xstrdup(ph->title_en)};
		for (size_t g = 0; g < ph->n_groups; g++) {
			const struct fk_pb_group *gr = &ph->groups[g];
			for (size_t i = 0; i < gr->n_items; i++) {
				const struct fk_pb_item *it = &gr->items[i];
				if (!applies(it, kind))
					continue;
				struct fk_task *t = &(*tasks)[k];
				t->item_id = fk_xstrdup(it->id);
				t->phase = ph->no;
				t->seq = (int)++k;
				t->group_key = fk_xstrdup(gr->key);
				t->group_ja = fk_xstrdup(gr->title_ja);
				t->group_en = fk_xstrdup(gr->title_en);
				t->title_ja = fk_xstrdup(it->title_ja);
				t->title_en = fk_xstrdup(it->title_en);
				t->why_ja = dup_or_null(it->why_ja);
				t->why_en = dup_or_null(it->why_en);
				t->approval = it->approval;
				t->state = FK_TASK_TODO;
				t->due_at = it->due_hours ? discovered_at + it->due_hours * 3600LL
				                          : FK_TIME_NONE;
				t->updated_at = FK_TIME_NONE;
			}
		}
	}
	*n_tasks = n;
}
