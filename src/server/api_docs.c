/*
 * api_docs.c - documents, exports, closed cases and the organisation's profile over HTTP
 * (cmd_doc.c and cmd_export.c's JSON). A document or an export is JSON by default; with
 * ?download=1 it is the file itself (Content-Disposition: attachment).
 */
#include "fukkyu/common.h"
#include "fukkyu/docs.h"
#include "fukkyu/people.h"
#include "server.h"
#include "store/store.h"

enum fk_code h_templates(struct req *r)
{
	return cli_templates_doc(&r->c, &r->out);
}

/* ?lang=ja|en (default: the request's language), ?format=md|html|txt (default md). */
static enum fk_code doc_args(struct req *r, int *lang, int *format)
{
	static const struct fk_enum langs[] = {{"en", "English", "英語"},
	                                       {"ja", "Japanese", "日本語"}};
	const char *l = req_query(r, "lang"), *f = req_query(r, "format");
	*lang = r->c.lang == FK_LANG_JA;
	*format = FK_DOC_MD;
	enum fk_code rc = l ? fk_enum_parse(langs, 2, l, "lang", lang, &r->c.err) : FK_OK;
	if (!rc && f)
		rc = fk_enum_parse(fk_doc_formats, FK_DOC_FORMAT_COUNT, f, "format", format,
		                   &r->c.err);
	return rc;
}

static bool download(struct req *r)
{
	const char *d = req_query(r, "download");
	return d && !strcmp(d, "1");
}

static void as_file(struct req *r, char *text, size_t len, const char *type, const char *ref,
                    const char *name)
{
	r->raw = text;
	r->raw_len = len;
	r->raw_type = type;
	snprintf(r->raw_name, sizeof r->raw_name, "%.40s-%.110s", ref, name);
}

enum fk_code h_document(struct req *r)
{
	static const char *const types[] = {"text/markdown; charset=utf-8",
	                                    "text/html; charset=utf-8",
	                                    "text/plain; charset=utf-8"};
	struct fk_incident inc;
	struct fk_doc d = {0};
	int lang, format;
	enum fk_code rc = doc_args(r, &lang, &format);
	if (rc || (rc = req_incident(r, &inc)))
		return rc;
	if (!(rc = cli_render(&r->c, &inc, r->params[1], (enum fk_lang)lang, format,
	                      req_query(r, "to"), &d))) {
		if (download(r)) {
			char name[320];
			snprintf(name, sizeof name, "%s.%s.%s", r->params[1], lang ? "ja" : "en",
			         fk_doc_formats[format].key);
			as_file(r, d.text, d.len, types[format], inc.ref, name);
			d.text = NULL;
		} else {
			r->out = cli_doc_json(inc.ref, r->params[1], lang, format, &d, NULL, true);
		}
	}
	fk_doc_release(&d);
	fk_incident_release(&inc);
	return rc;
}

