/*
 * cmd_export.c - sharing the case (事例を共有しよう, issue 7): an incident as VERIS 1.4 JSON
 * or as a STIX 2.1 bundle, and `fukkyu cases`, the closed incidents and their lessons for
 * the next team.
 *
 * Both exports are built from the data documents see (cli_doc_data, in English), so what is
 * shared is what the incident's records say. VERIS needs a few facts fukkyu cannot guess: who
 * acted (the root-cause record's origin) and, when personal data is involved, how many
 * persons; without them the export is refused, naming the command that records them.
 * Identifiers are name-based UUIDs (version 5) of the incident's reference and creation
 * time, so that exporting twice gives the same objects and a receiver updates, not
 * duplicates.
 */
#include "cli.h"
#include "fukkyu/docs.h"
#include "store/store.h"
#include "fukkyu/logscan.h"
#include "util/hash.h"
#include "util/utf8.h"
#include "util/time.h"

#include <errno.h>
#include <inttypes.h>

/* fukkyu's own namespace for the identifiers of its exports, and STIX's for observables
 * (STIX 2.1, 2.9). */
#define FK_UUID_NS   "6f2b3c1e-9a47-4d2b-8e55-0c1f6d9a7b31"
#define STIX_SCO_NS  "00abedb4-aa42-466c-9c01-fed23315a9b7"
#define INCIDENT_EXT "extension-definition--ef765651-680c-498d-9894-99799f2fa126"

/* A member of nested objects by its path, "a.b.c"; NULL when absent. */
static json_t *get(json_t *o, const char *path)
{
	char key[64];
	while (o && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		snprintf(key, sizeof key, "%.*s", (int)n, path);
		o = json_object_get(o, key);
		path += n + (dot != NULL);
	}
	return o;
}

static const char *str(json_t *o, const char *path)
{
	return json_string_value(get(o, path));
}

static int64_t when(struct cli *c, json_t *o, const char *path)
{
	const char *s = str(o, path);
	int64_t t;
	if (!s || fk_time_parse(s, c->tz, path, &t, NULL))
		return FK_TIME_NONE;
	return t;
}

/* A stable identifier: uuid5(fukkyu, "REF|CREATED|what"). */
/* A stable identifier: uuid5(fukkyu, "REF|CREATED|what"), the creation time in UTC (the same
 * whatever zone the export is made in), all of what however long. */
static void stable_uuid(json_t *d, const char *what, char out[static 37])
{
	int64_t t;
	char created[32] = "";
	if (!fk_time_parse(str(d, "incident.created_at"), "UTC", "created_at", &t, NULL))
		fk_time_utc(t, created);
	struct fk_buf name = FK_BUF_INIT;
	(void)fk_buf_addf(&name, "%s|%s|%s", str(d, "incident.ref"), created, what);
	fk_uuid5(FK_UUID_NS, name.ptr, name.len, out);
	fk_buf_release(&name);
}

static json_t *strings1(const char *s)
{
	return json_pack("[s]", s);
}

/* ---- VERIS 1.4 ----------------------------------------------------------------------- */

/* A duration as VERIS wants it: the largest unit that gives at least 1. */
static json_t *veris_span(int64_t from, int64_t to)
{
	if (from == FK_TIME_NONE || to == FK_TIME_NONE || to < from)
		return json_pack("{s:s}", "unit", "Unknown");
	int64_t s = to - from;
	static const struct {
		const char *unit;
		int64_t secs;
	} units[] = {{"Days", 86400}, {"Hours", 3600}, {"Minutes", 60}, {"Seconds", 1}};
	size_t u = 0;
	while (u + 1 < FK_ARRAY_LEN(units) && s < units[u].secs)
		u++;
	return json_pack("{s:s, s:I}", "unit", units[u].unit, "value",
	                 (json_int_t)(s / units[u].secs));
}

static enum fk_code missing_for(struct cli *c, const char *ref, const char *what_en,
                                const char *what_ja, const char *how)
{
	return FK_ERR(&c->err, FK_EINVAL, "veris",
	              "%s cannot be exported as VERIS: %s is not recorded (set it with '%s')",
	              "%s は VERIS として出力できません: %s が記録されていません ('%s' で設定)",
	              ref, c->lang == FK_LANG_JA ? what_ja : what_en, how);
}

