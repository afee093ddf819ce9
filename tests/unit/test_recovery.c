/*
 * test_recovery.c - lib/core/recovery.c through the fk_* operations, on a temporary SQLite
 * store with struct fk_ctx {st, "tester", "Asia/Tokyo", now}: the state machine, closing
 * rules, task rules (na needs a reason, approval items), roles, handover, the board, and
 * input validation. Every refusal is also checked to leave the store unchanged.
 */
#include "fukkyu/common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <unistd.h>

#include "fukkyu/incident.h"
#include "fukkyu/playbook.h"
#include "fukkyu/recovery.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/time.h"

/* 2026-07-06T07:20+09:00 (= 2026-07-05T22:20Z): discovery; NOW is two hours later. */
#define DISC INT64_C(1783290000)
#define NOW  (DISC + 7200)
#define HOUR INT64_C(3600)

/* Six phases, one item each; 2.1 needs approval, 5.1 is due 24 h after discovery. */
static const char small_yaml[] =
    "playbook: small\n"
    "version: 1\n"
    "title: {ja: 小, en: Small}\n"
    "phases:\n"
    "  - {\"no\": 1, key: p1, title: {ja: 一, en: One}, groups: [{key: g, title: {ja: g, en: "
    "g}, items: [{id: \"1.1\", title: {ja: a, en: a}}]}]}\n"
    "  - {\"no\": 2, key: p2, title: {ja: 二, en: Two}, groups: [{key: g, title: {ja: g, en: "
    "g}, items: [{id: \"2.1\", title: {ja: b, en: b}, approval: true}]}]}\n"
    "  - {\"no\": 3, key: p3, title: {ja: 三, en: Three}, groups: [{key: g, title: {ja: g, en: "
    "g}, items: [{id: \"3.1\", title: {ja: c, en: c}}]}]}\n"
    "  - {\"no\": 4, key: p4, title: {ja: 四, en: Four}, groups: [{key: g, title: {ja: g, en: "
    "g}, items: [{id: \"4.1\", title: {ja: d, en: d}}]}]}\n"
    "  - {\"no\": 5, key: p5, title: {ja: 五, en: Five}, groups: [{key: g, title: {ja: g, en: "
    "g}, items: [{id: \"5.1\", title: {ja: e, en: e}, due_hours: 24}]}]}\n"
    "  - {\"no\": 6, key: p6, title: {ja: 六, en: Six}, groups: [{key: g, title: {ja: g, en: "
    "g}, items: [{id: \"6.1\", title: {ja: f, en: f}}]}]}\n";

struct fixture {
	char dir[64];
	char path[256];
	struct fk_store *st;
	struct fk_playbook std; /* the standard playbook */
	struct fk_playbook small;
	struct fk_ctx c;
	/* released by the teardown, so a failed assertion does not leak */
	struct fk_incident inc[4];
	struct fk_task task;
	struct fk_task *tasks;
	size_t n_tasks;
	struct fk_change *changes;
	size_t n_changes;
	struct fk_person *people;
	size_t n_people;
	struct fk_board board;
	struct fk_handover ho;
};

static int setup(void **state)
{
	struct fixture *f = fk_xcalloc(1, sizeof *f);
	struct fk_err err;
	int from, to;
	*state = f;
	if (!fk_test_mkdir(f->dir, sizeof f->dir, "recovery"))
		return -1;
	if (!fk_test_db(f->path, sizeof f->path, f->dir))
		return -1;
	if (fk_store_open(f->path, true, &f->st, &err) ||
	    fk_store_migrate(f->st, &from, &to, &err)) {
		fprintf(stderr, "store: %s\n", err.en);
		return -1;
	}
	if (fk_playbook_load_default(&f->std, &err))
		return -1;
	if (fk_playbook_parse(small_yaml, sizeof small_yaml - 1, "small.yaml", &f->small, &err)) {
		fprintf(stderr, "small playbook: %s\n", err.en);
		return -1;
	}
	f->c = (struct fk_ctx){f->st, "tester", "Asia/Tokyo", NOW};
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	FK_TEST_FREE(f->tasks, f->n_tasks, fk_task_release);
	FK_TEST_FREE(f->changes, f->n_changes, fk_change_release);
	FK_TEST_FREE(f->people, f->n_people, fk_person_release);
	fk_board_release(&f->board);
	fk_handover_release(&f->ho);
	fk_task_release(&f->task);
	for (size_t i = 0; i < FK_ARRAY_LEN(f->inc); i++)
		fk_incident_release(&f->inc[i]);
	fk_playbook_release(&f->std);
	fk_playbook_release(&f->small);
	fk_store_close(f->st);
	fk_test_rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- helpers -----------------------------------------------------------------------------------
 */

static void assert_has(const char *msg, const char *needle)
{
	if (!strstr(msg, needle))
		fail_msg("message '%s' lacks '%s'", msg, needle);
}

static void fill(struct fk_incident *inc, const char *title, int kind, int64_t disc)
{
	memset(inc, 0, sizeof *inc);
	inc->title = title ? fk_xstrdup(title) : NULL;
	inc->kind = kind;
	inc->severity = FK_SEV_HIGH;
	inc->state = FK_STATE_EMERGENCY;
	inc->discovered_at = disc;
	inc->contained_at = FK_TIME_NONE;
	inc->pii_count = -1;
}

/* Creates an incident into f->inc[slot] and returns its ref. */
static const char *create(struct fixture *f, int slot, const char *title, int kind, int64_t disc,
                          const struct fk_playbook *pb)
{
	struct fk_err err;
	fk_incident_release(&f->inc[slot]);
	fill(&f->inc[slot], title, kind, disc);
	fk_err_clear(&err);
	if (fk_incident_create(&f->c, &f->inc[slot], pb, &err))
		fail_msg("create: %s", err.en);
	return f->inc[slot].ref;
}

static void load_tasks(struct fixture *f, int64_t id)
{
	struct fk_err err;
	FK_TEST_FREE(f->tasks, f->n_tasks, fk_task_release);
	if (fk_store_tasks_get(f->st, id, &f->tasks, &f->n_tasks, &err))
		fail_msg("tasks: %s", err.en);
}

static const struct fk_task *find_task(struct fixture *f, const char *item)
{
	for (size_t i = 0; i < f->n_tasks; i++)
		if (!strcmp(f->tasks[i].item_id, item))
			return &f->tasks[i];
	fail_msg("no task %s", item);
	return NULL;
}

static size_t count_changes(struct fixture *f, int64_t id)
{
	struct fk_err err;
	FK_TEST_FREE(f->changes, f->n_changes, fk_change_release);
	if (fk_store_changes_get(f->st, id, &f->changes, &f->n_changes, &err))
		fail_msg("changes: %s", err.en);
	return f->n_changes;
}

static int state_of(struct fixture *f, const char *ref)
{
	struct fk_err err;
	struct fk_incident inc;
	if (fk_store_incident_find(f->st, ref, &inc, &err))
		fail_msg("find: %s", err.en);
	int s = inc.state;
	fk_incident_release(&inc);
	return s;
}

/* fk_task_change with a state (FK_UNSET to keep) and a reason; out goes to f->task. */
static enum fk_code set_task(struct fixture *f, const char *ref, const char *item, int st,
                             const char *reason, struct fk_err *err)
{
	struct fk_task_patch p = FK_TASK_PATCH_INIT;
	p.state = st;
	p.reason = reason;
	fk_task_release(&f->task);
	fk_err_clear(err);
	return fk_task_change(&f->c, ref, item, &p, &f->task, err);
}

static void set_task_ok(struct fixture *f, const char *ref, const char *item, int st,
                        const char *reason)
{
	struct fk_err err;
	if (set_task(f, ref, item, st, reason, &err))
		fail_msg("task %s: %s", item, err.en);
}

static enum fk_code transition(struct fixture *f, const char *ref, int to, struct fk_err *err)
{
	fk_incident_release(&f->inc[3]);
	fk_err_clear(err);
	return fk_incident_transition(&f->c, ref, to, &f->inc[3], err);
}

static void transition_ok(struct fixture *f, const char *ref, int to, int expect)
{
	struct fk_err err;
	if (transition(f, ref, to, &err))
		fail_msg("transition: %s", err.en);
	assert_int_equal(f->inc[3].state, expect);
	assert_int_equal(state_of(f, ref), expect);
}

static enum fk_code assign(struct fixture *f, const char *ref, int role, const char *name,
                           const char *org, const char *email, struct fk_err *err)
{
	struct fk_person p = {0, role, (char *)name, (char *)org, (char *)email, NULL};
	fk_err_clear(err);
	return fk_role_assign(&f->c, ref, &p, err);
}

static void load_people(struct fixture *f, int64_t id)
{
	struct fk_err err;
	FK_TEST_FREE(f->people, f->n_people, fk_person_release);
	if (fk_store_roles_get(f->st, id, &f->people, &f->n_people, &err))
		fail_msg("roles: %s", err.en);
}

static size_t count_role(struct fixture *f, int role)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n_people; i++)
		n += f->people[i].role == role;
	return n;
}

