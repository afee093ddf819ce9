/*
 * test_store.c - lib/store through store.h on temporary SQLite files: opening, migrations,
 * version checks, incident references, transactions, and the change history.
 *
 * Each test gets a fresh directory (mkdtemp) removed by its teardown; a few checks look at
 * the database file directly with the SQLite C API.
 */
#include "fukkyu/common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <sqlite3.h>
#include <unistd.h>

#include "fukkyu/incident.h"
#include "store/store.h"
#include "util/err.h"
#include "util/time.h"

/* 2026-07-06T07:20:00Z, and later instants. */
#define T0       INT64_C(1783322400)
#define T1       (T0 + 3600)
#define T2       (T0 + 7200)
#define N_PHASES 6

struct fixture {
	char dir[64];
	char path[128];
	struct fk_store *st;
	/* things to release if a test fails half-way */
	struct fk_incident inc[4];
	struct fk_change *changes;
	size_t n_changes;
	struct fk_task *tasks;
	size_t n_tasks;
};

static int setup(void **state)
{
	struct fixture *f = fk_xcalloc(1, sizeof *f);
	if (!fk_test_mkdir(f->dir, sizeof f->dir, "store")) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	FK_TEST_FREE(f->changes, f->n_changes, fk_change_release);
	FK_TEST_FREE(f->tasks, f->n_tasks, fk_task_release);
	for (size_t i = 0; i < FK_ARRAY_LEN(f->inc); i++)
		fk_incident_release(&f->inc[i]);
	fk_store_close(f->st);
	fk_test_rmdir(f->dir);
	free(f);
	return 0;
}

/* Creates and migrates the database, leaving it open in f->st. */
static void open_new(struct fixture *f)
{
	struct fk_err err;
	int from = -1, to = -1;
	fk_err_clear(&err);
	enum fk_code rc = fk_store_open(f->path, true, &f->st, &err);
	if (rc)
		fail_msg("open: %s", err.en);
	rc = fk_store_migrate(f->st, &from, &to, &err);
	if (rc)
		fail_msg("migrate: %s", err.en);
}

static void reopen(struct fixture *f)
{
	struct fk_err err;
	fk_store_close(f->st);
	f->st = NULL;
	fk_err_clear(&err);
	if (fk_store_open(f->path, false, &f->st, &err))
		fail_msg("reopen: %s", err.en);
}

/* One value from the database file, read with SQLite directly. */
static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("sqlite: %s", msg ? msg : "?");
	sqlite3_close(db);
}

static void fill_incident(struct fk_incident *inc, const char *title, int kind, int64_t disc)
{
	memset(inc, 0, sizeof *inc);
	inc->title = fk_xstrdup(title);
	inc->kind = kind;
	inc->severity = FK_SEV_HIGH;
	inc->state = FK_STATE_EMERGENCY;
	inc->discovered_at = disc;
	inc->contained_at = FK_TIME_NONE;
	inc->pii_count = -1;
	inc->playbook = fk_xstrdup("fukkyu-recovery");
}

static void begin(struct fixture *f, const char *actor, int64_t now)
{
	struct fk_err err;
	if (fk_store_begin(f->st, actor, now, &err))
		fail_msg("begin: %s", err.en);
}

static void commit(struct fixture *f)
{
	struct fk_err err;
	if (fk_store_commit(f->st, &err))
		fail_msg("commit: %s", err.en);
}

static void insert(struct fixture *f, struct fk_incident *inc, int year)
{
	struct fk_err err;
	fk_err_clear(&err);
	if (fk_store_incident_insert(f->st, inc, year, &err))
		fail_msg("insert: %s", err.en);
}

static void get_changes(struct fixture *f, int64_t id)
{
	struct fk_err err;
	FK_TEST_FREE(f->changes, f->n_changes, fk_change_release);
	if (fk_store_changes_get(f->st, id, &f->changes, &f->n_changes, &err))
		fail_msg("changes: %s", err.en);
}

static void assert_change(const struct fk_change *c, const char *entity, const char *key,
                          const char *field, const char *old_value, const char *new_value,
                          const char *actor, int64_t at)
{
	assert_string_equal(c->entity, entity);
	if (key)
		assert_string_equal(c->entity_key, key);
	else
		assert_null(c->entity_key);
	assert_string_equal(c->field, field);
	if (old_value)
		assert_non_null(c->old_value), assert_string_equal(c->old_value, old_value);
	else
		assert_null(c->old_value);
	if (new_value)
		assert_non_null(c->new_value), assert_string_equal(c->new_value, new_value);
	else
		assert_null(c->new_value);
	assert_string_equal(c->actor, actor);
	assert_int_equal(c->at, at);
}

