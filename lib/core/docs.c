/*
 * docs.c - documents from templates (issue 7): which templates exist, where their text comes
 * from (the organisation's version in the database, else the one shipped in the binary),
 * rendering with visible placeholders for missing data, and the organisation's profile.
 */
#include "fukkyu/docs.h"
#include "core/core_int.h"
#include "fukkyu/people.h"
#include "store/store.h"
#include "util/embed.h"
#include "util/hash.h"
#include "util/markdown.h"
#include "util/mustache.h"

const struct fk_template_info fk_templates[] = {
    {"apology-company", "謝罪文 (被害を与えた会社宛)", "Apology letter to a company",
     FK_AUD_PARTNERS},
    {"web-notice", "ウェブサイトでのお知らせとお詫び", "Notice and apology on the web site",
     FK_AUD_USERS},
    {"user-explanation", "利用者への説明 (お詫び・原因・再発防止・補償)",
     "Explanation to users (apology, cause, prevention, compensation)", FK_AUD_USERS},
    {"appi-individual-notice", "本人への通知 (個人情報保護法第26条第2項)",
     "Notice to the individuals (APPI Art. 26(2))", FK_AUD_USERS},
    {"ppc-report", "個人情報保護委員会への報告 (速報・確報)",
     "Report to the Personal Information Protection Commission (preliminary, final)",
     FK_AUD_REGULATOR},
    {"jpcert-request", "JPCERT/CC へのインシデント対応依頼", "Coordination request to JPCERT/CC",
     FK_AUD_CERT},
    {"ipa-report", "IPA への届出 (不正アクセス・コンピュータウイルス)",
     "Report to IPA (unauthorised access, computer virus)", FK_AUD_CERT},
    {"recovery-plan", "復旧計画書 (承認用)", "Recovery plan for approval", FK_AUD_EMPLOYEES},
    {"recovery-complete", "復旧完了報告書", "Recovery completion report", FK_AUD_EMPLOYEES},
    {"post-incident", "事後報告書 (経営層向け)", "Post-incident report for management",
     FK_AUD_EMPLOYEES},
    {"lessons-learned", "教訓の記録", "Lessons-learned record", FK_AUD_EMPLOYEES},
};
const size_t fk_templates_n = FK_ARRAY_LEN(fk_templates);

const struct fk_enum fk_doc_formats[FK_DOC_FORMAT_COUNT] = {
    {"md", "Markdown", "Markdown"},
    {"html", "HTML page", "HTML ページ"},
    {"txt", "plain text", "テキスト"},
};

const struct fk_enum fk_org_fields[FK_ORG_FIELD_COUNT] = {
    {"name", "organisation name", "組織名"},
    {"name-en", "organisation name in English", "組織名 (英語)"},
    {"representative", "representative's name", "代表者名"},
    {"representative-en", "representative's name in English", "代表者名 (英語)"},
    {"title", "representative's title", "代表者の役職"},
    {"title-en", "representative's title in English", "代表者の役職 (英語)"},
    {"desk", "inquiry desk (department)", "お問い合わせ窓口 (部署)"},
    {"desk-en", "inquiry desk in English", "お問い合わせ窓口 (英語)"},
    {"phone", "inquiry phone", "お問い合わせ電話番号"},
    {"email", "inquiry e-mail", "お問い合わせメールアドレス"},
    {"website", "web site", "ウェブサイト"},
    {"address", "address", "所在地"},
    {"address-en", "address in English", "所在地 (英語)"},
};

#define TEMPLATE_DIR   "templates/"
#define TEMPLATE_MAX   (256u << 10)
#define TEMPLATE_NAME  64
#define LANG_KEY(lang) ((lang) == FK_LANG_JA ? "ja" : "en")

const struct fk_template_info *fk_template_find(const char *name)
{
	for (size_t i = 0; i < fk_templates_n; i++)
		if (!strcmp(fk_templates[i].name, name))
			return &fk_templates[i];
	return NULL;
}

static const struct fk_embedded *shipped(const char *name, enum fk_lang lang)
{
	char path[TEMPLATE_NAME + 32];
	snprintf(path, sizeof path, TEMPLATE_DIR "%s.%s.md", name, LANG_KEY(lang));
	return fk_embedded_find(path);
}

static bool valid_name(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > TEMPLATE_NAME)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}