static const struct fk_person *person(struct fixture *f, int role, const char *name)
{
	for (size_t i = 0; i < f->n_people; i++)
		if (f->people[i].role == role && !strcmp(f->people[i].name, name))
			return &f->people[i];
	return NULL;
}

static void build_board(struct fixture *f, bool include_closed)
{
	struct fk_err err;
	fk_board_release(&f->board);
	if (fk_board_build(&f->c, include_closed, &f->board, &err))
		fail_msg("board: %s", err.en);
}

static const struct fk_board_row *board_row(struct fixture *f, const char *ref)
{
	for (size_t i = 0; i < f->board.n; i++)
		if (!strcmp(f->board.rows[i].inc.ref, ref))
			return &f->board.rows[i];
	return NULL;
}

/* ---- creation ----------------------------------------------------------------------------------
 */

static void test_create(void **state)
{
	struct fixture *f = *state;
	const char *ref = create(f, 0, "Webサイト改ざん", FK_KIND_DATA_LEAK, DISC, &f->std);
	assert_string_equal(ref, "INC-2026-0001");
	struct fk_incident *inc = &f->inc[0];
	assert_true(inc->id > 0);
	assert_string_equal(inc->playbook, "fukkyu-recovery");
	assert_string_equal(inc->created_by, "tester");
	assert_int_equal(inc->created_at, NOW);

	load_tasks(f, inc->id);
	assert_int_equal(f->n_tasks, 108);
	assert_int_equal(find_task(f, "6.dl-1")->due_at, DISC + 72 * HOUR);
	assert_int_equal(find_task(f, "1.1")->state, FK_TASK_TODO);
	assert_int_equal(count_changes(f, inc->id), 2);
	assert_string_equal(f->changes[0].field, "created");
	assert_string_equal(f->changes[1].entity, "playbook");
	assert_string_equal(f->changes[1].new_value, "108");

	struct fk_phase *ph;
	size_t n;
	struct fk_err err;
	assert_int_equal(fk_store_phases_get(f->st, inc->id, &ph, &n, &err), FK_OK);
	assert_int_equal(n, 6);
	assert_string_equal(ph[0].key, "residual-damage");
	assert_string_equal(ph[5].key, "external");
	FK_FREE_ARRAY(ph, n, fk_phase_release);

	/* The reference year is the discovery's year in the context's zone: 2026-01-01 01:00
	 * in Tokyo is still 2025 in UTC. */
	int64_t new_year = INT64_C(1767196800) + HOUR; /* 2025-12-31T17:00Z */
	assert_string_equal(create(f, 1, "年明け", FK_KIND_OTHER, new_year, &f->small),
	                    "INC-2026-0002");
	f->c.tz = "UTC";
	assert_string_equal(create(f, 2, "年末", FK_KIND_OTHER, new_year, &f->small),
	                    "INC-2025-0001");
}

static void expect_create_refused(struct fixture *f, struct fk_incident *inc, enum fk_code code,
                                  const char *field)
{
	struct fk_err err;
	fk_err_clear(&err);
	enum fk_code rc = fk_incident_create(&f->c, inc, &f->std, &err);
	if (rc != code)
		fail_msg("expected %d for field %s, got %d: %s", code, field, rc, err.en);
	assert_string_equal(err.field, field);
	assert_true(err.en[0] && err.ja[0]);
	assert_int_equal(inc->id, 0);
	assert_null(inc->ref);
	fk_incident_release(inc);
}

static void test_create_invalid(void **state)
{
	struct fixture *f = *state;
	struct fk_incident *inc = &f->inc[0];

	fill(inc, "bad \xff byte", FK_KIND_OTHER, DISC);
	expect_create_refused(f, inc, FK_EINVAL, "--title");
	fill(inc, "overlong \xC0\xAF", FK_KIND_OTHER, DISC);
	expect_create_refused(f, inc, FK_EINVAL, "--title");
	fill(inc, "escape \x1b[2J", FK_KIND_OTHER, DISC);
	expect_create_refused(f, inc, FK_EINVAL, "--title");
	fill(inc, "bell\a", FK_KIND_OTHER, DISC);
	expect_create_refused(f, inc, FK_EINVAL, "--title");
	fill(inc, "", FK_KIND_OTHER, DISC);
	expect_create_refused(f, inc, FK_EINVAL, "--title");
	char long_title[FK_TITLE_MAX + 2];
	memset(long_title, 'x', sizeof long_title - 1);
	long_title[sizeof long_title - 1] = '\0';
	fill(inc, long_title, FK_KIND_OTHER, DISC);
	expect_create_refused(f, inc, FK_ETOOBIG, "--title");
	fill(inc, "ok", FK_KIND_OTHER, DISC);
	inc->description = fk_xstrdup("line\rbreak");
	expect_create_refused(f, inc, FK_EINVAL, "--description");
	fill(inc, "ok", FK_KIND_OTHER, FK_TIME_NONE);
	expect_create_refused(f, inc, FK_EUSAGE, "--discovered");
	fill(inc, "ok", FK_KIND_OTHER, DISC);
	inc->contained_at = DISC - 1;
	expect_create_refused(f, inc, FK_EINVAL, "--contained");

	/* Nothing was created: no incident, no history, and the first number is still free. */
	struct fk_incident *list;
	size_t n;
	struct fk_err err;
	assert_int_equal(fk_store_incident_list(f->st, true, &list, &n, &err), FK_OK);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(count_changes(f, 1), 0);
	/* A title exactly at the limit is fine. */
	long_title[FK_TITLE_MAX] = '\0';
	assert_string_equal(create(f, 1, long_title, FK_KIND_OTHER, DISC, &f->small),
	                    "INC-2026-0001");
}

