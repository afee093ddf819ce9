/*
 * bench_incidents.c - library-level timings for the foundation:
 *   1. creating an incident with its full playbook (one transaction each, synchronous=FULL);
 *   2. building the board over N incidents;
 *   3. the same board numbers from one raw SQL aggregate (the baseline: what SQLite alone
 *      costs for the counting, without fukkyu's row decoding).
 *   usage: bench_incidents DB_PATH N_INCIDENTS
 * Prints one line per measurement: name, median, p90 (ms), runs.
 */
#include "fukkyu/common.h"
#include "fukkyu/recovery.h"
#include "util/time.h"

#include <sqlite3.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *name, double *ms, size_t n)
{
	qsort(ms, n, sizeof *ms, cmp);
	printf("%-34s median %8.3f ms   p90 %8.3f ms   runs %zu\n", name, ms[n / 2], ms[n * 9 / 10],
	       n);
}

static void die(const char *what, const struct fk_err *err)
{
	fprintf(stderr, "bench: %s: %s\n", what, err->en);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_incidents DB N\n");
		return 2;
	}
	const char *path = argv[1];
	long total = strtol(argv[2], NULL, 10);
	struct fk_store *st;
	struct fk_err err;
	struct fk_playbook pb;
	int from, to;
	remove(path);
	if (fk_store_open(path, true, &st, &err) || fk_store_migrate(st, &from, &to, &err) ||
	    fk_playbook_load_default(&pb, &err))
		die("open", &err);
	struct fk_ctx ctx = {st, "bench", FK_TZ_DEFAULT, fk_time_now()};
	double *ms = fk_xcalloc((size_t)total, sizeof *ms);
	for (long i = 0; i < total; i++) {
		struct fk_incident inc = {0};
		char title[64];
		snprintf(title, sizeof title, "bench incident %ld", i);
		inc.title = fk_xstrdup(title);
		inc.description = fk_xstrdup("");
		inc.kind = (int)(i % FK_KIND_COUNT);
		inc.severity = (int)(i % FK_SEV_COUNT);
		inc.discovered_at = ctx.now - 86400 * (i % 60);
		inc.contained_at = FK_TIME_NONE;
		inc.pii_count = -1;
		double t0 = now_ms();
		if (fk_incident_create(&ctx, &inc, &pb, &err))
			die("create", &err);
		ms[i] = now_ms() - t0;
		fk_incident_release(&inc);
	}
	report("create incident + playbook", ms, (size_t)total);
	size_t runs = 7;
	for (size_t r = 0; r < runs; r++) {
		struct fk_board b;
		double t0 = now_ms();
		if (fk_board_build(&ctx, false, &b, &err))
			die("board", &err);
		ms[r] = now_ms() - t0;
		if (r == 0)
			printf("board rows: %zu\n", b.n);
		fk_board_release(&b);
	}
	report("board (fk_board_build)", ms, runs);
	fk_store_close(st);

	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 1;
	for (size_t r = 0; r < runs; r++) {
		sqlite3_stmt *s;
		double t0 = now_ms();
		sqlite3_prepare_v2(db,
		                   "SELECT t.incident_id, t.phase, SUM(t.state IN ('done','na')), "
		                   "COUNT(*) FROM tasks t JOIN incidents i ON i.id = t.incident_id "
		                   "WHERE i.state <> 'closed' GROUP BY 1, 2",
		                   -1, &s, NULL);
		long rows = 0;
		while (sqlite3_step(s) == SQLITE_ROW)
			rows++;
		sqlite3_finalize(s);
		ms[r] = now_ms() - t0;
		if (r == 0)
			printf("baseline rows: %ld\n", rows);
	}
	report("baseline: raw SQL aggregate", ms, runs);
	sqlite3_close(db);
	free(ms);
	fk_playbook_release(&pb);
	return 0;
}