static enum fk_code unknown_template(const char *name, struct fk_err *err)
{
	char list[1024] = "";
	size_t used = 0;
	for (size_t i = 0; i < fk_templates_n; i++) {
		int k = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
		                 fk_templates[i].name);
		if (k > 0 && (size_t)k < sizeof list - used)
			used += (size_t)k;
	}
	return FK_ERR(err, FK_ENOTFOUND, "template", "unknown template '%.64s': expected one of %s",
	              "テンプレート '%.64s' はありません: 次のいずれかを指定してください: %s", name,
	              list);
}

enum fk_code fk_template_text(struct fk_ctx *c, const char *name, enum fk_lang lang, char **text,
                              int64_t *version, struct fk_err *err)
{
	*text = NULL;
	*version = 0;
	const struct fk_embedded *e = valid_name(name) ? shipped(name, lang) : NULL;
	if (!e)
		return unknown_template(name, err);
	enum fk_code rc = fk_store_template(c->st, name, LANG_KEY(lang), text, version, err);
	if (!rc && !*text) {
		*text = fk_xstrdup(e->data);
		*version = 0;
	}
	return rc;
}

void fk_template_partials(void (*fn)(void *ctx, const char *name), void *ctx)
{
	for (const struct fk_embedded *e = fk_embedded_files; e->name; e++) {
		size_t n = strlen(e->name);
		if (strncmp(e->name, TEMPLATE_DIR "_", sizeof TEMPLATE_DIR) || n < 7 ||
		    strcmp(e->name + n - 6, ".ja.md"))
			continue;
		char name[TEMPLATE_NAME + 1];
		snprintf(name, sizeof name, "%.*s", (int)(n - 6 - (sizeof TEMPLATE_DIR - 1)),
		         e->name + sizeof TEMPLATE_DIR - 1);
		fn(ctx, name);
	}
}

/* ---- rendering ------------------------------------------------------------------------- */

struct render_ctx {
	struct fk_ctx *c;
	enum fk_lang lang;
	/* the text being checked by fk_template_set stands in for its own name */
	const char *self_name, *self_text;
	char **loaded; /* partials' texts by name (loaded once), freed after the render */
	char **loaded_names;
	size_t nloaded;
	char **missing;
	size_t nmissing;
};

static const char *partial(void *ctx, const char *name)
{
	struct render_ctx *r = ctx;
	if (r->self_name && !strcmp(name, r->self_name))
		return r->self_text;
	for (size_t i = 0; i < r->nloaded; i++)
		if (!strcmp(r->loaded_names[i], name))
			return r->loaded[i];
	char *text;
	int64_t version;
	if (fk_template_text(r->c, name, r->lang, &text, &version, NULL))
		return NULL;
	r->loaded = fk_xrealloc(r->loaded, (r->nloaded + 1) * sizeof *r->loaded);
	r->loaded_names = fk_xrealloc(r->loaded_names, (r->nloaded + 1) * sizeof *r->loaded_names);
	r->loaded_names[r->nloaded] = fk_xstrdup(name);
	r->loaded[r->nloaded++] = text;
	return text;
}

static void missing(void *ctx, const char *name, struct fk_buf *out)
{
	struct render_ctx *r = ctx;
	bool seen = false;
	for (size_t i = 0; i < r->nmissing && !seen; i++)
		seen = !strcmp(r->missing[i], name);
	if (!seen) {
		r->missing = fk_xrealloc(r->missing, (r->nmissing + 1) * sizeof *r->missing);
		r->missing[r->nmissing++] = fk_xstrdup(name);
	}
	/* strong, so that it stands out in every format; the name escaped for Markdown */
	if (fk_buf_adds(out, r->lang == FK_LANG_JA ? "**［未記入: " : "**[MISSING: "))
		return;
	for (const char *p = name; *p; p++)
		if ((strchr("\\`*_[]<>&|#~", *p) && fk_buf_addch(out, '\\')) ||
		    fk_buf_addch(out, *p))
			return;
	(void)fk_buf_adds(out, r->lang == FK_LANG_JA ? "］**" : "]**");
}

static void render_ctx_release(struct render_ctx *r)
{
	for (size_t i = 0; i < r->nloaded; i++) {
		free(r->loaded[i]);
		free(r->loaded_names[i]);
	}
	free(r->loaded);
	free(r->loaded_names);
	for (size_t i = 0; i < r->nmissing; i++)
		free(r->missing[i]);
	free(r->missing);
}

static enum fk_code too_big(struct fk_err *err)
{
	return FK_ERR(err, FK_ETOOBIG, "template",
	              "the document is over %u KiB: does a section repeat a long list inside "
	              "another?",
	              "文書が %u KiB を超えました: 長い一覧の中で別の一覧を繰り返していませんか",
	              FK_DOC_MAX >> 10);
}

