/*
 * fixture.h - what the unit tests' fixtures share: temporary folders for test databases, and
 * freeing the arrays a store call returned (a failed assertion must not leak under LSan).
 */
#ifndef FK_TEST_FIXTURE_H
#define FK_TEST_FIXTURE_H

#include "fukkyu/common.h"

#include <dirent.h>
#include <unistd.h>

/* Frees arr (n elements, each released by release) and leaves it empty. */
#define FK_TEST_FREE(arr, n, release)                                                              \
	do {                                                                                       \
		if (arr)                                                                           \
			FK_FREE_ARRAY(arr, n, release);                                            \
		(arr) = NULL;                                                                      \
		(n) = 0;                                                                           \
	} while (0)

/* Makes a new folder /tmp/fk-test-NAME-XXXXXX into dir (size bytes); false on failure. */
static inline bool fk_test_mkdir(char *dir, size_t size, const char *name)
{
	snprintf(dir, size, "/tmp/fk-test-%s-XXXXXX", name);
	return mkdtemp(dir) != NULL;
}

/* The test database: dir/test.db, or with FK_TEST_PG set (CTest's pg.* runs) a new database
 * in that PostgreSQL cluster (scripts/pg-cluster.sh createdb), its URL into url. */
static inline bool fk_test_db(char *url, size_t size, const char *dir)
{
	const char *pg = getenv("FK_TEST_PG"), *src = getenv("FK_SOURCE_DIR");
	if (!pg || !*pg) {
		snprintf(url, size, "%s/test.db", dir);
		return true;
	}
	char cmd[512];
	snprintf(cmd, sizeof cmd, "bash '%s/scripts/pg-cluster.sh' createdb '%s' 'u%s'",
	         src ? src : ".", pg, strrchr(dir, '-') + 1);
	FILE *p = popen(cmd, "r");
	bool ok = p && fgets(url, (int)size, p);
	if (p && pclose(p))
		ok = false;
	if (ok)
		url[strcspn(url, "\n")] = '\0';
	return ok;
}

/* Removes dir and the files in it (test folders hold no sub-folders). */
static inline void fk_test_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

#endif
