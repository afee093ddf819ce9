/*
 * test_playbook.c - the playbook loader (lib/core/playbook.c): the standard playbook, a
 * minimal valid playbook, instantiation, and one test per kind of bad input, each checking
 * the code, the "file:line" in err.field and the message in both languages.
 *
 * Bad inputs are made by mutating a generated valid playbook (the format of
 * playbooks/recovery.yaml); the expected line is found by searching the mutated text, so
 * it does not depend on the parser under test.
 */
#include "fukkyu/common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "fukkyu/incident.h"
#include "fukkyu/playbook.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/time.h"
#include "util/utf8.h"

#define ORIGIN "pb.yaml"

/* ---- helpers ------------------------------------------------------------------------------ */

/* Everything a test allocates is registered here and freed by the teardown, so a failing
 * assertion (which leaves the test function early) does not also report leaks. */
struct deferred {
	void (*fn)(void *);
	void *p;
};
static struct deferred deferred[256];
static size_t n_deferred;

static void *defer(void (*fn)(void *), void *p)
{
	if (n_deferred == FK_ARRAY_LEN(deferred))
		fail_msg("too many deferred frees");
	deferred[n_deferred++] = (struct deferred){fn, p};
	return p;
}

static void release_playbook(void *p)
{
	fk_playbook_release(p);
	free(p);
}

/* A zeroed playbook released (whatever it then holds) by the teardown. */
static struct fk_playbook *new_pb(void)
{
	return defer(release_playbook, fk_xcalloc(1, sizeof(struct fk_playbook)));
}

struct inst {
	struct fk_phase *phases;
	struct fk_task *tasks;
	size_t n;
};

static void release_inst(void *p)
{
	struct inst *i = p;
	FK_FREE_ARRAY(i->phases, FK_PLAYBOOK_PHASES, fk_phase_release);
	FK_FREE_ARRAY(i->tasks, i->n, fk_task_release);
	free(i);
}

/* fk_playbook_instantiate, the arrays released by the teardown. */
static void instantiate(const struct fk_playbook *pb, int kind, int64_t disc,
                        struct fk_phase **phases, struct fk_task **tasks, size_t *n)
{
	struct inst *i = defer(release_inst, fk_xcalloc(1, sizeof(struct inst)));
	fk_playbook_instantiate(pb, kind, disc, &i->phases, &i->tasks, &i->n);
	*phases = i->phases;
	*tasks = i->tasks;
	*n = i->n;
}

static int teardown(void **state)
{
	(void)state;
	while (n_deferred) {
		n_deferred--;
		deferred[n_deferred].fn(deferred[n_deferred].p);
	}
	return 0;
}

/* A valid playbook of n phases, each with one group holding one item "P.1". Phase p starts
 * at line 7 + 15 * (p - 1); its item id is on line 18 + 15 * (p - 1). */
static char *gen_playbook(int n_phases)
{
	struct fk_buf b = FK_BUF_INIT;
	(void)fk_buf_adds(&b, "playbook: test-pb\n"
	                      "version: 1\n"
	                      "title:\n"
	                      "  ja: テスト\n"
	                      "  en: Test\n"
	                      "phases:\n");
	for (int p = 1; p <= n_phases; p++)
		(void)fk_buf_addf(&b,
		                  "  - \"no\": %d\n"
		                  "    key: phase-%d\n"
		                  "    title:\n"
		                  "      ja: フェーズ%d\n"
		                  "      en: Phase %d\n"
		                  "    groups:\n"
		                  "      - key: group-%d\n"
		                  "        title:\n"
		                  "          ja: グループ%d\n"
		                  "          en: Group %d\n"
		                  "        items:\n"
		                  "          - id: \"%d.1\"\n"
		                  "            title:\n"
		                  "              ja: 項目%d\n"
		                  "              en: Item %d\n",
		                  p, p, p, p, p, p, p, p, p, p);
	return defer(free, fk_buf_detach(&b));
}

/* s with the first occurrence of from replaced by to (fails the test if from is absent). */
static char *mutate(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	if (!at)
		fail_msg("mutate: '%s' not found", from);
	struct fk_buf b = FK_BUF_INIT;
	(void)fk_buf_add(&b, s, (size_t)(at - s));
	(void)fk_buf_adds(&b, to);
	(void)fk_buf_adds(&b, at + strlen(from));
	return defer(free, fk_buf_detach(&b));
}

/* 1-based line of the n-th (1-based) occurrence of needle in s. */
static int line_of_nth(const char *s, const char *needle, int n)
{
	const char *at = s;
	for (int i = 0; i < n; i++) {
		at = strstr(i ? at + 1 : at, needle);
		if (!at)
			fail_msg("line_of: '%s' #%d not found", needle, n);
	}
	int line = 1;
	for (const char *p = s; p < at; p++)
		line += *p == '\n';
	return line;
}

static int line_of(const char *s, const char *needle)
{
	return line_of_nth(s, needle, 1);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void assert_pb_empty(const struct fk_playbook *pb)
{
	assert_null(pb->name);
	assert_null(pb->title_ja);
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		assert_null(pb->phases[p].groups);
		assert_int_equal(pb->phases[p].n_groups, 0);
	}
}

/* Parses text (len bytes), which must fail with code at line; returns the error for more
 * checks of the message. */