static json_t *veris_actor(const char *kind, const char *origin)
{
	if (!strcmp(kind, "disaster") || !strcmp(kind, "equipment-failure"))
		return json_pack("{s:{s:[s], s:[s]}}", "external", "variety", "Force majeure",
		                 "motive", "NA");
	if (!strcmp(origin, "inside"))
		return json_pack("{s:{s:[s], s:[s]}}", "internal", "variety",
		                 !strcmp(kind, "outbound-attack") ? "End-user" : "Unknown",
		                 "motive", "Unknown");
	if (!strcmp(origin, "outside"))
		return json_pack("{s:{s:[s], s:[s]}}", "external", "variety", "Unknown", "motive",
		                 "Unknown");
	return json_pack("{s:{}}", "unknown");
}

static json_t *veris_action(const char *kind, const char *origin, json_t *cause)
{
	const char *hv = json_object_get(cause, "cves")        ? "Exploit vuln"
	                 : json_object_get(cause, "misconfig") ? "Exploit misconfig"
	                                                       : "Unknown";
	if (!strcmp(kind, "defacement") || !strcmp(kind, "vulnerability-report"))
		return json_pack("{s:{s:[s], s:[s]}}", "hacking", "variety", hv, "vector",
		                 "Web application");
	if (!strcmp(kind, "malware-outbreak"))
		return json_pack("{s:{s:[s], s:[s]}}", "malware", "variety", "Worm", "vector",
		                 "Network propagation");
	if (!strcmp(kind, "outbound-attack") && !strcmp(origin, "inside"))
		return json_pack("{s:{s:[s], s:[s]}}", "misuse", "variety", "Net misuse", "vector",
		                 "LAN access");
	if (!strcmp(kind, "insider") && !strcmp(origin, "inside")) /* misuse: an insider acts */
		return json_pack("{s:{s:[s], s:[s]}}", "misuse", "variety", "Privilege abuse",
		                 "vector", "LAN access");
	if (!strcmp(kind, "dos"))
		return json_pack("{s:{s:[s], s:[s]}}", "hacking", "variety", "DoS", "vector",
		                 "Unknown");
	if (!strcmp(kind, "equipment-failure"))
		return json_pack("{s:{s:[s], s:[s]}}", "error", "variety", "Malfunction", "vector",
		                 "Unknown");
	if (!strcmp(kind, "disaster"))
		return json_pack("{s:{s:[s]}}", "environmental", "variety", "Other");
	if (!strcmp(kind, "intrusion") || !strcmp(kind, "outbound-attack") ||
	    !strcmp(kind, "insider"))
		return json_pack("{s:{s:[s], s:[s]}}", "hacking", "variety", hv, "vector",
		                 "Unknown");
	return json_pack("{s:{}}", "unknown");
}

static const char *veris_asset(const char *kind)
{
	if (!strcmp(kind, "defacement") || !strcmp(kind, "vulnerability-report"))
		return "S - Web application";
	if (!strcmp(kind, "malware-outbreak") || !strcmp(kind, "outbound-attack"))
		return "U - Desktop";
	if (!strcmp(kind, "data-leak"))
		return "S - Database";
	return "Unknown";
}

/* Systems the sweep found hit (every state a damaged system passes through). */
static json_int_t swept_hit(json_t *d)
{
	static const char *const hit[] = {"damaged",  "isolated",   "restored", "rebuilt",
	                                  "verified", "monitoring", "returned"};
	json_int_t n = 0;
	for (size_t i = 0; i < FK_ARRAY_LEN(hit); i++)
		n += json_integer_value(json_object_get(get(d, "sweep.by_state"), hit[i]));
	return n;
}

static json_t *veris_attribute(json_t *d, const char *kind, bool *data_needed)
{
	json_t *a = json_object();
	json_t *pii = get(d, "incident.personal_data");
	if (!strcmp(kind, "defacement"))
		json_object_set_new(a, "integrity", json_pack("{s:[s]}", "variety", "Defacement"));
	else if (!strcmp(kind, "malware-outbreak")) /* the checker: malware => installation */
		json_object_set_new(a, "integrity",
		                    json_pack("{s:[s]}", "variety", "Software installation"));
	if (get(d, "marks.service-stopped") || !strcmp(kind, "dos"))
		json_object_set_new(a, "availability",
		                    json_pack("{s:[s]}", "variety", "Interruption"));
	if (json_is_true(json_object_get(pii, "involved"))) {
		json_t *count = json_object_get(pii, "count");
		*data_needed = !count;
		/* the checker: "Sensitive Personal" comes with its parent "Personal" */
		json_t *conf = json_pack("{s:s, s:[{s:s, s:O*}], s:[s], s:[s]}", "data_disclosure",
		                         !strcmp(kind, "data-leak") ? "Yes" : "Potentially", "data",
		                         "variety", "Personal", "amount", count, "data_victim",
		                         "Customer", "state", "Unknown");
		if (json_is_true(json_object_get(pii, "sensitive")))
			json_array_append_new(json_object_get(conf, "data"),
			                      json_pack("{s:s}", "variety", "Sensitive Personal"));
		if (count)
			json_object_set(conf, "data_total", count);
		json_object_set_new(a, "confidentiality", conf);
	}
	return a;
}

