/*
 * test_sweep.c - the inventory, the company-wide sweep and countermeasure rollout (issue 3),
 * through fk_asset_import, fk_incident_assets_add, fk_sweep_*, fk_measure_* on temporary
 * SQLite stores with struct fk_ctx {st, "tester", "UTC", now}.
 *
 * The property check builds a random inventory with a seeded PRNG, keeps its own model of
 * which asset meets which criterion and which state the test moved it to, and compares the
 * store's sweep (entries, reasons, counts per department and state, coverage, the board)
 * with counts computed from that model alone.
 */
#include "fukkyu/common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <dirent.h>
#include <strings.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fukkyu/asset.h"
#include "fukkyu/incident.h"
#include "fukkyu/playbook.h"
#include "fukkyu/recovery.h"
#include "fukkyu/sweep.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/time.h"

/* 2026-07-06T07:20+09:00: discovery; NOW is two hours later. */
#define DISC INT64_C(1783290000)
#define NOW  (DISC + 7200)

/* ---- the property check's model ------------------------------------------------------- */

#define P_N     3000 /* assets */
#define P_DEPTS 12

/* Every criterion text the property check uses; bit i of m_asset.reasons is crit_texts[i]. */
static const char *const crit_texts[] = {
    "affected",           "os_version",     "software:openssl@3.0.2", "tag:legacy",
    "department:dept-07", "software:nginx", "software:putty",         "tag:legacy-os",
};
#define N_CRIT FK_ARRAY_LEN(crit_texts)

struct m_asset {
	char name[16];
	char dept[16]; /* "" when none */
	char os[16], ver[16];
	char sw[200];
	char tags[80];
	char role[8];
	bool spare;
	bool affected;
	bool swept;
	int state;
	unsigned reasons;
};

struct fixture {
	char dir[64];
	char path[128];
	char file[192]; /* the last file written */
	struct fk_store *st, *st2;
	struct fk_playbook std;
	struct fk_ctx c;
	struct fk_incident inc;
	struct fk_import_report r;
	struct fk_err err;
	struct fk_sweep_entry e;
	struct fk_asset a, a2;
	struct fk_measure m;
	struct fk_rollout_entry ro;
	struct fk_change *changes;
	size_t n_changes;
	struct fk_task *tasks;
	size_t n_tasks;
	struct fk_sweep_count *cnt;
	size_t n_cnt;
	struct fk_board board;
	struct fk_buf b;
	struct m_asset *m_assets; /* the property check's model */
	uint64_t rng;
};

static int setup(void **state)
{
	struct fixture *f = fk_xcalloc(1, sizeof *f);
	int from, to;
	*state = f;
	if (!fk_test_mkdir(f->dir, sizeof f->dir, "sweep"))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	if (fk_store_open(f->path, true, &f->st, &f->err) ||
	    fk_store_migrate(f->st, &from, &to, &f->err)) {
		fprintf(stderr, "store: %s\n", f->err.en);
		return -1;
	}
	if (fk_playbook_load_default(&f->std, &f->err))
		return -1;
	f->c = (struct fk_ctx){f->st, "tester", "UTC", NOW};
	fk_buf_init(&f->b, 0);
	fk_buf_init(&f->r.errors_en, 0);
	fk_buf_init(&f->r.errors_ja, 0);
	return 0;
}