static struct fk_err parse_fail_len(const char *text, size_t len, enum fk_code code, int line)
{
	struct fk_playbook pb;
	struct fk_err err;
	fk_err_clear(&err);
	enum fk_code rc = fk_playbook_parse(text, len, ORIGIN, &pb, &err);
	if (rc == FK_OK) {
		fk_playbook_release(&pb);
		fail_msg("the playbook was accepted; expected an error at line %d", line);
	}
	char where[64], prefix[80];
	snprintf(where, sizeof where, ORIGIN ":%d", line);
	snprintf(prefix, sizeof prefix, "%s: ", where);
	if (rc != code || strcmp(err.field, where))
		fail_msg("expected code %d at '%s', got code %d at '%s': %s", code, where, rc,
		         err.field, err.en);
	assert_int_equal(err.code, code);
	/* Both messages start with file:line. */
	if (strncmp(err.en, prefix, strlen(prefix)) || strncmp(err.ja, prefix, strlen(prefix)))
		fail_msg("messages do not start with '%s': '%s' / '%s'", prefix, err.en, err.ja);
	assert_true(strlen(err.en) > strlen(prefix) + 10);
	assert_true(strlen(err.ja) > strlen(prefix) + 10);
	assert_pb_empty(&pb);
	return err;
}

static struct fk_err parse_fail(const char *text, int line)
{
	return parse_fail_len(text, strlen(text), FK_EINVAL, line);
}

static void assert_has(const char *msg, const char *needle)
{
	if (!strstr(msg, needle))
		fail_msg("message '%s' lacks '%s'", msg, needle);
}

/* ---- the standard playbook ------------------------------------------------------------------ */

static const char *const phase_keys[FK_PLAYBOOK_PHASES] = {
    "residual-damage", "normal-operation", "root-cause", "recurrence-prevention",
    "users",           "external",
};

static const struct fk_pb_item *find_item(const struct fk_playbook *pb, const char *id, int *phase)
{
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++)
		for (size_t g = 0; g < pb->phases[p].n_groups; g++)
			for (size_t i = 0; i < pb->phases[p].groups[g].n_items; i++)
				if (!strcmp(pb->phases[p].groups[g].items[i].id, id)) {
					if (phase)
						*phase = pb->phases[p].no;
					return &pb->phases[p].groups[g].items[i];
				}
	return NULL;
}

static bool is_base_id(const char *id)
{
	/* "P.N": a digit, a dot, digits only. */
	if (!(id[0] >= '1' && id[0] <= '6') || id[1] != '.' || !id[2])
		return false;
	for (const char *p = id + 2; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static void test_default_structure(void **state)
{
	(void)state;
	struct fk_playbook *pb = new_pb();
	struct fk_err err;
	assert_int_equal(fk_playbook_load_default(pb, &err), FK_OK);
	assert_string_equal(pb->name, "fukkyu-recovery");
	assert_int_equal(pb->version, 1);
	assert_string_equal(pb->title_en, "Recovery playbook (standard)");
	assert_non_null(strstr(pb->title_ja, "復旧プレイブック"));

	static const int base_per_phase[FK_PLAYBOOK_PHASES] = {10, 26, 14, 24, 16, 13};
	size_t base = 0, all = 0;
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		const struct fk_pb_phase *ph = &pb->phases[p];
		assert_int_equal(ph->no, p + 1);
		assert_string_equal(ph->key, phase_keys[p]);
		assert_true(ph->title_ja && *ph->title_ja && ph->title_en && *ph->title_en);
		assert_true(ph->n_groups > 0);
		int phase_base = 0;
		for (size_t g = 0; g < ph->n_groups; g++) {
			const struct fk_pb_group *gr = &ph->groups[g];
			assert_true(gr->n_items > 0);
			assert_true(gr->title_ja && *gr->title_ja && gr->title_en && *gr->title_en);
			for (size_t i = 0; i < gr->n_items; i++) {
				const struct fk_pb_item *it = &gr->items[i];
				all++;
				/* The id starts with its phase number. */
				assert_int_equal(it->id[0], '0' + ph->no);
				assert_int_equal(it->id[1], '.');
				assert_true(fk_utf8_valid(it->title_ja, strlen(it->title_ja)));
				assert_true(*it->title_ja && *it->title_en);
				assert_true(it->line > 0);
				/* Base items are exactly the "P.N" ids and apply to every kind. */
				if (it->kinds == 0) {
					base++;
					phase_base++;
					if (!is_base_id(it->id))
						fail_msg(
						    "item %s has no kinds but is not a base id",
						    it->id);
				} else if (is_base_id(it->id)) {
					fail_msg("base item %s has kinds", it->id);
				}
			}
		}
		if (phase_base != base_per_phase[p])
			fail_msg("phase %d has %d base items, expected %d", p + 1, phase_base,
			         base_per_phase[p]);
	}
	assert_int_equal(base, 103);
	assert_int_equal(all, 142);
	fk_playbook_release(pb);
	assert_null(pb->name);
}

static void test_default_items(void **state)
{
	(void)state;
	struct fk_playbook *pb = new_pb();
	struct fk_err err;
	int phase = 0;
	assert_int_equal(fk_playbook_load_default(pb, &err), FK_OK);

	const struct fk_pb_item *it = find_item(pb, "2.7", &phase);
	assert_non_null(it);
	assert_int_equal(phase, 2);
	assert_int_equal(it->kinds, 0);

	it = find_item(pb, "2.19", &phase);
	assert_non_null(it);
	assert_true(it->approval);
	assert_string_equal(it->title_en, "Obtain the owner's approval");
	assert_false(find_item(pb, "2.18", NULL)->approval);
	assert_true(find_item(pb, "4.6", NULL)->approval);
	assert_true(find_item(pb, "5.12", NULL)->approval);

	it = find_item(pb, "5.dl-1", &phase);
	assert_non_null(it);
	assert_int_equal(phase, 5);
	assert_int_equal(it->kinds, 1u << FK_KIND_DATA_LEAK);
	it = find_item(pb, "1.in-1", NULL);
	assert_int_equal(it->kinds, (1u << FK_KIND_INTRUSION) | (1u << FK_KIND_DEFACEMENT));

	assert_int_equal(find_item(pb, "6.dl-1", NULL)->due_hours, 72);
	assert_int_equal(find_item(pb, "6.dl-2", NULL)->due_hours, 720);
	assert_int_equal(find_item(pb, "5.df-1", NULL)->due_hours, 24);
	assert_int_equal(find_item(pb, "2.7", NULL)->due_hours, 0);
	assert_non_null(find_item(pb, "1.oa-1", NULL)->why_en);
	assert_null(find_item(pb, "1.1", NULL)->why_en);

	assert_null(find_item(pb, "7.1", NULL));
	assert_null(find_item(pb, "2.99", NULL));
}

static void test_default_counts_per_kind(void **state)
{
	(void)state;
	struct fk_playbook *pb = new_pb();
	struct fk_err err;
	assert_int_equal(fk_playbook_load_default(pb, &err), FK_OK);
	/* 103 base items plus the kind-specific ones (counted from playbooks/recovery.yaml). */
	static const size_t expect[FK_KIND_COUNT] = {
	    [FK_KIND_OUTBOUND_ATTACK] = 114,
	    [FK_KIND_VULNERABILITY_REPORT] = 111,
	    [FK_KIND_DEFACEMENT] = 111,
	    [FK_KIND_MALWARE_OUTBREAK] = 111,
	    [FK_KIND_DATA_LEAK] = 108,
	    [FK_KIND_INTRUSION] = 106,
	    [FK_KIND_DOS] = 103,
	    [FK_KIND_INSIDER] = 106,
	    [FK_KIND_EQUIPMENT_FAILURE] = 103,
	    [FK_KIND_DISASTER] = 103,
	    [FK_KIND_OTHER] = 103,
	};
	for (int k = 0; k < FK_KIND_COUNT; k++)
		if (fk_playbook_count(pb, k) != expect[k])
			fail_msg("kind %s: %zu items, expected %zu", fk_kinds[k].key,
			         fk_playbook_count(pb, k), expect[k]);
}

static bool has_task(const struct fk_task *t, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].item_id, id))
			return true;
	return false;
}