static json_t *veris_impact(json_t *d)
{
	static const char *const rating[][2] = {{"low", "Insignificant"},
	                                        {"medium", "Distracting"},
	                                        {"high", "Painful"},
	                                        {"critical", "Damaging"}};
	const char *sev = str(d, "incident.severity"), *r = "Unknown";
	for (size_t i = 0; i < FK_ARRAY_LEN(rating); i++)
		if (sev && !strcmp(sev, rating[i][0]))
			r = rating[i][1];
	json_t *im = json_pack("{s:s}", "overall_rating", r);
	json_t *dmg = get(d, "damage");
	json_int_t total = json_integer_value(json_object_get(dmg, "total"));
	if (total > 0) {
		json_object_set_new(im, "iso_currency_code", json_string(str(dmg, "currency")));
		json_object_set_new(im, "overall_amount", json_integer(total));
		static const char *const loss[][2] = {{"direct", "Asset and fraud"},
		                                      {"indirect", "Business disruption"},
		                                      {"costs", "Response and recovery"}};
		json_t *l = json_array();
		for (size_t i = 0; i < FK_ARRAY_LEN(loss); i++) {
			json_int_t v = json_integer_value(json_object_get(dmg, loss[i][0]));
			if (v > 0)
				json_array_append_new(
				    l, json_pack("{s:s, s:I}", "variety", loss[i][1], "amount", v));
		}
		json_object_set_new(im, "loss", l);
	}
	return im;
}

/* What was done and decided against recurrence, as one text. */
static json_t *veris_corrective(json_t *d)
{
	struct fk_buf b = FK_BUF_INIT;
	size_t i;
	json_t *e;
	json_array_foreach(get(d, "measures"), i, e)
	{
		const char *t = str(e, "title");
		if (t)
			(void)fk_buf_addf(&b, "%s%s", b.len ? "; " : "", t);
	}
	json_array_foreach(get(d, "lessons"), i, e)
	{
		const char *t = str(e, "action");
		if (t)
			(void)fk_buf_addf(&b, "%s%s", b.len ? "; " : "", t);
	}
	json_t *v = b.len ? json_string(b.ptr) : NULL;
	fk_buf_release(&b);
	return v;
}