/* ---- opening and migrations ---------------------------------------------------------------- */

static void test_open_missing(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	fk_err_clear(&err);
	assert_int_equal(fk_store_open(f->path, false, &f->st, &err), FK_ENOTFOUND);
	assert_null(f->st);
	assert_int_equal(err.code, FK_ENOTFOUND);
	assert_string_equal(err.field, "--db");
	assert_non_null(strstr(err.en, f->path));
	assert_non_null(strstr(err.en, "init"));
	assert_non_null(strstr(err.ja, "init"));
	/* Nothing was created. */
	assert_int_not_equal(access(f->path, F_OK), 0);

	/* An existing but empty file is a database that was never initialised. */
	char empty[160];
	snprintf(empty, sizeof empty, "%s/empty.db", f->dir);
	FILE *fp = fopen(empty, "wb");
	assert_non_null(fp);
	fclose(fp);
	fk_err_clear(&err);
	assert_int_equal(fk_store_open(empty, false, &f->st, &err), FK_ENOTFOUND);
	assert_null(f->st);
	assert_non_null(strstr(err.en, "not initialised"));
	assert_non_null(strstr(err.en, "init"));
	assert_non_null(strstr(err.ja, "init"));
}

static void test_open_bad_urls(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	fk_err_clear(&err);
	assert_int_equal(fk_store_open("", true, &f->st, &err), FK_EUSAGE);
	assert_string_equal(err.field, "--db");
	assert_int_equal(fk_store_open(NULL, true, &f->st, &err), FK_EUSAGE);
	fk_err_clear(&err);
	/* A PostgreSQL server that is not there: said so, with the URL but not its password. */
	assert_int_equal(fk_store_open("postgresql://fk:secret@127.0.0.1:1/fk?connect_timeout=2",
	                               true, &f->st, &err),
	                 FK_EIO);
	assert_non_null(strstr(err.en, "cannot connect"));
	assert_non_null(strstr(err.en, "fk:***@127.0.0.1"));
	assert_null(strstr(err.en, "secret"));
	assert_null(f->st);
	/* A directory that does not exist. */
	char p[200];
	snprintf(p, sizeof p, "%s/no/such/dir/x.db", f->dir);
	fk_err_clear(&err);
	assert_int_equal(fk_store_open(p, true, &f->st, &err), FK_EIO);
	assert_null(f->st);
	assert_string_equal(err.field, "--db");
	assert_non_null(strstr(err.en, "does not exist"));
	assert_non_null(strstr(err.en, "/no/such/dir'"));
	assert_true(err.ja[0] != '\0');
}

static void test_migrate(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	int known = fk_store_known_version();
	assert_true(known >= 1);

	fk_err_clear(&err);
	assert_int_equal(fk_store_open(f->path, true, &f->st, &err), FK_OK);
	int from = -1, to = -1;
	assert_int_equal(fk_store_migrate(f->st, &from, &to, &err), FK_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, known);
	assert_int_equal(sql_int(f->path, "SELECT MAX(version) FROM schema_migrations"), known);
	assert_int_equal(sql_int(f->path, "SELECT COUNT(*) FROM schema_migrations"), known);
	assert_int_equal(sql_int(f->path, "SELECT COUNT(*) FROM sqlite_schema WHERE type = "
	                                  "'table' AND name IN ('incidents', 'tasks', 'changes')"),
	                 3);

	/* Again: nothing to do. */
	from = to = -1;
	assert_int_equal(fk_store_migrate(f->st, &from, &to, &err), FK_OK);
	assert_int_equal(from, known);
	assert_int_equal(to, known);
	assert_int_equal(sql_int(f->path, "SELECT COUNT(*) FROM schema_migrations"), known);

	/* Without create it opens now, also through the "sqlite:" form. */
	reopen(f);
	from = to = -1;
	assert_int_equal(fk_store_migrate(f->st, &from, &to, &err), FK_OK);
	assert_int_equal(from, to);
	fk_store_close(f->st);
	f->st = NULL;
	char url[160];
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	assert_int_equal(fk_store_open(url, false, &f->st, &err), FK_OK);
}