static const struct fk_task *get_task(const struct fk_task *t, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].item_id, id))
			return &t[i];
	fail_msg("no task %s", id);
	return NULL;
}

static void test_default_instantiate(void **state)
{
	(void)state;
	struct fk_playbook *pb = new_pb();
	struct fk_err err;
	assert_int_equal(fk_playbook_load_default(pb, &err), FK_OK);
	const int64_t disc = INT64_C(1783290000); /* 2026-07-06T07:20+09:00 */

	struct fk_phase *phases;
	struct fk_task *tasks;
	size_t n;
	instantiate(pb, FK_KIND_DATA_LEAK, disc, &phases, &tasks, &n);
	assert_int_equal(n, 108);
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		assert_int_equal(phases[p].no, p + 1);
		assert_string_equal(phases[p].key, phase_keys[p]);
	}
	static const char *const dl[] = {"1.dl-1", "5.dl-1", "5.dl-2", "6.dl-1", "6.dl-2"};
	for (size_t i = 0; i < FK_ARRAY_LEN(dl); i++)
		assert_true(has_task(tasks, n, dl[i]));
	assert_false(has_task(tasks, n, "2.df-1"));
	assert_false(has_task(tasks, n, "1.in-1"));
	assert_true(has_task(tasks, n, "2.7"));
	/* Playbook order: seq 1..n, phases never go back, first and last items. */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(tasks[i].seq, (int)i + 1);
		assert_int_equal(tasks[i].state, FK_TASK_TODO);
		assert_int_equal(tasks[i].item_id[0], '0' + tasks[i].phase);
		if (i)
			assert_true(tasks[i].phase >= tasks[i - 1].phase);
		assert_non_null(tasks[i].group_key);
		assert_null(tasks[i].na_reason);
		assert_null(tasks[i].owner);
	}
	assert_string_equal(tasks[0].item_id, "1.1");
	assert_string_equal(tasks[n - 1].item_id, "6.13");
	/* due_hours -> due_at = discovered + hours * 3600; none -> FK_TIME_NONE. */
	assert_int_equal(get_task(tasks, n, "6.dl-1")->due_at, disc + 72 * 3600);
	assert_int_equal(get_task(tasks, n, "6.dl-2")->due_at, disc + INT64_C(720) * 3600);
	assert_int_equal(get_task(tasks, n, "2.7")->due_at, FK_TIME_NONE);
	assert_true(get_task(tasks, n, "2.19")->approval);
	assert_false(get_task(tasks, n, "2.7")->approval);
	const struct fk_task *t = get_task(tasks, n, "5.dl-1");
	assert_int_equal(t->phase, 5);
	assert_non_null(t->why_ja);

	instantiate(pb, FK_KIND_DEFACEMENT, disc, &phases, &tasks, &n);
	assert_int_equal(n, 111);
	assert_false(has_task(tasks, n, "5.dl-1"));
	assert_false(has_task(tasks, n, "6.dl-1"));
	assert_true(has_task(tasks, n, "2.df-1"));
	assert_true(has_task(tasks, n, "1.in-1"));
	assert_int_equal(get_task(tasks, n, "5.df-1")->due_at, disc + 24 * 3600);

	instantiate(pb, FK_KIND_DOS, disc, &phases, &tasks, &n);
	assert_int_equal(n, 103);
	for (size_t i = 0; i < n; i++)
		assert_true(is_base_id(tasks[i].item_id));
}