static void free_counts(struct fixture *f)
{
	for (size_t i = 0; i < f->n_cnt; i++)
		free(f->cnt[i].department);
	free(f->cnt);
	f->cnt = NULL;
	f->n_cnt = 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	FK_TEST_FREE(f->changes, f->n_changes, fk_change_release);
	FK_TEST_FREE(f->tasks, f->n_tasks, fk_task_release);
	free_counts(f);
	fk_board_release(&f->board);
	fk_import_report_release(&f->r);
	fk_sweep_entry_release(&f->e);
	fk_asset_release(&f->a);
	fk_asset_release(&f->a2);
	fk_measure_release(&f->m);
	fk_rollout_entry_release(&f->ro);
	fk_incident_release(&f->inc);
	fk_playbook_release(&f->std);
	fk_buf_release(&f->b);
	free(f->m_assets);
	if (f->st)
		fk_store_close(f->st);
	if (f->st2)
		fk_store_close(f->st2);
	fk_test_rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- helpers -------------------------------------------------------------------------- */

static void assert_has(const char *msg, const char *needle)
{
	if (!strstr(msg, needle))
		fail_msg("message '%s' lacks '%s'", msg, needle);
}

/* splitmix64 */
static uint64_t rnd(struct fixture *f)
{
	uint64_t z = (f->rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned rnd_below(struct fixture *f, unsigned n)
{
	return (unsigned)(rnd(f) % n);
}

/* Writes text to DIR/name (f->file). */
static void write_file(struct fixture *f, const char *name, const char *text, size_t len)
{
	snprintf(f->file, sizeof f->file, "%s/%s", f->dir, name);
	FILE *fp = fopen(f->file, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Imports DIR/name (already written) as an inventory, origin name; report in f->r. */
static enum fk_code import_path(struct fixture *f, struct fk_store *st, const char *name, int fmt)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", f->dir, name);
	FILE *fp = fopen(p, "rb");
	assert_non_null(fp);
	struct fk_ctx c = f->c;
	c.st = st;
	fk_import_report_release(&f->r);
	fk_err_clear(&f->err);
	enum fk_code rc = fk_asset_import(&c, fp, name, fmt, &f->r, &f->err);
	fclose(fp);
	return rc;
}

static enum fk_code import_text(struct fixture *f, const char *name, const char *text)
{
	write_file(f, name, text, strlen(text));
	return import_path(f, f->st, name, FK_IMPORT_CSV);
}

static void import_ok(struct fixture *f, const char *name, const char *text, int64_t inserted,
                      int64_t updated)
{
	if (import_text(f, name, text))
		fail_msg("import %s: %s\n%s", name, f->err.en, f->r.errors_en.ptr);
	assert_int_equal(f->r.n_errors, 0);
	assert_int_equal(f->r.inserted, inserted);
	assert_int_equal(f->r.updated, updated);
	assert_int_equal(f->r.rows, inserted + updated);
}

static int64_t asset_count(struct fixture *f, struct fk_store *st)
{
	int64_t n = -1;
	if (fk_store_asset_count(st, &n, &f->err))
		fail_msg("count: %s", f->err.en);
	return n;
}

/* Every line of the report is "origin:LINE:COL: text"; the lines are counted. */
static size_t report_lines(const struct fk_buf *b, const char *origin)
{
	size_t n = 0, ol = strlen(origin);
	for (const char *p = b->ptr; *p;) {
		const char *e = strchr(p, '\n');
		assert_non_null(e);
		char *end;
		if (strncmp(p, origin, ol) || p[ol] != ':')
			fail_msg("report line does not start with '%s:': %.*s", origin,
			         (int)(e - p), p);
		long line = strtol(p + ol + 1, &end, 10);
		if (line < 1 || *end != ':')
			fail_msg("report line without a line number: %.*s", (int)(e - p), p);
		long col = strtol(end + 1, &end, 10);
		if (col < 0 || end[0] != ':' || end[1] != ' ')
			fail_msg("report line without a column: %.*s", (int)(e - p), p);
		n++;
		p = e + 1;
	}
	return n;
}

static void find_asset(struct fixture *f, struct fk_store *st, const char *name,
                       struct fk_asset *out)
{
	fk_asset_release(out);
	if (fk_store_asset_find(st, name, out, &f->err))
		fail_msg("asset %s: %s", name, f->err.en);
}

static void assert_col(const struct fk_asset *a, int col, const char *want)
{
	const char *got = a->col[col];
	if (!want) {
		if (got)
			fail_msg("%s: column %s is '%s', expected none", a->col[FK_ACOL_NAME],
			         fk_asset_cols[col], got);
		return;
	}
	if (!got || strcmp(got, want))
		fail_msg("%s: column %s is '%s', expected '%s'", a->col[FK_ACOL_NAME],
		         fk_asset_cols[col], got ? got : "(none)", want);
}

static const char *create_incident(struct fixture *f, const char *title)
{
	fk_incident_release(&f->inc);
	memset(&f->inc, 0, sizeof f->inc);
	f->inc.title = fk_xstrdup(title);
	f->inc.kind = FK_KIND_MALWARE_OUTBREAK;
	f->inc.severity = FK_SEV_CRITICAL;
	f->inc.state = FK_STATE_EMERGENCY;
	f->inc.discovered_at = DISC;
	f->inc.contained_at = FK_TIME_NONE;
	f->inc.pii_count = -1;
	if (fk_incident_create(&f->c, &f->inc, &f->std, &f->err))
		fail_msg("create: %s", f->err.en);
	return f->inc.ref;
}

static void affected_ok(struct fixture *f, size_t n, ...)
{
	char *names[16];
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		names[i] = va_arg(ap, char *);
	va_end(ap);
	size_t added = 0;
	if (fk_incident_assets_add(&f->c, f->inc.ref, names, n, &added, &f->err))
		fail_msg("assets add: %s", f->err.en);
	assert_int_equal(added, n);
}

static enum fk_code start(struct fixture *f, int64_t *added, size_t n, const char *const *crit)
{
	fk_err_clear(&f->err);
	return fk_sweep_start(&f->c, f->inc.ref, (char *const *)crit, n, added, &f->err);
}

static int64_t start_ok(struct fixture *f, size_t n, const char *const *crit)
{
	int64_t added = -1;
	if (start(f, &added, n, crit))
		fail_msg("sweep start: %s", f->err.en);
	return added;
}

static void set_ok(struct fixture *f, const char *asset, int st, const char *note)
{
	fk_err_clear(&f->err);
	if (fk_sweep_set(&f->c, f->inc.ref, asset, st, note, &f->err))
		fail_msg("sweep set %s %s: %s", asset, fk_sweep_states[st].key, f->err.en);
}

static const struct fk_sweep_entry *entry(struct fixture *f, const char *asset)
{
	fk_sweep_entry_release(&f->e);
	if (fk_store_sweep_entry_get(f->st, f->inc.id, asset, &f->e, &f->err))
		fail_msg("entry %s: %s", asset, f->err.en);
	return &f->e;
}

static size_t count_changes(struct fixture *f)
{
	FK_TEST_FREE(f->changes, f->n_changes, fk_change_release);
	if (fk_store_changes_get(f->st, f->inc.id, &f->changes, &f->n_changes, &f->err))
		fail_msg("changes: %s", f->err.en);
	return f->n_changes;
}

static void load_counts(struct fixture *f, int64_t *total, int64_t *checked)
{
	free_counts(f);
	if (fk_store_sweep_counts(f->st, f->inc.id, &f->cnt, &f->n_cnt, &f->err))
		fail_msg("counts: %s", f->err.en);
	*total = *checked = 0;
	for (size_t i = 0; i < f->n_cnt; i++)
		for (int s = 0; s < FK_SW_COUNT; s++) {
			*total += f->cnt[i].by_state[s];
			*checked += FK_SWEEP_CHECKED(s) ? f->cnt[i].by_state[s] : 0;
		}
}

static const struct fk_board_row *board_row(struct fixture *f)
{
	fk_board_release(&f->board);
	if (fk_board_build(&f->c, true, &f->board, &f->err))
		fail_msg("board: %s", f->err.en);
	for (size_t i = 0; i < f->board.n; i++)
		if (f->board.rows[i].inc.id == f->inc.id)
			return &f->board.rows[i];
	fail_msg("no board row for %s", f->inc.ref);
	return NULL;
}

/* Collects "name" of every entry in the order given, and the entries' reasons/states. */
struct collect {
	struct fk_buf names;
	size_t n;
};

static enum fk_code collect_one(void *vctx, const struct fk_sweep_entry *e)
{
	struct collect *c = vctx;
	(void)fk_buf_addf(&c->names, "%s%s=%s[%s]", c->n ? " " : "", e->asset.col[FK_ACOL_NAME],
	                  fk_sweep_states[e->state].key, e->reasons);
	c->n++;
	return FK_OK;
}

/* The sweep as "name=state[reasons] ..." ordered by department and name. */
static const char *sweep_text(struct fixture *f, int state, const char *dept)
{
	struct collect c = {FK_BUF_INIT, 0};
	if (fk_store_sweep_each(f->st, f->inc.id, state, dept, collect_one, &c, &f->err)) {
		fk_buf_release(&c.names);
		fail_msg("sweep each: %s", f->err.en);
	}
	fk_buf_release(&f->b);
	f->b = c.names;
	return f->b.ptr;
}

/* ---- inventory import ----------------------------------------------------------------- */

static const char inv3[] =
    "name,ip,os,os_version,software,department,owner,role,criticality,location,spare,"
    "backup_of,tags\n"
    "web01,192.0.2.1,Ubuntu,22.04,openssl 3.0.2;nginx 1.24.0,infra,佐藤,server,high,"
    "\"Tokyo, DC1\",false,,dmz;pci\n"
    "web01-dr,192.0.2.101,Ubuntu,22.04,openssl 3.0.2,infra,佐藤,server,high,\"Osaka, DC2\","
    "true,web01,dmz\n"
    "pc-0042,2001:db8::42,Windows,11,\"Office 2021\",営業部,鈴木,client,,\"Tokyo, 3F\",no,,\n";

static void test_import_upsert(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv", inv3, 3, 0);
	assert_int_equal(asset_count(f, f->st), 3);
	find_asset(f, f->st, "web01", &f->a);
	assert_col(&f->a, FK_ACOL_IP, "192.0.2.1");
	assert_col(&f->a, FK_ACOL_SOFTWARE, "openssl 3.0.2;nginx 1.24.0");
	assert_col(&f->a, FK_ACOL_LOCATION, "Tokyo, DC1");
	assert_col(&f->a, FK_ACOL_OWNER, "佐藤");
	assert_col(&f->a, FK_ACOL_TAGS, "dmz;pci");
	assert_col(&f->a, FK_ACOL_BACKUP_OF, NULL);
	assert_int_equal(f->a.role, FK_AROLE_SERVER);
	assert_false(f->a.spare);
	find_asset(f, f->st, "web01-dr", &f->a);
	assert_true(f->a.spare);
	assert_col(&f->a, FK_ACOL_BACKUP_OF, "web01");
	find_asset(f, f->st, "pc-0042", &f->a);
	assert_col(&f->a, FK_ACOL_IP, "2001:db8::42");
	assert_col(&f->a, FK_ACOL_DEPARTMENT, "営業部");
	assert_col(&f->a, FK_ACOL_CRITICALITY, NULL);
	assert_int_equal(f->a.role, FK_AROLE_CLIENT);

	/* The same names again: updated, not inserted; a new one inserted. */
	import_ok(f, "inv2.csv",
	          "name,ip,os,os_version,department,role,spare\n"
	          "web01,192.0.2.11,Ubuntu,24.04,infra,server,false\n"
	          "pc-0042,192.0.2.42,Windows,11,経理部,client,false\n"
	          "pc-0043,192.0.2.43,Windows,11,経理部,client,TRUE\n",
	          1, 2);
	assert_int_equal(asset_count(f, f->st), 4);
	find_asset(f, f->st, "web01", &f->a);
	assert_col(&f->a, FK_ACOL_IP, "192.0.2.11");
	assert_col(&f->a, FK_ACOL_OS_VERSION, "24.04");
	/* columns the file does not have are left as they were */
	assert_col(&f->a, FK_ACOL_SOFTWARE, "openssl 3.0.2;nginx 1.24.0");
	assert_col(&f->a, FK_ACOL_LOCATION, "Tokyo, DC1");
	assert_col(&f->a, FK_ACOL_TAGS, "dmz;pci");
	find_asset(f, f->st, "pc-0042", &f->a);
	assert_col(&f->a, FK_ACOL_DEPARTMENT, "経理部");
	find_asset(f, f->st, "pc-0043", &f->a);
	assert_true(f->a.spare);

	/* A byte-order mark, CRLF and a blank line are fine. */
	import_ok(f, "bom.csv", "\xEF\xBB\xBFname,os\r\npc-0044,Windows\r\n\r\npc-0045,Linux\r\n",
	          2, 0);
	assert_int_equal(asset_count(f, f->st), 6);
}

static void test_import_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv", inv3, 3, 0);
	enum fk_code rc =
	    import_text(f, "bad.csv",
	                "name,ip,os,role,spare,criticality\n"          /* 1 */
	                "new01,192.0.2.10,Linux,server,false,high\n"   /* 2: good, written first */
	                "new02,999.1.1.1,Linux,server,false,high\n"    /* 3: ip */
	                "new03,192.0.2.11,Linux,desktop,false,high\n"  /* 4: role */
	                "new04,192.0.2.12,Linux,client,maybe,high\n"   /* 5: spare */
	                ",192.0.2.13,Linux,client,true,low\n"          /* 6: name */
	                "new05,192.0.2.14,Linux,client,yes,urgent\n"   /* 7: criticality */
	                "web01,192.0.2.99,Linux,server,no,low\n"       /* 8: good, an update */
	                "new06,192.0.2.15,Lin\xffux,client,no,low\n"); /* 9: invalid UTF-8 */
	assert_int_equal(rc, FK_EINVAL);
	assert_int_equal(f->err.code, FK_EINVAL);
	assert_has(f->err.en, "bad.csv");
	assert_int_equal(f->r.n_errors, 6);
	assert_int_equal(report_lines(&f->r.errors_en, "bad.csv"), 6);
	assert_int_equal(report_lines(&f->r.errors_ja, "bad.csv"), 6);
	const char *en = f->r.errors_en.ptr;
	assert_has(en, "bad.csv:3:2: ip");
	assert_has(en, "bad.csv:4:4: role");
	assert_has(en, "expected server, client, network or other");
	assert_has(en, "bad.csv:5:5: spare");
	assert_has(en, "bad.csv:6:1: name");
	assert_has(en, "bad.csv:7:6: criticality");
	assert_has(en, "bad.csv:9:3: os");
	assert_has(f->r.errors_ja.ptr, "bad.csv:3:2: ip");
	/* nothing written: not the good row before the errors, not the update after them */
	assert_int_equal(asset_count(f, f->st), 3);
	assert_int_equal(fk_store_asset_find(f->st, "new01", &f->a, &f->err), FK_ENOTFOUND);
	find_asset(f, f->st, "web01", &f->a);
	assert_col(&f->a, FK_ACOL_IP, "192.0.2.1");
	assert_col(&f->a, FK_ACOL_OS, "Ubuntu");
}

static void test_import_duplicates(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv", inv3, 3, 0);
	enum fk_code rc = import_text(f, "dup.csv",
	                              "os,name\n"
	                              "Linux,pc1\n"   /* 2 */
	                              "Linux,pc2\n"   /* 3 */
	                              "Linux,pc1\n"   /* 4 */
	                              "Linux,pc3\n"   /* 5 */
	                              "Linux,pc2\n"   /* 6 */
	                              "Linux,pc1\n"); /* 7 */
	assert_int_equal(rc, FK_EINVAL);
	assert_int_equal(f->r.n_errors, 3);
	assert_int_equal(report_lines(&f->r.errors_en, "dup.csv"), 3);
	const char *en = f->r.errors_en.ptr;
	/* each duplicate names its own line, its column and the line it first appeared on */
	assert_has(en, "dup.csv:4:2: name: 'pc1' also appears on line 2");
	assert_has(en, "dup.csv:6:2: name: 'pc2' also appears on line 3");
	assert_has(en, "dup.csv:7:2: name: 'pc1' also appears on line 2");
	assert_int_equal(asset_count(f, f->st), 3);
	assert_int_equal(fk_store_asset_find(f->st, "pc1", &f->a, &f->err), FK_ENOTFOUND);
}

/* The issue's list of bad input: each a clear error, and nothing changes. */
static void test_import_bad_files(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv", inv3, 3, 0);
	static const struct {
		const char *name, *text, *where; /* where: in err.field or the report */
	} bad[] = {
	    {"empty.csv", "", "empty.csv"},
	    {"header.csv", "name,os\n", "header.csv:1:1"},
	    {"unknown.csv", "name,departmnet\npc9,x\n", "unknown.csv:1:2"},
	    {"twice.csv", "name,os,os\npc9,a,b\n", "twice.csv:1:3"},
	    {"noname.csv", "os,ip\nLinux,192.0.2.1\n", "noname.csv:1:1"},
	    {"unclosed.csv", "name,os\npc9,Linux\npc10,\"Linux\n", "unclosed.csv:3:6"},
	    {"fields.csv", "name,os\npc9,Linux,extra\n", "fields.csv:2:"},
	    {"ctrl.csv", "name,os\npc9,Lin\x1bux\n", "ctrl.csv:2:2"},
	    {"tab.csv", "name,owner\npc9,\"a\tb\"\n", "tab.csv:2:2"},
	    {"newline.csv", "name,owner\npc9,\"a\nb\"\n", "newline.csv:2:2"},
	};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++) {
		enum fk_code rc = import_text(f, bad[i].name, bad[i].text);
		if (rc != FK_EINVAL)
			fail_msg("%s: rc %d, expected FK_EINVAL (%s)", bad[i].name, rc, f->err.en);
		if (!strstr(f->err.field, bad[i].where) && !strstr(f->err.en, bad[i].where) &&
		    !strstr(f->r.errors_en.ptr, bad[i].where))
			fail_msg("%s: '%s' not in the error: %s / %s", bad[i].name, bad[i].where,
			         f->err.en, f->r.errors_en.ptr);
		assert_true(f->err.en[0] && f->err.ja[0]);
		assert_int_equal(asset_count(f, f->st), 3);
	}
	/* a NUL byte */
	static const char nul[] = "name,os\npc9,Li\0nux\n";
	write_file(f, "nul.csv", nul, sizeof nul - 1);
	assert_int_equal(import_path(f, f->st, "nul.csv", FK_IMPORT_CSV), FK_EINVAL);
	assert_has(f->r.errors_en.ptr, "nul.csv:2:");
	assert_int_equal(asset_count(f, f->st), 3);
}

static void test_import_jsonl(void **state)
{
	struct fixture *f = *state;
	const char *bad = "{\"name\": \"j1\", \"os\": \"Linux\", \"spare\": true}\n"
	                  "{\"name\": \"j2\", \"colour\": \"red\"}\n"
	                  "not json\n";
	write_file(f, "a.jsonl", bad, strlen(bad));
	assert_int_equal(import_path(f, f->st, "a.jsonl", FK_IMPORT_JSONL), FK_EINVAL);
	assert_int_equal(f->r.n_errors, 2);
	assert_has(f->r.errors_en.ptr, "a.jsonl:2:");
	assert_has(f->r.errors_en.ptr, "a.jsonl:3:");
	assert_int_equal(asset_count(f, f->st), 0);
	const char *good = "{\"name\": \"j1\", \"os\": \"Linux\", \"spare\": true}\n"
	                   "\n"
	                   "{\"name\": \"j2\", \"os\": null, \"tags\": \"a;b\"}\n";
	write_file(f, "b.jsonl", good, strlen(good));
	if (import_path(f, f->st, "b.jsonl", FK_IMPORT_JSONL))
		fail_msg("jsonl: %s %s", f->err.en, f->r.errors_en.ptr);
	assert_int_equal(f->r.inserted, 2);
	find_asset(f, f->st, "j1", &f->a);
	assert_true(f->a.spare);
	find_asset(f, f->st, "j2", &f->a);
	assert_col(&f->a, FK_ACOL_OS, NULL);
	assert_col(&f->a, FK_ACOL_TAGS, "a;b");
}

/* backup_of must name an asset of the inventory (this file or an earlier one); the error is
 * at the row and column that wrote it. (Run last: a crash here must not hide the others.) */
static void test_import_backup_of_unknown(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv", inv3, 3, 0);
	enum fk_code rc = import_text(f, "backup.csv",
	                              "name,os,backup_of\n"
	                              "pc9,Linux,web01\n" /* 2: an earlier import's asset */
	                              "pc9-bk,,pc9\n"     /* 3: this file's asset */
	                              "pc10-bk,,nosuch\n" /* 4 */
	                              "pc11-bk,,pc12\n"   /* 5 */
	                              "pc12,Linux,\n");   /* 6 */
	assert_int_equal(rc, FK_EINVAL);
	assert_int_equal(f->r.n_errors, 1);
	assert_int_equal(report_lines(&f->r.errors_en, "backup.csv"), 1);
	assert_has(f->r.errors_en.ptr, "backup.csv:4:3: backup_of");
	assert_has(f->r.errors_en.ptr, "nosuch");
	assert_int_equal(asset_count(f, f->st), 3);
	/* the same without the bad row */
	import_ok(f, "backup2.csv",
	          "name,os,backup_of\npc9,Linux,web01\npc9-bk,,pc9\npc11-bk,,pc12\npc12,Linux,\n",
	          4, 0);
	find_asset(f, f->st, "pc9-bk", &f->a);
	assert_col(&f->a, FK_ACOL_BACKUP_OF, "pc9");
}

/* ---- bulk import ---------------------------------------------------------------------- */

#define BIG_ROWS 180000

/* The columns of big-file row i (1-based), by enum fk_asset_col ("" when empty). */
static void big_row(long i, char v[FK_ACOL_COUNT][64])
{
	static const char *const os[] = {"Windows", "Ubuntu", "macOS"};
	static const char *const crit[] = {"low", "medium", "high", "critical"};
	snprintf(v[FK_ACOL_NAME], 64, "pc-%06ld", i);
	snprintf(v[FK_ACOL_IP], 64, "10.%ld.%ld.%ld", (i >> 16) & 255, (i >> 8) & 255, i & 255);
	snprintf(v[FK_ACOL_OS], 64, "%s", os[i % 3]);
	snprintf(v[FK_ACOL_OS_VERSION], 64, "10.0.%ld", 19000 + i % 7);
	snprintf(v[FK_ACOL_SOFTWARE], 64, "openssl 3.0.%ld;nginx 1.%ld.0;agent 7.%ld", i % 9,
	         i % 25, i % 4);
	snprintf(v[FK_ACOL_DEPARTMENT], 64, "department-%02ld", i % 20);
	snprintf(v[FK_ACOL_OWNER], 64, "owner-%05ld@example.com", i % 5000);
	snprintf(v[FK_ACOL_ROLE], 64, "%s", i % 10 ? "client" : "server");
	snprintf(v[FK_ACOL_CRITICALITY], 64, "%s", crit[i % 4]);
	snprintf(v[FK_ACOL_LOCATION], 64, "Building %ld, Floor %ld", i % 7, i % 30);
	snprintf(v[FK_ACOL_SPARE], 64, "%s", i % 50 ? "false" : "true");
	if (i % 100 == 1 && i > 1)
		snprintf(v[FK_ACOL_BACKUP_OF], 64, "pc-%06ld", i - 1);
	else
		v[FK_ACOL_BACKUP_OF][0] = '\0';
	snprintf(v[FK_ACOL_TAGS], 64, "t%ld;zone-%ld", i % 13, i % 3);
}

/* Writes rows first..last of the big file (a bad ip on line bad_line, 0 for none). */
static void write_big(struct fixture *f, const char *name, long first, long last, long bad_line)
{
	snprintf(f->file, sizeof f->file, "%s/%s", f->dir, name);
	FILE *fp = fopen(f->file, "wb");
	assert_non_null(fp);
	for (int k = 0; k < FK_ACOL_COUNT; k++)
		fprintf(fp, "%s%s", k ? "," : "", fk_asset_cols[k]);
	fputc('\n', fp);
	char v[FK_ACOL_COUNT][64];
	long line = 1;
	for (long i = first; i <= last; i++) {
		big_row(i, v);
		if (++line == bad_line)
			snprintf(v[FK_ACOL_IP], 64, "10.0.0.999");
		for (int k = 0; k < FK_ACOL_COUNT; k++)
			fprintf(fp, strchr(v[k], ',') ? "%s\"%s\"" : "%s%s", k ? "," : "", v[k]);
		fputc('\n', fp);
	}
	assert_int_equal(fclose(fp), 0);
}

static void check_big_row(const struct fk_asset *a, long i)
{
	char v[FK_ACOL_COUNT][64];
	big_row(i, v);
	for (int k = 0; k < FK_ACOL_COUNT; k++)
		assert_col(a, k, v[k][0] ? v[k] : NULL);
}

static void assert_indexes(struct fixture *f)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT group_concat(name, ' ') FROM (SELECT name FROM "
	                                    "sqlite_master WHERE type = 'index' AND tbl_name = "
	                                    "'assets' AND name IN ('assets_name', "
	                                    "'assets_backup_of') ORDER BY name)",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const char *names = (const char *)sqlite3_column_text(s, 0);
	char got[128];
	snprintf(got, sizeof got, "%s", names ? names : "");
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	char ok[64];
	snprintf(ok, sizeof ok, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	assert_string_equal(got, "assets_backup_of assets_name");
	assert_string_equal(ok, "ok");
}

static void test_import_bulk(void **state)
{
	struct fixture *f = *state;
	write_big(f, "big.csv", 1, BIG_ROWS, 0);
	struct stat sb;
	assert_int_equal(stat(f->file, &sb), 0);
	assert_true(sb.st_size > (16 << 20)); /* the bulk path */
	if (import_path(f, f->st, "big.csv", FK_IMPORT_CSV))
		fail_msg("big import: %s\n%s", f->err.en, f->r.errors_en.ptr);
	assert_int_equal(f->r.rows, BIG_ROWS);
	assert_int_equal(f->r.inserted, BIG_ROWS);
	assert_int_equal(f->r.updated, 0);
	assert_int_equal(asset_count(f, f->st), BIG_ROWS);
	assert_indexes(f);

	/* The same rows through the small path, into another store, give the same assets. */
	char p2[160];
	int from, to;
	snprintf(p2, sizeof p2, "%s/small.db", f->dir);
	assert_int_equal(fk_store_open(p2, true, &f->st2, &f->err), FK_OK);
	assert_int_equal(fk_store_migrate(f->st2, &from, &to, &f->err), FK_OK);
	write_big(f, "small.csv", 1, 300, 0);
	if (import_path(f, f->st2, "small.csv", FK_IMPORT_CSV))
		fail_msg("small import: %s\n%s", f->err.en, f->r.errors_en.ptr);
	assert_int_equal(f->r.inserted, 300);
	static const long probe[] = {1, 2, 50, 100, 101, 201, 299, 300};
	for (size_t k = 0; k < FK_ARRAY_LEN(probe); k++) {
		char name[32];
		snprintf(name, sizeof name, "pc-%06ld", probe[k]);
		find_asset(f, f->st, name, &f->a);
		find_asset(f, f->st2, name, &f->a2);
		check_big_row(&f->a, probe[k]);
		check_big_row(&f->a2, probe[k]);
		assert_int_equal(f->a.spare, f->a2.spare);
		assert_int_equal(f->a.role, f->a2.role);
	}
	static const long far[] = {90001, 123457, 150000, BIG_ROWS};
	for (size_t k = 0; k < FK_ARRAY_LEN(far); k++) {
		char name[32];
		snprintf(name, sizeof name, "pc-%06ld", far[k]);
		find_asset(f, f->st, name, &f->a);
		check_big_row(&f->a, far[k]);
	}

	/* A later small import upserts: the unique index on name is back. */
	import_ok(f, "later.csv",
	          "name,os,department\npc-000007,Ubuntu,moved\npc-200000,Ubuntu,new\n", 1, 1);
	assert_int_equal(asset_count(f, f->st), BIG_ROWS + 1);
	find_asset(f, f->st, "pc-000007", &f->a);
	assert_col(&f->a, FK_ACOL_DEPARTMENT, "moved");
	assert_indexes(f);
}

/* A bulk import refused for one bad row writes nothing, and the store goes on working: the
 * next imports (small ones, through the same store handle) insert and update as usual. */
static void test_import_bulk_refused(void **state)
{
	struct fixture *f = *state;
	write_big(f, "big.csv", 1, BIG_ROWS, 3);
	assert_int_equal(import_path(f, f->st, "big.csv", FK_IMPORT_CSV), FK_EINVAL);
	assert_int_equal(f->r.n_errors, 1);
	assert_has(f->r.errors_en.ptr, "big.csv:3:2: ip");
	assert_int_equal(asset_count(f, f->st), 0);
	assert_indexes(f);
	import_ok(f, "a.csv", "name,os\na1,Linux\na2,Linux\n", 2, 0);
	import_ok(f, "b.csv", "name,os\na1,Windows\na3,Linux\n", 1, 1);
	assert_int_equal(asset_count(f, f->st), 3);
	find_asset(f, f->st, "a1", &f->a);
	assert_col(&f->a, FK_ACOL_OS, "Windows");
	assert_indexes(f);
}

/* ---- the state machine ---------------------------------------------------------------- */

static void test_sweep_allowed_table(void **state)
{
	(void)state;
	bool want[FK_SW_COUNT][FK_SW_COUNT] = {{false}};
	want[FK_SW_UNCHECKED][FK_SW_CHECKING] = true;
	want[FK_SW_UNCHECKED][FK_SW_CLEAN] = true;
	want[FK_SW_UNCHECKED][FK_SW_DAMAGED] = true;
	want[FK_SW_CHECKING][FK_SW_CLEAN] = true;
	want[FK_SW_CHECKING][FK_SW_DAMAGED] = true;
	want[FK_SW_DAMAGED][FK_SW_ISOLATED] = true;
	want[FK_SW_ISOLATED][FK_SW_RESTORED] = true;
	want[FK_SW_ISOLATED][FK_SW_REBUILT] = true;
	want[FK_SW_RESTORED][FK_SW_VERIFIED] = true;
	want[FK_SW_REBUILT][FK_SW_VERIFIED] = true;
	want[FK_SW_VERIFIED][FK_SW_MONITORING] = true;
	want[FK_SW_MONITORING][FK_SW_RETURNED] = true;
	for (int s = 0; s < FK_SW_RETIRED; s++)
		want[s][FK_SW_RETIRED] = true; /* any → retired */
	for (int a = 0; a < FK_SW_COUNT; a++)
		for (int b = 0; b < FK_SW_COUNT; b++)
			if (fk_sweep_allowed(a, b) != want[a][b])
				fail_msg("fk_sweep_allowed(%s, %s) is %d", fk_sweep_states[a].key,
				         fk_sweep_states[b].key, fk_sweep_allowed(a, b));
	/* a sample of refusals spelt out, and values out of range */
	assert_false(fk_sweep_allowed(FK_SW_DAMAGED, FK_SW_CLEAN));
	assert_false(fk_sweep_allowed(FK_SW_CLEAN, FK_SW_DAMAGED));
	assert_false(fk_sweep_allowed(FK_SW_CLEAN, FK_SW_UNCHECKED));
	assert_false(fk_sweep_allowed(FK_SW_UNCHECKED, FK_SW_ISOLATED));
	assert_false(fk_sweep_allowed(FK_SW_ISOLATED, FK_SW_VERIFIED));
	assert_false(fk_sweep_allowed(FK_SW_RETURNED, FK_SW_CHECKING));
	assert_false(fk_sweep_allowed(FK_SW_RETIRED, FK_SW_UNCHECKED));
	assert_false(fk_sweep_allowed(FK_SW_VERIFIED, FK_SW_RETURNED));
	assert_false(fk_sweep_allowed(-1, FK_SW_CLEAN));
	assert_false(fk_sweep_allowed(FK_SW_UNCHECKED, FK_SW_COUNT));
	assert_false(fk_sweep_allowed(FK_SW_COUNT, FK_SW_RETIRED));
	/* checked = every state past checking */
	for (int s = 0; s < FK_SW_COUNT; s++)
		assert_int_equal(FK_SWEEP_CHECKED(s), s != FK_SW_UNCHECKED && s != FK_SW_CHECKING);

	bool ro[FK_RO_COUNT][FK_RO_COUNT] = {{false}};
	ro[FK_RO_PENDING][FK_RO_APPLIED] = true;
	ro[FK_RO_PENDING][FK_RO_EXCEPTION] = true;
	ro[FK_RO_APPLIED][FK_RO_VERIFIED] = true;
	ro[FK_RO_APPLIED][FK_RO_EXCEPTION] = true;
	ro[FK_RO_EXCEPTION][FK_RO_PENDING] = true;
	for (int a = 0; a < FK_RO_COUNT; a++)
		for (int b = 0; b < FK_RO_COUNT; b++)
			if (fk_rollout_allowed(a, b) != ro[a][b])
				fail_msg("fk_rollout_allowed(%s, %s) is %d",
				         fk_rollout_states[a].key, fk_rollout_states[b].key,
				         fk_rollout_allowed(a, b));
	assert_false(fk_rollout_allowed(-1, FK_RO_PENDING));
	assert_false(fk_rollout_allowed(FK_RO_COUNT, FK_RO_PENDING));
}

/* A small inventory for the rule tests: Linux 22.04 web servers and their spares, a sales
 * department, Windows clients. */
static const char inv_small[] =
    "name,ip,os,os_version,software,department,role,spare,backup_of,tags\n"
    "web01,10.0.0.1,Linux,22.04,openssl 3.0.2,infra,server,false,,legacy\n"
    "web02,10.0.0.2,Linux,22.04,openssl 3.0.2,infra,server,false,,\n"
    "web01-dr,10.0.1.1,Linux,22.04,openssl 3.0.2,infra,server,true,web01,\n"
    "img-web01,,Linux,22.04,,infra,other,true,web01,\n"
    "bk-web02,,,,,infra,other,false,web02,\n"
    "app01,10.0.0.3,Linux,22.04,,sales,server,false,,\n"
    "app01-bk,,,,,sales,other,false,app01,\n"
    "spare-srv,10.0.0.9,Linux,22.04,,sales,server,true,,\n"
    "spare-win,10.0.0.10,Windows,11,,sales,server,true,,\n"
    "pc01,10.0.2.1,Windows,11,,sales,client,false,,legacy\n"
    "pc02,10.0.2.2,Windows,11,,hr,client,false,,\n"
    "pc03,10.0.2.3,Linux,24.04,,hr,client,false,,\n"
    "bk-pc01,,,,,hr,other,false,pc01,\n";

static void test_sweep_set_rules(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv", inv_small, 13, 0);
	create_incident(f, "worm");
	affected_ok(f, 1, "web01");
	static const char *const crit[] = {"os_version"};
	assert_int_equal(start_ok(f, 1, crit), 6);

	set_ok(f, "app01", FK_SW_DAMAGED, "worm found");
	const struct fk_sweep_entry *e = entry(f, "app01");
	assert_int_equal(e->state, FK_SW_DAMAGED);
	assert_string_equal(e->note, "worm found");
	assert_string_equal(e->updated_by, "tester");
	assert_int_equal(e->updated_at, NOW);
	size_t base = count_changes(f);

	/* damaged → clean is refused, with the allowed states named; nothing recorded */
	f->c.now = NOW + 60;
	f->c.actor = "someone-else";
	fk_err_clear(&f->err);
	assert_int_equal(
	    fk_sweep_set(&f->c, f->inc.ref, "app01", FK_SW_CLEAN, "looks fine", &f->err),
	    FK_EREFUSED);
	assert_string_equal(f->err.field, "--state");
	assert_has(f->err.en, "app01");
	assert_has(f->err.en, "damaged");
	assert_has(f->err.en, "clean");
	assert_has(f->err.en, "isolated, retired");
	assert_true(f->err.ja[0] != '\0');
	e = entry(f, "app01");
	assert_int_equal(e->state, FK_SW_DAMAGED);
	assert_string_equal(e->note, "worm found");
	assert_string_equal(e->updated_by, "tester");
	assert_int_equal(e->updated_at, NOW);
	assert_int_equal(count_changes(f), base);
	/* other refusals: a skipped step, back to unchecked, unknown system, bad values */
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "app01", FK_SW_VERIFIED, NULL, &f->err),
	                 FK_EREFUSED);
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "app01", FK_SW_UNCHECKED, NULL, &f->err),
	                 FK_EREFUSED);
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "pc02", FK_SW_CLEAN, NULL, &f->err),
	                 FK_ENOTFOUND); /* in the inventory, not in the sweep */
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "nosuch", FK_SW_CLEAN, NULL, &f->err),
	                 FK_ENOTFOUND);
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "app01", FK_SW_COUNT, NULL, &f->err),
	                 FK_EUSAGE);
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "app01", -1, NULL, &f->err), FK_EUSAGE);
	assert_int_equal(
	    fk_sweep_set(&f->c, f->inc.ref, "app01", FK_SW_ISOLATED, "bad\x1b[2J", &f->err),
	    FK_EINVAL);
	assert_int_equal(
	    fk_sweep_set(&f->c, "INC-2026-0999", "app01", FK_SW_ISOLATED, NULL, &f->err),
	    FK_ENOTFOUND);
	assert_int_equal(count_changes(f), base);
	assert_int_equal(entry(f, "app01")->state, FK_SW_DAMAGED);

	/* the recovery path, each step recorded with who, when and the note */
	static const int path[] = {FK_SW_ISOLATED, FK_SW_REBUILT, FK_SW_VERIFIED, FK_SW_MONITORING,
	                           FK_SW_RETURNED};
	int prev = FK_SW_DAMAGED;
	for (size_t i = 0; i < FK_ARRAY_LEN(path); i++) {
		f->c.now = NOW + 3600 * (int64_t)(i + 1);
		char note[32];
		snprintf(note, sizeof note, "step %zu", i + 1);
		set_ok(f, "app01", path[i], note);
		e = entry(f, "app01");
		assert_int_equal(e->state, path[i]);
		assert_string_equal(e->note, note);
		assert_string_equal(e->updated_by, "someone-else");
		assert_int_equal(e->updated_at, f->c.now);
		count_changes(f);
		bool found = false;
		for (size_t k = base; k < f->n_changes; k++) {
			const struct fk_change *ch = &f->changes[k];
			if (!strcmp(ch->entity, "sweep") && ch->entity_key &&
			    !strcmp(ch->entity_key, "app01") && !strcmp(ch->field, "state") &&
			    ch->old_value && !strcmp(ch->old_value, fk_sweep_states[prev].key) &&
			    ch->new_value && !strcmp(ch->new_value, fk_sweep_states[path[i]].key)) {
				found = true;
				assert_string_equal(ch->actor, "someone-else");
				assert_int_equal(ch->at, f->c.now);
			}
		}
		if (!found)
			fail_msg("no history entry for app01 %s -> %s", fk_sweep_states[prev].key,
			         fk_sweep_states[path[i]].key);
		prev = path[i];
	}
	/* returned is the end, but any state may be retired */
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "app01", FK_SW_CHECKING, NULL, &f->err),
	                 FK_EREFUSED);
	set_ok(f, "app01", FK_SW_RETIRED, "scrapped");
	set_ok(f, "web02", FK_SW_RETIRED, NULL);
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "web02", FK_SW_UNCHECKED, NULL, &f->err),
	                 FK_EREFUSED);
	/* a note alone (same state) is recorded */
	set_ok(f, "web01", FK_SW_UNCHECKED, "owner on leave");
	assert_string_equal(entry(f, "web01")->note, "owner on leave");
	assert_int_equal(f->e.state, FK_SW_UNCHECKED);
}

