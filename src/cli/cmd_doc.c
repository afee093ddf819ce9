/*
 * cmd_doc.c - fukkyu doc: the documents of an incident from templates (issue 7), and
 * fukkyu org: the organisation's profile they are signed with.
 *
 * The data a template sees is built here from the same JSON documents the CLI prints and the
 * API answers (cli_doc_data), made easy to write templates against: {"ja", "en"} pairs are
 * resolved to the document's language, empty values are left out (so a template's {{name}}
 * shows a placeholder rather than a blank), and every time and amount gains a written form
 * (discovered_at_text, discovered_at_date, amount_text). `fukkyu doc data ID` prints it.
 */
#include "cli.h"
#include "fukkyu/docs.h"
#include "fukkyu/clocks.h"
#include "fukkyu/lessons.h"
#include "fukkyu/people.h"
#include "fukkyu/plan.h"
#include "fukkyu/sweep.h"
#include "store/store.h"
#include "util/time.h"

#include <errno.h>
#include <unistd.h>
#include <inttypes.h>
#include <strings.h>

static const struct fk_enum LANGS[] = {{"en", "English", "英語"}, {"ja", "Japanese", "日本語"}};

/* ---- the data a template sees -------------------------------------------------------- */

static bool is_time(const char *s)
{
	/* 2026-07-06T07:20+09:00, with seconds or Z: what cli_json_time writes */
	size_t n = strlen(s);
	if (n < 17 || n > 25 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':')
		return false;
	for (size_t i = 0; i < 16; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && (s[i] < '0' || s[i] > '9'))
			return false;
	return s[n - 1] == 'Z' || s[n - 6] == '+' || s[n - 6] == '-';
}

static const char *const MONTHS[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

/* "2004年7月6日 7時20分" / "6 July 2004, 07:20" and the date alone, in the display zone. */
static void written_time(struct cli *c, enum fk_lang lang, int64_t t, char text[static 64],
                         char date[static 48])
{
	int64_t local = t + fk_tz_offset(c->tz, t);
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t secs = local - days * 86400, y;
	unsigned m, d;
	fk_civil_from_days(days, &y, &m, &d);
	int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60);
	if (lang == FK_LANG_JA) {
		snprintf(date, 48, "%" PRId64 "年%u月%u日", y, m, d);
		snprintf(text, 64, "%s %d時%02d分", date, hh, mm);
	} else {
		snprintf(date, 48, "%u %s %" PRId64, d, MONTHS[(m - 1) % 12], y);
		snprintf(text, 64, "%s, %02d:%02d", date, hh, mm);
	}
}

static bool is_amount_key(const char *k)
{
	static const char *const keys[] = {"amount", "damage_amount", "offered",  "paid",
	                                   "cost",   "direct",        "indirect", "costs",
	                                   "total",  "unallocated",   "count"};
	for (size_t i = 0; i < FK_ARRAY_LEN(keys); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return false;
}

static json_t *written_amount(json_int_t v)
{
	char digits[32], out[48];
	size_t n = (size_t)snprintf(digits, sizeof digits, "%" JSON_INTEGER_FORMAT, v < 0 ? -v : v),
	       o = 0;
	if (v < 0)
		out[o++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return json_string(out);
}

static bool empty(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)) ||
	       (json_is_array(v) && !json_array_size(v)) ||
	       (json_is_object(v) && !json_object_size(v));
}

/* Resolves {"ja", "en"} to lang; drops empty values; adds KEY_text (and KEY_date) to times
 * and amounts. Returns the value to keep (a new reference), or NULL to drop it. */