static void test_default_matches_file(void **state)
{
	(void)state;
	/* The embedded playbook is playbooks/recovery.yaml: loading the file gives the same. */
	const char *src = getenv("FK_SOURCE_DIR");
	if (!src)
		skip();
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", src, FK_PLAYBOOK_DEFAULT);
	struct fk_playbook *a = new_pb(), *b = new_pb();
	struct fk_err err;
	assert_int_equal(fk_playbook_load_default(a, &err), FK_OK);
	fk_err_clear(&err);
	enum fk_code rc = fk_playbook_load_file(path, b, &err);
	if (rc)
		fail_msg("%s", err.en);
	for (int k = 0; k < FK_KIND_COUNT; k++)
		assert_int_equal(fk_playbook_count(a, k), fk_playbook_count(b, k));
	assert_string_equal(a->name, b->name);
}

/* ---- a minimal valid playbook --------------------------------------------------------------- */

static void test_minimal_valid(void **state)
{
	(void)state;
	char *y = gen_playbook(6);
	/* The generator's layout, which the line expectations below rely on. */
	assert_int_equal(line_of(y, "id: \"3.1\""), 48);
	assert_int_equal(line_of(y, "\"no\": 6"), 82);
	assert_int_equal(count_lines(y), 96);

	struct fk_playbook *pb = new_pb();
	struct fk_err err;
	fk_err_clear(&err);
	enum fk_code rc = fk_playbook_parse(y, strlen(y), ORIGIN, pb, &err);
	if (rc)
		fail_msg("%s", err.en);
	assert_string_equal(pb->name, "test-pb");
	assert_string_equal(pb->title_ja, "テスト");
	assert_string_equal(pb->title_en, "Test");
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		char key[16], id[8], ja[32];
		snprintf(key, sizeof key, "phase-%d", p + 1);
		snprintf(id, sizeof id, "%d.1", p + 1);
		snprintf(ja, sizeof ja, "項目%d", p + 1);
		assert_int_equal(pb->phases[p].no, p + 1);
		assert_string_equal(pb->phases[p].key, key);
		assert_int_equal(pb->phases[p].n_groups, 1);
		assert_int_equal(pb->phases[p].groups[0].n_items, 1);
		const struct fk_pb_item *it = &pb->phases[p].groups[0].items[0];
		assert_string_equal(it->id, id);
		assert_string_equal(it->title_ja, ja);
		assert_int_equal(it->line, 18 + 15 * p);
		assert_int_equal(it->kinds, 0);
		assert_false(it->approval);
		assert_int_equal(it->due_hours, 0);
		assert_null(it->why_ja);
	}
	for (int k = 0; k < FK_KIND_COUNT; k++)
		assert_int_equal(fk_playbook_count(pb, k), 6);
}

static void test_minimal_options(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "              en: Item 2\n",
	                 "              en: Item 2\n"
	                 "            approval: true\n"
	                 "            due_hours: 48\n"
	                 "            why:\n"
	                 "              ja: 理由\n"
	                 "              en: Because\n"
	                 "          - id: \"2.dl-1\"\n"
	                 "            title: {ja: 漏えい, en: Leak}\n"
	                 "            kinds: [data-leak, intrusion]\n"
	                 "            due_hours: 8784\n");
	struct fk_playbook *pb = new_pb();
	struct fk_err err;
	fk_err_clear(&err);
	enum fk_code rc = fk_playbook_parse(y, strlen(y), ORIGIN, pb, &err);
	if (rc)
		fail_msg("%s", err.en);
	const struct fk_pb_item *it = find_item(pb, "2.1", NULL);
	assert_true(it->approval);
	assert_int_equal(it->due_hours, 48);
	assert_string_equal(it->why_ja, "理由");
	assert_string_equal(it->why_en, "Because");
	it = find_item(pb, "2.dl-1", NULL);
	assert_non_null(it);
	assert_string_equal(it->title_en, "Leak");
	assert_int_equal(it->kinds, (1u << FK_KIND_DATA_LEAK) | (1u << FK_KIND_INTRUSION));
	assert_int_equal(it->due_hours, 8784);
	assert_int_equal(fk_playbook_count(pb, FK_KIND_DATA_LEAK), 7);
	assert_int_equal(fk_playbook_count(pb, FK_KIND_INTRUSION), 7);
	assert_int_equal(fk_playbook_count(pb, FK_KIND_DOS), 6);

	const int64_t disc = 1000000;
	struct fk_phase *phases;
	struct fk_task *tasks;
	size_t n;
	instantiate(pb, FK_KIND_DATA_LEAK, disc, &phases, &tasks, &n);
	assert_int_equal(n, 7);
	assert_string_equal(tasks[1].item_id, "2.1");
	assert_int_equal(tasks[1].due_at, disc + 48 * 3600);
	assert_true(tasks[1].approval);
	assert_string_equal(tasks[1].why_en, "Because");
	assert_string_equal(tasks[1].group_key, "group-2");
	assert_string_equal(tasks[1].group_ja, "グループ2");
	assert_string_equal(tasks[2].item_id, "2.dl-1");
	assert_int_equal(tasks[2].due_at, disc + INT64_C(8784) * 3600);
	assert_int_equal(tasks[2].seq, 3);
	assert_int_equal(tasks[0].due_at, FK_TIME_NONE);
	assert_string_equal(phases[1].title_en, "Phase 2");

	instantiate(pb, FK_KIND_DOS, disc, &phases, &tasks, &n);
	assert_int_equal(n, 6);
	assert_false(has_task(tasks, n, "2.dl-1"));
}

/* ---- bad inputs -------------------------------------------------------------------------------
 */