static void test_sweep_rerun(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv", inv_small, 13, 0);
	create_incident(f, "worm");
	affected_ok(f, 1, "web01");
	static const char *const c1[] = {"software:OpenSSL@3.0.2"};
	assert_int_equal(start_ok(f, 1, c1), 3); /* web01, web02, web01-dr */
	assert_string_equal(sweep_text(f, FK_UNSET, NULL),
	                    "web01=unchecked[affected,software:OpenSSL@3.0.2] "
	                    "web01-dr=unchecked[software:OpenSSL@3.0.2] "
	                    "web02=unchecked[software:OpenSSL@3.0.2]");
	set_ok(f, "web02", FK_SW_DAMAGED, "worm");
	set_ok(f, "web01", FK_SW_CHECKING, NULL);
	set_ok(f, "web01-dr", FK_SW_CLEAN, NULL);

	/* Re-running with an old and a new criterion: new matches added, nothing reset, the
	 * new criterion appended to the reasons once. */
	static const char *const c2[] = {"software:OpenSSL@3.0.2", "tag:legacy"};
	assert_int_equal(start_ok(f, 2, c2), 1); /* pc01 */
	assert_string_equal(sweep_text(f, FK_UNSET, NULL),
	                    "web01=checking[affected,software:OpenSSL@3.0.2,tag:legacy] "
	                    "web01-dr=clean[software:OpenSSL@3.0.2] "
	                    "web02=damaged[software:OpenSSL@3.0.2] "
	                    "pc01=unchecked[tag:legacy]");
	struct fk_sweep sw;
	bool exists;
	assert_int_equal(fk_store_sweep_get(f->st, f->inc.id, &sw, &exists, &f->err), FK_OK);
	assert_true(exists);
	assert_string_equal(sw.criteria, "software:OpenSSL@3.0.2,tag:legacy");
	fk_sweep_release(&sw);

	/* the same again, in another order: nothing changes */
	static const char *const c3[] = {"tag:legacy", "software:OpenSSL@3.0.2", "tag:legacy"};
	assert_int_equal(start_ok(f, 3, c3), 0);
	assert_string_equal(sweep_text(f, FK_UNSET, NULL),
	                    "web01=checking[affected,software:OpenSSL@3.0.2,tag:legacy] "
	                    "web01-dr=clean[software:OpenSSL@3.0.2] "
	                    "web02=damaged[software:OpenSSL@3.0.2] "
	                    "pc01=unchecked[tag:legacy]");
	assert_int_equal(fk_store_sweep_get(f->st, f->inc.id, &sw, &exists, &f->err), FK_OK);
	assert_string_equal(sw.criteria, "software:OpenSSL@3.0.2,tag:legacy");
	fk_sweep_release(&sw);

	/* A new affected system joins on the next run (reason affected), and "os" now also
	 * covers what shares an OS with it. */
	affected_ok(f, 1, "pc03");
	static const char *const c4[] = {"os"};
	/* os of web01 and pc03: Linux: app01, spare-srv, img-web01, pc03 are new */
	assert_int_equal(start_ok(f, 1, c4), 4);
	assert_string_equal(sweep_text(f, FK_UNSET, "hr"), "pc03=unchecked[affected,os]");
	assert_string_equal(sweep_text(f, FK_UNSET, "infra"),
	                    "img-web01=unchecked[os] "
	                    "web01=checking[affected,software:OpenSSL@3.0.2,tag:legacy,os] "
	                    "web01-dr=clean[software:OpenSSL@3.0.2,os] "
	                    "web02=damaged[software:OpenSSL@3.0.2,os]");
	assert_string_equal(
	    sweep_text(f, FK_SW_UNCHECKED, "sales"),
	    "app01=unchecked[os] pc01=unchecked[tag:legacy] spare-srv=unchecked[os]");
	assert_int_equal(fk_store_sweep_get(f->st, f->inc.id, &sw, &exists, &f->err), FK_OK);
	assert_string_equal(sw.criteria, "software:OpenSSL@3.0.2,tag:legacy,os");
	fk_sweep_release(&sw);

	/* bad criteria change nothing */
	int64_t added;
	static const char *const bad1[] = {"colour:red"};
	static const char *const bad2[] = {"os", "software:"};
	static const char *const bad3[] = {"software:x@"};
	static const char *const bad4[] = {"os,os_version"};
	size_t base = count_changes(f);
	assert_int_equal(start(f, &added, 1, bad1), FK_EUSAGE);
	assert_string_equal(f->err.field, "--match");
	assert_int_equal(start(f, &added, 2, bad2), FK_EUSAGE);
	assert_int_equal(start(f, &added, 1, bad3), FK_EUSAGE);
	assert_int_equal(start(f, &added, 0, bad3), FK_EUSAGE);
	assert_int_equal(start(f, &added, 1, bad4),
	                 FK_EUSAGE); /* criteria are kept comma-separated */
	assert_int_equal(count_changes(f), base);
}