static void test_open_newer_version(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	open_new(f);
	fk_store_close(f->st);
	f->st = NULL;
	sql_exec(f->path, "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
	                  "(999, '0999_future.sql', '2030-01-01T00:00:00Z')");

	fk_err_clear(&err);
	assert_int_equal(fk_store_open(f->path, false, &f->st, &err), FK_EVERSION);
	assert_null(f->st);
	assert_int_equal(err.code, FK_EVERSION);
	assert_string_equal(err.field, "--db");
	assert_non_null(strstr(err.en, "999"));
	assert_non_null(strstr(err.en, "newer"));
	assert_non_null(strstr(err.ja, "999"));
	/* init (create) must not touch a newer database either. */
	fk_err_clear(&err);
	assert_int_equal(fk_store_open(f->path, true, &f->st, &err), FK_EVERSION);
	assert_null(f->st);
	assert_int_equal(sql_int(f->path, "SELECT MAX(version) FROM schema_migrations"), 999);
}

static void test_open_older_version(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	/* A schema_migrations table with no rows: version 0 but not a fresh file. */
	open_new(f);
	fk_store_close(f->st);
	f->st = NULL;
	sql_exec(f->path, "DELETE FROM schema_migrations");
	fk_err_clear(&err);
	assert_int_equal(fk_store_open(f->path, false, &f->st, &err), FK_ENOTFOUND);
	assert_null(f->st);
	assert_non_null(strstr(err.en, "init"));
}

static void test_open_garbage(void **state)
{
	struct fixture *f = *state;
	char p[160];
	snprintf(p, sizeof p, "%s/garbage.db", f->dir);
	FILE *fp = fopen(p, "wb");
	assert_non_null(fp);
	for (int i = 0; i < 512; i++)
		fputs("this is not a database, just text bytes ", fp);
	fclose(fp);

	struct fk_err err;
	fk_err_clear(&err);
	enum fk_code rc = fk_store_open(p, false, &f->st, &err);
	assert_int_not_equal(rc, FK_OK);
	assert_null(f->st);
	assert_int_equal(err.code, rc);
	assert_int_equal(rc, FK_EDB);
	assert_non_null(strstr(err.en, "not a fukkyu database"));
	assert_non_null(strstr(err.en, p));
	assert_true(err.ja[0] != '\0');

	fk_err_clear(&err);
	rc = fk_store_open(p, true, &f->st, &err);
	assert_int_not_equal(rc, FK_OK);
	assert_null(f->st);
}

/* ---- incidents ---------------------------------------------------------------------------------
 */

static void test_incident_refs(void **state)
{
	struct fixture *f = *state;
	open_new(f);
	begin(f, "alice", T0);
	fill_incident(&f->inc[0], "first", FK_KIND_DATA_LEAK, T0 - 86400);
	insert(f, &f->inc[0], 2026);
	fill_incident(&f->inc[1], "second", FK_KIND_DOS, T0 - 3600);
	insert(f, &f->inc[1], 2026);
	fill_incident(&f->inc[2], "old one", FK_KIND_OTHER, T0 - 7200);
	insert(f, &f->inc[2], 2003);
	commit(f);

	assert_string_equal(f->inc[0].ref, "INC-2026-0001");
	assert_string_equal(f->inc[1].ref, "INC-2026-0002");
	assert_string_equal(f->inc[2].ref, "INC-2003-0001");
	assert_true(f->inc[0].id > 0);
	assert_true(f->inc[1].id > f->inc[0].id);
	assert_string_equal(f->inc[0].created_by, "alice");
	assert_int_equal(f->inc[0].created_at, T0);
	assert_int_equal(f->inc[0].updated_at, T0);

	/* Read back: every field as written. */
	struct fk_incident *got = &f->inc[3];
	struct fk_err err;
	assert_int_equal(fk_store_incident_find(f->st, "INC-2026-0002", got, &err), FK_OK);
	assert_int_equal(got->id, f->inc[1].id);
	assert_string_equal(got->title, "second");
	assert_int_equal(got->kind, FK_KIND_DOS);
	assert_int_equal(got->severity, FK_SEV_HIGH);
	assert_int_equal(got->state, FK_STATE_EMERGENCY);
	assert_int_equal(got->discovered_at, T0 - 3600);
	assert_int_equal(got->contained_at, FK_TIME_NONE);
	assert_int_equal(got->pii_count, -1);
	assert_false(got->pii);
	assert_string_equal(got->playbook, "fukkyu-recovery");
	assert_string_equal(got->created_by, "alice");
	assert_int_equal(got->created_at, T0);
	fk_incident_release(got);

	/* The next of a year continues after a commit and a reopen. */
	reopen(f);
	begin(f, "bob", T1);
	fk_incident_release(&f->inc[2]);
	fill_incident(&f->inc[2], "third", FK_KIND_OTHER, T1);
	insert(f, &f->inc[2], 2026);
	commit(f);
	assert_string_equal(f->inc[2].ref, "INC-2026-0003");

	/* One "created" change per insert, attributed. */
	get_changes(f, f->inc[2].id);
	assert_int_equal(f->n_changes, 1);
	assert_change(&f->changes[0], "incident", "INC-2026-0003", "created", NULL, "third", "bob",
	              T1);
}