enum fk_code fk_doc_render(struct fk_ctx *c, const char *name, enum fk_lang lang,
                           enum fk_doc_format fmt, json_t *data, const char *title,
                           struct fk_doc *out, struct fk_err *err)
{
	memset(out, 0, sizeof *out);
	if (!fk_template_find(name))
		return unknown_template(name, err);
	char *text;
	enum fk_code rc = fk_template_text(c, name, lang, &text, &out->version, err);
	if (rc)
		return rc;
	char origin[TEMPLATE_NAME + 40];
	snprintf(origin, sizeof origin, "%s.%s.md%s", name, LANG_KEY(lang),
	         out->version ? " (organisation's version)" : "");
	struct render_ctx r = {.c = c, .lang = lang};
	struct fk_mustache m = {partial, missing, &r, FK_ESC_MARKDOWN};
	struct fk_buf md, res;
	fk_buf_init(&md, FK_DOC_MAX);
	fk_buf_init(&res, FK_DOC_MAX);
	rc = fk_mustache_render(&m, text, origin, data, &md, err);
	if (rc == FK_ETOOBIG && md.toobig) /* else the engine's own: too much work */
		rc = too_big(err);
	if (!rc && fmt == FK_DOC_HTML)
		rc = fk_md_html(md.ptr, md.len, title, LANG_KEY(lang), &res);
	else if (!rc && fmt == FK_DOC_TXT)
		rc = fk_md_text(md.ptr, md.len, &res);
	if (rc == FK_ETOOBIG && !err->en[0])
		rc = too_big(err);
	free(text);
	if (!rc) {
		struct fk_buf *keep = fmt == FK_DOC_MD ? &md : &res;
		out->len = keep->len;
		out->text = fk_buf_detach(keep);
		out->missing = r.missing;
		out->nmissing = r.nmissing;
		r.missing = NULL;
		r.nmissing = 0;
	}
	fk_buf_release(&md);
	fk_buf_release(&res);
	render_ctx_release(&r);
	return rc;
}

void fk_doc_release(struct fk_doc *d)
{
	free(d->text);
	for (size_t i = 0; i < d->nmissing; i++)
		free(d->missing[i]);
	free(d->missing);
	memset(d, 0, sizeof *d);
}

/* The partials text includes ({{> name}} with the default delimiters), each must be a template
 * there is, and none may lead back to one on the way (path: the names being checked, to
 * the depth of FK_MUSTACHE_DEPTH): checked without data, so that an include inside a section
 * is found too. */
static enum fk_code check_partials(struct render_ctx *r, const char *text, const char *origin,
                                   const char **path, int depth, struct fk_err *err)
{
	for (const char *p = strstr(text, "{{>"); p; p = strstr(p + 3, "{{>")) {
		const char *q = p + 3, *end;
		while (*q == ' ' || *q == '\t')
			q++;
		if (!(end = strstr(q, "}}")))
			break;
		size_t n = (size_t)(end - q);
		while (n && (q[n - 1] == ' ' || q[n - 1] == '\t'))
			n--;
		char inc[TEMPLATE_NAME + 1];
		if (n > TEMPLATE_NAME)
			n = TEMPLATE_NAME;
		snprintf(inc, sizeof inc, "%.*s", (int)n, q);
		for (int k = 0; k < depth; k++)
			if (!strcmp(path[k], inc))
				return FK_ERR(
				    err, FK_EINVAL, origin,
				    "%s: '{{> %s}}' includes '%s' again: a partial that includes "
				    "itself never ends",
				    "%s: '{{> %s}}' が '%s' を再び含んでいます: 自分自身を含む部分"
				    "テンプレートは終わりません",
				    origin, inc, path[0]);
		const char *sub = partial(r, inc);
		if (!sub)
			return FK_ERR(err, FK_ENOTFOUND, origin,
			              "%s: '{{> %s}}' names no template (partials: see 'fukkyu doc "
			              "list-templates')",
			              "%s: '{{> %s}}' というテンプレートはありません ('fukkyu doc "
			              "list-templates' を参照)",
			              origin, inc);
		if (depth + 1 >= FK_MUSTACHE_DEPTH)
			return FK_ERR(err, FK_EINVAL, origin, "%s: partials nested over %d deep",
			              "%s: 部分テンプレートの入れ子が %d 段を超えています", origin,
			              FK_MUSTACHE_DEPTH);
		path[depth] = inc;
		enum fk_code rc = check_partials(r, sub, origin, path, depth + 1, err);
		if (rc)
			return rc;
	}
	return FK_OK;
}