enum fk_code cli_veris_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	json_t *d;
	enum fk_code rc = cli_doc_data(c, inc, FK_LANG_EN, NULL, &d);
	if (rc)
		return rc;
	const char *kind = str(d, "incident.kind"), *origin = str(d, "cause.origin");
	bool need_count = false;
	json_t *attr = veris_attribute(d, kind, &need_count);
	if (!origin)
		rc = missing_for(c, inc->ref, "who acted (the root cause's origin)",
		                 "攻撃元 (原因の記録の origin)",
		                 "fukkyu cause set ID --origin inside|outside|unknown");
	else if (need_count)
		rc = missing_for(c, inc->ref, "the number of persons whose data is involved",
		                 "個人データの本人の数", "fukkyu incident set ID --pii-count N");
	if (rc) {
		json_decref(attr);
		json_decref(d);
		return rc;
	}
	char uuid[37], upper[37];
	stable_uuid(d, "veris", uuid);
	for (int i = 0; i < 37; i++)
		upper[i] = uuid[i] >= 'a' && uuid[i] <= 'f' ? (char)(uuid[i] - 32) : uuid[i];
	/* when it began: the compromise if the plan records it, else the discovery (local date) */
	int64_t discovered = when(c, d, "incident.discovered_at");
	int64_t compromised = when(c, d, "plan.compromised_at");
	int64_t began = compromised != FK_TIME_NONE ? compromised : discovered;
	int64_t local = began + fk_tz_offset(c->tz, began), y;
	unsigned mo, da;
	fk_civil_from_days(local >= 0 ? local / 86400 : (local - 86399) / 86400, &y, &mo, &da);
	struct fk_buf sum = FK_BUF_INIT;
	(void)fk_buf_addf(&sum, "%s", str(d, "incident.title"));
	if (str(d, "incident.description"))
		(void)fk_buf_addf(&sum, ". %s", str(d, "incident.description"));
	json_t *reporters = get(d, "reporters");
	json_t *v = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:{s:I, s:I, s:I}, s:o, s:o}, s:o, s:o, s:o, "
	    "s:o, s:o, s:{s:[{s:s}], s:[s]}, s:{s:s}}",
	    "schema_version", "1.4.0", "schema_name", "verisc", "incident_id", upper, "reference",
	    inc->ref, "summary", sum.ptr, "security_incident",
	    !strcmp(kind, "vulnerability-report") ? "Near miss" : "Confirmed", "confidence",
	    str(d, "cause.root_cause") ? "High" : "Medium", "timeline", "incident", "year",
	    (json_int_t)y, "month", (json_int_t)mo, "day", (json_int_t)da, "discovery",
	    veris_span(compromised, discovered), "containment",
	    veris_span(discovered, when(c, d, "incident.contained_at")), "discovery_method",
	    reporters ? json_pack("{s:{s:[s]}}", "external", "variety", "Unrelated 3rd party")
	              : json_pack("{s:{s:[s]}}", "internal", "variety", "Unknown"),
	    "actor", veris_actor(kind, origin), "action",
	    veris_action(kind, origin, get(d, "cause")), "attribute", attr, "impact",
	    veris_impact(d), "asset", "assets", "variety", veris_asset(kind), "cloud", "Unknown",
	    "plus", "master_id", uuid);
	fk_buf_release(&sum);
	/* how sure: the root cause found, and the action known beyond "Unknown" */
	const char *action_variety = NULL, *k;
	json_t *av;
	json_object_foreach(get(v, "action"), k, av) if (!action_variety) action_variety =
	    json_string_value(json_array_get(json_object_get(av, "variety"), 0));
	json_object_set_new(v, "confidence",
	                    json_string(!str(d, "cause.root_cause") ? "Low"
	                                : action_variety && strcmp(action_variety, "Unknown")
	                                    ? "High"
	                                    : "Medium"));
	json_int_t hit = swept_hit(d);
	json_t *assets = get(v, "asset.assets");
	if (hit > 0)
		json_object_set_new(json_array_get(assets, 0), "amount", json_integer(hit));
	if (!strcmp(veris_asset(kind), "U - Desktop")) /* the checker: with its parent value */
		json_array_append_new(assets,
		                      json_pack("{s:s}", "variety", "U - Desktop or laptop"));
	if (!json_object_size(attr) && !strcmp(str(v, "security_incident"), "Confirmed"))
		/* the checker: a confirmed incident says which attributes were hit */
		json_object_set_new(
		    attr, "unknown",
		    json_pack("{s:s}", "notes", "the attributes affected are not recorded"));
	else if (!json_object_size(attr))
		json_object_del(v, "attribute");
	if (get(v, "action.malware")) /* the checker's recommendation for malware */
		json_object_set_new(v, "value_chain",
		                    json_pack("{s:{s:[s]}}", "development", "variety", "Unknown"));
	if (reporters) {
		struct fk_buf b = FK_BUF_INIT;
		/* not their names: a reporter may be a member of the public, and VERIS is shared */
		(void)fk_buf_addf(&b, "reported from outside (%zu reporter%s, first by %s)",
		                  json_array_size(reporters),
		                  json_array_size(reporters) > 1 ? "s" : "",
		                  str(json_array_get(reporters, 0), "channel_label")
		                      ? str(json_array_get(reporters, 0), "channel_label")
		                      : "unknown channel");
		json_object_set_new(v, "discovery_notes", json_string(b.ptr));
		fk_buf_release(&b);
	}
	json_t *ca = veris_corrective(d);
	if (ca)
		json_object_set_new(v, "corrective_action", ca);
	json_object_set_new(v, "notes", json_pack("s+", "Exported by fukkyu from ", inc->ref));
	json_decref(d);
	*out = v;
	return FK_OK;
}

/* ---- STIX 2.1 ------------------------------------------------------------------------ */

struct stix {
	struct cli *c;
	json_t *d;       /* the incident's data */
	json_t *objects; /* the bundle's */
	json_t *scos;    /* the observables in it, by id (a set) */
	char identity[64], incident[64];
	const char *created, *modified;
};