static void test_incident_find(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	open_new(f);
	begin(f, "alice", T0);
	fill_incident(&f->inc[0], "find me", FK_KIND_INTRUSION, T0);
	insert(f, &f->inc[0], 2026);
	commit(f);

	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)f->inc[0].id);
	static const char *const ways[] = {"INC-2026-0001", "inc-2026-0001", "Inc-2026-0001"};
	for (size_t i = 0; i < FK_ARRAY_LEN(ways) + 1; i++) {
		const char *key = i < FK_ARRAY_LEN(ways) ? ways[i] : id;
		fk_err_clear(&err);
		if (fk_store_incident_find(f->st, key, &f->inc[1], &err))
			fail_msg("find '%s': %s", key, err.en);
		assert_int_equal(f->inc[1].id, f->inc[0].id);
		assert_string_equal(f->inc[1].ref, "INC-2026-0001");
		assert_string_equal(f->inc[1].title, "find me");
		fk_incident_release(&f->inc[1]);
	}

	static const char *const missing[] = {
	    "INC-2026-0002", "INC-2025-0001", "999", "0", "INC-2026-1", "", "x' OR '1'='1"};
	for (size_t i = 0; i < FK_ARRAY_LEN(missing); i++) {
		fk_err_clear(&err);
		enum fk_code rc = fk_store_incident_find(f->st, missing[i], &f->inc[1], &err);
		if (rc != FK_ENOTFOUND)
			fail_msg("find '%s': expected not found, got %d", missing[i], rc);
		assert_int_equal(err.code, FK_ENOTFOUND);
		assert_string_equal(err.field, "incident");
		char quoted[64];
		snprintf(quoted, sizeof quoted, "'%s'", missing[i]);
		assert_non_null(strstr(err.en, quoted));
		assert_non_null(strstr(err.ja, quoted));
	}
}

static void test_rollback(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	open_new(f);
	begin(f, "alice", T0);
	fill_incident(&f->inc[0], "kept", FK_KIND_OTHER, T0);
	insert(f, &f->inc[0], 2026);
	commit(f);
	int64_t changes_before = sql_int(f->path, "SELECT COUNT(*) FROM changes");
	assert_int_equal(changes_before, 1);

	begin(f, "mallory", T1);
	fill_incident(&f->inc[1], "undone", FK_KIND_OTHER, T1);
	insert(f, &f->inc[1], 2026);
	assert_string_equal(f->inc[1].ref, "INC-2026-0002");
	int64_t undone_id = f->inc[1].id;
	fk_store_rollback(f->st);
	fk_store_rollback(f->st); /* harmless twice */

	fk_err_clear(&err);
	assert_int_equal(fk_store_incident_find(f->st, "INC-2026-0002", &f->inc[2], &err),
	                 FK_ENOTFOUND);
	struct fk_incident *list;
	size_t n;
	assert_int_equal(fk_store_incident_list(f->st, true, &list, &n, &err), FK_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].ref, "INC-2026-0001");
	FK_FREE_ARRAY(list, n, fk_incident_release);
	get_changes(f, undone_id);
	assert_int_equal(f->n_changes, 0);
	assert_int_equal(sql_int(f->path, "SELECT COUNT(*) FROM changes"), changes_before);
	assert_int_equal(sql_int(f->path, "SELECT COUNT(*) FROM changes WHERE actor = 'mallory'"),
	                 0);
	assert_int_equal(sql_int(f->path, "SELECT COUNT(*) FROM incidents"), 1);

	/* The number is not burnt: the next insert gets it. */
	begin(f, "alice", T2);
	fk_incident_release(&f->inc[1]);
	fill_incident(&f->inc[1], "again", FK_KIND_OTHER, T2);
	insert(f, &f->inc[1], 2026);
	commit(f);
	assert_string_equal(f->inc[1].ref, "INC-2026-0002");
}

