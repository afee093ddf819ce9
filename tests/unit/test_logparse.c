/*
 * test_logparse.c - the log parsers against data-file cases (tests/data/logparse/cases.txt):
 * input line (and header) -> expected fields, one case per block.
 */
#include "fukkyu/common.h"
#include "fukkyu/logscan.h"
#include "util/time.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

static void expect_slice(const char *what, struct fk_slice got, const char *want, int line)
{
	if (got.n != strlen(want) || (got.n && memcmp(got.p, want, got.n)))
		fail_msg("cases.txt:%d: %s is '%.*s', expected '%s'", line, what, (int)got.n, got.p,
		         want);
}

static void check_case(int format, const char *header, const char *input, char **exp, int n_exp,
                       const int *exp_line, int case_line)
{
	struct fk_log_record r;
	struct fk_log_layout l;
	for (int i = 0; i < FK_LF_COUNT; i++)
		l.idx[i] = -1;
	l.columns = 0;
	l.ready = false;
	if (header && !fk_log_header(format, header, strlen(header), &l))
		fail_msg("cases.txt:%d: the header is not read", case_line);
	bool ok = format == FK_LOG_SQUID ? fk_log_parse_squid(input, strlen(input), &r)
	          : format == FK_LOG_COMBINED
	              ? fk_log_parse_combined(input, strlen(input), &r)
	              : fk_log_parse_fields(format, &l, input, strlen(input), &r);
	bool want_none = n_exp == 1 && !strcmp(exp[0], "none");
	if (want_none) {
		if (ok)
			fail_msg("cases.txt:%d: the line was accepted, expected it refused",
			         case_line);
		return;
	}
	if (!ok)
		fail_msg("cases.txt:%d: the line was refused", case_line);
	for (int i = 0; i < n_exp; i++) {
		char *sp = strchr(exp[i], ' ');
		const char *key = exp[i], *val = sp ? sp + 1 : "";
		if (sp)
			*sp = '\0';
		if (!strcmp(key, "client"))
			expect_slice(key, r.client, val, exp_line[i]);
		else if (!strcmp(key, "user"))
			expect_slice(key, r.user, val, exp_line[i]);
		else if (!strcmp(key, "method"))
			expect_slice(key, r.method, val, exp_line[i]);
		else if (!strcmp(key, "url"))
			expect_slice(key, r.url, val, exp_line[i]);
		else if (!strcmp(key, "dest"))
			expect_slice(key, fk_log_dest(&r), val, exp_line[i]);
		else if (!strcmp(key, "peer"))
			expect_slice(key, r.peer, val, exp_line[i]);
		else if (!strcmp(key, "status"))
			assert_int_equal(r.status, strtol(val, NULL, 10));
		else if (!strcmp(key, "bytes"))
			assert_int_equal(r.bytes, strtoll(val, NULL, 10));
		else if (!strcmp(key, "time")) {
			char t[32];
			fk_time_utc(r.time, t);
			if (strcmp(t, val))
				fail_msg("cases.txt:%d: time is %s, expected %s", exp_line[i], t,
				         val);
		} else {
			fail_msg("cases.txt:%d: unknown key '%s'", exp_line[i], key);
		}
	}
}

static void test_cases(void **state)
{
	(void)state;
	char path[4096];
	const char *src = getenv("FK_SOURCE_DIR");
	snprintf(path, sizeof path, "%s/tests/data/logparse/cases.txt", src ? src : ".");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *line = NULL, *header = NULL, *input = NULL, *exp[32];
	int exp_line[32], n_exp = 0, format = -1, lineno = 0, case_line = 0, cases = 0;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		if (!strncmp(line, "format ", 7)) {
			format = -1;
			for (int i = 0; i < FK_LOG_COUNT; i++)
				if (!strcmp(line + 7, fk_log_formats[i]))
					format = i;
			assert_true(format > 0);
			case_line = lineno;
		} else if (!strncmp(line, "header ", 7)) {
			header = fk_xstrdup(line + 7);
		} else if (!strncmp(line, "line ", 5)) {
			input = fk_xstrdup(line + 5);
		} else if (!strcmp(line, "end")) {
			assert_non_null(input);
			check_case(format, header, input, exp, n_exp, exp_line, case_line);
			cases++;
			for (int i = 0; i < n_exp; i++)
				free(exp[i]);
			free(header);
			free(input);
			header = input = NULL;
			n_exp = 0;
		} else {
			assert_true(n_exp < 32);
			exp_line[n_exp] = lineno;
			exp[n_exp++] = fk_xstrdup(line);
		}
	}
	free(line);
	fclose(f);
	assert_int_equal(cases, 17); /* the file was read whole */
}

static void test_url_host(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"http://a.example/x", "a.example"}, {"https://u:p@B.example.:8443/", "B.example"},
	    {"victim.test:443", "victim.test"},  {"http://[::1]:80/", "::1"},
	    {"http://h/p?next=http://x/", "h"},  {"/relative/path", ""},
	    {"ftp://h.example", "h.example"},    {"http://h.example?q", "h.example"},
	};
	for (size_t i = 0; i < FK_ARRAY_LEN(cases); i++) {
		struct fk_slice s =
		    fk_url_host((struct fk_slice){cases[i][0], strlen(cases[i][0])});
		expect_slice(cases[i][0], s, cases[i][1], 0);
	}
}

/* The prefilter's literals: four or more targets of one organisation share its suffix; a
 * country's second-level domain counts as part of the suffix; addresses turn it off. */
static size_t literals(const char *targets)
{
	FILE *f = fmemopen((void *)(uintptr_t)targets, strlen(targets), "r");
	assert_non_null(f);
	struct fk_targets *t = NULL;
	struct fk_err err;
	fk_err_clear(&err);
	assert_int_equal(fk_targets_load(f, "t", &t, &err), FK_OK);
	fclose(f);
	size_t n = fk_targets_literals(t);
	fk_targets_free(t);
	return n;
}

static void test_prefilter_literals(void **state)
{
	(void)state;
	assert_int_equal(literals("a.example.net\nb.example.net\nc.example.net\n"), 3);
	assert_int_equal(literals("a.example.net\nb.example.net\nc.example.net\n"
	                          "D.EXAMPLE.NET\nexample.org\n"),
	                 2); /* example.net (4 hosts, any case) and example.org */
	assert_int_equal(literals("a.x.co.jp\nb.x.co.jp\nc.x.co.jp\nd.y.co.jp\n"), 4);
	assert_int_equal(literals("a.x.co.jp\nb.x.co.jp\nc.x.co.jp\nd.x.co.jp\n*.x.co.jp\n"), 1);
	assert_int_equal(literals("url:/wp-login.php\nh.example\n"), 2);
	assert_int_equal(literals("h.example\n10.0.0.0/8\n"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_url_host),
	    cmocka_unit_test(test_prefilter_literals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
