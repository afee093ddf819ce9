/*
 * test_mustache.c - lib/util/mustache.c against the official mustache spec cases
 * (tests/data/mustache-spec, MIT: interpolation, sections, inverted, comments, partials,
 * delimiters; lambdas are not supported and not in these files), then fukkyu's own rules:
 * errors with line and column, a partial that includes itself, the output cap, the
 * placeholder for missing data.
 */
#include "fukkyu/common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/mustache.h"

static const char *spec_partial(void *ctx, const char *name)
{
	json_t *v = json_object_get(ctx, name);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int run_spec_file(const char *file)
{
	char path[1024];
	const char *src = getenv("FK_SOURCE_DIR");
	snprintf(path, sizeof path, "%s/tests/data/mustache-spec/%s.json", src ? src : ".", file);
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	if (!doc) {
		fprintf(stderr, "cannot read %s: %s\n", path, je.text);
		return -1;
	}
	size_t i;
	json_t *t;
	int failed = 0, run = 0;
	json_array_foreach(json_object_get(doc, "tests"), i, t)
	{
		json_t *partials = json_object_get(t, "partials");
		struct fk_mustache m = {spec_partial, NULL, partials, FK_ESC_HTML};
		struct fk_buf out;
		struct fk_err err;
		fk_buf_init(&out, 1 << 20);
		const char *name = json_string_value(json_object_get(t, "name"));
		const char *want = json_string_value(json_object_get(t, "expected"));
		enum fk_code rc =
		    fk_mustache_render(&m, json_string_value(json_object_get(t, "template")), name,
		                       json_object_get(t, "data"), &out, &err);
		run++;
		if (rc || strcmp(out.ptr, want)) {
			failed++;
			fprintf(stderr, "%s / %s: got [%s]%s%s, want [%s]\n", file, name, out.ptr,
			        rc ? " error: " : "", rc ? err.en : "", want);
		}
		fk_buf_release(&out);
	}
	json_decref(doc);
	fprintf(stderr, "%s: %d of %d spec cases pass\n", file, run - failed, run);
	return failed;
}

static void test_spec(void **state)
{
	(void)state;
	const char *files[] = {"interpolation", "sections", "inverted",
	                       "comments",      "partials", "delimiters"};
	int failed = 0;
	for (size_t i = 0; i < FK_ARRAY_LEN(files); i++)
		failed += run_spec_file(files[i]);
	assert_int_equal(failed, 0);
}

static const char *self_partial(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "loop") ? "x{{>loop}}" : NULL;
}

static void missing(void *ctx, const char *name, struct fk_buf *out)
{
	(void)ctx;
	(void)fk_buf_addf(out, "[%s?]", name);
}

static void test_errors(void **state)
{
	(void)state;
	struct fk_mustache m = {self_partial, missing, NULL, FK_ESC_NONE};
	struct fk_buf out;
	struct fk_err err;
	json_t *data = json_pack("{s:s}", "a", "A");
	fk_buf_init(&out, 1 << 20);
	assert_int_equal(fk_mustache_render(&m, "line1\n  {{#a}}x{{/b}}", "t.md", data, &out, &err),
	                 FK_EINVAL);
	assert_non_null(strstr(err.en, "t.md:2:"));
	fk_buf_reset(&out);
	assert_int_equal(fk_mustache_render(&m, "ab\ncd {{a", "t.md", data, &out, &err), FK_EINVAL);
	assert_non_null(strstr(err.en, "t.md:2:4: the tag"));
	fk_buf_reset(&out);
	assert_int_equal(fk_mustache_render(&m, "{{#a}}open", "t.md", data, &out, &err), FK_EINVAL);
	assert_non_null(strstr(err.en, "not closed"));
	fk_buf_reset(&out);
	assert_int_equal(fk_mustache_render(&m, "{{>loop}}", "t.md", data, &out, &err), FK_EINVAL);
	assert_non_null(strstr(err.en, "include itself"));
	fk_buf_reset(&out);
	assert_int_equal(fk_mustache_render(&m, "{{a}} {{b}} {{c.d}}", "t.md", data, &out, &err),
	                 FK_OK);
	assert_string_equal(out.ptr, "A [b?] [c.d?]");
	fk_buf_release(&out);
	fk_buf_init(&out, 16);
	assert_int_equal(
	    fk_mustache_render(&m, "{{a}}{{a}}0123456789abcdefghij", "t.md", data, &out, &err),
	    FK_ETOOBIG);
	fk_buf_release(&out);
	json_decref(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