/* An exact software entry matches its own version, whatever the case of the letters in it:
 * "App 2.0-RC1" runs app version 2.0-RC1. */
static void test_sweep_software_version_case(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv",
	          "name,os,software\n"
	          "a0,Linux,\n"
	          "a1,Linux,App 2.0-RC1\n"
	          "a2,Linux,agent 1.0;app 2.0-RC1\n"
	          "a3,Linux,app 2.0\n"
	          "a4,Linux,apps 2.0-RC1\n",
	          5, 0);
	create_incident(f, "rc");
	affected_ok(f, 1, "a0");
	static const char *const crit[] = {"software:app@2.0-RC1"};
	start_ok(f, 1, crit);
	assert_string_equal(sweep_text(f, FK_UNSET, NULL),
	                    "a0=unchecked[affected] a1=unchecked[software:app@2.0-RC1] "
	                    "a2=unchecked[software:app@2.0-RC1]");
}

/* ---- returned sheets ------------------------------------------------------------------ */

static enum fk_code sheet(struct fixture *f, const char *name, const char *text)
{
	write_file(f, name, text, strlen(text));
	FILE *fp = fopen(f->file, "rb");
	assert_non_null(fp);
	fk_import_report_release(&f->r);
	fk_err_clear(&f->err);
	enum fk_code rc = fk_sweep_import(&f->c, f->inc.ref, fp, name, &f->r, &f->err);
	fclose(fp);
	return rc;
}