/* ---- the state machine --------------------------------------------------------------------------
 */

static void test_state_machine(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "states", FK_KIND_OTHER, DISC, &f->small);
	int64_t id = f->inc[0].id;
	size_t base = count_changes(f, id);

	transition_ok(f, ref, FK_UNSET, FK_STATE_RECOVERY);
	/* Leaving the emergency phase records the containment time (now). */
	assert_int_equal(f->inc[3].contained_at, NOW);
	assert_int_equal(count_changes(f, id), base + 2);
	assert_string_equal(f->changes[base].field, "state");
	assert_string_equal(f->changes[base].old_value, "emergency");
	assert_string_equal(f->changes[base].new_value, "recovery");
	assert_string_equal(f->changes[base].actor, "tester");
	assert_int_equal(f->changes[base].at, NOW);
	assert_string_equal(f->changes[base + 1].field, "contained_at");
	assert_null(f->changes[base + 1].old_value);
	assert_string_equal(f->changes[base + 1].new_value, "2026-07-06T00:20:00Z");

	transition_ok(f, ref, FK_UNSET, FK_STATE_MONITORING);
	/* monitoring may go back to recovery, and forward again */
	transition_ok(f, ref, FK_STATE_RECOVERY, FK_STATE_RECOVERY);
	transition_ok(f, ref, FK_STATE_MONITORING, FK_STATE_MONITORING);

	/* Closing is refused while items are open. */
	assert_int_equal(transition(f, ref, FK_UNSET, &err), FK_EREFUSED);
	assert_int_equal(state_of(f, ref), FK_STATE_MONITORING);

	/* Finish every item: done, one na with a reason, the approval item by an approver. */
	set_task_ok(f, ref, "1.1", FK_TASK_DONE, NULL);
	set_task_ok(f, ref, "3.1", FK_TASK_DONE, NULL);
	set_task_ok(f, ref, "4.1", FK_TASK_DONE, NULL);
	set_task_ok(f, ref, "5.1", FK_TASK_DONE, NULL);
	set_task_ok(f, ref, "6.1", FK_TASK_NA, "no external parties");
	assert_int_equal(assign(f, ref, FK_ROLE_APPROVER, "boss", NULL, NULL, &err), FK_OK);
	f->c.actor = "boss";
	set_task_ok(f, ref, "2.1", FK_TASK_DONE, NULL);
	f->c.actor = "tester";

	transition_ok(f, ref, FK_UNSET, FK_STATE_CLOSED);
	/* closed -> reopened -> recovery */
	transition_ok(f, ref, FK_UNSET, FK_STATE_REOPENED);
	transition_ok(f, ref, FK_UNSET, FK_STATE_RECOVERY);
	/* contained_at is set once, not moved by later transitions */
	assert_int_equal(f->inc[3].contained_at, NOW);
}

static void test_transition_refused(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "refused", FK_KIND_OTHER, DISC, &f->small);
	int64_t id = f->inc[0].id;
	size_t base = count_changes(f, id);

	assert_int_equal(transition(f, ref, FK_STATE_CLOSED, &err), FK_EREFUSED);
	assert_int_equal(err.code, FK_EREFUSED);
	assert_string_equal(err.field, "state");
	assert_has(err.en, ref);
	assert_has(err.en, "from emergency to closed");
	assert_has(err.en, "allowed next states are recovery");
	assert_has(err.ja, "recovery");
	assert_has(err.ja, "emergency");
	/* Nothing changed, not even contained_at. */
	assert_int_equal(state_of(f, ref), FK_STATE_EMERGENCY);
	assert_int_equal(count_changes(f, id), base);
	assert_int_equal(f->inc[3].id, 0);

	assert_int_equal(transition(f, ref, FK_STATE_MONITORING, &err), FK_EREFUSED);
	assert_has(err.en, "allowed next states are recovery");
	assert_int_equal(transition(f, ref, FK_STATE_EMERGENCY, &err), FK_EREFUSED);

	transition_ok(f, ref, FK_STATE_RECOVERY, FK_STATE_RECOVERY);
	assert_int_equal(transition(f, ref, FK_STATE_EMERGENCY, &err), FK_EREFUSED);
	assert_has(err.en, "allowed next states are monitoring");
	transition_ok(f, ref, FK_UNSET, FK_STATE_MONITORING);
	assert_int_equal(transition(f, ref, FK_STATE_REOPENED, &err), FK_EREFUSED);
	assert_has(err.en, "allowed next states are recovery, closed");

	/* Unknown incident. */
	assert_int_equal(transition(f, "INC-2026-0999", FK_UNSET, &err), FK_ENOTFOUND);
	assert_int_equal(transition(f, ref, FK_STATE_RECOVERY, &err), FK_OK);
}

static void test_close_lists_open_items(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "close", FK_KIND_DOS, DISC, &f->std);
	int64_t id = f->inc[0].id;
	transition_ok(f, ref, FK_UNSET, FK_STATE_RECOVERY);
	transition_ok(f, ref, FK_UNSET, FK_STATE_MONITORING);
	size_t base = count_changes(f, id);

	assert_int_equal(transition(f, ref, FK_STATE_CLOSED, &err), FK_EREFUSED);
	assert_string_equal(err.field, "state");
	assert_has(err.en, "cannot close INC-2026-0001");
	assert_has(err.en, "103 playbook items");
	assert_has(err.en, "1.1, 1.2, 1.3, 1.4");
	assert_has(err.en, "(+88)");
	assert_has(err.ja, "103");
	assert_has(err.ja, "1.1, 1.2");
	assert_int_equal(state_of(f, ref), FK_STATE_MONITORING);
	assert_int_equal(count_changes(f, id), base);

	/* done and na-with-reason count as finished; doing does not. */
	set_task_ok(f, ref, "1.1", FK_TASK_DONE, NULL);
	set_task_ok(f, ref, "1.2", FK_TASK_NA, "no backups exist");
	set_task_ok(f, ref, "1.3", FK_TASK_DOING, NULL);
	assert_int_equal(transition(f, ref, FK_STATE_CLOSED, &err), FK_EREFUSED);
	assert_has(err.en, "101 playbook items");
	assert_has(err.en, ": 1.3, 1.4");
	assert_true(strstr(err.en, "1.1,") == NULL);
	assert_true(strstr(err.en, "1.2,") == NULL);

	/* Finish all but one. */
	load_tasks(f, id);
	size_t n = f->n_tasks;
	char **ids = fk_xcalloc(n, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = fk_xstrdup(f->tasks[i].item_id);
	assert_int_equal(assign(f, ref, FK_ROLE_APPROVER, "tester", NULL, NULL, &err), FK_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], "6.13") && strcmp(ids[i], "1.1") && strcmp(ids[i], "1.2"))
			set_task_ok(f, ref, ids[i], FK_TASK_DONE, NULL);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	assert_int_equal(transition(f, ref, FK_STATE_CLOSED, &err), FK_EREFUSED);
	assert_has(err.en, "INC-2026-0001: 1 playbook items");
	assert_has(err.en, "with a reason: 6.13");
	set_task_ok(f, ref, "6.13", FK_TASK_NA, "nothing to report");
	transition_ok(f, ref, FK_STATE_CLOSED, FK_STATE_CLOSED);
}