static void test_incident_update_changes(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	open_new(f);
	begin(f, "alice", T0);
	fill_incident(&f->inc[0], "Old title", FK_KIND_DATA_LEAK, T0 - 3600);
	f->inc[0].description = fk_xstrdup("first words");
	insert(f, &f->inc[0], 2026);
	commit(f);
	int64_t id = f->inc[0].id;

	struct fk_incident *before = &f->inc[1], *after = &f->inc[2];
	assert_int_equal(fk_store_incident_find(f->st, "INC-2026-0001", before, &err), FK_OK);
	fk_incident_copy(after, before);
	free(after->title);
	after->title = fk_xstrdup("新しい題名");
	after->severity = FK_SEV_CRITICAL;
	after->contained_at = T0;
	after->pii_count = 120;
	/* unchanged: kind, state, discovered_at, description, pii, pii_sensitive */

	begin(f, "bob", T1);
	fk_err_clear(&err);
	if (fk_store_incident_update(f->st, before, after, &err))
		fail_msg("update: %s", err.en);
	commit(f);

	get_changes(f, id);
	assert_int_equal(f->n_changes, 5); /* created + 4 changed fields */
	assert_change(&f->changes[0], "incident", "INC-2026-0001", "created", NULL, "Old title",
	              "alice", T0);
	assert_change(&f->changes[1], "incident", "INC-2026-0001", "title", "Old title",
	              "新しい題名", "bob", T1);
	assert_change(&f->changes[2], "incident", "INC-2026-0001", "severity", "high", "critical",
	              "bob", T1);
	assert_change(&f->changes[3], "incident", "INC-2026-0001", "contained_at", NULL,
	              "2026-07-06T07:20:00Z", "bob", T1);
	assert_change(&f->changes[4], "incident", "INC-2026-0001", "pii_count", "-1", "120", "bob",
	              T1);
	assert_true(f->changes[1].id < f->changes[2].id);

	/* The row holds the new values and the update time. */
	fk_incident_release(before);
	assert_int_equal(fk_store_incident_find(f->st, "INC-2026-0001", before, &err), FK_OK);
	assert_string_equal(before->title, "新しい題名");
	assert_int_equal(before->severity, FK_SEV_CRITICAL);
	assert_int_equal(before->contained_at, T0);
	assert_int_equal(before->pii_count, 120);
	assert_string_equal(before->description, "first words");
	assert_int_equal(before->updated_at, T1);
	assert_int_equal(before->created_at, T0);

	/* An update with nothing different records nothing. */
	fk_incident_release(after);
	fk_incident_copy(after, before);
	begin(f, "carol", T2);
	assert_int_equal(fk_store_incident_update(f->st, before, after, &err), FK_OK);
	commit(f);
	get_changes(f, id);
	assert_int_equal(f->n_changes, 5);

	/* State and a cleared description. */
	fk_incident_release(after);
	fk_incident_copy(after, before);
	after->state = FK_STATE_RECOVERY;
	free(after->description);
	after->description = fk_xstrdup("");
	begin(f, "carol", T2);
	assert_int_equal(fk_store_incident_update(f->st, before, after, &err), FK_OK);
	commit(f);
	get_changes(f, id);
	assert_int_equal(f->n_changes, 7);
	assert_change(&f->changes[5], "incident", "INC-2026-0001", "state", "emergency", "recovery",
	              "carol", T2);
	assert_change(&f->changes[6], "incident", "INC-2026-0001", "description", "first words", "",
	              "carol", T2);
}