static void test_sweep_import_sheet(void **state)
{
	struct fixture *f = *state;
	import_ok(f, "inv.csv", inv_small, 13, 0);
	create_incident(f, "worm");
	affected_ok(f, 1, "app01");
	static const char *const crit[] = {"department:sales"};
	assert_int_equal(start_ok(f, 1, crit), 5);
	set_ok(f, "spare-win", FK_SW_DAMAGED, NULL);
	size_t base = count_changes(f);
	static const char head[] =
	    "name,ip,os,os_version,department,owner,location,reasons,state,note\n";
	char text[1024];

	snprintf(text, sizeof text,
	         "%s"
	         "app01,,,,sales,,,affected,clean,ok\n"    /* 2 good */
	         "app01-bk,,,,sales,,,x,bogus,\n"          /* 3 unknown state */
	         "pc01,,,,sales,,,x,,\n"                   /* 4 blank: skipped */
	         "nobody,,,,sales,,,x,clean,\n"            /* 5 not in the sweep */
	         "app01,,,,sales,,,x,damaged,\n"           /* 6 twice */
	         "spare-win,,,,sales,,,x,clean,looks ok\n" /* 7 damaged -> clean */
	         "spare-srv,,,,sales,,,x,clean\n",         /* 8 fields */
	         head);
	assert_int_equal(sheet(f, "sales.csv", text), FK_EINVAL);
	assert_int_equal(f->r.n_errors, 5);
	assert_int_equal(report_lines(&f->r.errors_en, "sales.csv"), 5);
	assert_has(f->r.errors_en.ptr, "sales.csv:3:9: ");
	assert_has(f->r.errors_en.ptr, "sales.csv:5:1: ");
	assert_has(f->r.errors_en.ptr, "sales.csv:6:1: ");
	assert_has(f->r.errors_en.ptr, "sales.csv:7:9: ");
	assert_has(f->r.errors_en.ptr, "sales.csv:8:");
	assert_int_equal(entry(f, "app01")->state, FK_SW_UNCHECKED);
	assert_null(f->e.note);
	assert_int_equal(entry(f, "spare-win")->state, FK_SW_DAMAGED);
	assert_int_equal(count_changes(f), base);

	/* unknown columns, a missing state column, an empty file */
	assert_int_equal(sheet(f, "x.csv", "name,state,colour\napp01,clean,red\n"), FK_EINVAL);
	assert_has(f->r.errors_en.ptr, "x.csv:1:3: ");
	assert_int_equal(sheet(f, "y.csv", "name,note\napp01,x\n"), FK_EINVAL);
	assert_int_equal(sheet(f, "z.csv", ""), FK_EINVAL);
	assert_int_equal(sheet(f, "q.csv", "name,state\n\"app01,clean\n"), FK_EINVAL);
	assert_has(f->err.field, "q.csv:2:1");
	assert_int_equal(count_changes(f), base);

	/* A good sheet: blank states stay unchecked; only name, state and note are read. */
	snprintf(text, sizeof text,
	         "%s"
	         "app01,1.2.3.4,,,ignored,,,affected,clean,ok\r\n"
	         "app01-bk,,,,sales,,,x,damaged,\"worm, in C:\\tmp\"\r\n"
	         "pc01,,,,sales,,,x,,\r\n"
	         "spare-win,,,,sales,,,x,isolated,\r\n"
	         "spare-srv,,,,sales,,,x,checking,\r\n",
	         head);
	if (sheet(f, "sales.csv", text))
		fail_msg("sheet: %s %s", f->err.en, f->r.errors_en.ptr);
	assert_int_equal(f->r.updated, 4);
	assert_string_equal(sweep_text(f, FK_UNSET, NULL), "app01=clean[affected,department:sales] "
	                                                   "app01-bk=damaged[department:sales] "
	                                                   "pc01=unchecked[department:sales] "
	                                                   "spare-srv=checking[department:sales] "
	                                                   "spare-win=isolated[department:sales]");
	assert_string_equal(entry(f, "app01-bk")->note, "worm, in C:\\tmp");
	find_asset(f, f->st, "app01", &f->a);
	assert_col(&f->a, FK_ACOL_IP, "10.0.0.3"); /* the sheet does not touch the inventory */
	assert_col(&f->a, FK_ACOL_DEPARTMENT, "sales");
	int64_t total, checked;
	load_counts(f, &total, &checked);
	assert_int_equal(total, 5);
	assert_int_equal(checked, 3);

	/* A sheet written before a system moved on is behind, not wrong: spare-win (isolated)
	 * still says damaged there. Accepted; nothing goes back. */
	assert_int_equal(sheet(f, "late.csv", "name,state,note\nspare-win,damaged,\npc01,clean,\n"),
	                 FK_OK);
	assert_int_equal(entry(f, "spare-win")->state, FK_SW_ISOLATED);
	assert_int_equal(entry(f, "pc01")->state, FK_SW_CLEAN);
}

/* ---- the property check --------------------------------------------------------------- */

static const char *const p_os[] = {"Windows", "Linux", "macOS"};
static const char *const p_ver[3][3] = {
    {"10", "11", "2019"}, {"22.04", "24.04", "9"}, {"14", "15", "13"}};
static const char *const p_sw[] = {
    "openssl 3.0.2",      "OpenSSL 3.0.2",    "openssl 3.0.7", "openssl 1.1.1w",
    "openssl-fips 3.0.2", "libopenssl 3.0.2", "nginx 1.24.0",  "nginx",
    "NGINX 1.25.3",       "nginx-proxy 2.0",  "putty",         "putty 0.80",
    "agent 7.1",          "openssl 3.0.2.1",
};
static const char *const p_tags[] = {"legacy", "dmz", "pci", "legacy-os", "vip"};

static void m_generate(struct fixture *f)
{
	f->m_assets = fk_xcalloc(P_N, sizeof *f->m_assets);
	for (int i = 0; i < P_N; i++) {
		struct m_asset *a = &f->m_assets[i];
		snprintf(a->name, sizeof a->name, "h%04d", i);
		if (rnd_below(f, 50))
			snprintf(a->dept, sizeof a->dept, "dept-%02u", rnd_below(f, P_DEPTS));
		unsigned o = rnd_below(f, 3);
		unsigned r = rnd_below(f, 100);
		if (r >= 3) {
			snprintf(a->os, sizeof a->os, "%s", p_os[o]);
			if (r >= 6)
				snprintf(a->ver, sizeof a->ver, "%s", p_ver[o][rnd_below(f, 3)]);
		}
		unsigned k = rnd_below(f, 4);
		size_t at = 0;
		for (unsigned j = 0; j < k; j++)
			at += (size_t)snprintf(a->sw + at, sizeof a->sw - at, "%s%s",
			                       j ? (rnd_below(f, 2) ? "; " : ";") : "",
			                       p_sw[rnd_below(f, FK_ARRAY_LEN(p_sw))]);
		k = rnd_below(f, 3);
		at = 0;
		for (unsigned j = 0; j < k; j++)
			at += (size_t)snprintf(a->tags + at, sizeof a->tags - at, "%s%s",
			                       j ? (rnd_below(f, 2) ? "; " : ";") : "",
			                       p_tags[rnd_below(f, FK_ARRAY_LEN(p_tags))]);
		snprintf(a->role, sizeof a->role, "%s", rnd_below(f, 8) ? "client" : "server");
		a->spare = !rnd_below(f, 20);
		a->state = FK_SW_UNCHECKED;
	}
	/* the two infected machines have an OS and a version */
	snprintf(f->m_assets[7].os, 16, "Windows");
	snprintf(f->m_assets[7].ver, 16, "10");
	snprintf(f->m_assets[1234].os, 16, "Linux");
	snprintf(f->m_assets[1234].ver, 16, "22.04");
	f->m_assets[7].affected = f->m_assets[1234].affected = true;
}