static json_t *normalise(struct cli *c, enum fk_lang lang, json_t *v)
{
	if (json_is_object(v) && json_object_size(v) == 2 &&
	    json_is_string(json_object_get(v, "ja")) && json_is_string(json_object_get(v, "en")))
		return json_incref(json_object_get(v, lang == FK_LANG_JA ? "ja" : "en"));
	if (json_is_array(v)) {
		json_t *a = json_array();
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			json_t *k = normalise(c, lang, e);
			if (k)
				json_array_append_new(a, k);
		}
		if (!json_array_size(a)) {
			json_decref(a);
			return NULL;
		}
		return a;
	}
	if (!json_is_object(v))
		return empty(v) ? NULL : json_incref(v);
	json_t *o = json_object(), *e;
	const char *key;
	json_object_foreach(v, key, e)
	{
		json_t *k = normalise(c, lang, e);
		if (!k)
			continue;
		char extra[96];
		int64_t t;
		if (json_is_string(k) && is_time(json_string_value(k)) &&
		    !fk_time_parse(json_string_value(k), "UTC", key, &t, NULL)) {
			char text[64], date[48];
			written_time(c, lang, t, text, date);
			snprintf(extra, sizeof extra, "%s_text", key);
			json_object_set_new(o, extra, json_string(text));
			snprintf(extra, sizeof extra, "%s_date", key);
			json_object_set_new(o, extra, json_string(date));
		} else if (json_is_integer(k) && is_amount_key(key)) {
			snprintf(extra, sizeof extra, "%s_text", key);
			json_object_set_new(o, extra, written_amount(json_integer_value(k)));
		} else if (json_is_real(k) &&
		           !strcmp(key, "coverage")) { /* a fraction, as a percent */
			char pct[16];
			snprintf(pct, sizeof pct, "%.0f%%", json_real_value(k) * 100);
			json_object_set_new(o, "coverage_text", json_string(pct));
		}
		json_object_set_new(o, key, k);
	}
	if (!json_object_size(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Moves doc[key] (a built document's list) into data[as]. */
static void take(json_t *data, const char *as, json_t *doc, const char *key)
{
	json_t *v = json_object_get(doc, key);
	if (v)
		json_object_set(data, as, v);
	json_decref(doc);
}

/* The entries of list by their key (the first of each): the timeline by mark, roles by role,
 * clocks by key. Each is a copy without that key: in {{#role.approver}}, a "role" of the
 * entry would hide the top-level "role" that {{role.approver.name}} means. */
static json_t *index_by(json_t *list, const char *key)
{
	json_t *o = json_object(), *e;
	size_t i;
	json_array_foreach(list, i, e)
	{
		const char *k = json_string_value(json_object_get(e, key));
		if (k && !json_object_get(o, k)) {
			json_t *copy = json_deep_copy(e);
			json_object_del(copy, key);
			json_object_set_new(o, k, copy);
		}
	}
	return o;
}

/* Drops the incident's reference that every record's JSON carries ("incident": "INC-...")
 * below the top level: it would hide the top-level "incident" inside a section. */
static void drop_refs(json_t *v, const char *ref, int depth)
{
	size_t i;
	json_t *e;
	const char *k;
	void *tmp;
	if (json_is_array(v))
		json_array_foreach(v, i, e) drop_refs(e, ref, depth + 1);
	if (!json_is_object(v))
		return;
	json_object_foreach_safe(v, tmp, k, e)
	{
		if (depth && !strcmp(k, "incident") && json_is_string(e) &&
		    !strcmp(json_string_value(e), ref))
			json_object_del(v, k);
		else
			drop_refs(e, ref, depth + 1);
	}
}

/* Adds KEY_label ({"ja", "en"}) to o for its enum value o[key]. */
static void label(json_t *o, const char *key, const struct fk_enum *t, size_t n)
{
	const char *v = json_string_value(json_object_get(o, key));
	char name[64];
	for (size_t i = 0; v && i < n; i++)
		if (!strcmp(t[i].key, v)) {
			snprintf(name, sizeof name, "%s_label", key);
			json_object_set_new(o, name, cli_json_i18n(t[i].ja, t[i].en));
		}
}

static void label_each(json_t *list, const char *key, const struct fk_enum *t, size_t n)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) label(e, key, t, n);
}

/* The entry of list whose "id" is code, or NULL. */
static json_t *find_id(json_t *list, const char *code)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		const char *id = json_string_value(json_object_get(e, "id"));
		if (id && !strcasecmp(id, code))
			return e;
	}
	return NULL;
}