static void test_bad_duplicate_id(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "              en: Item 2\n",
	                 "              en: Item 2\n"
	                 "          - id: \"2.1\"\n"
	                 "            title:\n"
	                 "              ja: 重複\n"
	                 "              en: Duplicate\n");
	int second = line_of_nth(y, "id: \"2.1\"", 2);
	assert_int_equal(second, 37);
	struct fk_err err = parse_fail(y, second);
	assert_has(err.en, "duplicate item id '2.1'");
	assert_has(err.en, "first at line 33");
	assert_has(err.ja, "'2.1'");
	assert_has(err.ja, "重複");
	assert_has(err.ja, "33");

	/* The same across two groups of a phase. */
	y = mutate(base, "              en: Item 4\n",
	           "              en: Item 4\n"
	           "      - key: group-4b\n"
	           "        title: {ja: 別, en: Other}\n"
	           "        items:\n"
	           "          - {id: \"4.1\", title: {ja: 再, en: Again}}\n");
	err = parse_fail(y, line_of(y, "{id: \"4.1\""));
	assert_has(err.en, "duplicate item id '4.1'");
}

static void test_bad_missing_translation(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "              en: Item 3\n", "");
	/* Reported at the 'title' that lacks it. */
	int line = line_of(y, "ja: 項目3") - 1;
	assert_int_equal(line, 49);
	struct fk_err err = parse_fail(y, line);
	assert_has(err.en, "'title' has no 'en'");
	assert_has(err.en, "required");
	assert_has(err.ja, "'en' がありません");

	y = mutate(base, "      ja: フェーズ5\n", "");
	err = parse_fail(y, line_of(y, "en: Phase 5") - 1);
	assert_has(err.en, "no 'ja'");

	/* An item without a title at all: reported at the item. */
	y = mutate(base, "            title:\n              ja: 項目6\n              en: Item 6\n",
	           "");
	err = parse_fail(y, line_of(y, "id: \"6.1\""));
	assert_has(err.en, "item has no 'title'");
}

static void test_bad_unknown_key(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "              en: Item 4\n",
	                 "              en: Item 4\n            colour: red\n");
	struct fk_err err = parse_fail(y, line_of(y, "colour:"));
	assert_has(err.en, "unknown key 'colour'");
	assert_has(err.en, "id, title, kinds, approval, due_hours, why");
	assert_has(err.ja, "'colour'");
	assert_has(err.ja, "不明なキー");

	y = mutate(base, "version: 1\n", "version: 1\nauthor: me\n");
	err = parse_fail(y, 3);
	assert_has(err.en, "unknown key 'author'");
	assert_has(err.en, "playbook, version, title, phases");

	y = mutate(base, "    key: phase-2\n", "    key: phase-2\n    owner: x\n");
	err = parse_fail(y, line_of(y, "owner: x"));
	assert_has(err.en, "unknown key 'owner' in phase");

	/* A typo in a translation key. */
	y = mutate(base, "          en: Group 5\n", "          eng: Group 5\n");
	err = parse_fail(y, line_of(y, "eng: Group 5"));
	assert_has(err.en, "unknown key 'eng'");
	assert_has(err.en, "ja, en");
}

static void test_bad_yaml_mismatched_bracket(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "title:\n              ja: 項目3\n              en: Item 3\n",
	                 "title: {ja: 項目3, en: Item 3]\n");
	int line = line_of(y, "{ja: 項目3");
	assert_int_equal(line, 49);
	struct fk_err err = parse_fail(y, line);
	assert_has(err.en, "broken YAML");
	assert_has(err.ja, "YAML の構文エラー");
	/* The ']' is the 40th character of its line. */
	assert_has(err.en, "(column 40)");
}

static void test_bad_yaml_unclosed_flow(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "title:\n              ja: 項目3\n              en: Item 3\n",
	                 "title: {ja: 項目3, en: Item 3\n");
	int open = line_of(y, "{ja: 項目3");
	struct fk_playbook *pb = new_pb();
	struct fk_err err;
	fk_err_clear(&err);
	assert_int_equal(fk_playbook_parse(y, strlen(y), ORIGIN, pb, &err), FK_EINVAL);
	assert_pb_empty(pb);
	assert_has(err.en, "broken YAML");
	assert_has(err.ja, "YAML の構文エラー");
	/* The line of the unclosed '{', or the next one where the parser finds the mapping
	 * was never closed - not further on. */
	char at_open[32], at_next[32];
	snprintf(at_open, sizeof at_open, ORIGIN ":%d", open);
	snprintf(at_next, sizeof at_next, ORIGIN ":%d", open + 1);
	if (strcmp(err.field, at_open) && strcmp(err.field, at_next))
		fail_msg("unclosed '{' on line %d reported at %s: %s", open, err.field, err.en);

	/* At the end of the file: the line must exist (or be the end of the last line). */
	y = mutate(base, "title:\n              ja: 項目6\n              en: Item 6\n",
	           "title: {ja: 項目6, en: Item 6\n");
	int last = count_lines(y);
	fk_err_clear(&err);
	assert_int_equal(fk_playbook_parse(y, strlen(y), ORIGIN, pb, &err), FK_EINVAL);
	long reported = strtol(err.field + strlen(ORIGIN ":"), NULL, 10);
	if (reported < 1 || reported > last + 1)
		fail_msg("unclosed '{' on the last line (%d) reported at %s", last, err.field);
}

static void test_bad_yaml_duplicate_key(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "version: 1\n", "version: 1\nversion: 1\n");
	struct fk_err err = parse_fail(y, 3);
	assert_has(err.en, "broken YAML");
	assert_has(err.en, "duplicate key");
	assert_has(err.en, "(column 1)");

	y = mutate(base, "              en: Item 3\n",
	           "              en: Item 3\n              en: Again\n");
	err = parse_fail(y, line_of(y, "en: Again"));
	assert_has(err.en, "duplicate key");
}