static void stix_time(int64_t t, char out[static 32])
{
	char utc[32];
	fk_time_utc(t, utc); /* 2026-07-06T07:20:00Z */
	snprintf(out, 32, "%.19s.000Z", utc);
}

static void stix_id(struct stix *s, const char *type, const char *what, char out[static 64])
{
	char uuid[37];
	stable_uuid(s->d, what, uuid);
	snprintf(out, 64, "%s--%s", type, uuid);
}

/* A new SDO or SRO with the common properties. */
static json_t *stix_object(struct stix *s, const char *type, const char *what, char id[static 64])
{
	stix_id(s, type, what, id);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", type, "spec_version", "2.1",
	                      "id", id, "created", s->created, "modified", s->modified);
	if (strcmp(type, "identity"))
		json_object_set_new(o, "created_by_ref", json_string(s->identity));
	json_array_append(s->objects, o);
	return o;
}

static void stix_relate(struct stix *s, const char *from, const char *type, const char *to)
{
	char what[200], id[64];
	snprintf(what, sizeof what, "rel|%s|%s|%s", from, type, to);
	json_t *r = stix_object(s, "relationship", what, id);
	json_object_set_new(r, "relationship_type", json_string(type));
	json_object_set_new(r, "source_ref", json_string(from));
	json_object_set_new(r, "target_ref", json_string(to));
	json_decref(r);
}

/* A STIX pattern's string literal: quotes and backslashes escaped. */
static void pattern_quote(struct fk_buf *b, const char *v)
{
	(void)fk_buf_addch(b, '\'');
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			(void)fk_buf_addch(b, '\\');
		(void)fk_buf_addch(b, *v);
	}
	(void)fk_buf_addch(b, '\'');
}

/* The observable for a log group's client or destination: its id (deterministic, STIX's
 * namespace over the canonical {"value": ...}), added to the bundle once. */
static const char *stix_sco(struct stix *s, const char *value, char id[static 96])
{
	struct fk_cidr cidr;
	const char *type = fk_cidr_parse(value, strlen(value), &cidr)
	                       ? (cidr.family == 4 ? "ipv4-addr" : "ipv6-addr")
	                       : "domain-name";
	json_t *canon = json_pack("{s:s}", "value", value);
	char *text = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS);
	char uuid[37];
	fk_uuid5(STIX_SCO_NS, text, strlen(text), uuid);
	free(text);
	json_decref(canon);
	snprintf(id, 96, "%s--%s", type, uuid);
	if (json_object_get(s->scos, id))
		return id;
	json_object_set_new(s->scos, id, json_true());
	json_array_append_new(s->objects,
	                      json_pack("{s:s, s:s, s:s, s:s}", "type", type, "spec_version", "2.1",
	                                "id", id, "value", value));
	return id;
}

static void stix_indicator(struct stix *s, const char *kind, const char *value, const char *valid,
                           const char *evidence)
{
	struct fk_buf p = FK_BUF_INIT;
	if (!strcmp(kind, "url")) /* a regular expression: LIKE's % and _ would match more */
		(void)fk_buf_adds(&p, "[url:value MATCHES ");
	else if (!strcmp(kind, "domain"))
		(void)fk_buf_adds(&p, "[domain-name:value MATCHES ");
	else if (!strcmp(kind, "host"))
		(void)fk_buf_adds(&p, "[domain-name:value = ");
	else
		(void)fk_buf_addf(&p, "[%s:value %s ",
		                  strncmp(kind, "ipv6", 4) ? "ipv4-addr" : "ipv6-addr",
		                  strstr(kind, "-net") ? "ISSUBSET" : "=");
	struct fk_buf lit = FK_BUF_INIT;
	bool re = !strcmp(kind, "url") || !strcmp(kind, "domain");
	if (!strcmp(kind, "domain")) /* the domain and every name under it */
		(void)fk_buf_adds(&lit, "^(.*\\.)?");
	for (const char *v = value; re && *v; v++) {
		if (strchr(".^$|?*+()[]{}\\", *v))
			(void)fk_buf_addch(&lit, '\\');
		(void)fk_buf_addch(&lit, *v);
	}
	if (!strcmp(kind, "domain"))
		(void)fk_buf_addch(&lit, '$');
	pattern_quote(&p, re ? lit.ptr : value);
	(void)fk_buf_addch(&p, ']');
	char id[64];
	struct fk_buf what = FK_BUF_INIT;
	(void)fk_buf_addf(&what, "indicator|%s|%s", kind, value);
	json_t *o = stix_object(s, "indicator", what.ptr, id);
	fk_buf_release(&what);
	json_object_set_new(o, "name", json_pack("s+", "Log target: ", value));
	json_object_set_new(o, "description",
	                    json_pack("s+++", "Looked for in the logs of ",
	                              str(s->d, "incident.ref"), " (evidence ", evidence));
	json_object_set_new(o, "indicator_types", strings1("anomalous-activity"));
	json_object_set_new(o, "pattern", json_string(p.ptr));
	json_object_set_new(o, "pattern_type", json_string("stix"));
	json_object_set_new(o, "valid_from", json_string(valid));
	stix_relate(s, id, "related-to", s->incident);
	json_decref(o);
	fk_buf_release(&p);
	fk_buf_release(&lit);
}