enum fk_code cli_doc_data(struct cli *c, const struct fk_incident *inc, enum fk_lang lang,
                          const char *to, json_t **out)
{
	json_t *raw = json_object(), *doc = NULL, *org = NULL;
	enum fk_code rc = fk_org_json(&c->ctx, lang, &org, &c->err);
	if (!rc) {
		json_object_set_new(raw, "org", org);
		json_object_set_new(raw, "lang", json_string(lang == FK_LANG_JA ? "ja" : "en"));
		json_object_set_new(raw, "today", cli_json_time(c, c->ctx.now));
		json_t *i = cli_incident_json(c, inc);
		json_object_set_new(i, "kind_label",
		                    cli_json_i18n(fk_kinds[inc->kind].ja, fk_kinds[inc->kind].en));
		json_object_set_new(i, "severity_label",
		                    cli_json_i18n(fk_severities[inc->severity].ja,
		                                  fk_severities[inc->severity].en));
		json_object_set_new(raw, "incident", i);
	}
	if (!rc && !(rc = cli_timeline_doc(c, inc, &doc))) {
		json_object_set_new(raw, "marks",
		                    index_by(json_object_get(doc, "timeline"), "mark"));
		take(raw, "timeline", doc, "timeline");
	}
	if (!rc && !(rc = cli_roles_doc(c, inc, &doc))) {
		json_object_set_new(raw, "role", index_by(json_object_get(doc, "roles"), "role"));
		take(raw, "roles", doc, "roles");
	}
	if (!rc && !(rc = cli_handover_doc(c, inc, &doc)))
		take(raw, "handover", doc, "handover");
	if (!rc && !(rc = cli_plan_doc(c, inc, &doc)))
		json_object_set_new(raw, "plan", doc);
	if (!rc && !(rc = cli_cause_doc(c, inc, &doc)))
		json_object_set_new(raw, "cause", doc);
	if (!rc && !(rc = cli_lessons_doc(c, inc, &doc)))
		take(raw, "lessons", doc, "lessons");
	if (!rc && !(rc = cli_end_doc(c, inc, &doc)))
		json_object_set_new(raw, "recovery", doc);
	if (!rc && !(rc = cli_affected_doc(c, inc, &doc))) {
		json_t *persons = json_array(), *companies = json_array(), *e;
		size_t k;
		json_array_foreach(json_object_get(doc, "affected"), k, e) json_array_append(
		    strcmp(json_string_value(json_object_get(e, "kind")), "company") ? persons
		                                                                     : companies,
		    e);
		json_object_set_new(doc, "persons", persons);
		json_object_set_new(doc, "companies", companies);
		json_object_set_new(raw, "affected", doc);
	}
	if (!rc && !(rc = cli_reporters_doc(c, inc, &doc)))
		take(raw, "reporters", doc, "reporters");
	if (!rc && !(rc = cli_damage_doc(c, inc, "JPY", &doc))) {
		json_t *parties = json_array(), *v;
		const char *party;
		json_object_foreach(json_object_get(doc, "by_party"), party, v)
		    json_array_append_new(parties,
		                          json_pack("{s:s, s:O}", "party", party, "amount", v));
		json_object_set_new(doc, "parties", parties);
		json_object_set_new(raw, "damage", doc);
	}
	if (!rc && !(rc = cli_measures_doc(c, inc, &doc)))
		take(raw, "measures", doc, "measures");
	if (!rc && !(rc = cli_sweep_status(c, inc, 20, &doc)))
		json_object_set_new(raw, "sweep", doc);
	if (!rc && !(rc = cli_deadlines_doc(c, inc->ref, true, NULL, 0, &doc)))
		take(raw, "deadlines", doc, "deadlines");
	if (!rc && !(rc = cli_evidence_doc(c, inc, &doc)))
		take(raw, "evidence", doc, "evidence");
	if (!rc) {
		/* whom a letter is to: --to A1 / R1, else the first company harmed, else the
		 * first reporter */
		json_t *aff = json_object_get(json_object_get(raw, "affected"), "affected");
		json_t *rep = json_object_get(raw, "reporters"), *r = NULL;
		if (to && !(r = find_id(aff, to)) && !(r = find_id(rep, to)))
			rc = FK_ERR(
			    &c->err, FK_ENOTFOUND, "--to",
			    "%s has no affected entry or reporter '%.20s' (see 'affected list', "
			    "'reporter list')",
			    "%s に被害者・通報者 '%.20s' はありません ('affected list'、'reporter "
			    "list' を参照)",
			    inc->ref, to);
		if (!to) {
			r = json_array_get(
			    json_object_get(json_object_get(raw, "affected"), "companies"), 0);
			if (!r)
				r = json_array_get(rep, 0);
		}
		if (r)
			json_object_set(raw, "recipient", r);
	}
	if (!rc && !(rc = cli_comms_doc(c, inc, &doc))) {
		/* what was said to the outside (the PPC report's item 7): the statements, not
		 * their texts */
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(doc, "communications"), i, e)
		{
			json_object_del(e, "text");
			json_object_del(e, "sha256");
		}
		take(raw, "communications", doc, "communications");
	}
	if (!rc) {
		json_object_set_new(raw, "deadline",
		                    index_by(json_object_get(raw, "deadlines"), "key"));
		label(json_object_get(raw, "plan"), "level", fk_plan_levels, FK_LEVEL_COUNT);
		label(json_object_get(raw, "plan"), "state", fk_plan_states, FK_PLAN_STATE_COUNT);
		label(json_object_get(raw, "cause"), "origin", fk_origins, FK_ORIGIN_COUNT);
		label_each(json_object_get(raw, "lessons"), "kind", fk_lesson_kinds, FK_LK_COUNT);
		label_each(json_object_get(raw, "lessons"), "state", fk_lesson_states, FK_LS_COUNT);
		label_each(json_object_get(raw, "measures"), "kind", fk_measure_kinds, FK_MK_COUNT);
		label_each(json_object_get(raw, "deadlines"), "state", fk_clock_states,
		           FK_CLOCK_STATE_COUNT);
		label_each(json_object_get(raw, "reporters"), "channel", fk_channels, FK_CH_COUNT);
		label_each(json_object_get(raw, "communications"), "audience", fk_audiences,
		           FK_AUD_COUNT);
		label_each(json_object_get(raw, "communications"), "state", fk_comm_states,
		           FK_COMM_STATE_COUNT);
		json_t *aff = json_object_get(raw, "affected");
		const char *lists[] = {"affected", "persons", "companies"};
		for (int l = 0; l < 3; l++) {
			label_each(json_object_get(aff, lists[l]), "notice", fk_notices,
			           FK_NOTICE_COUNT);
			label_each(json_object_get(aff, lists[l]), "kind", fk_affected_kinds,
			           FK_AK_COUNT);
		}
		json_t *i = json_object_get(raw, "incident");
		json_t *ntp = json_object_get(i, "clocks_ntp");
		if (json_is_boolean(ntp))
			json_object_set_new(
			    i, "clocks_ntp_label",
			    json_is_true(ntp)
			        ? cli_json_i18n("NTP で同期していた", "synchronised by NTP")
			        : cli_json_i18n("NTP で同期していなかった",
			                        "not synchronised by NTP"));
		drop_refs(raw, inc->ref, 0);
		*out = normalise(c, lang, raw);
	}
	json_decref(raw);
	return rc;
}