/* ---- tasks -------------------------------------------------------------------------------------
 */

static void test_na_needs_reason(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "na", FK_KIND_OTHER, DISC, &f->small);
	int64_t id = f->inc[0].id;
	size_t base = count_changes(f, id);

	assert_int_equal(set_task(f, ref, "3.1", FK_TASK_NA, NULL, &err), FK_EUSAGE);
	assert_string_equal(err.field, "--reason");
	assert_has(err.en, "3.1");
	assert_has(err.en, "--reason");
	assert_has(err.ja, "3.1");
	assert_null(f->task.item_id); /* out not filled */
	assert_int_equal(set_task(f, ref, "3.1", FK_TASK_NA, "", &err), FK_EUSAGE);
	assert_int_equal(count_changes(f, id), base);
	load_tasks(f, id);
	assert_int_equal(find_task(f, "3.1")->state, FK_TASK_TODO);
	assert_null(find_task(f, "3.1")->na_reason);
	assert_null(find_task(f, "3.1")->updated_by);

	/* With a reason it is finished; the reason is kept while the state stays na. */
	set_task_ok(f, ref, "3.1", FK_TASK_NA, "not relevant here");
	assert_int_equal(f->task.state, FK_TASK_NA);
	assert_string_equal(f->task.na_reason, "not relevant here");
	struct fk_task_patch p = FK_TASK_PATCH_INIT;
	p.note = "still na";
	fk_task_release(&f->task);
	assert_int_equal(fk_task_change(&f->c, ref, "3.1", &p, &f->task, &err), FK_OK);
	assert_string_equal(f->task.na_reason, "not relevant here");
	assert_string_equal(f->task.note, "still na");

	/* Leaving na drops the reason, and that is recorded. */
	size_t before = count_changes(f, id);
	set_task_ok(f, ref, "3.1", FK_TASK_DOING, NULL);
	assert_null(f->task.na_reason);
	assert_int_equal(count_changes(f, id), before + 2);
	assert_string_equal(f->changes[before].field, "state");
	assert_string_equal(f->changes[before].old_value, "na");
	assert_string_equal(f->changes[before].new_value, "doing");
	assert_string_equal(f->changes[before + 1].field, "na_reason");
	assert_string_equal(f->changes[before + 1].old_value, "not relevant here");
	assert_null(f->changes[before + 1].new_value);

	/* Unknown item, bad note text. */
	assert_int_equal(set_task(f, ref, "9.9", FK_TASK_DONE, NULL, &err), FK_ENOTFOUND);
	assert_string_equal(err.field, "item");
	assert_has(err.en, "'9.9'");
	p = (struct fk_task_patch)FK_TASK_PATCH_INIT;
	p.note = "bad\x01";
	fk_task_release(&f->task);
	assert_int_equal(fk_task_change(&f->c, ref, "3.1", &p, &f->task, &err), FK_EINVAL);
	assert_string_equal(err.field, "--note");
}

static void test_approval(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "approval", FK_KIND_OTHER, DISC, &f->std);
	int64_t id = f->inc[0].id;
	load_tasks(f, id);
	assert_true(find_task(f, "2.19")->approval);
	size_t base = count_changes(f, id);

	/* No approver at all. */
	assert_int_equal(set_task(f, ref, "2.19", FK_TASK_DONE, NULL, &err), FK_EREFUSED);
	assert_string_equal(err.field, "--as");
	assert_has(err.en, "item 2.19");
	assert_has(err.en, "'tester' is not an approver of INC-2026-0001");
	assert_has(err.en, "(approvers: -)");
	assert_has(err.ja, "2.19");
	assert_has(err.ja, "'tester'");
	assert_int_equal(count_changes(f, id), base);

	/* An approver who is someone else. */
	assert_int_equal(assign(f, ref, FK_ROLE_APPROVER, "boss", NULL, NULL, &err), FK_OK);
	assert_int_equal(assign(f, ref, FK_ROLE_RECOVERY_OWNER, "tester", NULL, NULL, &err), FK_OK);
	base = count_changes(f, id);
	assert_int_equal(set_task(f, ref, "2.19", FK_TASK_DONE, NULL, &err), FK_EREFUSED);
	assert_has(err.en, "(approvers: boss)");
	assert_int_equal(count_changes(f, id), base);
	load_tasks(f, id);
	assert_int_equal(find_task(f, "2.19")->state, FK_TASK_TODO);

	/* Working on it is allowed to anyone; only done is reserved. */
	set_task_ok(f, ref, "2.19", FK_TASK_DOING, NULL);
	/* Items without approval are done by anyone. */
	set_task_ok(f, ref, "2.7", FK_TASK_DONE, NULL);

	/* The approver signs off. */
	f->c.actor = "boss";
	set_task_ok(f, ref, "2.19", FK_TASK_DONE, NULL);
	assert_int_equal(f->task.state, FK_TASK_DONE);
	load_tasks(f, id);
	assert_int_equal(find_task(f, "2.19")->state, FK_TASK_DONE);
	assert_string_equal(find_task(f, "2.19")->updated_by, "boss");
	/* doing, 2.7 done, 2.19 done */
	assert_int_equal(count_changes(f, id), base + 3);
	assert_string_equal(f->changes[base + 2].actor, "boss");
	assert_string_equal(f->changes[base + 2].entity_key, "2.19");
	assert_string_equal(f->changes[base + 2].old_value, "doing");
	assert_string_equal(f->changes[base + 2].new_value, "done");

	/* Once done, a note by someone else does not need the approver again. */
	f->c.actor = "tester";
	struct fk_task_patch p = FK_TASK_PATCH_INIT;
	p.note = "approved on the phone";
	fk_task_release(&f->task);
	assert_int_equal(fk_task_change(&f->c, ref, "2.19", &p, &f->task, &err), FK_OK);

	/* Of several approvers, any one may sign off. */
	assert_int_equal(assign(f, ref, FK_ROLE_APPROVER, "deputy", NULL, NULL, &err), FK_OK);
	assert_int_equal(set_task(f, ref, "4.6", FK_TASK_DONE, NULL, &err), FK_EREFUSED);
	assert_has(err.en, "(approvers: boss, deputy)");
	f->c.actor = "deputy";
	set_task_ok(f, ref, "4.6", FK_TASK_DONE, NULL);
}