static void test_bad_yaml_indentation(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	/* A tab used for indentation. */
	char *y = mutate(base, "              en: Item 3\n", "\t      en: Item 3\n");
	int line = line_of(y, "\t      en: Item 3");
	assert_int_equal(line, 51);
	struct fk_err err = parse_fail(y, line);
	assert_has(err.en, "broken YAML");
	assert_has(err.en, "tab");

	/* A key dedented out of its mapping into the parent sequence's column: the key is
	 * then not a key of anything YAML allows there. */
	y = mutate(base, "    key: phase-4\n", "   key: phase-4\n");
	fk_err_clear(&err);
	struct fk_playbook *pb = new_pb();
	assert_int_equal(fk_playbook_parse(y, strlen(y), ORIGIN, pb, &err), FK_EINVAL);
	assert_pb_empty(pb);
	assert_has(err.field, ORIGIN ":");
	long reported = strtol(err.field + strlen(ORIGIN ":"), NULL, 10);
	int bad = line_of(y, "   key: phase-4");
	if (reported < bad - 1 || reported > bad)
		fail_msg("bad indentation on line %d reported at %s: %s", bad, err.field, err.en);
}

static void test_bad_utf8(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "ja: 項目4",
	                 "ja: 項\xff"
	                 "4");
	int line = line_of(y, "項\xff");
	assert_int_equal(line, 65);
	struct fk_err err = parse_fail(y, line);
	assert_has(err.en, "not valid UTF-8");
	assert_has(err.ja, "UTF-8");

	/* An overlong form on line 1, a surrogate in a comment, a NUL byte. */
	y = mutate(base, "playbook: test-pb", "playbook: test-pb \xC0\xAF");
	err = parse_fail(y, 1);
	y = mutate(base, "phases:\n", "phases:\n# \xED\xA0\x80\n");
	err = parse_fail(y, 7);
	size_t len = strlen(base);
	char *nul = defer(free, fk_xstrdup(base));
	nul[strstr(nul, "Group 2") - nul] = '\0';
	err = parse_fail_len(nul, len, FK_EINVAL, line_of(base, "Group 2"));
	assert_has(err.en, "UTF-8");
}

static void test_bad_wrong_phase_id(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "id: \"2.1\"", "id: \"3.1\"");
	int line = line_of(y, "id: \"3.1\"");
	assert_int_equal(line, 33);
	struct fk_err err = parse_fail(y, line);
	assert_has(err.en, "item id '3.1'");
	assert_has(err.en, "\"2.1\"");
	assert_has(err.ja, "'3.1'");

	static const char *const bad[] = {"2.", "2", "2.a b", "2.-x", "2..1", "21", ".1", "2.1/x"};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++) {
		char to[32];
		snprintf(to, sizeof to, "id: \"%s\"", bad[i]);
		y = mutate(base, "id: \"2.1\"", to);
		err = parse_fail(y, 33);
		assert_has(err.en, "must start with its phase number");
	}
}

static void test_bad_phase_count(void **state)
{
	(void)state;
	char *y = gen_playbook(5);
	struct fk_err err = parse_fail(y, line_of(y, "phases:"));
	assert_int_equal(line_of(y, "phases:"), 6);
	assert_has(err.en, "exactly 6 phases");
	assert_has(err.ja, "6 つのフェーズ");

	y = gen_playbook(0);
	err = parse_fail(y, 6);

	/* Seven: the seventh would need "no": 7. */
	char *six = gen_playbook(6);
	y = mutate(six, "phases:\n",
	           "phases:\n"
	           "  - \"no\": 0\n"
	           "    key: phase-0\n"
	           "    title: {ja: ゼロ, en: Zero}\n"
	           "    groups: [{key: g, title: {ja: g, en: g}, items: [{id: \"0.1\", title: "
	           "{ja: x, en: x}}]}]\n");
	err = parse_fail(y, 6);
	assert_has(err.en, "exactly 6 phases");
}

static void test_bad_phase_order(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "\"no\": 2", "\"no\": 3");
	int line = line_of(y, "\"no\": 3");
	assert_int_equal(line, 22);
	struct fk_err err = parse_fail(y, line);
	assert_has(err.en, "phase 'no' is 3: expected 2");
	assert_has(err.ja, "3");
	assert_has(err.ja, "2 が必要");

	y = mutate(base, "\"no\": 6", "\"no\": 7");
	err = parse_fail(y, line_of(y, "\"no\": 7"));
	assert_has(err.en, "'no' must be a whole number from 1 to 6");

	y = mutate(base, "\"no\": 1", "\"no\": one");
	err = parse_fail(y, line_of(y, "\"no\": one"));
	assert_has(err.en, "'no' must be a whole number");
}

static void test_bad_kinds(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "              en: Item 5\n",
	                 "              en: Item 5\n            kinds: [nope]\n");
	struct fk_err err = parse_fail(y, line_of(y, "kinds: [nope]"));
	assert_has(err.en, "'nope'");
	assert_has(err.ja, "'nope'");
	for (int k = 0; k < FK_KIND_COUNT; k++)
		assert_has(err.en, fk_kinds[k].key);

	/* The bad one in a block list: its own line. */
	y = mutate(base, "              en: Item 5\n",
	           "              en: Item 5\n            kinds:\n              - data-leak\n"
	           "              - Data-Leak\n");
	err = parse_fail(y, line_of(y, "- Data-Leak"));
	assert_has(err.en, "'Data-Leak'");

	static const char *const bad[] = {"kinds: []", "kinds: data-leak", "kinds: {a: b}"};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++) {
		char to[80];
		snprintf(to, sizeof to, "              en: Item 5\n            %s\n", bad[i]);
		y = mutate(base, "              en: Item 5\n", to);
		err = parse_fail(y, line_of(y, bad[i]));
		assert_has(err.en, "'kinds' must be a list of incident kinds");
	}
}