/* Renders the document (Markdown) and saves it as a draft in the communications log. */
enum fk_code h_document_save(struct req *r)
{
	struct fk_incident inc;
	struct fk_doc d = {0};
	json_t *body = NULL;
	const char *to = NULL, *lang_key = NULL;
	int lang = r->c.lang == FK_LANG_JA;
	enum fk_code rc = req_incident(r, &inc);
	if (rc)
		return rc;
	if (!(rc = req_json(r, &body)) && !(rc = body_str(r, body, "to", &to)) &&
	    !(rc = body_str(r, body, "lang", &lang_key)) && lang_key) {
		if (strcmp(lang_key, "ja") && strcmp(lang_key, "en"))
			rc = FK_ERR0(&r->c.err, FK_EINVAL, "lang", "lang: expected ja or en",
			             "lang: ja または en を指定してください");
		lang = !strcmp(lang_key, "ja");
	}
	if (!rc)
		rc = cli_render(&r->c, &inc, r->params[1], (enum fk_lang)lang, FK_DOC_MD, to, &d);
	if (!rc) {
		const struct fk_template_info *ti = fk_template_find(r->params[1]);
		struct fk_comm m = {.audience = ti->audience};
		char code[16];
		m.title = cli_doc_title(ti, (enum fk_lang)lang, inc.ref);
		if (!(rc = fk_comm_add(&r->c.ctx, inc.ref, &m, d.text, &r->c.err))) {
			snprintf(code, sizeof code, "C%d", m.no);
			r->status = 201;
			r->out =
			    cli_doc_json(inc.ref, r->params[1], lang, FK_DOC_MD, &d, code, false);
		}
		fk_comm_release(&m);
	}
	fk_doc_release(&d);
	json_decref(body);
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_export(struct req *r)
{
	static const struct fk_enum formats[] = {{"veris", "VERIS 1.4", "VERIS 1.4"},
	                                         {"stix", "STIX 2.1", "STIX 2.1"}};
	const char *f = req_query(r, "format");
	int format;
	struct fk_incident inc;
	json_t *doc = NULL;
	enum fk_code rc = fk_enum_parse(formats, 2, f ? f : "", "format", &format, &r->c.err);
	if (rc || (rc = req_incident(r, &inc)))
		return rc;
	rc = format ? cli_stix_doc(&r->c, &inc, &doc) : cli_veris_doc(&r->c, &inc, &doc);
	if (!rc && download(r)) {
		char *text = json_dumps(doc, JSON_INDENT(2));
		as_file(r, text, strlen(text), "application/json; charset=utf-8", inc.ref,
		        format ? "stix.json" : "veris.json");
		json_decref(doc);
	} else if (!rc) {
		r->out = doc;
	}
	fk_incident_release(&inc);
	return rc;
}

enum fk_code h_cases(struct req *r)
{
	const char *search = req_query(r, "search"), *k = req_query(r, "kind");
	int kind = FK_UNSET;
	struct fk_case *cs;
	size_t n;
	enum fk_code rc =
	    k && *k ? fk_enum_parse(fk_kinds, FK_KIND_COUNT, k, "kind", &kind, &r->c.err) : FK_OK;
	if (!rc && search && strlen(search) > 200)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "search", "search: at most 200 bytes",
		             "search: 200 バイトまでです");
	if (rc || (rc = fk_store_cases(r->c.st, search, kind, &cs, &n, &r->c.err)))
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		struct fk_incident inc;
		/* only the cases the asker may see */
		if (req_incident_id(r, cs[i].ref, &inc))
			continue;
		fk_incident_release(&inc);
		json_t *lessons = json_array();
		for (size_t j = 0; j < cs[i].nlessons; j++)
			json_array_append_new(lessons, json_string(cs[i].lessons[j]));
		json_array_append_new(
		    list,
		    json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "ref", cs[i].ref, "title",
		              cs[i].title, "kind", fk_kinds[cs[i].kind].key, "discovered_at",
		              cli_json_time(&r->c, cs[i].discovered_at), "closed_at",
		              cli_json_time(&r->c, cs[i].closed_at), "root_cause",
		              cli_json_str(cs[i].root_cause), "lessons", lessons));
	}
	FK_FREE_ARRAY(cs, n, fk_case_release);
	fk_err_clear(&r->c.err);
	r->out = json_pack("{s:o, s:o}", "search", cli_json_str(search), "cases", list);
	return FK_OK;
}

enum fk_code h_org(struct req *r)
{
	return cli_org_doc(&r->c, &r->out);
}

enum fk_code h_org_set(struct req *r)
{
	json_t *body;
	const char *values[FK_ORG_FIELD_COUNT] = {0};
	enum fk_code rc = req_json(r, &body);
	for (int f = 0; !rc && f < FK_ORG_FIELD_COUNT; f++)
		rc = body_str(r, body, fk_org_fields[f].key, &values[f]);
	if (!rc && !(rc = fk_org_set(&r->c.ctx, values, &r->c.err)))
		rc = h_org(r);
	json_decref(body);
	return rc;
}

/* ?lang=ja|en: which language's text. */
static enum fk_code template_lang(struct req *r, int *lang)
{
	int format;
	return doc_args(r, lang, &format);
}

enum fk_code h_template(struct req *r)
{
	int lang;
	char *text;
	int64_t v;
	enum fk_code rc = template_lang(r, &lang);
	if (rc || (rc = fk_template_text(&r->c.ctx, r->params[0], (enum fk_lang)lang, &text, &v,
	                                 &r->c.err)))
		return rc;
	r->out = json_pack("{s:s, s:s, s:I, s:s}", "name", r->params[0], "lang", lang ? "ja" : "en",
	                   "version", (json_int_t)v, "text", text);
	free(text);
	return FK_OK;
}

static enum fk_code template_put(struct req *r, bool reset)
{
	int lang;
	json_t *body = NULL;
	const char *text = NULL;
	int64_t v = 0;
	enum fk_code rc = template_lang(r, &lang);
	if (!rc && !reset && !(rc = req_json(r, &body)) &&
	    !(rc = body_str(r, body, "text", &text)) && !text)
		rc = FK_ERR0(&r->c.err, FK_EINVAL, "text", "give the template's text",
		             "テンプレートの本文 (text) を指定してください");
	if (!rc)
		rc = fk_template_set(&r->c.ctx, r->params[0], (enum fk_lang)lang, text, "text", &v,
		                     &r->c.err);
	json_decref(body);
	return rc ? rc : h_template(r);
}

enum fk_code h_template_set(struct req *r)
{
	return template_put(r, false);
}

enum fk_code h_template_reset(struct req *r)
{
	return template_put(r, true);
}