static void test_task_update_changes(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	open_new(f);
	begin(f, "alice", T0);
	fill_incident(&f->inc[0], "tasks", FK_KIND_OTHER, T0);
	insert(f, &f->inc[0], 2026);
	int64_t id = f->inc[0].id;

	struct fk_phase phases[N_PHASES];
	memset(phases, 0, sizeof phases);
	static char *const keys[] = {"p1", "p2", "p3", "p4", "p5", "p6"};
	for (int i = 0; i < N_PHASES; i++)
		phases[i] = (struct fk_phase){i + 1, keys[i], "フェーズ", "Phase"};
	struct fk_task tasks[2];
	memset(tasks, 0, sizeof tasks);
	tasks[0] = (struct fk_task){.item_id = "1.1",
	                            .phase = 1,
	                            .seq = 1,
	                            .group_key = "g",
	                            .group_ja = "グ",
	                            .group_en = "G",
	                            .title_ja = "一",
	                            .title_en = "One",
	                            .state = FK_TASK_TODO,
	                            .due_at = T0 + 86400,
	                            .updated_at = FK_TIME_NONE};
	tasks[1] = (struct fk_task){.item_id = "2.1",
	                            .phase = 2,
	                            .seq = 2,
	                            .group_key = "g",
	                            .group_ja = "グ",
	                            .group_en = "G",
	                            .title_ja = "二",
	                            .title_en = "Two",
	                            .why_en = "because",
	                            .approval = true,
	                            .state = FK_TASK_TODO,
	                            .due_at = FK_TIME_NONE,
	                            .updated_at = FK_TIME_NONE};
	fk_err_clear(&err);
	if (fk_store_tasks_insert(f->st, id, phases, N_PHASES, tasks, 2, &err))
		fail_msg("tasks insert: %s", err.en);
	commit(f);

	assert_int_equal(fk_store_tasks_get(f->st, id, &f->tasks, &f->n_tasks, &err), FK_OK);
	assert_int_equal(f->n_tasks, 2);
	assert_string_equal(f->tasks[0].item_id, "1.1");
	assert_int_equal(f->tasks[0].due_at, T0 + 86400);
	assert_int_equal(f->tasks[0].state, FK_TASK_TODO);
	assert_null(f->tasks[0].owner);
	assert_true(f->tasks[1].approval);
	assert_string_equal(f->tasks[1].why_en, "because");
	assert_null(f->tasks[1].why_ja);
	assert_int_equal(f->tasks[1].due_at, FK_TIME_NONE);

	struct fk_phase *ph;
	size_t nph;
	assert_int_equal(fk_store_phases_get(f->st, id, &ph, &nph, &err), FK_OK);
	assert_int_equal(nph, 6);
	assert_string_equal(ph[5].key, "p6");
	assert_int_equal(ph[5].no, 6);
	FK_FREE_ARRAY(ph, nph, fk_phase_release);

	/* todo -> done, an owner, a note, the due date cleared. */
	struct fk_task after;
	fk_task_copy(&after, &f->tasks[0]);
	after.state = FK_TASK_DONE;
	after.owner = fk_xstrdup("carol");
	after.note = fk_xstrdup("checked");
	after.due_at = FK_TIME_NONE;
	begin(f, "bob", T1);
	fk_err_clear(&err);
	enum fk_code rc = fk_store_task_update(f->st, id, &f->tasks[0], &after, &err);
	fk_task_release(&after);
	if (rc)
		fail_msg("task update: %s", err.en);
	commit(f);

	get_changes(f, id);
	/* created, playbook items, then the four task fields in the store's order. */
	assert_int_equal(f->n_changes, 6);
	assert_change(&f->changes[1], "playbook", NULL, "items", NULL, "2", "alice", T0);
	assert_change(&f->changes[2], "task", "1.1", "state", "todo", "done", "bob", T1);
	assert_change(&f->changes[3], "task", "1.1", "owner", NULL, "carol", "bob", T1);
	assert_change(&f->changes[4], "task", "1.1", "due_at", "2026-07-07T07:20:00Z", NULL, "bob",
	              T1);
	assert_change(&f->changes[5], "task", "1.1", "note", NULL, "checked", "bob", T1);

	FK_TEST_FREE(f->tasks, f->n_tasks, fk_task_release);
	assert_int_equal(fk_store_tasks_get(f->st, id, &f->tasks, &f->n_tasks, &err), FK_OK);
	assert_int_equal(f->tasks[0].state, FK_TASK_DONE);
	assert_string_equal(f->tasks[0].owner, "carol");
	assert_string_equal(f->tasks[0].note, "checked");
	assert_int_equal(f->tasks[0].due_at, FK_TIME_NONE);
	assert_string_equal(f->tasks[0].updated_by, "bob");
	assert_int_equal(f->tasks[0].updated_at, T1);
	assert_int_equal(f->tasks[1].state, FK_TASK_TODO); /* the other one untouched */
	assert_null(f->tasks[1].updated_by);

	/* The incident counts as updated. */
	assert_int_equal(fk_store_incident_find(f->st, "INC-2026-0001", &f->inc[1], &err), FK_OK);
	assert_int_equal(f->inc[1].updated_at, T1);

	/* done -> na with a reason. */
	fk_task_copy(&after, &f->tasks[0]);
	after.state = FK_TASK_NA;
	after.na_reason = fk_xstrdup("no such system");
	begin(f, "dave", T2);
	rc = fk_store_task_update(f->st, id, &f->tasks[0], &after, &err);
	fk_task_release(&after);
	assert_int_equal(rc, FK_OK);
	commit(f);
	get_changes(f, id);
	assert_int_equal(f->n_changes, 8);
	assert_change(&f->changes[6], "task", "1.1", "state", "done", "na", "dave", T2);
	assert_change(&f->changes[7], "task", "1.1", "na_reason", NULL, "no such system", "dave",
	              T2);
}