/* ---- fukkyu doc ------------------------------------------------------------------------ */

static void list_partial(void *ctx, const char *name)
{
	json_t *a = ctx;
	json_array_append_new(a, json_string(name));
}

enum fk_code cli_templates_doc(struct cli *c, json_t **out)
{
	enum fk_code rc = FK_OK;
	json_t *list = json_array(), *partials = json_array();
	for (size_t i = 0; i < fk_templates_n && !rc; i++) {
		json_t *versions = json_object();
		for (int l = 0; l < 2 && !rc; l++) {
			char *text;
			int64_t v;
			rc = fk_template_text(&c->ctx, fk_templates[i].name, (enum fk_lang)l, &text,
			                      &v, &c->err);
			free(text);
			json_object_set_new(versions, LANGS[l].key, json_integer(v));
		}
		json_array_append_new(
		    list,
		    json_pack("{s:s, s:o, s:s, s:o}", "name", fk_templates[i].name, "title",
		              cli_json_i18n(fk_templates[i].ja, fk_templates[i].en), "audience",
		              fk_audiences[fk_templates[i].audience].key, "version", versions));
	}
	fk_template_partials(list_partial, partials);
	if (rc) {
		json_decref(list);
		json_decref(partials);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:o}", "templates", list, "partials", partials, "formats",
	                 json_pack("[s, s, s]", "md", "html", "txt"));
	return FK_OK;
}