/* Sign-off cannot be bypassed by marking an approval item not applicable. */
static void test_approval_na(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "approval na", FK_KIND_OTHER, DISC, &f->small);
	int64_t id = f->inc[0].id;
	assert_int_equal(assign(f, ref, FK_ROLE_APPROVER, "boss", NULL, NULL, &err), FK_OK);
	size_t base = count_changes(f, id);

	assert_int_equal(set_task(f, ref, "2.1", FK_TASK_NA, "skip it", &err), FK_EREFUSED);
	assert_string_equal(err.field, "--as");
	assert_has(err.en, "item 2.1");
	assert_has(err.en, "(approvers: boss)");
	assert_int_equal(count_changes(f, id), base);
	load_tasks(f, id);
	assert_int_equal(find_task(f, "2.1")->state, FK_TASK_TODO);
	assert_null(find_task(f, "2.1")->na_reason);

	/* The approver may. */
	f->c.actor = "boss";
	set_task_ok(f, ref, "2.1", FK_TASK_NA, "no recovery plan needed");
	/* Once na, another reason is only a correction: anyone. */
	f->c.actor = "tester";
	set_task_ok(f, ref, "2.1", FK_UNSET, "no plan: the server was replaced");
	assert_string_equal(f->task.na_reason, "no plan: the server was replaced");
	assert_int_equal(f->task.state, FK_TASK_NA);
	/* But na -> done is a new sign-off. */
	assert_int_equal(set_task(f, ref, "2.1", FK_TASK_DONE, NULL, &err), FK_EREFUSED);
	/* Reopening an approved item needs no approver; finishing it again does. */
	set_task_ok(f, ref, "2.1", FK_TASK_TODO, NULL);
	assert_int_equal(set_task(f, ref, "2.1", FK_TASK_DONE, NULL, &err), FK_EREFUSED);
	assert_int_equal(set_task(f, ref, "2.1", FK_TASK_NA, "again", &err), FK_EREFUSED);
	load_tasks(f, id);
	assert_int_equal(find_task(f, "2.1")->state, FK_TASK_TODO);
}

/* Titles, names, owners and sources are one line; descriptions, notes and timeline text
 * may hold line breaks and tabs. */
static void test_one_line_fields(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	static const char *const bad[] = {"two\nlines", "tab\there", "cr\rhere", "\n"};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++) {
		fill(&f->inc[0], bad[i], FK_KIND_OTHER, DISC);
		fk_err_clear(&err);
		assert_int_equal(fk_incident_create(&f->c, &f->inc[0], &f->small, &err), FK_EINVAL);
		assert_string_equal(err.field, "--title");
		assert_null(f->inc[0].ref);
		fk_incident_release(&f->inc[0]);
	}
	const char *ref = create(f, 0, "one line", FK_KIND_OTHER, DISC, &f->small);
	int64_t id = f->inc[0].id;
	size_t base = count_changes(f, id);

	struct fk_incident_patch ip = FK_INCIDENT_PATCH_INIT;
	ip.title = "a\nb";
	fk_err_clear(&err);
	assert_int_equal(fk_incident_change(&f->c, ref, &ip, &f->inc[1], &err), FK_EINVAL);
	assert_string_equal(err.field, "--title");
	ip.title = NULL;
	ip.description = "line one\n\tindented line two";
	assert_int_equal(fk_incident_change(&f->c, ref, &ip, &f->inc[1], &err), FK_OK);
	assert_string_equal(f->inc[1].description, "line one\n\tindented line two");
	fk_incident_release(&f->inc[1]);
	base++;

	assert_int_equal(assign(f, ref, FK_ROLE_CONTACT_WINDOW, "a\nb", NULL, NULL, &err),
	                 FK_EINVAL);
	assert_string_equal(err.field, "name");
	assert_int_equal(assign(f, ref, FK_ROLE_CONTACT_WINDOW, "ok", "org\tx", NULL, &err),
	                 FK_EINVAL);
	assert_string_equal(err.field, "--org");
	assert_int_equal(assign(f, ref, FK_ROLE_CONTACT_WINDOW, "ok", NULL, "a@b\r", &err),
	                 FK_EINVAL);
	assert_string_equal(err.field, "--email");
	struct fk_person ph = {0,    FK_ROLE_CONTACT_WINDOW, (char *)"ok", NULL,
	                       NULL, (char *)"03\n1234"};
	assert_int_equal(fk_role_assign(&f->c, ref, &ph, &err), FK_EINVAL);
	assert_string_equal(err.field, "--phone");

	struct fk_task_patch tp = FK_TASK_PATCH_INIT;
	tp.owner = "a\tb";
	fk_task_release(&f->task);
	assert_int_equal(fk_task_change(&f->c, ref, "1.1", &tp, &f->task, &err), FK_EINVAL);
	assert_string_equal(err.field, "--owner");
	struct fk_timeline_entry e = {0,    DISC, (char *)"text", (char *)"src\nx",
	                              NULL, 0,    FK_MARK_NONE};
	assert_int_equal(fk_timeline_record(&f->c, ref, &e, &err), FK_EINVAL);
	assert_string_equal(err.field, "--source");
	assert_int_equal(count_changes(f, id), base);

	tp = (struct fk_task_patch)FK_TASK_PATCH_INIT;
	tp.note = "first\nsecond\tthird";
	fk_task_release(&f->task);
	assert_int_equal(fk_task_change(&f->c, ref, "1.1", &tp, &f->task, &err), FK_OK);
	assert_string_equal(f->task.note, "first\nsecond\tthird");
	e.source = NULL;
	e.text = (char *)"multi\nline";
	assert_int_equal(fk_timeline_record(&f->c, ref, &e, &err), FK_OK);
	free(e.recorded_by);
}

/* ---- roles -------------------------------------------------------------------------------------
 */