static void test_incident_list(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	open_new(f);
	begin(f, "alice", T0);
	fill_incident(&f->inc[0], "older", FK_KIND_OTHER, T0 - 86400);
	insert(f, &f->inc[0], 2026);
	fill_incident(&f->inc[1], "newer", FK_KIND_OTHER, T0);
	insert(f, &f->inc[1], 2026);
	fill_incident(&f->inc[2], "closed", FK_KIND_OTHER, T0 + 60);
	f->inc[2].state = FK_STATE_CLOSED;
	insert(f, &f->inc[2], 2026);
	commit(f);

	struct fk_incident *list;
	size_t n;
	assert_int_equal(fk_store_incident_list(f->st, false, &list, &n, &err), FK_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].title, "newer");
	assert_string_equal(list[1].title, "older");
	FK_FREE_ARRAY(list, n, fk_incident_release);
	assert_int_equal(fk_store_incident_list(f->st, true, &list, &n, &err), FK_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].title, "closed");
	FK_FREE_ARRAY(list, n, fk_incident_release);
}

/* The per-phase counters behind boards follow every task write. */
static void test_progress_counters(void **state)
{
	struct fixture *f = *state;
	struct fk_err err;
	open_new(f);
	begin(f, "alice", T0);
	fill_incident(&f->inc[0], "counters", FK_KIND_OTHER, T0);
	insert(f, &f->inc[0], 2026);
	fill_incident(&f->inc[1], "closed", FK_KIND_OTHER, T0);
	f->inc[1].state = FK_STATE_CLOSED;
	insert(f, &f->inc[1], 2026);
	int64_t id = f->inc[0].id;

	struct fk_phase phases[N_PHASES];
	static char *const keys[] = {"p1", "p2", "p3", "p4", "p5", "p6"};
	for (int i = 0; i < N_PHASES; i++)
		phases[i] = (struct fk_phase){i + 1, keys[i], "フェーズ", "Phase"};
	/* Phase 1: three tasks, one already done, two due; phase 2: one task. */
	struct fk_task tasks[4];
	static char *const ids[] = {"1.1", "1.2", "1.3", "2.1"};
	for (int i = 0; i < 4; i++)
		tasks[i] = (struct fk_task){.item_id = ids[i],
		                            .phase = i < 3 ? 1 : 2,
		                            .seq = i + 1,
		                            .group_key = "g",
		                            .group_ja = "g",
		                            .group_en = "g",
		                            .title_ja = "t",
		                            .title_en = "t",
		                            .state = FK_TASK_TODO,
		                            .due_at = FK_TIME_NONE,
		                            .updated_at = FK_TIME_NONE};
	tasks[0].state = FK_TASK_DONE;
	tasks[1].due_at = T0 + 10 * 3600;
	tasks[2].due_at = T0 + 5 * 3600;
	assert_int_equal(fk_store_tasks_insert(f->st, id, phases, N_PHASES, tasks, 4, &err), FK_OK);
	assert_int_equal(
	    fk_store_tasks_insert(f->st, f->inc[1].id, phases, N_PHASES, tasks, 4, &err), FK_OK);
	commit(f);

	struct fk_progress *p;
	size_t n;
	/* At T0 + 6 h: 1.3 is overdue, 1.2 is next. The closed incident is left out. */
	assert_int_equal(fk_store_progress(f->st, T0 + 6 * 3600, false, &p, &n, &err), FK_OK);
	assert_int_equal(n, 6);
	assert_int_equal(p[0].incident, id);
	assert_int_equal(p[0].phase, 1);
	assert_int_equal(p[0].finished, 1);
	assert_int_equal(p[0].total, 3);
	assert_int_equal(p[0].overdue, 1);
	assert_int_equal(p[0].next_due, T0 + 5 * 3600);
	assert_int_equal(p[1].phase, 2);
	assert_int_equal(p[1].finished, 0);
	assert_int_equal(p[1].total, 1);
	assert_int_equal(p[1].next_due, FK_TIME_NONE);
	assert_int_equal(p[2].total, 0);
	free(p);
	assert_int_equal(fk_store_progress(f->st, T0, true, &p, &n, &err), FK_OK);
	assert_int_equal(n, 12);
	free(p);

	/* Each transition moves the counter by what finished-ness changed. */
	static const struct {
		const char *item;
		int from, to;
		int finished_after;
	} steps[] = {
	    {"1.3", FK_TASK_TODO, FK_TASK_DOING, 1}, {"1.3", FK_TASK_DOING, FK_TASK_DONE, 2},
	    {"1.3", FK_TASK_DONE, FK_TASK_NA, 2},    {"1.2", FK_TASK_TODO, FK_TASK_NA, 3},
	    {"1.1", FK_TASK_DONE, FK_TASK_TODO, 2},  {"1.3", FK_TASK_NA, FK_TASK_DOING, 1},
	};
	for (size_t i = 0; i < FK_ARRAY_LEN(steps); i++) {
		FK_TEST_FREE(f->tasks, f->n_tasks, fk_task_release);
		assert_int_equal(fk_store_tasks_get(f->st, id, &f->tasks, &f->n_tasks, &err),
		                 FK_OK);
		struct fk_task *before = NULL;
		for (size_t k = 0; k < f->n_tasks; k++)
			if (!strcmp(f->tasks[k].item_id, steps[i].item))
				before = &f->tasks[k];
		assert_non_null(before);
		assert_int_equal(before->state, steps[i].from);
		struct fk_task after;
		fk_task_copy(&after, before);
		after.state = steps[i].to;
		if (steps[i].to == FK_TASK_NA) {
			free(after.na_reason);
			after.na_reason = fk_xstrdup("n/a");
		}
		begin(f, "bob", T1);
		enum fk_code rc = fk_store_task_update(f->st, id, before, &after, &err);
		fk_task_release(&after);
		assert_int_equal(rc, FK_OK);
		commit(f);
		assert_int_equal(fk_store_progress(f->st, T0 + 6 * 3600, false, &p, &n, &err),
		                 FK_OK);
		int fin = p[0].finished, overdue = p[0].overdue;
		int64_t next = p[0].next_due;
		free(p);
		if (fin != steps[i].finished_after)
			fail_msg("step %zu (%s -> %s): finished %d, expected %d", i, steps[i].item,
			         fk_task_states[steps[i].to].key, fin, steps[i].finished_after);
		/* overdue and next due count only open tasks with a due date (1.2, 1.3) */
		if (i == 0)
			assert_int_equal(overdue, 1);
		if (i == 1) {
			assert_int_equal(overdue, 0);
			assert_int_equal(next, T0 + 10 * 3600);
		}
		if (i == 3)
			assert_int_equal(next, FK_TIME_NONE);
		if (i == 5) {
			assert_int_equal(overdue, 1);
			assert_int_equal(next, T0 + 5 * 3600);
		}
	}
	/* The closed incident's counters did not move. */
	assert_int_equal(fk_store_progress(f->st, T0, true, &p, &n, &err), FK_OK);
	assert_int_equal(p[6].incident, f->inc[1].id);
	assert_int_equal(p[6].finished, 1);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_bad_urls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_newer_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_older_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_garbage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_incident_refs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_incident_find, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_incident_update_changes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_task_update_changes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_incident_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_progress_counters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