enum fk_code fk_template_set(struct fk_ctx *c, const char *name, enum fk_lang lang,
                             const char *text, const char *origin, int64_t *version,
                             struct fk_err *err)
{
	if (!valid_name(name) || !shipped(name, lang))
		return unknown_template(name, err);
	enum fk_code rc = text ? fk_core_check_text(text, origin, TEMPLATE_MAX, true, err) : FK_OK;
	if (rc)
		return rc;
	if (text) {
		/* it must render: every tag closed, no partial including itself */
		struct render_ctx r = {.c = c, .lang = lang, .self_name = name, .self_text = text};
		struct fk_mustache m = {partial, NULL, &r, FK_ESC_MARKDOWN};
		struct fk_buf out;
		json_t *empty = json_object();
		fk_buf_init(&out, FK_DOC_MAX);
		const char *path[FK_MUSTACHE_DEPTH] = {name};
		rc = check_partials(&r, text, origin, path, 1, err);
		if (!rc)
			rc = fk_mustache_render(&m, text, origin, empty, &out, err);
		if (rc == FK_ETOOBIG && out.toobig)
			rc = too_big(err);
		json_decref(empty);
		fk_buf_release(&out);
		render_ctx_release(&r);
		if (rc)
			return rc;
	}
	char sha[65] = "";
	if (text)
		fk_sha256_hex(text, strlen(text), sha);
	if ((rc = fk_store_begin(c->st, c->actor, c->now, err)))
		return rc;
	rc = fk_store_template_put(c->st, name, LANG_KEY(lang), text, text ? sha : NULL, version,
	                           err);
	return fk_core_finish(c, rc, err);
}

/* ---- the organisation ------------------------------------------------------------------ */

void fk_org_value_release(struct fk_org_value *v)
{
	free(v->field);
	free(v->value);
}

enum fk_code fk_org_set(struct fk_ctx *c, const char *const values[FK_ORG_FIELD_COUNT],
                        struct fk_err *err)
{
	enum fk_code rc = FK_OK;
	bool any = false;
	for (int i = 0; i < FK_ORG_FIELD_COUNT && !rc; i++) {
		char opt[40];
		snprintf(opt, sizeof opt, "--%s", fk_org_fields[i].key);
		any |= values[i] != NULL;
		rc = fk_core_check_line(values[i], opt, false, err);
		if (!rc && values[i] && strlen(values[i]) > FK_TITLE_MAX)
			rc = FK_ERR(err, FK_EINVAL, opt, "%s is over %d bytes",
			            "%s が %d バイトを超えています", opt, FK_TITLE_MAX);
	}
	if (!rc && !any)
		rc = FK_ERR0(err, FK_EUSAGE, NULL, "nothing to change: give a field such as --name",
		             "変更する項目がありません: --name などを指定してください");
	if (rc || (rc = fk_store_begin(c->st, c->actor, c->now, err)))
		return rc;
	for (int i = 0; i < FK_ORG_FIELD_COUNT && !rc; i++)
		if (values[i])
			rc = fk_store_org_set(c->st, fk_org_fields[i].key,
			                      *values[i] ? values[i] : NULL, err);
	return fk_core_finish(c, rc, err);
}

enum fk_code fk_org_json(struct fk_ctx *c, enum fk_lang lang, json_t **out, struct fk_err *err)
{
	struct fk_org_value *v;
	size_t n;
	enum fk_code rc = fk_store_org(c->st, &v, &n, err);
	if (rc)
		return rc;
	json_t *o = json_object();
	/* the language's own field first ("name" is Japanese, "name-en" English; a field with
	 * no English twin, such as "phone", is both), the other language's as a fallback */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			char key[48];
			size_t len = strlen(v[i].field);
			bool en = len > 3 && !strcmp(v[i].field + len - 3, "-en");
			snprintf(key, sizeof key, "%s-en", v[i].field);
			bool twin = en || fk_enum_parse(fk_org_fields, FK_ORG_FIELD_COUNT, key,
			                                "field", &(int){0}, NULL) == FK_OK;
			bool own = !twin || en == (lang == FK_LANG_EN);
			snprintf(key, sizeof key, "%.*s", (int)(en ? len - 3 : len), v[i].field);
			if ((pass == 0) == own && !json_object_get(o, key))
				json_object_set_new(o, key, json_string(v[i].value));
		}
	FK_FREE_ARRAY(v, n, fk_org_value_release);
	*out = o;
	return FK_OK;
}