/* One log-scan evidence: its targets as indicators, its sightings as observed data. */
static void stix_evidence(struct stix *s, const struct fk_evidence *e)
{
	char code[24], valid[32];
	snprintf(code, sizeof code, "E%" PRId64 ")", e->id);
	stix_time(e->created_at, valid);
	json_t *q = json_loads(e->query ? e->query : "{}", 0, NULL);
	json_t *groups = json_loads(e->result ? e->result : "[]", 0, NULL);
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(q, "target_values"), i, t)
	    stix_indicator(s, str(t, "kind"), str(t, "value"), valid, code);
	json_t *refs = json_array();
	json_int_t count = 0;
	int64_t first = FK_TIME_NONE, last = FK_TIME_NONE;
	json_array_foreach(groups, i, t)
	{
		static const char *const keys[] = {"client", "dest"};
		for (size_t k = 0; k < 2; k++) {
			const char *v = str(t, keys[k]);
			char id[96];
			if (v && *v && strlen(v) < 254)
				json_array_append_new(refs, json_string(stix_sco(s, v, id)));
		}
		count += json_integer_value(json_object_get(t, "count"));
		int64_t f = when(s->c, t, "first"), l = when(s->c, t, "last");
		if (f != FK_TIME_NONE && (first == FK_TIME_NONE || f < first))
			first = f;
		if (l != FK_TIME_NONE && (last == FK_TIME_NONE || l > last))
			last = l;
	}
	if (json_array_size(refs) && first != FK_TIME_NONE && last != FK_TIME_NONE) {
		char what[64], id[64], t1[32], t2[32];
		snprintf(what, sizeof what, "observed|E%" PRId64, e->id);
		json_t *o = stix_object(s, "observed-data", what, id);
		stix_time(first, t1);
		stix_time(last, t2);
		json_object_set_new(o, "first_observed", json_string(t1));
		json_object_set_new(o, "last_observed", json_string(t2));
		json_object_set_new(o, "number_observed",
		                    json_integer(count < 1           ? 1
		                                 : count > 999999999 ? 999999999
		                                                     : count));
		json_object_set(o, "object_refs", refs);
		stix_relate(s, id, "related-to", s->incident);
		json_decref(o);
	}
	json_decref(refs);
	json_decref(q);
	json_decref(groups);
}

static void stix_note(struct stix *s, const char *what, const char *abstract, const char *content)
{
	char id[64];
	json_t *o = stix_object(s, "note", what, id);
	json_object_set_new(o, "abstract", json_string(abstract));
	json_object_set_new(o, "content", json_string(content));
	json_object_set_new(o, "object_refs", json_pack("[s]", s->incident));
	json_decref(o);
}

static const char *stix_incident_type(const char *kind)
{
	static const char *const map[][2] = {
	    {"defacement", "defacement"},         {"malware-outbreak", "malware"},
	    {"dos", "denial-of-service"},         {"data-leak", "data-exfiltration"},
	    {"intrusion", "unauthorized-access"}, {"outbound-attack", "unauthorized-access"},
	    {"insider", "unauthorized-access"},   {"vulnerability-report", "vulnerability"}};
	for (size_t i = 0; i < FK_ARRAY_LEN(map); i++)
		if (!strcmp(kind, map[i][0]))
			return map[i][1];
	return NULL;
}