static enum fk_code doc_list_templates(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	json_t *doc;
	enum fk_code rc =
	    cli_parse(c, argc, argv, NULL, 0, "doc list-templates", 0, 0, pos, &npos, &help);
	if (rc || help || (rc = cli_store(c, false)) || (rc = cli_templates_doc(c, &doc)))
		return rc;
	json_t *list = json_object_get(doc, "templates"),
	       *partials = json_object_get(doc, "partials");
	if (c->json) {
		cli_json_out(doc);
		return FK_OK;
	}
	printf("%-24s %-10s %-10s %s\n", "NAME", "JA", "EN", TR(c->lang, "TITLE", "表題"));
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		char v[2][24];
		for (int l = 0; l < 2; l++) {
			json_int_t n = json_integer_value(
			    json_object_get(json_object_get(e, "version"), LANGS[l].key));
			if (n)
				snprintf(v[l], sizeof v[l], "%s%" JSON_INTEGER_FORMAT,
				         TR(c->lang, "own v", "自組織 v"), n);
			else
				snprintf(v[l], sizeof v[l], "%s", TR(c->lang, "shipped", "同梱"));
		}
		printf("%-24s %-10s %-10s %s\n", fk_templates[i].name, v[1], v[0],
		       cli_pick(c, fk_templates[i].ja, fk_templates[i].en));
	}
	printf("%s:", TR(c->lang, "partials ({{> name}})", "部分テンプレート ({{> name}})"));
	json_array_foreach(partials, i, e) printf(" %s", json_string_value(e));
	printf("\n");
	json_decref(doc);
	return FK_OK;
}

enum fk_code cli_write_whole(struct cli *c, const char *path, const char *text, size_t len)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
		return FK_ERR0(&c->err, FK_EUSAGE, "--out", "the path is too long",
		               "パスが長すぎます");
	int fd = mkstemp(tmp); /* a new file of our own, beside the target (same file system) */
	FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
	if (!f) {
		if (fd >= 0) {
			close(fd);
			remove(tmp);
		}
		return FK_ERR(&c->err, FK_EIO, "--out", "cannot write beside '%s': %s",
		              "'%s' と同じ場所に書き込めません: %s", path, strerror(errno));
	}
	bool bad = fwrite(text, 1, len, f) != len;
	bad |= fflush(f) != 0 || ferror(f);
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		remove(tmp);
		return FK_ERR(&c->err, FK_EIO, "--out", "cannot write '%s'",
		              "'%s' に書き込めません", path);
	}
	return FK_OK;
}