static void test_bad_approval(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	static const char *const bad[] = {"approval: maybe", "approval: yes", "approval: 1",
	                                  "approval: [true]"};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++) {
		char to[80];
		snprintf(to, sizeof to, "              en: Item 2\n            %s\n", bad[i]);
		char *y = mutate(base, "              en: Item 2\n", to);
		struct fk_err err = parse_fail(y, line_of(y, bad[i]));
		assert_has(err.en, "'approval' must be true or false");
		assert_has(err.ja, "true または false");
	}
}

static void test_bad_due_hours(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	static const char *const bad[] = {"due_hours: -1",
	                                  "due_hours: 0",
	                                  "due_hours: 1.5",
	                                  "due_hours: 8785",
	                                  "due_hours: abc",
	                                  "due_hours: \"24\"",
	                                  "due_hours: 99999999999999999999",
	                                  "due_hours: 24h"};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++) {
		char to[80];
		snprintf(to, sizeof to, "              en: Item 6\n            %s\n", bad[i]);
		char *y = mutate(base, "              en: Item 6\n", to);
		struct fk_err err = parse_fail(y, line_of(y, bad[i]));
		assert_has(err.en, "'due_hours' must be a whole number from 1 to 8784");
		assert_has(err.ja, "'due_hours' は 1 から 8784 までの整数");
	}
}

static void test_bad_empty(void **state)
{
	(void)state;
	struct fk_err err = parse_fail("", 1);
	assert_has(err.en, "empty");
	assert_has(err.ja, "空");
	err = parse_fail("# only a comment\n\n", 1);
	assert_has(err.en, "empty");
	/* A document that is not a mapping. */
	err = parse_fail("just text\n", 1);
	assert_has(err.en, "must be a mapping");
	err = parse_fail("- a\n- b\n", 1);
	assert_has(err.en, "must be a mapping");
}

static void test_bad_alias(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y1 = mutate(base, "    title:\n      ja: フェーズ1\n",
	                  "    title: &t\n      ja: フェーズ1\n");
	char *y =
	    mutate(y1, "            title:\n              ja: 項目4\n              en: Item 4\n",
	           "            title: *t\n");
	struct fk_err err = parse_fail(y, line_of(y, "*t"));
	assert_has(err.en, "'title' must be a mapping");
	assert_has(err.ja, "'title'");

	/* An alias where a text is expected. */
	y1 = mutate(base, "ja: フェーズ1", "ja: &j フェーズ1");
	y = mutate(y1, "ja: 項目4", "ja: *j");
	err = parse_fail(y, line_of(y, "*j"));
	assert_has(err.en, "'ja' must be a text");

	/* An alias as an item id. */
	y1 = mutate(base, "id: \"1.1\"", "id: &i \"1.1\"");
	y = mutate(y1, "id: \"5.1\"", "id: *i");
	err = parse_fail(y, line_of(y, "*i"));
	assert_has(err.en, "'id' must be a text");
}

static void test_bad_misc(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	char *y = mutate(base, "version: 1", "version: 2");
	struct fk_err err = parse_fail(y, 2);
	assert_has(err.en, "'version' must be a whole number from 1 to 1");

	y = mutate(base, "playbook: test-pb\n", "");
	err = parse_fail(y, 1);
	assert_has(err.en, "has no 'playbook'");

	y = mutate(base, "playbook: test-pb", "playbook: Test PB");
	err = parse_fail(y, 1);
	assert_has(err.en, "'playbook' must be lower-case letters");

	y = mutate(base, "key: group-3", "key: group_3");
	err = parse_fail(y, line_of(y, "group_3"));
	assert_has(err.en, "'key' must be lower-case");

	y = mutate(base, "ja: 項目2", "ja: ''");
	err = parse_fail(y, line_of(y, "ja: ''"));
	assert_has(err.en, "'ja' is empty");

	y = mutate(base, "title:\n  ja: テスト\n  en: Test\n", "title: テスト\n");
	err = parse_fail(y, 3);
	assert_has(err.en, "'title' must be a mapping");

	y = mutate(base,
	           "        items:\n          - id: \"4.1\"\n            title:\n              ja: "
	           "項目4\n              en: Item 4\n",
	           "        items: []\n");
	err = parse_fail(y, line_of(y, "items: []"));
	assert_has(err.en, "'items' must be a non-empty list");

	y = mutate(base, "    groups:\n      - key: group-1\n",
	           "    groups: []\n    x-groups:\n      - key: group-1\n");
	err = parse_fail(y, line_of(y, "x-groups"));
}

/* A second YAML document after the playbook: loading is strict, so neither a broken one nor
 * a competing playbook may be ignored silently. */
static void test_bad_second_document(void **state)
{
	(void)state;
	char *base = gen_playbook(6);
	static const char *const tails[] = {"---\ngarbage: [\n", "---\nplaybook: other\n"};
	for (size_t i = 0; i < FK_ARRAY_LEN(tails); i++) {
		struct fk_buf b = FK_BUF_INIT;
		(void)fk_buf_adds(&b, base);
		(void)fk_buf_adds(&b, tails[i]);
		char *y = defer(free, fk_buf_detach(&b));
		struct fk_playbook *pb = new_pb();
		struct fk_err err;
		fk_err_clear(&err);
		enum fk_code rc = fk_playbook_parse(y, strlen(y), ORIGIN, pb, &err);
		if (rc != FK_EINVAL)
			fail_msg("a playbook followed by a second document (#%zu) was accepted "
			         "(rc %d)",
			         i, rc);
		long line = strtol(err.field + strlen(ORIGIN ":"), NULL, 10);
		assert_true(line >= line_of(y, "---"));
		assert_pb_empty(pb);
	}
}