enum fk_code cli_stix_doc(struct cli *c, const struct fk_incident *inc, json_t **out)
{
	json_t *d;
	enum fk_code rc = cli_doc_data(c, inc, FK_LANG_EN, NULL, &d);
	if (rc)
		return rc;
	const char *org = str(d, "org.name");
	if (!org) {
		json_decref(d);
		return FK_ERR(
		    &c->err, FK_EINVAL, "stix",
		    "%s cannot be exported as STIX: the organisation's name is not recorded "
		    "(set it with 'fukkyu org set --name TEXT')",
		    "%s は STIX として出力できません: 組織名が記録されていません ('fukkyu org "
		    "set --name TEXT' で設定)",
		    inc->ref);
	}
	char created[32], modified[32];
	stix_time(inc->created_at, created);
	stix_time(inc->updated_at > inc->created_at ? inc->updated_at : inc->created_at, modified);
	struct stix s = {c, d, json_array(), json_object(), "", "", created, modified};
	json_t *o = stix_object(&s, "identity", "identity", s.identity);
	json_object_set_new(o, "name", json_string(org));
	json_object_set_new(o, "identity_class", json_string("organization"));
	const char *mail = str(d, "org.email");
	if (mail)
		json_object_set_new(o, "contact_information", json_string(mail));
	json_decref(o);

	o = stix_object(&s, "incident", "incident", s.incident);
	json_object_set_new(o, "name", json_string(inc->title));
	if (inc->description && *inc->description)
		json_object_set_new(o, "description", json_string(inc->description));
	json_object_set_new(
	    o, "external_references",
	    json_pack("[{s:s, s:s}]", "source_name", "fukkyu", "external_id", inc->ref));
	static const int criticality[] = {25, 50, 75, 100}; /* low .. critical */
	json_t *ext = json_pack(
	    "{s:s, s:s, s:s, s:i}", "extension_type", "property-extension", "determination",
	    !strcmp(str(d, "incident.kind"), "vulnerability-report") ? "suspected"
	                                                             : "successful-attempt",
	    "investigation_status", inc->state == FK_STATE_CLOSED ? "closed" : "open",
	    "criticality", criticality[inc->severity < 4 ? inc->severity : 3]);
	const char *type = stix_incident_type(str(d, "incident.kind"));
	if (type)
		json_object_set_new(ext, "incident_types", strings1(type));
	json_object_set_new(o, "extensions", json_pack("{s:o}", INCIDENT_EXT, ext));
	json_decref(o);