static void test_roles(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "roles", FK_KIND_OTHER, DISC, &f->small);
	int64_t id = f->inc[0].id;
	size_t base = count_changes(f, id);

	assert_int_equal(assign(f, ref, FK_ROLE_RECOVERY_OWNER, "alice", "A社", NULL, &err), FK_OK);
	assert_int_equal(
	    assign(f, ref, FK_ROLE_RECOVERY_OWNER, "bob", NULL, "bob@example.jp", &err), FK_OK);
	load_people(f, id);
	assert_int_equal(count_role(f, FK_ROLE_RECOVERY_OWNER), 1);
	const struct fk_person *owner = person(f, FK_ROLE_RECOVERY_OWNER, "bob");
	assert_non_null(owner);
	assert_null(owner->org); /* alice's organisation is not carried over to bob */
	assert_string_equal(owner->email, "bob@example.jp");
	assert_null(person(f, FK_ROLE_RECOVERY_OWNER, "alice"));

	assert_int_equal(count_changes(f, id), base + 5);
	const struct fk_change *c = &f->changes[base];
	assert_string_equal(c[0].entity, "role");
	assert_string_equal(c[0].entity_key, "recovery-owner");
	assert_string_equal(c[0].field, "name");
	assert_null(c[0].old_value);
	assert_string_equal(c[0].new_value, "alice");
	assert_string_equal(c[1].field, "org");
	assert_string_equal(c[1].new_value, "A社");
	assert_string_equal(c[2].field, "name");
	assert_string_equal(c[2].old_value, "alice");
	assert_string_equal(c[2].new_value, "bob");
	assert_string_equal(c[3].field, "org");
	assert_string_equal(c[3].old_value, "A社");
	assert_null(c[3].new_value);
	assert_string_equal(c[4].field, "email");
	assert_string_equal(c[4].new_value, "bob@example.jp");

	/* Approvers accumulate. */
	assert_int_equal(assign(f, ref, FK_ROLE_APPROVER, "x", "X org", NULL, &err), FK_OK);
	assert_int_equal(assign(f, ref, FK_ROLE_APPROVER, "y", NULL, NULL, &err), FK_OK);
	load_people(f, id);
	assert_int_equal(count_role(f, FK_ROLE_APPROVER), 2);
	/* The same approver again updates the details, keeping those not given. */
	base = count_changes(f, id);
	assert_int_equal(assign(f, ref, FK_ROLE_APPROVER, "x", NULL, "x@example.jp", &err), FK_OK);
	load_people(f, id);
	assert_int_equal(count_role(f, FK_ROLE_APPROVER), 2);
	const struct fk_person *x = person(f, FK_ROLE_APPROVER, "x");
	assert_non_null(x);
	assert_string_equal(x->org, "X org");
	assert_string_equal(x->email, "x@example.jp");
	assert_int_equal(count_changes(f, id), base + 1);
	assert_string_equal(f->changes[base].entity_key, "approver");
	assert_string_equal(f->changes[base].field, "email");
	assert_null(f->changes[base].old_value);

	/* The same recovery owner again keeps the email. */
	assert_int_equal(assign(f, ref, FK_ROLE_RECOVERY_OWNER, "bob", "B社", NULL, &err), FK_OK);
	load_people(f, id);
	owner = person(f, FK_ROLE_RECOVERY_OWNER, "bob");
	assert_string_equal(owner->org, "B社");
	assert_string_equal(owner->email, "bob@example.jp");
	assert_int_equal(count_role(f, FK_ROLE_RECOVERY_OWNER), 1);

	/* Removing. */
	assert_int_equal(fk_role_remove(&f->c, ref, FK_ROLE_APPROVER, "y", &err), FK_OK);
	load_people(f, id);
	assert_int_equal(count_role(f, FK_ROLE_APPROVER), 1);
	assert_null(person(f, FK_ROLE_APPROVER, "y"));
	fk_err_clear(&err);
	assert_int_equal(fk_role_remove(&f->c, ref, FK_ROLE_APPROVER, "nobody", &err),
	                 FK_ENOTFOUND);
	assert_has(err.en, "approver nobody");

	/* Bad input changes nothing. */
	base = count_changes(f, id);
	assert_int_equal(assign(f, ref, FK_ROLE_CONTACT_WINDOW, "", NULL, NULL, &err), FK_EINVAL);
	assert_int_equal(assign(f, ref, FK_ROLE_CONTACT_WINDOW, "eve\x1b", NULL, NULL, &err),
	                 FK_EINVAL);
	assert_int_equal(assign(f, ref, FK_ROLE_CONTACT_WINDOW, "eve", "\xff", NULL, &err),
	                 FK_EINVAL);
	assert_string_equal(err.field, "--org");
	assert_int_equal(count_changes(f, id), base);
}

/* ---- handover ----------------------------------------------------------------------------------
 */

static void test_handover(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "handover", FK_KIND_OTHER, DISC, &f->small);
	int64_t id = f->inc[0].id;
	size_t base = count_changes(f, id);

	const char *v[FK_HO_COUNT] = {0};
	v[FK_HO_BACKUPS] = "nightly, intact";
	v[FK_HO_MANUAL] = "orders by phone";
	assert_int_equal(fk_handover_change(&f->c, ref, v, &err), FK_OK);
	assert_int_equal(count_changes(f, id), base + 2);
	assert_string_equal(f->changes[base].entity, "handover");
	assert_string_equal(f->changes[base].field, "backups");
	assert_null(f->changes[base].old_value);
	assert_string_equal(f->changes[base].new_value, "nightly, intact");
	assert_string_equal(f->changes[base + 1].field, "manual");

	/* One field changed, one given with the same value, the rest not given. */
	base += 2;
	v[FK_HO_BACKUPS] = "nightly, one lost";
	assert_int_equal(fk_handover_change(&f->c, ref, v, &err), FK_OK);
	assert_int_equal(count_changes(f, id), base + 1);
	assert_string_equal(f->changes[base].field, "backups");
	assert_string_equal(f->changes[base].old_value, "nightly, intact");
	assert_string_equal(f->changes[base].new_value, "nightly, one lost");

	/* "" clears a field. */
	base += 1;
	const char *clear[FK_HO_COUNT] = {0};
	clear[FK_HO_MANUAL] = "";
	assert_int_equal(fk_handover_change(&f->c, ref, clear, &err), FK_OK);
	assert_int_equal(count_changes(f, id), base + 1);
	assert_string_equal(f->changes[base].field, "manual");
	assert_string_equal(f->changes[base].old_value, "orders by phone");
	assert_null(f->changes[base].new_value);

	assert_int_equal(fk_store_handover_get(f->st, id, &f->ho, &err), FK_OK);
	assert_string_equal(f->ho.field[FK_HO_BACKUPS], "nightly, one lost");
	assert_null(f->ho.field[FK_HO_MANUAL]);
	assert_null(f->ho.field[FK_HO_DAMAGE_SCOPE]);
	assert_string_equal(f->ho.updated_by, "tester");
	assert_int_equal(f->ho.updated_at, NOW);
	fk_handover_release(&f->ho);

	/* Nothing given: nothing recorded. Bad text: refused, nothing recorded. */
	base += 1;
	const char *none[FK_HO_COUNT] = {0};
	assert_int_equal(fk_handover_change(&f->c, ref, none, &err), FK_OK);
	assert_int_equal(count_changes(f, id), base);
	const char *bad[FK_HO_COUNT] = {0};
	bad[FK_HO_BACKUPS] = "fine";
	bad[FK_HO_RESPONDERS] = "ops\x1b]0;pwned\a";
	fk_err_clear(&err);
	assert_int_equal(fk_handover_change(&f->c, ref, bad, &err), FK_EINVAL);
	assert_string_equal(err.field, "--responders");
	assert_int_equal(count_changes(f, id), base);
}

/* ---- board -------------------------------------------------------------------------------------
 */