static void test_bad_too_big(void **state)
{
	(void)state;
	size_t len = (size_t)FK_PLAYBOOK_MAX_BYTES + 1;
	char *big = defer(free, fk_xmalloc(len + 1));
	memset(big, '#', len);
	big[len] = '\0';
	struct fk_playbook *pb = new_pb();
	struct fk_err err;
	fk_err_clear(&err);
	assert_int_equal(fk_playbook_parse(big, len, ORIGIN, pb, &err), FK_ETOOBIG);
	assert_int_equal(err.code, FK_ETOOBIG);
	assert_string_equal(err.field, ORIGIN);
	assert_has(err.en, ORIGIN);
	assert_has(err.en, "4194304");
	assert_has(err.ja, "4194304");
	assert_pb_empty(pb);
}

/* ---- files ------------------------------------------------------------------------------------
 */

/* Removes the files test_load_file writes, and the directory (deferred: also on failure). */
static void remove_dir(void *p)
{
	static const char *const names[] = {"good.yaml", "bad.yaml", "big.yaml"};
	char path[1100];
	for (size_t i = 0; i < FK_ARRAY_LEN(names); i++) {
		snprintf(path, sizeof path, "%s/%s", (char *)p, names[i]);
		unlink(path);
	}
	rmdir(p);
	free(p);
}

static char *write_temp(const char *dir, const char *name, const char *data, size_t len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return defer(free, fk_xstrdup(path));
}

static void test_load_file(void **state)
{
	(void)state;
	char *dir = defer(remove_dir, fk_xstrdup("/tmp/fk-test-playbook-XXXXXX"));
	assert_non_null(mkdtemp(dir));
	struct fk_playbook *pb = new_pb();
	struct fk_err err;

	char missing[1100];
	snprintf(missing, sizeof missing, "%s/none.yaml", dir);
	fk_err_clear(&err);
	assert_int_equal(fk_playbook_load_file(missing, pb, &err), FK_EIO);
	assert_string_equal(err.field, missing);
	assert_has(err.en, "cannot open playbook");
	assert_has(err.en, "none.yaml");
	assert_pb_empty(pb);

	char *y = gen_playbook(6);
	char *good = write_temp(dir, "good.yaml", y, strlen(y));
	fk_err_clear(&err);
	assert_int_equal(fk_playbook_load_file(good, pb, &err), FK_OK);
	assert_string_equal(pb->name, "test-pb");
	fk_playbook_release(pb);

	char *bad_text = mutate(y, "              en: Item 3\n",
	                        "              en: Item 3\n            oops: 1\n");
	char *bad = write_temp(dir, "bad.yaml", bad_text, strlen(bad_text));
	fk_err_clear(&err);
	assert_int_equal(fk_playbook_load_file(bad, pb, &err), FK_EINVAL);
	char where[1100];
	snprintf(where, sizeof where, "%s:%d", bad, line_of(bad_text, "oops"));
	/* err.field holds at most 63 bytes: compare what fits. */
	assert_int_equal(strncmp(err.field, where, sizeof err.field - 1), 0);
	assert_has(err.en, where);
	assert_pb_empty(pb);

	/* Over the size cap. */
	size_t len = (size_t)FK_PLAYBOOK_MAX_BYTES + 10;
	char *big = defer(free, fk_xmalloc(len));
	memset(big, '#', len);
	char *bigpath = write_temp(dir, "big.yaml", big, len);
	fk_err_clear(&err);
	assert_int_equal(fk_playbook_load_file(bigpath, pb, &err), FK_ETOOBIG);
	assert_has(err.en, "larger than");
	assert_pb_empty(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_default_structure, teardown),
	    cmocka_unit_test_teardown(test_default_items, teardown),
	    cmocka_unit_test_teardown(test_default_counts_per_kind, teardown),
	    cmocka_unit_test_teardown(test_default_instantiate, teardown),
	    cmocka_unit_test_teardown(test_default_matches_file, teardown),
	    cmocka_unit_test_teardown(test_minimal_valid, teardown),
	    cmocka_unit_test_teardown(test_minimal_options, teardown),
	    cmocka_unit_test_teardown(test_bad_duplicate_id, teardown),
	    cmocka_unit_test_teardown(test_bad_missing_translation, teardown),
	    cmocka_unit_test_teardown(test_bad_unknown_key, teardown),
	    cmocka_unit_test_teardown(test_bad_yaml_mismatched_bracket, teardown),
	    cmocka_unit_test_teardown(test_bad_yaml_unclosed_flow, teardown),
	    cmocka_unit_test_teardown(test_bad_yaml_duplicate_key, teardown),
	    cmocka_unit_test_teardown(test_bad_yaml_indentation, teardown),
	    cmocka_unit_test_teardown(test_bad_utf8, teardown),
	    cmocka_unit_test_teardown(test_bad_wrong_phase_id, teardown),
	    cmocka_unit_test_teardown(test_bad_phase_count, teardown),
	    cmocka_unit_test_teardown(test_bad_phase_order, teardown),
	    cmocka_unit_test_teardown(test_bad_kinds, teardown),
	    cmocka_unit_test_teardown(test_bad_approval, teardown),
	    cmocka_unit_test_teardown(test_bad_due_hours, teardown),
	    cmocka_unit_test_teardown(test_bad_empty, teardown),
	    cmocka_unit_test_teardown(test_bad_alias, teardown),
	    cmocka_unit_test_teardown(test_bad_misc, teardown),
	    cmocka_unit_test_teardown(test_bad_second_document, teardown),
	    cmocka_unit_test_teardown(test_bad_too_big, teardown),
	    cmocka_unit_test_teardown(test_load_file, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