	struct fk_evidence *ev;
	size_t n;
	if (!(rc = fk_store_evidence_list(c->st, inc->id, &ev, &n, &c->err))) {
		for (size_t i = 0; i < n; i++)
			if (ev[i].kind && !strcmp(ev[i].kind, "log-scan"))
				stix_evidence(&s, &ev[i]);
		FK_FREE_ARRAY(ev, n, fk_evidence_release);
	}
	size_t i;
	json_t *e;
	json_array_foreach(get(d, "lessons"), i, e)
	{
		char what[32];
		snprintf(what, sizeof what, "lesson|%s", str(e, "id") ? str(e, "id") : "");
		struct fk_buf b = FK_BUF_INIT;
		(void)fk_buf_addf(&b, "%s\n\nAction: %s", str(e, "lesson"),
		                  str(e, "action") ? str(e, "action") : "-");
		stix_note(&s, what, "Lesson learned", b.ptr);
		fk_buf_release(&b);
	}
	if (str(d, "cause.root_cause")) {
		struct fk_buf b = FK_BUF_INIT;
		(void)fk_buf_addf(&b, "Root cause: %s", str(d, "cause.root_cause"));
		if (str(d, "cause.route"))
			(void)fk_buf_addf(&b, "\nRoute: %s", str(d, "cause.route"));
		if (str(d, "cause.direct_cause"))
			(void)fk_buf_addf(&b, "\nDirect cause: %s", str(d, "cause.direct_cause"));
		stix_note(&s, "cause", "Root cause", b.ptr);
		fk_buf_release(&b);
	}
	stix_relate(&s, s.incident, "related-to", s.identity);
	json_decref(s.scos);
	char bundle[96];
	stix_id(&s, "bundle", "bundle", bundle);
	json_decref(d);
	if (rc) {
		json_decref(s.objects);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", bundle, "objects", s.objects);
	return FK_OK;
}

/* ---- fukkyu export ------------------------------------------------------------------ */

static const struct fk_enum EXPORT_FORMATS[] = {
    {"veris", "VERIS 1.4 JSON", "VERIS 1.4 JSON"},
    {"stix", "STIX 2.1 bundle", "STIX 2.1 バンドル"},
};

enum fk_code cmd_export(struct cli *c, int argc, char **argv)
{
	int format = FK_UNSET;
	const char *out = NULL;
	const struct opt opts[] = {
	    {"format", NULL, OPT_ENUM, &format, EXPORT_FORMATS, 2, "veris or stix (required)",
	     "veris または stix (必須)"},
	    {"out", "FILE", OPT_STR, &out, NULL, 0, "write to FILE (whole or not at all)",
	     "FILE に書き出す (全体を書くか何も書かない)"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc =
	    cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	              "export ID --format veris|stix [--out FILE]", 1, 1, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (format == FK_UNSET)
		return FK_ERR0(&c->err, FK_EUSAGE, "--format",
		               "give --format veris or --format stix",
		               "--format veris または --format stix を指定してください");
	struct fk_incident inc;
	json_t *doc = NULL;
	if ((rc = cli_incident(c, pos[0], &inc)))
		return rc;
	rc = format ? cli_stix_doc(c, &inc, &doc) : cli_veris_doc(c, &inc, &doc);
	fk_incident_release(&inc);
	if (rc)
		return rc;
	if (!out) {
		cli_json_out(doc);
		return FK_OK;
	}
	char *text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	size_t len = strlen(text);
	text = fk_xrealloc(text, len + 2);
	text[len++] = '\n';
	text[len] = '\0';
	rc = cli_write_whole(c, out, text, len);
	free(text);
	return rc;
}

/* ---- fukkyu cases ------------------------------------------------------------------- */

enum fk_code cmd_cases(struct cli *c, int argc, char **argv)
{
	const char *search = NULL;
	int kind = FK_UNSET;
	const struct opt opts[] = {
	    {"search", "TEXT", OPT_STR, &search, NULL, 0,
	     "only cases whose title, description, cause or lessons contain TEXT",
	     "表題・説明・原因・教訓に TEXT を含む事例だけ"},
	    {"kind", NULL, OPT_ENUM, &kind, fk_kinds, FK_KIND_COUNT, "only this kind",
	     "この種別だけ"},
	};
	char *pos[1];
	int npos;
	bool help;
	enum fk_code rc = cli_parse(c, argc, argv, opts, FK_ARRAY_LEN(opts),
	                            "cases [--search TEXT] [--kind KIND]", 0, 0, pos, &npos, &help);
	if (rc || help)
		return rc;
	if (search && (strlen(search) > 200 || !fk_utf8_valid(search, strlen(search))))
		return FK_ERR0(&c->err, FK_EUSAGE, "--search",
		               "--search: at most 200 bytes of UTF-8 text",
		               "--search: 200 バイトまでの UTF-8 の文字列を指定してください");
	struct fk_case *cs;
	size_t n;
	if ((rc = fk_store_cases(c->st, search, kind, &cs, &n, &c->err)))
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *lessons = json_array();
		for (size_t k = 0; k < cs[i].nlessons; k++)
			json_array_append_new(lessons, json_string(cs[i].lessons[k]));
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "ref", cs[i].ref,
		                    "title", cs[i].title, "kind", fk_kinds[cs[i].kind].key,
		                    "discovered_at", cli_json_time(c, cs[i].discovered_at),
		                    "closed_at", cli_json_time(c, cs[i].closed_at), "root_cause",
		                    cli_json_str(cs[i].root_cause), "lessons", lessons));
	}
	FK_FREE_ARRAY(cs, n, fk_case_release);
	if (c->json) {
		cli_json_out(
		    json_pack("{s:o, s:o}", "search", cli_json_str(search), "cases", list));
		return FK_OK;
	}
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		char t[40];
		int64_t at;
		if (fk_time_parse(str(e, "discovered_at"), c->tz, "t", &at, NULL))
			at = FK_TIME_NONE;
		cli_time(c, at, t);
		printf("%s  %s  %s  %s\n", str(e, "ref"), t, str(e, "kind"), str(e, "title"));
		if (str(e, "root_cause"))
			printf("    %s: %s\n", TR(c->lang, "cause", "原因"), str(e, "root_cause"));
		size_t k;
		json_t *l;
		json_array_foreach(json_object_get(e, "lessons"), k, l)
		    printf("    - %s\n", json_string_value(l));
	}
	if (!json_array_size(list))
		printf("%s\n", TR(c->lang, "no closed incidents match",
		                  "該当する完了済みの事例はありません"));
	json_decref(list);
	return FK_OK;
}