static void test_board_progress(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *a = create(f, 0, "leak", FK_KIND_DATA_LEAK, DISC, &f->std);
	const char *b = create(f, 1, "small", FK_KIND_OTHER, DISC + HOUR, &f->small);
	int64_t ida = f->inc[0].id;

	set_task_ok(f, a, "1.1", FK_TASK_DONE, NULL);
	set_task_ok(f, a, "1.dl-1", FK_TASK_DONE, NULL);
	set_task_ok(f, a, "1.5", FK_TASK_DOING, NULL);
	set_task_ok(f, a, "2.7", FK_TASK_NA, "no such system");
	set_task_ok(f, a, "5.dl-1", FK_TASK_DONE, NULL);
	set_task_ok(f, a, "6.13", FK_TASK_DONE, NULL);
	set_task_ok(f, b, "3.1", FK_TASK_DONE, NULL);
	assert_int_equal(assign(f, a, FK_ROLE_RECOVERY_OWNER, "alice", NULL, NULL, &err), FK_OK);

	build_board(f, false);
	assert_int_equal(f->board.n, 2);
	/* Newest (by discovery) first. */
	assert_string_equal(f->board.rows[0].inc.ref, b);
	assert_string_equal(f->board.rows[1].inc.ref, a);

	const struct fk_board_row *r = board_row(f, a);
	assert_non_null(r);
	assert_string_equal(r->owner, "alice");
	assert_null(board_row(f, b)->owner);

	/* An independent count over the tasks. */
	load_tasks(f, ida);
	int fin[FK_PLAYBOOK_PHASES] = {0}, tot[FK_PLAYBOOK_PHASES] = {0};
	for (size_t i = 0; i < f->n_tasks; i++) {
		const struct fk_task *t = &f->tasks[i];
		assert_true(t->phase >= 1 && t->phase <= FK_PLAYBOOK_PHASES);
		tot[t->phase - 1]++;
		if (t->state == FK_TASK_DONE ||
		    (t->state == FK_TASK_NA && t->na_reason && *t->na_reason))
			fin[t->phase - 1]++;
	}
	int sum = 0;
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		if (r->finished[p] != fin[p] || r->total[p] != tot[p])
			fail_msg("phase %d: board %d/%d, tasks %d/%d", p + 1, r->finished[p],
			         r->total[p], fin[p], tot[p]);
		sum += r->total[p];
	}
	assert_int_equal(sum, 108);
	/* And the known numbers: phase 1 is 10 base items plus 1.dl-1. */
	assert_int_equal(r->total[0], 11);
	assert_int_equal(r->finished[0], 2);
	assert_int_equal(r->finished[1], 1);
	assert_int_equal(r->finished[2], 0);
	assert_int_equal(r->finished[4], 1);
	assert_int_equal(r->finished[5], 1);

	const struct fk_board_row *rb = board_row(f, b);
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++) {
		assert_int_equal(rb->total[p], 1);
		assert_int_equal(rb->finished[p], p == 2 ? 1 : 0);
	}

	/* A closed incident leaves the board unless asked for. */
	transition_ok(f, b, FK_UNSET, FK_STATE_RECOVERY);
	transition_ok(f, b, FK_UNSET, FK_STATE_MONITORING);
	assert_int_equal(assign(f, b, FK_ROLE_APPROVER, "tester", NULL, NULL, &err), FK_OK);
	static const char *const items[] = {"1.1", "2.1", "4.1", "5.1", "6.1"};
	for (size_t i = 0; i < FK_ARRAY_LEN(items); i++)
		set_task_ok(f, b, items[i], FK_TASK_DONE, NULL);
	transition_ok(f, b, FK_UNSET, FK_STATE_CLOSED);
	build_board(f, false);
	assert_int_equal(f->board.n, 1);
	assert_string_equal(f->board.rows[0].inc.ref, a);
	build_board(f, true);
	assert_int_equal(f->board.n, 2);
	rb = board_row(f, b);
	assert_non_null(rb);
	for (int p = 0; p < FK_PLAYBOOK_PHASES; p++)
		assert_int_equal(rb->finished[p], 1);
}

static int count_overdue(struct fixture *f, int64_t id, int64_t now)
{
	load_tasks(f, id);
	int n = 0;
	for (size_t i = 0; i < f->n_tasks; i++)
		n += fk_task_overdue(&f->tasks[i], now);
	return n;
}

static void test_board_overdue(void **state)
{
	struct fixture *f = *state;
	const char *a = create(f, 0, "leak", FK_KIND_DATA_LEAK, DISC, &f->std);
	int64_t id = f->inc[0].id;
	/* Due: 6.dl-1 at +72 h, 6.dl-2 at +720 h. */

	build_board(f, false);
	assert_int_equal(f->board.rows[0].overdue, 0);
	assert_int_equal(f->board.rows[0].next_due, DISC + 72 * HOUR);

	f->c.now = DISC + 72 * HOUR; /* due now is not yet overdue */
	build_board(f, false);
	assert_int_equal(f->board.rows[0].overdue, 0);
	assert_int_equal(count_overdue(f, id, f->c.now), 0);

	f->c.now = DISC + 72 * HOUR + 1;
	build_board(f, false);
	assert_int_equal(f->board.rows[0].overdue, 1);
	assert_int_equal(count_overdue(f, id, f->c.now), 1);
	assert_int_equal(f->board.rows[0].next_due, DISC + 72 * HOUR);

	f->c.now = DISC + 1000 * HOUR;
	build_board(f, false);
	assert_int_equal(f->board.rows[0].overdue, 2);
	assert_int_equal(count_overdue(f, id, f->c.now), 2);

	/* Finishing an overdue item takes it out of the count and of next_due. */
	set_task_ok(f, a, "6.dl-1", FK_TASK_DONE, NULL);
	build_board(f, false);
	assert_int_equal(f->board.rows[0].overdue, 1);
	assert_int_equal(f->board.rows[0].next_due, DISC + 720 * HOUR);
	set_task_ok(f, a, "6.dl-2", FK_TASK_NA, "nobody to notify");
	build_board(f, false);
	assert_int_equal(f->board.rows[0].overdue, 0);
	assert_int_equal(f->board.rows[0].next_due, FK_TIME_NONE);
	assert_int_equal(count_overdue(f, id, f->c.now), 0);

	/* A due date set on a task by hand counts too. */
	struct fk_task_patch p = FK_TASK_PATCH_INIT;
	p.due_at = DISC + HOUR;
	struct fk_err err;
	fk_task_release(&f->task);
	assert_int_equal(fk_task_change(&f->c, a, "2.7", &p, &f->task, &err), FK_OK);
	assert_int_equal(f->task.due_at, DISC + HOUR);
	build_board(f, false);
	assert_int_equal(f->board.rows[0].overdue, 1);
	assert_int_equal(f->board.rows[0].next_due, DISC + HOUR);
	p.due_at = FK_TIME_NONE;
	p.clear_due = true;
	fk_task_release(&f->task);
	assert_int_equal(fk_task_change(&f->c, a, "2.7", &p, &f->task, &err), FK_OK);
	build_board(f, false);
	assert_int_equal(f->board.rows[0].overdue, 0);
}

/* Many changes in a pseudo-random order: the board's per-phase counts (kept as counters by
 * the store) always equal a count over the tasks themselves. */
static void test_board_counters_random(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *refs[2];
	int64_t ids[2];
	refs[0] = create(f, 0, "random a", FK_KIND_MALWARE_OUTBREAK, DISC, &f->std);
	refs[1] = create(f, 1, "random b", FK_KIND_DATA_LEAK, DISC + 1, &f->std);
	ids[0] = f->inc[0].id;
	ids[1] = f->inc[1].id;
	assert_int_equal(assign(f, refs[0], FK_ROLE_APPROVER, "tester", NULL, NULL, &err), FK_OK);
	assert_int_equal(assign(f, refs[1], FK_ROLE_APPROVER, "tester", NULL, NULL, &err), FK_OK);

	uint32_t seed = 12345;
	for (int op = 0; op < 400; op++) {
		seed = seed * 1103515245u + 12345u;
		int which = (int)((seed >> 16) & 1);
		load_tasks(f, ids[which]);
		seed = seed * 1103515245u + 12345u;
		size_t k = (seed >> 8) % f->n_tasks;
		seed = seed * 1103515245u + 12345u;
		int to = (int)((seed >> 12) % FK_TASK_COUNT);
		char item[32];
		snprintf(item, sizeof item, "%s", f->tasks[k].item_id);
		set_task_ok(f, refs[which], item, to, to == FK_TASK_NA ? "random" : NULL);

		if (op % 50 != 49)
			continue;
		build_board(f, false);
		for (int w = 0; w < 2; w++) {
			const struct fk_board_row *r = board_row(f, refs[w]);
			assert_non_null(r);
			load_tasks(f, ids[w]);
			int fin[FK_PLAYBOOK_PHASES] = {0}, tot[FK_PLAYBOOK_PHASES] = {0};
			for (size_t i = 0; i < f->n_tasks; i++) {
				tot[f->tasks[i].phase - 1]++;
				fin[f->tasks[i].phase - 1] += f->tasks[i].state == FK_TASK_DONE ||
				                              f->tasks[i].state == FK_TASK_NA;
			}
			for (int p = 0; p < FK_PLAYBOOK_PHASES; p++)
				if (r->finished[p] != fin[p] || r->total[p] != tot[p])
					fail_msg("after %d ops, %s phase %d: board %d/%d, tasks "
					         "%d/%d",
					         op + 1, refs[w], p + 1, r->finished[p],
					         r->total[p], fin[p], tot[p]);
		}
	}
}