static void m_write_rows(struct fixture *f, FILE *fp, const int *which, size_t n)
{
	fputs("name,ip,os,os_version,software,department,role,spare,tags\n", fp);
	for (size_t k = 0; k < n; k++) {
		const struct m_asset *a = &f->m_assets[which ? which[k] : (int)k];
		int i = which ? which[k] : (int)k;
		fprintf(fp, "%s,10.1.%d.%d,%s,%s,%s,%s,%s,%s,%s\n", a->name, i / 250, i % 250 + 1,
		        a->os, a->ver, a->sw, a->dept, a->role, a->spare ? "true" : "false",
		        a->tags);
	}
}

static void m_import(struct fixture *f, const char *name, const int *which, size_t n)
{
	snprintf(f->file, sizeof f->file, "%s/%s", f->dir, name);
	FILE *fp = fopen(f->file, "wb");
	assert_non_null(fp);
	m_write_rows(f, fp, which, n);
	assert_int_equal(fclose(fp), 0);
	if (import_path(f, f->st, name, FK_IMPORT_CSV))
		fail_msg("import %s: %s\n%s", name, f->err.en, f->r.errors_en.ptr);
}

/* Does the list "a;b; c" hold an entry for which match(entry) is true? */
static bool m_list_has(const char *list, const char *name, const char *version, bool software)
{
	char buf[200];
	snprintf(buf, sizeof buf, "%s", list);
	for (char *p = buf; *p;) {
		char *e = strchr(p, ';');
		if (e)
			*e = '\0';
		if (*p == ' ')
			p++;
		if (software) {
			char *sp = strchr(p, ' ');
			size_t nl = sp ? (size_t)(sp - p) : strlen(p);
			bool same = nl == strlen(name) && !strncasecmp(p, name, nl);
			if (same && (!version || (sp && !strcmp(sp + 1, version))))
				return true;
		} else if (!strcmp(p, name)) {
			return true;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static bool m_matches(const struct fixture *f, const struct m_asset *a, const char *crit)
{
	if (!strcmp(crit, "affected"))
		return a->affected;
	if (!strcmp(crit, "os") || !strcmp(crit, "os_version")) {
		for (int i = 0; i < P_N; i++) {
			const struct m_asset *x = &f->m_assets[i];
			if (!x->affected || !x->os[0] || !a->os[0] || strcmp(a->os, x->os))
				continue;
			if (!strcmp(crit, "os") || (a->ver[0] && !strcmp(a->ver, x->ver)))
				return true;
		}
		return false;
	}
	if (!strncmp(crit, "software:", 9)) {
		char name[64];
		snprintf(name, sizeof name, "%s", crit + 9);
		char *at = strchr(name, '@');
		if (at)
			*at++ = '\0';
		return m_list_has(a->sw, name, at, true);
	}
	if (!strncmp(crit, "tag:", 4))
		return m_list_has(a->tags, crit + 4, NULL, false);
	if (!strncmp(crit, "department:", 11))
		return !strcmp(a->dept, crit + 11);
	fail_msg("model: unknown criterion %s", crit);
	return false;
}

static unsigned crit_bit(const char *text)
{
	for (size_t i = 0; i < N_CRIT; i++)
		if (!strcmp(crit_texts[i], text))
			return 1u << i;
	return 0;
}

/* The model's sweep run: the affected always, then every asset any criterion matches;
 * existing entries keep their state and gain reasons. Returns the new entries. */
static int64_t m_sweep(struct fixture *f, const char *const *crit, size_t n)
{
	int64_t added = 0;
	for (int i = 0; i < P_N; i++) {
		struct m_asset *a = &f->m_assets[i];
		unsigned bits = a->affected ? crit_bit("affected") : 0;
		for (size_t k = 0; k < n; k++)
			if (m_matches(f, a, crit[k]))
				bits |= crit_bit(crit[k]);
		if (!bits)
			continue;
		if (!a->swept) {
			a->swept = true;
			a->state = FK_SW_UNCHECKED;
			added++;
		}
		a->reasons |= bits;
	}
	return added;
}

/* Moves asset a through up to steps random allowed transitions (retiring rarely). */
static int m_walk(struct fixture *f, struct m_asset *a, int steps)
{
	int moves = 0;
	for (int s = 0; s < steps; s++) {
		int next[FK_SW_COUNT], n = 0;
		for (int t = 0; t < FK_SW_COUNT; t++)
			if (fk_sweep_allowed(a->state, t) &&
			    (t != FK_SW_RETIRED || !rnd_below(f, 15)))
				next[n++] = t;
		if (!n)
			break;
		int to = next[rnd_below(f, (unsigned)n)];
		set_ok(f, a->name, to, rnd_below(f, 3) ? NULL : "checked by the department");
		a->state = to;
		moves++;
	}
	return moves;
}

struct m_check {
	struct fixture *f;
	size_t n, bad;
	char first_bad[512];
	char last_dept[16], last_name[16];
};

static void m_bad(struct m_check *c, const char *what, const char *name)
{
	if (!c->bad++)
		snprintf(c->first_bad, sizeof c->first_bad, "%s: %s", name, what);
}

static enum fk_code m_check_one(void *vctx, const struct fk_sweep_entry *e)
{
	struct m_check *c = vctx;
	const char *name = e->asset.col[FK_ACOL_NAME];
	const char *dept = e->asset.col[FK_ACOL_DEPARTMENT] ? e->asset.col[FK_ACOL_DEPARTMENT] : "";
	c->n++;
	/* ordered by department, then name */
	int o = strcmp(c->last_dept, dept);
	if (c->n > 1 && (o > 0 || (o == 0 && strcmp(c->last_name, name) >= 0)))
		m_bad(c, "out of order (department, name)", name);
	snprintf(c->last_dept, sizeof c->last_dept, "%s", dept);
	snprintf(c->last_name, sizeof c->last_name, "%s", name);
	if (name[0] != 'h' || strlen(name) != 5 || strtol(name + 1, NULL, 10) >= P_N) {
		m_bad(c, "not an asset of the model", name);
		return FK_OK;
	}
	struct m_asset *a = &c->f->m_assets[strtol(name + 1, NULL, 10)];
	if (!a->swept)
		m_bad(c, "in the sweep, not in the model's", name);
	if (e->state != a->state)
		m_bad(c, fk_sweep_states[e->state].key, name);
	if (strcmp(a->dept, dept))
		m_bad(c, "department differs", name);
	/* reasons: each criterion once, the same set as the model's */
	unsigned bits = 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", e->reasons ? e->reasons : "");
	for (char *p = buf; *p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		unsigned b = crit_bit(p);
		if (!b || (bits & b))
			m_bad(c, e->reasons, name);
		bits |= b;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (bits != a->reasons) {
		char why[300];
		snprintf(why, sizeof why, "reasons '%s', model bits %#x", e->reasons, a->reasons);
		m_bad(c, why, name);
	}
	return FK_OK;
}

static int count_cb_n;
static enum fk_code count_cb(void *vctx, const struct fk_sweep_entry *e)
{
	(void)vctx;
	(void)e;
	count_cb_n++;
	return FK_OK;
}

static int64_t each_count(struct fixture *f, int state, const char *dept)
{
	count_cb_n = 0;
	if (fk_store_sweep_each(f->st, f->inc.id, state, dept, count_cb, NULL, &f->err))
		fail_msg("each: %s", f->err.en);
	return count_cb_n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compares the store's sweep with the model: entries, states, reasons, departments, counts
 * per department and state, total and checked, filtered walks, the board. */
static void m_compare(struct fixture *f, const char *label)
{
	/* the model's own counts */
	const char *depts[P_DEPTS + 4];
	size_t nd = 0;
	int64_t m_total = 0, m_checked = 0, m_state[FK_SW_COUNT] = {0};
	for (int i = 0; i < P_N; i++) {
		const struct m_asset *a = &f->m_assets[i];
		if (!a->swept)
			continue;
		m_total++;
		m_checked += FK_SWEEP_CHECKED(a->state);
		m_state[a->state]++;
		size_t k = 0;
		while (k < nd && strcmp(depts[k], a->dept))
			k++;
		if (k == nd) {
			assert_true(nd < FK_ARRAY_LEN(depts));
			depts[nd++] = a->dept;
		}
	}
	qsort(depts, nd, sizeof *depts, cmp_str);

	int64_t total, checked;
	load_counts(f, &total, &checked);
	if (total != m_total || checked != m_checked)
		fail_msg("%s: store says %lld/%lld checked, the model %lld/%lld", label,
		         (long long)checked, (long long)total, (long long)m_checked,
		         (long long)m_total);
	if (f->n_cnt != nd)
		fail_msg("%s: %zu departments in the counts, the model has %zu", label, f->n_cnt,
		         nd);
	for (size_t k = 0; k < nd; k++) {
		if (strcmp(f->cnt[k].department, depts[k]))
			fail_msg("%s: department %zu is '%s', the model's '%s'", label, k,
			         f->cnt[k].department, depts[k]);
		int64_t want[FK_SW_COUNT] = {0};
		for (int i = 0; i < P_N; i++) {
			const struct m_asset *a = &f->m_assets[i];
			if (a->swept && !strcmp(a->dept, depts[k]))
				want[a->state]++;
		}
		for (int s = 0; s < FK_SW_COUNT; s++)
			if (f->cnt[k].by_state[s] != want[s])
				fail_msg("%s: department '%s' state %s: store %lld, model %lld",
				         label, depts[k], fk_sweep_states[s].key,
				         (long long)f->cnt[k].by_state[s], (long long)want[s]);
	}

	/* the entries themselves */
	struct m_check c = {.f = f};
	if (fk_store_sweep_each(f->st, f->inc.id, FK_UNSET, NULL, m_check_one, &c, &f->err))
		fail_msg("each: %s", f->err.en);
	if (c.bad)
		fail_msg("%s: %zu entries differ from the model; first: %s", label, c.bad,
		         c.first_bad);
	assert_int_equal(c.n, m_total);

	/* filtered walks */
	for (int s = 0; s < FK_SW_COUNT; s++)
		if (each_count(f, s, NULL) != m_state[s])
			fail_msg("%s: walk of state %s: %d, model %lld", label,
			         fk_sweep_states[s].key, count_cb_n, (long long)m_state[s]);
	for (size_t k = 0; k < nd; k++) {
		int64_t want = 0, want_clean = 0;
		for (int i = 0; i < P_N; i++) {
			const struct m_asset *a = &f->m_assets[i];
			want += a->swept && !strcmp(a->dept, depts[k]);
			want_clean +=
			    a->swept && !strcmp(a->dept, depts[k]) && a->state == FK_SW_CLEAN;
		}
		if (each_count(f, FK_UNSET, depts[k]) != want)
			fail_msg("%s: walk of department '%s': %d, model %lld", label, depts[k],
			         count_cb_n, (long long)want);
		assert_int_equal(each_count(f, FK_SW_CLEAN, depts[k]), want_clean);
	}

	/* the board */
	const struct fk_board_row *row = board_row(f);
	assert_int_equal(row->sweep_total, m_total);
	assert_int_equal(row->sweep_checked, m_checked);
	printf("    %s: %lld systems in the sweep, %lld checked, %zu departments\n", label,
	       (long long)m_total, (long long)m_checked, nd);
}

static void test_sweep_property(void **state)
{
	struct fixture *f = *state;
	f->rng = UINT64_C(20260706);
	m_generate(f);
	m_import(f, "inventory.csv", NULL, P_N);
	assert_int_equal(f->r.inserted, P_N);
	create_incident(f, "ワーム感染 (全社調査)");
	affected_ok(f, 2, f->m_assets[7].name, f->m_assets[1234].name);

	/* first run */
	static const char *const run1[] = {"os_version", "software:openssl@3.0.2", "tag:legacy",
	                                   "department:dept-07"};
	int64_t want = m_sweep(f, run1, FK_ARRAY_LEN(run1));
	int64_t added = start_ok(f, FK_ARRAY_LEN(run1), run1);
	if (added != want)
		fail_msg("first run added %lld, the model %lld", (long long)added, (long long)want);
	m_compare(f, "first run");

	/* random transitions on a random subset */
	int moves = 0;
	for (int i = 0; i < P_N; i++)
		if (f->m_assets[i].swept && !rnd_below(f, 3))
			moves += m_walk(f, &f->m_assets[i], 1 + (int)rnd_below(f, 4));
	printf("    %d transitions\n", moves);
	m_compare(f, "after the transitions");

	/* a department returns its sheet: blanks stay, the rest is recorded */
	struct fk_buf *t = &f->b;
	fk_buf_reset(t);
	(void)fk_buf_adds(t, "name,department,state,note\n");
	int64_t filled = 0;
	for (int i = 0; i < P_N; i++) {
		struct m_asset *a = &f->m_assets[i];
		if (!a->swept || strcmp(a->dept, "dept-03") ||
		    (a->state != FK_SW_UNCHECKED && a->state != FK_SW_CHECKING))
			continue;
		unsigned r = rnd_below(f, 4);
		int to = r == 0 ? -1 : (r == 3 ? FK_SW_DAMAGED : FK_SW_CLEAN);
		(void)fk_buf_addf(t, "%s,dept-03,%s,%s\n", a->name,
		                  to < 0 ? "" : fk_sweep_states[to].key,
		                  to == FK_SW_DAMAGED ? "worm found" : "");
		if (to >= 0) {
			a->state = to;
			filled++;
		}
	}
	char *text = fk_buf_detach(t);
	enum fk_code rc = sheet(f, "dept-03.csv", text);
	free(text);
	if (rc)
		fail_msg("sheet: %s %s", f->err.en, f->r.errors_en.ptr);
	assert_int_equal(f->r.updated, filled);
	m_compare(f, "after dept-03's sheet");

	/* a few systems move to another department (re-imported with everything else equal):
	 * ten in the sweep and five not to a new department, five not in the sweep into
	 * dept-07 (a criterion of the sweep: the next run catches them) */
	int moved[20];
	size_t nm = 0;
	for (int i = 10; nm < FK_ARRAY_LEN(moved) && i < P_N; i += 37) {
		if (nm < 10 ? !f->m_assets[i].swept : f->m_assets[i].swept)
			continue;
		moved[nm++] = i;
		snprintf(f->m_assets[i].dept, 16, "%s", nm <= 15 ? "dept-moved" : "dept-07");
	}
	assert_int_equal(nm, FK_ARRAY_LEN(moved));
	m_import(f, "moves.csv", moved, nm);
	assert_int_equal(f->r.updated, (int64_t)nm);
	m_compare(f, "after the moves");

	/* second run: new criteria, one repeated; every criterion so far applies again (what
	 * moved into dept-07 joins); new systems unchecked, nothing reset */
	static const char *const run2[] = {"software:nginx", "os_version", "software:putty",
	                                   "tag:legacy-os"};
	static const char *const so_far[] = {
	    "os_version",     "software:openssl@3.0.2", "tag:legacy",   "department:dept-07",
	    "software:nginx", "software:putty",         "tag:legacy-os"};
	want = m_sweep(f, so_far, FK_ARRAY_LEN(so_far));
	added = start_ok(f, FK_ARRAY_LEN(run2), run2);
	if (added != want)
		fail_msg("second run added %lld, the model %lld", (long long)added,
		         (long long)want);
	m_compare(f, "second run");
	moves = 0;
	for (int i = 0; i < P_N; i++)
		if (f->m_assets[i].swept && !rnd_below(f, 6))
			moves += m_walk(f, &f->m_assets[i], 1 + (int)rnd_below(f, 3));
	printf("    %d more transitions\n", moves);
	m_compare(f, "at the end");
}

/* ---- countermeasures and rollout ------------------------------------------------------ */

struct ro_collect {
	struct fk_buf text;
	size_t n;
};

static enum fk_code ro_one(void *vctx, const struct fk_rollout_entry *e)
{
	struct ro_collect *c = vctx;
	(void)fk_buf_addf(&c->text, "%s%s:%s", c->n++ ? " " : "", e->asset.col[FK_ACOL_NAME],
	                  e->scope);
	return FK_OK;
}

/* The rollout of measure code as "name:scope ..." by name. */
static const char *rollout_text(struct fixture *f, const char *code, int state)
{
	fk_measure_release(&f->m);
	if (fk_measure_find(&f->c, f->inc.id, code, &f->m, &f->err))
		fail_msg("measure %s: %s", code, f->err.en);
	struct ro_collect c = {FK_BUF_INIT, 0};
	if (fk_store_rollout_each(f->st, &f->m, state, ro_one, &c, &f->err)) {
		fk_buf_release(&c.text);
		fail_msg("rollout each: %s", f->err.en);
	}
	fk_buf_release(&f->b);
	f->b = c.text;
	return f->b.ptr;
}

static void rollout_counts(struct fixture *f, const char *code, int64_t by[FK_RO_COUNT])
{
	fk_measure_release(&f->m);
	if (fk_measure_find(&f->c, f->inc.id, code, &f->m, &f->err))
		fail_msg("measure %s: %s", code, f->err.en);
	if (fk_store_rollout_counts(f->st, &f->m, by, &f->err))
		fail_msg("rollout counts: %s", f->err.en);
}

static int add_measure(struct fixture *f, const char *title)
{
	struct fk_measure m = {.kind = FK_MK_TECHNICAL,
	                       .cost = 120000,
	                       .due_at = NOW + 86400 * 7,
	                       .approved_at = FK_TIME_NONE};
	m.title = fk_xstrdup(title);
	m.owner = fk_xstrdup("情報システム部");
	fk_err_clear(&f->err);
	enum fk_code rc = fk_measure_add(&f->c, f->inc.ref, &m, &f->err);
	int no = m.no;
	fk_measure_release(&m);
	if (rc)
		fail_msg("measure add: %s", f->err.en);
	return no;
}

static int64_t rollout_ok(struct fixture *f, const char *code, const char *scope)
{
	unsigned bits;
	int64_t added = -1;
	if (fk_scope_parse(scope, &bits, &f->err))
		fail_msg("scope %s: %s", scope, f->err.en);
	if (fk_measure_rollout(&f->c, f->inc.ref, code, bits, &added, &f->err))
		fail_msg("rollout %s %s: %s", code, scope, f->err.en);
	return added;
}

static enum fk_code mset(struct fixture *f, const char *code, const char *asset, int state,
                         const char *reason, const char *accepted)
{
	fk_err_clear(&f->err);
	return fk_measure_set(&f->c, f->inc.ref, code, asset, state, reason, accepted, &f->err);
}

/* The small inventory, web01 and web02 affected, sweep by os_version: web01, web02,
 * web01-dr, img-web01, app01, spare-srv. */
static void rollout_setup(struct fixture *f)
{
	import_ok(f, "inv.csv", inv_small, 13, 0);
	create_incident(f, "worm on the web servers");
	affected_ok(f, 2, "web01", "web02");
	static const char *const crit[] = {"os_version"};
	assert_int_equal(start_ok(f, 1, crit), 6);
}

static void test_rollout_scopes(void **state)
{
	struct fixture *f = *state;
	rollout_setup(f);
	unsigned bits;
	assert_int_equal(fk_scope_parse("affected,similar,spares", &bits, &f->err), FK_OK);
	assert_int_equal(bits, FK_SCOPE_AFFECTED | FK_SCOPE_SIMILAR | FK_SCOPE_SPARES);
	assert_int_equal(fk_scope_parse("all", &bits, &f->err), FK_OK);
	assert_int_equal(bits, FK_SCOPE_ALL);
	assert_int_equal(fk_scope_parse("affected,backups", &bits, &f->err), FK_EUSAGE);
	assert_string_equal(f->err.field, "--scope");
	assert_int_equal(fk_scope_parse("", &bits, &f->err), FK_EUSAGE);

	assert_int_equal(add_measure(f, "OpenSSL 3.0.7 へ更新"), 1);
	assert_int_equal(add_measure(f, "spares"), 2);
	assert_int_equal(add_measure(f, "similar"), 3);
	assert_int_equal(add_measure(f, "all"), 4);
	assert_int_equal(add_measure(f, "union"), 5);

	assert_int_equal(rollout_ok(f, "M1", "affected"), 2);
	assert_string_equal(rollout_text(f, "M1", FK_UNSET), "web01:affected web02:affected");
	/* spares: whatever backs up an affected or swept system, and the sweep's spares;
	 * not spare-win (a spare, not in the sweep) nor bk-pc01 (backs up pc01, not swept) */
	assert_int_equal(rollout_ok(f, "M2", "spares"), 5);
	assert_string_equal(rollout_text(f, "M2", FK_UNSET),
	                    "app01-bk:spare bk-web02:spare img-web01:spare spare-srv:spare "
	                    "web01-dr:spare");
	assert_int_equal(rollout_ok(f, "3", "similar"), 6);
	assert_string_equal(rollout_text(f, "M3", FK_UNSET),
	                    "app01:similar img-web01:similar spare-srv:similar web01:similar "
	                    "web01-dr:similar web02:similar");
	assert_int_equal(rollout_ok(f, "m4", "all"), 13);
	/* the union: the first scope to reach a system names it */
	assert_int_equal(rollout_ok(f, "M5", "spares,similar,affected"), 8);
	assert_string_equal(rollout_text(f, "M5", FK_UNSET),
	                    "app01:similar app01-bk:spare bk-web02:spare img-web01:spare "
	                    "spare-srv:spare web01:affected web01-dr:spare web02:affected");
	/* again: nothing new; widened to all: the rest, labelled all */
	assert_int_equal(rollout_ok(f, "M5", "affected,similar,spares"), 0);
	assert_int_equal(rollout_ok(f, "M5", "all,affected"), 5);
	assert_string_equal(rollout_text(f, "M5", FK_UNSET),
	                    "app01:similar app01-bk:spare bk-pc01:all bk-web02:spare "
	                    "img-web01:spare pc01:all pc02:all pc03:all spare-srv:spare "
	                    "spare-win:all web01:affected web01-dr:spare web02:affected");

	int64_t by[FK_RO_COUNT];
	static const struct {
		const char *code;
		int64_t n;
	} totals[] = {{"M1", 2}, {"M2", 5}, {"M3", 6}, {"M4", 13}, {"M5", 13}};
	for (size_t i = 0; i < FK_ARRAY_LEN(totals); i++) {
		rollout_counts(f, totals[i].code, by);
		assert_int_equal(by[FK_RO_PENDING], totals[i].n);
		assert_int_equal(by[FK_RO_APPLIED] + by[FK_RO_VERIFIED] + by[FK_RO_EXCEPTION], 0);
	}
	const struct fk_board_row *row = board_row(f);
	assert_int_equal(row->rollout_total, 2 + 5 + 6 + 13 + 13);
	assert_int_equal(row->rollout_done, 0);
	assert_int_equal(row->sweep_total, 6);

	/* unknown measure */
	int64_t added;
	assert_int_equal(fk_measure_rollout(&f->c, f->inc.ref, "M9", FK_SCOPE_ALL, &added, &f->err),
	                 FK_ENOTFOUND);
	assert_int_equal(fk_measure_rollout(&f->c, f->inc.ref, "Mx", FK_SCOPE_ALL, &added, &f->err),
	                 FK_ENOTFOUND);
}

static void test_rollout_states(void **state)
{
	struct fixture *f = *state;
	rollout_setup(f);
	add_measure(f, "パッチ適用");
	assert_int_equal(rollout_ok(f, "M1", "affected,similar,spares"), 8);
	size_t base = count_changes(f);

	/* an exception needs a reason and who accepted the risk */
	assert_int_equal(mset(f, "M1", "app01-bk", FK_RO_EXCEPTION, NULL, "CISO"), FK_EUSAGE);
	assert_has(f->err.en, "--reason");
	assert_has(f->err.en, "--accepted-by");
	assert_int_equal(mset(f, "M1", "app01-bk", FK_RO_EXCEPTION, "offline tape", NULL),
	                 FK_EUSAGE);
	assert_int_equal(mset(f, "M1", "app01-bk", FK_RO_EXCEPTION, "", "CISO"), FK_EUSAGE);
	assert_int_equal(mset(f, "M1", "app01-bk", FK_RO_EXCEPTION, "offline tape", ""), FK_EUSAGE);
	/* skipping applied, unknown systems and measures, bad values */
	assert_int_equal(mset(f, "M1", "app01", FK_RO_VERIFIED, NULL, NULL), FK_EREFUSED);
	assert_string_equal(f->err.field, "--state");
	assert_int_equal(mset(f, "M1", "pc01", FK_RO_APPLIED, NULL, NULL), FK_ENOTFOUND);
	assert_int_equal(mset(f, "M1", "nosuch", FK_RO_APPLIED, NULL, NULL), FK_ENOTFOUND);
	assert_int_equal(mset(f, "M2", "app01", FK_RO_APPLIED, NULL, NULL), FK_ENOTFOUND);
	assert_int_equal(mset(f, "M1", "app01", FK_RO_COUNT, NULL, NULL), FK_EUSAGE);
	assert_int_equal(count_changes(f), base);
	int64_t by[FK_RO_COUNT];
	rollout_counts(f, "M1", by);
	assert_int_equal(by[FK_RO_PENDING], 8);

	assert_int_equal(
	    mset(f, "M1", "app01-bk", FK_RO_EXCEPTION, "offline tape, cannot patch", "高橋 CISO"),
	    FK_OK);
	fk_measure_release(&f->m);
	assert_int_equal(fk_measure_find(&f->c, f->inc.id, "M1", &f->m, &f->err), FK_OK);
	fk_rollout_entry_release(&f->ro);
	assert_int_equal(fk_store_rollout_entry_get(f->st, &f->m, "app01-bk", &f->ro, &f->err),
	                 FK_OK);
	assert_int_equal(f->ro.state, FK_RO_EXCEPTION);
	assert_string_equal(f->ro.reason, "offline tape, cannot patch");
	assert_string_equal(f->ro.accepted_by, "高橋 CISO");
	assert_string_equal(f->ro.updated_by, "tester");
	assert_true(count_changes(f) > base);

	assert_int_equal(mset(f, "M1", "app01", FK_RO_APPLIED, NULL, NULL), FK_OK);
	assert_int_equal(mset(f, "M1", "app01", FK_RO_VERIFIED, NULL, NULL), FK_OK);
	assert_int_equal(mset(f, "M1", "app01", FK_RO_EXCEPTION, "x", "y"), FK_EREFUSED);
	assert_int_equal(mset(f, "M1", "app01", FK_RO_PENDING, NULL, NULL), FK_EREFUSED);
	assert_int_equal(mset(f, "M1", "web01", FK_RO_APPLIED, NULL, NULL), FK_OK);
	assert_int_equal(mset(f, "M1", "web01", FK_RO_EXCEPTION, "breaks the app", "CISO"), FK_OK);
	assert_int_equal(mset(f, "M1", "web01", FK_RO_PENDING, NULL, NULL), FK_OK);
	rollout_counts(f, "M1", by);
	assert_int_equal(by[FK_RO_PENDING], 6);
	assert_int_equal(by[FK_RO_APPLIED], 0);
	assert_int_equal(by[FK_RO_VERIFIED], 1);
	assert_int_equal(by[FK_RO_EXCEPTION], 1);
	assert_string_equal(rollout_text(f, "M1", FK_RO_EXCEPTION), "app01-bk:spare");
	const struct fk_board_row *row = board_row(f);
	assert_int_equal(row->rollout_total, 8);
	assert_int_equal(row->rollout_done, 2);
}

static void finish_all_tasks(struct fixture *f, const char *approver)
{
	FK_TEST_FREE(f->tasks, f->n_tasks, fk_task_release);
	if (fk_store_tasks_get(f->st, f->inc.id, &f->tasks, &f->n_tasks, &f->err))
		fail_msg("tasks: %s", f->err.en);
	const char *actor = f->c.actor;
	for (size_t i = 0; i < f->n_tasks; i++) {
		struct fk_task_patch p = FK_TASK_PATCH_INIT;
		struct fk_task out;
		p.state = FK_TASK_DONE;
		f->c.actor = f->tasks[i].approval ? approver : actor;
		fk_err_clear(&f->err);
		enum fk_code rc =
		    fk_task_change(&f->c, f->inc.ref, f->tasks[i].item_id, &p, &out, &f->err);
		if (rc)
			fail_msg("task %s: %s", f->tasks[i].item_id, f->err.en);
		fk_task_release(&out);
	}
	f->c.actor = actor;
}

static void test_close_waits_for_rollout(void **state)
{
	struct fixture *f = *state;
	rollout_setup(f);
	struct fk_person boss = {0, FK_ROLE_APPROVER, (char *)"高橋 CISO", NULL, NULL, NULL};
	assert_int_equal(fk_role_assign(&f->c, f->inc.ref, &boss, &f->err), FK_OK);
	add_measure(f, "OpenSSL 3.0.7 へ更新");

	/* approval: only an approver */
	assert_int_equal(fk_measure_approve(&f->c, f->inc.ref, "M1", &f->err), FK_EREFUSED);
	assert_string_equal(f->err.field, "--as");
	f->c.actor = "高橋 CISO";
	assert_int_equal(fk_measure_approve(&f->c, f->inc.ref, "M1", &f->err), FK_OK);
	f->c.actor = "tester";
	fk_measure_release(&f->m);
	assert_int_equal(fk_measure_find(&f->c, f->inc.id, "M1", &f->m, &f->err), FK_OK);
	assert_string_equal(f->m.approved_by, "高橋 CISO");
	assert_int_equal(f->m.approved_at, NOW);
	assert_int_equal(f->m.cost, 120000);

	assert_int_equal(rollout_ok(f, "M1", "affected,similar,spares"), 8);
	struct fk_incident out;
	assert_int_equal(fk_incident_transition(&f->c, f->inc.ref, FK_UNSET, &out, &f->err), FK_OK);
	fk_incident_release(&out);
	assert_int_equal(fk_incident_transition(&f->c, f->inc.ref, FK_UNSET, &out, &f->err), FK_OK);
	assert_int_equal(out.state, FK_STATE_MONITORING);
	fk_incident_release(&out);
	finish_all_tasks(f, "高橋 CISO");

	/* every task finished, eight systems pending: refused, the pending ones named */
	size_t base = count_changes(f);
	memset(&out, 0, sizeof out);
	fk_err_clear(&f->err);
	assert_int_equal(fk_incident_transition(&f->c, f->inc.ref, FK_STATE_CLOSED, &out, &f->err),
	                 FK_EREFUSED);
	assert_null(out.ref);
	assert_has(f->err.en, "8 rollout entries are still pending");
	assert_has(f->err.en, "M1 app01");
	assert_has(f->err.en, "M1 web02");
	assert_true(f->err.ja[0] != '\0');
	assert_int_equal(count_changes(f), base);

	/* all but one applied (some verified), the last an exception: still one pending first */
	static const char *const names[] = {"app01",     "app01-bk", "bk-web02", "img-web01",
	                                    "spare-srv", "web01",    "web01-dr"};
	for (size_t i = 0; i < FK_ARRAY_LEN(names); i++) {
		assert_int_equal(mset(f, "M1", names[i], FK_RO_APPLIED, NULL, NULL), FK_OK);
		if (i % 2)
			assert_int_equal(mset(f, "M1", names[i], FK_RO_VERIFIED, NULL, NULL),
			                 FK_OK);
	}
	assert_int_equal(fk_incident_transition(&f->c, f->inc.ref, FK_STATE_CLOSED, &out, &f->err),
	                 FK_EREFUSED);
	assert_has(f->err.en, "1 rollout entries are still pending");
	assert_has(f->err.en, "M1 web02");
	assert_int_equal(mset(f, "M1", "web02", FK_RO_EXCEPTION, "vendor appliance", "高橋 CISO"),
	                 FK_OK);
	assert_int_equal(fk_incident_transition(&f->c, f->inc.ref, FK_STATE_CLOSED, &out, &f->err),
	                 FK_OK);
	assert_int_equal(out.state, FK_STATE_CLOSED);
	fk_incident_release(&out);
	const struct fk_board_row *row = board_row(f);
	assert_int_equal(row->inc.state, FK_STATE_CLOSED);
	assert_int_equal(row->rollout_total, 8);
	assert_int_equal(row->rollout_done, 8);

	/* A closed incident's sweep and rollout are its record: no more changes. */
	assert_int_equal(fk_sweep_set(&f->c, f->inc.ref, "app01", FK_SW_RETIRED, NULL, &f->err),
	                 FK_EREFUSED);
	assert_int_equal(mset(f, "M1", "web02", FK_RO_PENDING, NULL, NULL), FK_EREFUSED);
	static const char *const crit[] = {"os"};
	int64_t added;
	assert_int_equal(start(f, &added, 1, crit), FK_EREFUSED);
	assert_int_equal(entry(f, "app01")->state, FK_SW_UNCHECKED);
}

/* Retired systems are out of service: no rollout entry for them, whatever the scope. */
static void test_rollout_skips_retired(void **state)
{
	struct fixture *f = *state;
	rollout_setup(f);
	set_ok(f, "spare-srv", FK_SW_RETIRED, "scrapped");
	add_measure(f, "a");
	add_measure(f, "b");
	assert_int_equal(rollout_ok(f, "M1", "affected,similar,spares"), 7);
	assert_string_equal(rollout_text(f, "M1", FK_UNSET),
	                    "app01:similar app01-bk:spare bk-web02:spare img-web01:spare "
	                    "web01:affected web01-dr:spare web02:affected");
	assert_int_equal(rollout_ok(f, "M2", "all"), 12);
	fk_measure_release(&f->m);
	assert_int_equal(fk_measure_find(&f->c, f->inc.id, "M2", &f->m, &f->err), FK_OK);
	fk_rollout_entry_release(&f->ro);
	assert_int_equal(fk_store_rollout_entry_get(f->st, &f->m, "spare-srv", &f->ro, &f->err),
	                 FK_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_import_upsert, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_duplicates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bad_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_jsonl, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bulk, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bulk_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sweep_allowed_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sweep_set_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sweep_rerun, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sweep_software_version_case, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sweep_import_sheet, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sweep_property, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollout_scopes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollout_states, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_close_waits_for_rollout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollout_skips_retired, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_backup_of_unknown, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