json_t *cli_doc_json(const char *ref, const char *name, int lang, int format,
                     const struct fk_doc *d, const char *saved, bool with_text)
{
	json_t *miss = json_array();
	for (size_t i = 0; i < d->nmissing; i++)
		json_array_append_new(miss, json_string(d->missing[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o}", "incident", ref, "template",
	                 name, "lang", LANGS[lang].key, "format", fk_doc_formats[format].key,
	                 "template_version", (json_int_t)d->version, "missing", miss, "saved_as",
	                 cli_json_str(saved), "text",
	                 with_text ? json_stringn(d->text, d->len) : json_null());
}

char *cli_doc_title(const struct fk_template_info *ti, enum fk_lang lang, const char *ref)
{
	char title[FK_TITLE_MAX];
	snprintf(title, sizeof title, "%s - %s", lang == FK_LANG_JA ? ti->ja : ti->en, ref);
	return fk_xstrdup(title);
}

enum fk_code cli_render(struct cli *c, const struct fk_incident *inc, const char *name,
                        enum fk_lang lang, int format, const char *to, struct fk_doc *d)
{
	const struct fk_template_info *ti = fk_template_find(name);
	memset(d, 0, sizeof *d);
	if (!ti) /* the error names the templates there are */
		return fk_doc_render(&c->ctx, name, lang, format, NULL, "", d, &c->err);
	json_t *data = NULL;
	char *title = cli_doc_title(ti, lang, inc->ref);
	enum fk_code rc = cli_doc_data(c, inc, lang, to, &data);
	if (!rc)
		rc = fk_doc_render(&c->ctx, name, lang, format, data, title, d, &c->err);
	json_decref(data);
	free(title);
	return rc;
}

static enum fk_code doc_render(struct cli *c, int argc, char **argv)
{
	int lang = c->lang == FK_LANG_JA ? 1 : 0, format = FK_DOC_MD;
	const char *out = NULL, *to = NULL;
	bool save = false, strict = false;
	const struct opt opts[] = {
	    {"doc-lang", NULL, OPT_ENUM, &lang, LANGS, 2,
	     "the document's language (default: --lang)", "文書の言語 (既定は --lang)"},
	    {"format", NULL, OPT_ENUM, &format, fk_doc_formats, FK_DOC_FORMAT_COUNT,
	     "md (default), html or txt", "md (既定)、html、txt"},
	    {"out", "FILE", OPT_STR, &out, NULL, 0, "write to FILE (whole or not at all)",
	     "FILE に書き出す (全体を書くか何も書かない)"},
	    {"to", "A1|R1", OPT_STR, &to, NULL, 0,
	     "whom a letter is to: an affected entry or a reporter",
	     "宛先: 被害者台帳の番号または通報者の番号"},
	    {"save", NULL, OPT_FLAG, &save, NULL, 0,
	     "also save it as a draft in the communications log",
	     "コミュニケーション記録にも下書きとして保存する"},
	    {"strict", NULL, OPT_FLAG, &strict, NULL, 0, "fail when data is missing",
	     "未記入のデータがあればエラーにする"},
	};
	char *pos[2];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(
	    c, argc, argv, opts, FK_ARRAY_LEN(opts),
	    "doc render ID TEMPLATE [--doc-lang ja|en] [--format md|html|txt] [--out FILE] "
	    "[--to A1] [--save] [--strict]",
	    2, 2, pos, &npos, &help);
	if (rc || help)
		return rc;
	struct fk_incident inc;
	struct fk_doc d = {0};
	if ((rc = cli_incident(c, pos[0], &inc)))
		return rc;
	rc = cli_render(c, &inc, pos[1], (enum fk_lang)lang, format, to, &d);
	if (!rc && strict && d.nmissing)
		rc = FK_ERR(
		    &c->err, FK_EINVAL, d.missing[0],
		    "%zu data items are missing, first %s: fill them in (see 'fukkyu doc data "
		    "%s')",
		    "未記入のデータが %zu 件あります (最初は %s): 記入してください ('fukkyu doc "
		    "data %s' を参照)",
		    d.nmissing, d.missing[0], inc.ref);
	if (!rc && save && format != FK_DOC_MD)
		rc = FK_ERR0(
		    &c->err, FK_EUSAGE, "--save",
		    "--save keeps the Markdown text in the communications log: leave out "
		    "--format (render the HTML or text again to send it)",
		    "--save はコミュニケーション記録に Markdown の本文を保存します: --format "
		    "を付けずに実行してください (HTML やテキストは改めて作成)");
	if (!rc && out)
		rc = cli_write_whole(c, out, d.text, d.len);
	char code[16] = "";
	if (!rc && save) {
		const struct fk_template_info *ti = fk_template_find(pos[1]);
		struct fk_comm m = {.audience = ti->audience};
		m.title = cli_doc_title(ti, (enum fk_lang)lang, inc.ref);
		if (!(rc = fk_comm_add(&c->ctx, inc.ref, &m, d.text, &c->err)))
			snprintf(code, sizeof code, "C%d", m.no);
		fk_comm_release(&m);
	}
	if (!rc && c->json) {
		cli_json_out(
		    cli_doc_json(inc.ref, pos[1], lang, format, &d, *code ? code : NULL, !out));
	} else if (!rc) {
		if (!out)
			fwrite(d.text, 1, d.len, stdout);
		if (d.nmissing) {
			fprintf(stderr, "%s (%zu):",
			        TR(c->lang, "missing data, shown as placeholders",
			           "未記入のデータ (プレースホルダで表示)"),
			        d.nmissing);
			for (size_t i = 0; i < d.nmissing; i++)
				fprintf(stderr, "%s %s", i ? "," : "", d.missing[i]);
			fprintf(stderr, "\n");
		}
		if (*code)
			fprintf(stderr,
			        TR(c->lang, "saved as %s (draft) in the communications log\n",
			           "コミュニケーション記録に %s (下書き) として保存しました\n"),
			        code);
	}
	fk_doc_release(&d);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code doc_data(struct cli *c, int argc, char **argv)
{
	int lang = c->lang == FK_LANG_JA ? 1 : 0;
	const char *to = NULL;
	const struct opt opts[] = {
	    {"doc-lang", NULL, OPT_ENUM, &lang, LANGS, 2, "the documents' language", "文書の言語"},
	    {"to", "A1|R1", OPT_STR, &to, NULL, 0, "whom a letter is to", "宛先"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "doc data ID [--doc-lang ja|en] [--to A1]", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	struct fk_incident inc;
	json_t *data;
	if ((rc = cli_incident(c, pos[0], &inc)))
		return rc;
	if (!(rc = cli_doc_data(c, &inc, (enum fk_lang)lang, to, &data)))
		cli_json_out(data);
	fk_incident_release(&inc);
	return rc;
}

static enum fk_code doc_show_template(struct cli *c, int argc, char **argv)
{
	int lang = c->lang == FK_LANG_JA ? 1 : 0;
	const struct opt opts[] = {
	    {"doc-lang", NULL, OPT_ENUM, &lang, LANGS, 2, "which language's text",
	     "どの言語の本文か"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, 1, "doc show-template NAME [--doc-lang ja|en]", 1, 1,
	              pos, &npos, &help);
	if (rc || help || (rc = cli_store(c, false)))
		return rc;
	char *text;
	int64_t v;
	if ((rc = fk_template_text(&c->ctx, pos[0], (enum fk_lang)lang, &text, &v, &c->err)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:I, s:s}", "name", pos[0], "lang",
		                       LANGS[lang].key, "version", (json_int_t)v, "text", text));
	else
		fputs(text, stdout);
	free(text);
	return FK_OK;
}

static enum fk_code set_template(struct cli *c, int argc, char **argv, bool reset)
{
	int lang = FK_UNSET;
	const char *file = NULL;
	const struct opt opts[] = {
	    {"doc-lang", NULL, OPT_ENUM, &lang, LANGS, 2, "which language's text (required)",
	     "どの言語の本文か (必須)"},
	    {"file", "PATH", OPT_STR, &file, NULL, 0, "the new text (- reads stdin)",
	     "新しい本文 (- で標準入力)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, reset ? 1 : 2,
	                            reset ? "doc reset-template NAME --doc-lang ja|en"
	                                  : "doc set-template NAME --doc-lang ja|en --file PATH",
	                            1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (lang == FK_UNSET || (!reset && !file))
		return FK_ERR0(&c->err, FK_EUSAGE, lang == FK_UNSET ? "--doc-lang" : "--file",
		               "give --doc-lang ja|en (and --file with the text)",
		               "--doc-lang ja|en (と本文の --file) を指定してください");
	char *text = NULL;
	int64_t v = 0;
	if (!reset && (rc = cli_read_text(c, file, "--file", &text)))
		return rc;
	if (!(rc = cli_store(c, false)))
		rc = fk_template_set(&c->ctx, pos[0], (enum fk_lang)lang, text,
		                     !strcmp(file ? file : "-", "-") ? "stdin" : file, &v, &c->err);
	free(text);
	if (rc)
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:I, s:b}", "name", pos[0], "lang",
		                       LANGS[lang].key, "version", (json_int_t)v, "shipped",
		                       reset));
	else
		printf(reset
		           ? TR(c->lang, "%s.%s: back to the shipped text (v%" PRId64 ")\n",
		                "%s.%s: 同梱の本文に戻しました (v%" PRId64 ")\n")
		           : TR(c->lang, "%s.%s: the organisation's version v%" PRId64 " stored\n",
		                "%s.%s: 自組織の版 v%" PRId64 " を保存しました\n"),
		       pos[0], LANGS[lang].key, v);
	return FK_OK;
}

static enum fk_code doc_set_template(struct cli *c, int argc, char **argv)
{
	return set_template(c, argc, argv, false);
}

static enum fk_code doc_reset_template(struct cli *c, int argc, char **argv)
{
	return set_template(c, argc, argv, true);
}

enum fk_code cmd_doc(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"list-templates", doc_list_templates, "the templates, shipped or the organisation's",
	     "テンプレートの一覧 (同梱か自組織の版か)"},
	    {"render", doc_render, "write a document from an incident's data (missing data listed)",
	     "インシデントのデータから文書を作る (未記入のデータを一覧)"},
	    {"data", doc_data, "the data templates see, as JSON (for writing templates)",
	     "テンプレートが参照するデータ (JSON、テンプレート作成用)"},
	    {"show-template", doc_show_template, "print a template's text",
	     "テンプレートの本文を表示"},
	    {"set-template", doc_set_template, "store the organisation's own version",
	     "自組織の版を保存"},
	    {"reset-template", doc_reset_template, "go back to the shipped text",
	     "同梱の本文に戻す"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}

/* ---- fukkyu org ------------------------------------------------------------------------ */

enum fk_code cli_org_doc(struct cli *c, json_t **out)
{
	struct fk_org_value *v;
	size_t n;
	enum fk_code rc = fk_store_org(c->st, &v, &n, &c->err);
	if (rc)
		return rc;
	json_t *o = json_object();
	for (int f = 0; f < FK_ORG_FIELD_COUNT; f++) {
		const char *val = NULL;
		for (size_t i = 0; i < n && !val; i++)
			if (!strcmp(v[i].field, fk_org_fields[f].key))
				val = v[i].value;
		json_object_set_new(o, fk_org_fields[f].key, cli_json_str(val));
	}
	FK_FREE_ARRAY(v, n, fk_org_value_release);
	*out = o;
	return FK_OK;
}

static enum fk_code org_show(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int npos;
	bool help;
	json_t *o;
	enum fk_code rc = cli_parse(c, argc, argv, NULL, 0, "org show", 0, 0, pos, &npos, &help);
	if (rc || help || (rc = cli_store(c, false)) || (rc = cli_org_doc(c, &o)))
		return rc;
	if (c->json) {
		cli_json_out(o);
		return FK_OK;
	}
	for (int f = 0; f < FK_ORG_FIELD_COUNT; f++) {
		const char *val = json_string_value(json_object_get(o, fk_org_fields[f].key));
		printf("%-18s %s\n", fk_org_fields[f].key, val ? val : "-");
	}
	json_decref(o);
	return FK_OK;
}

static enum fk_code org_set(struct cli *c, int argc, char **argv)
{
	const char *values[FK_ORG_FIELD_COUNT] = {0};
	struct opt opts[FK_ORG_FIELD_COUNT];
	for (int f = 0; f < FK_ORG_FIELD_COUNT; f++)
		opts[f] = (struct opt){
		    fk_org_fields[f].key, "TEXT", OPT_STR, &values[f], NULL, 0, fk_org_fields[f].en,
		    fk_org_fields[f].ja};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ORG_FIELD_COUNT,
	              "org set [--name TEXT] [--representative TEXT] ... (\"\" clears)", 0, 0, pos,
	              &npos, &help);
	if (rc || help || (rc = cli_store(c, false)) || (rc = fk_org_set(&c->ctx, values, &c->err)))
		return rc;
	char *show[] = {"show"};
	return org_show(c, 1, show);
}

enum fk_code cmd_org(struct cli *c, int argc, char **argv)
{
	static const struct subcmd subs[] = {
	    {"show", org_show, "the organisation's profile", "組織の情報"},
	    {"set", org_set, "set what letters are signed with (name, representative, desk ...)",
	     "文書の署名に使う情報 (組織名、代表者、窓口など) を設定"},
	};
	return cli_dispatch(c, argc, argv, subs, FK_ARRAY_LEN(subs));
}