/* ---- incident changes
 * ---------------------------------------------------------------------------- */

static void test_incident_change(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "before", FK_KIND_OTHER, DISC, &f->small);
	int64_t id = f->inc[0].id;
	size_t base = count_changes(f, id);

	struct fk_incident_patch p = FK_INCIDENT_PATCH_INIT;
	p.title = "after";
	p.severity = FK_SEV_CRITICAL;
	p.pii_count = 12;
	fk_err_clear(&err);
	if (fk_incident_change(&f->c, "inc-2026-0001", &p, &f->inc[1], &err))
		fail_msg("change: %s", err.en);
	assert_string_equal(f->inc[1].title, "after");
	assert_int_equal(f->inc[1].severity, FK_SEV_CRITICAL);
	assert_int_equal(f->inc[1].pii_count, 12);
	assert_true(f->inc[1].pii); /* a count of persons implies personal data */
	assert_int_equal(count_changes(f, id), base + 4);
	assert_string_equal(f->changes[base].field, "title");
	assert_string_equal(f->changes[base].old_value, "before");
	assert_string_equal(f->changes[base].new_value, "after");
	assert_string_equal(f->changes[base + 1].field, "severity");
	assert_string_equal(f->changes[base + 2].field, "pii");
	assert_string_equal(f->changes[base + 3].field, "pii_count");

	/* Refusals leave everything as it was. */
	base = count_changes(f, id);
	static const char *const bad_titles[] = {"", "ctrl\x01char", "\xed\xa0\x80"};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad_titles); i++) {
		struct fk_incident_patch q = FK_INCIDENT_PATCH_INIT;
		q.title = bad_titles[i];
		fk_incident_release(&f->inc[2]);
		fk_err_clear(&err);
		assert_int_equal(fk_incident_change(&f->c, ref, &q, &f->inc[2], &err), FK_EINVAL);
		assert_string_equal(err.field, "--title");
		assert_null(f->inc[2].title);
	}
	struct fk_incident_patch q = FK_INCIDENT_PATCH_INIT;
	q.pii_count = -5;
	assert_int_equal(fk_incident_change(&f->c, ref, &q, &f->inc[2], &err), FK_EINVAL);
	q = (struct fk_incident_patch)FK_INCIDENT_PATCH_INIT;
	q.title = "would change";
	q.contained_at = DISC - HOUR;
	assert_int_equal(fk_incident_change(&f->c, ref, &q, &f->inc[2], &err), FK_EINVAL);
	assert_string_equal(err.field, "--contained");
	assert_null(f->inc[2].title);
	assert_int_equal(count_changes(f, id), base);
	fk_incident_release(&f->inc[2]);
	assert_int_equal(fk_store_incident_find(f->st, ref, &f->inc[2], &err), FK_OK);
	assert_string_equal(f->inc[2].title, "after");
	assert_int_equal(f->inc[2].contained_at, FK_TIME_NONE);
}

static void test_timeline(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "timeline", FK_KIND_OTHER, DISC, &f->small);
	struct fk_timeline_entry e = {0,    DISC + HOUR, (char *)"サーバ停止", (char *)"ops",
	                              NULL, 0,           FK_MARK_NONE};
	assert_int_equal(fk_timeline_record(&f->c, ref, &e, &err), FK_OK);
	assert_true(e.id > 0);
	assert_string_equal(e.recorded_by, "tester");
	free(e.recorded_by);
	struct fk_timeline_entry e2 = {0, DISC, (char *)"発覚", NULL, NULL, 0, FK_MARK_NONE};
	assert_int_equal(fk_timeline_record(&f->c, ref, &e2, &err), FK_OK);
	free(e2.recorded_by);
	struct fk_timeline_entry e3 = {0, DISC, (char *)"bad\x1b", NULL, NULL, 0, FK_MARK_NONE};
	assert_int_equal(fk_timeline_record(&f->c, ref, &e3, &err), FK_EINVAL);

	struct fk_timeline_entry *list;
	size_t n;
	assert_int_equal(fk_store_timeline_get(f->st, f->inc[0].id, &list, &n, &err), FK_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].text, "発覚"); /* ordered by time, not by recording */
	assert_int_equal(list[0].at, DISC);
	assert_string_equal(list[1].text, "サーバ停止");
	assert_string_equal(list[1].source, "ops");
	assert_int_equal(list[1].recorded_at, NOW);
	FK_FREE_ARRAY(list, n, fk_timeline_entry_release);
}

/* Enum values out of range (what a careless front end could pass) are refused, never used
 * as table indexes. */
static void test_enum_out_of_range(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	const char *ref = create(f, 0, "range", FK_KIND_DOS, 1783000000, &f->small);
	assert_int_equal(transition(f, ref, FK_STATE_COUNT, &err), FK_EUSAGE);
	assert_string_equal(err.field, "--to");
	assert_int_equal(transition(f, ref, -7, &err), FK_EUSAGE);
	struct fk_task_patch p = FK_TASK_PATCH_INIT;
	p.state = FK_TASK_COUNT;
	fk_err_clear(&err);
	assert_int_equal(fk_task_change(&f->c, ref, "1.1", &p, &f->task, &err), FK_EUSAGE);
	struct fk_person who = {0, FK_ROLE_COUNT, "x", NULL, NULL, NULL};
	assert_int_equal(fk_role_assign(&f->c, ref, &who, &err), FK_EUSAGE);
	assert_int_equal(fk_role_remove(&f->c, ref, 99, NULL, &err), FK_EUSAGE);
	struct fk_incident bad = {0};
	fill(&bad, "bad kind", FK_KIND_COUNT, 1783000000);
	assert_int_equal(fk_incident_create(&f->c, &bad, &f->small, &err), FK_EUSAGE);
	fk_incident_release(&bad);
	assert_int_equal(state_of(f, ref), FK_STATE_EMERGENCY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_invalid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_state_machine, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transition_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_close_lists_open_items, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_na_needs_reason, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_approval, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_approval_na, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_line_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_handover, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_board_progress, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_board_overdue, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_board_counters_random, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_incident_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_timeline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_enum_out_of_range, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
