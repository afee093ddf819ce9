/*
 * test_markdown.c - the documents' pipeline below the templates: values escaped for Markdown
 * by the template engine, Markdown as plain text and as an HTML page (lib/util/markdown.c),
 * and the name-based UUIDs of the exports (lib/util/hash.c).
 */
#include "fukkyu/common.h"
#include "util/hash.h"
#include "util/markdown.h"
#include "util/mustache.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static char *md_render(const char *template, json_t *data)
{
	struct fk_mustache m = {NULL, NULL, NULL, FK_ESC_MARKDOWN};
	struct fk_buf out;
	fk_buf_init(&out, 1 << 16);
	assert_int_equal(fk_mustache_render(&m, template, "t.md", data, &out, NULL), FK_OK);
	return fk_buf_detach(&out);
}

static char *as_text(const char *md)
{
	struct fk_buf out;
	fk_buf_init(&out, 1 << 16);
	assert_int_equal(fk_md_text(md, strlen(md), &out), FK_OK);
	return fk_buf_detach(&out);
}

static void test_escape(void **state)
{
	(void)state;
	/* a value cannot make markup: emphasis, links, HTML and headings stay literal text */
	json_t *d = json_pack("{s:s}", "v", "*a* [x](javascript:alert(1)) <b>&amp; #h_1\nline2");
	char *md = md_render("{{v}}", d);
	assert_string_equal(
	    md, "\\*a\\* \\[x\\](javascript:alert(1)) \\<b\\>\\&amp; \\#h\\_1\\\nline2");
	char *text = as_text(md);
	assert_string_equal(text, "*a* [x](javascript:alert(1)) <b>&amp; #h_1\nline2\n");
	struct fk_buf html;
	fk_buf_init(&html, 1 << 16);
	assert_int_equal(fk_md_html(md, strlen(md), "T <1>", "ja", &html), FK_OK);
	assert_non_null(strstr(html.ptr, "<title>T &lt;1&gt;</title>"));
	assert_non_null(strstr(html.ptr, "&lt;b&gt;&amp;amp;"));
	assert_null(strstr(html.ptr, "<b>"));
	assert_null(strstr(html.ptr, "href"));
	fk_buf_release(&html);
	free(md);
	free(text);
	/* what would start a list or a heading at a line's start stays text; no break at the end */
	json_t *lines = json_pack("{s:s}", "v", "- a\n+ b\n12. c\n===\n3.5 d\r\n\n");
	md = md_render("{{v}}", lines);
	assert_string_equal(md, "\\- a\\\n\\+ b\\\n12\\. c\\\n\\===\\\n3.5 d");
	text = as_text(md);
	assert_string_equal(text, "- a\n+ b\n12. c\n===\n3.5 d\n");
	free(md);
	free(text);
	json_decref(lines);
	/* ... also after the spaces that may come before them */
	lines = json_pack("{s:s}", "v", "first\n  - injected\n   1. ordered\n  ---\n  ");
	md = md_render("{{v}}", lines);
	assert_string_equal(md, "first\\\n  \\- injected\\\n   1\\. ordered\\\n  \\---\\\n  ");
	struct fk_buf h;
	fk_buf_init(&h, 1 << 16);
	assert_int_equal(fk_md_html(md, strlen(md), "t", "ja", &h), FK_OK);
	assert_null(strstr(h.ptr, "<ul>"));
	assert_null(strstr(h.ptr, "<ol>"));
	assert_null(strstr(h.ptr, "<hr"));
	fk_buf_release(&h);
	free(md);
	json_decref(lines);
	/* {{{v}}} is the template author's choice to pass Markdown through */
	md = md_render("{{{v}}}", d);
	assert_string_equal(md, "*a* [x](javascript:alert(1)) <b>&amp; #h_1\nline2");
	free(md);
	json_decref(d);
}

static void test_text(void **state)
{
	(void)state;
	char *t = as_text(
	    "# 重要なお知らせ\n\n平素は**格別の**ご高配を賜り\n厚く御礼申し上げます。\n\n"
	    "## Items\n\n1. one\n2. *two*\n\n- a\n- b\n\n---\n\n[site](https://x.example)\n");
	assert_string_equal(
	    t, "重要なお知らせ\n==============\n\n平素は格別のご高配を賜り\n"
	       "厚く御礼申し上げます。\n\nItems\n-----\n\n1. one\n2. two\n\n- a\n- b\n\n"
	       "----------------------------------------\n\nsite <https://x.example>\n");
	free(t);
	t = as_text("1. first line\n   second line\n   - nested\n     more\n2. next\n");
	assert_string_equal(t, "1. first line\n   second line\n   - nested\n     more\n2. next\n");
	free(t);
	t = as_text("> quoted\n> two\n\nafter\n");
	assert_string_equal(t, "> quoted\n> two\n\nafter\n");
	free(t);
	t = as_text("");
	assert_string_equal(t, "\n");
	free(t);
	/* raw HTML in a template does not reach the page */
	struct fk_buf html;
	fk_buf_init(&html, 1 << 16);
	assert_int_equal(fk_md_html("<script>x</script>\n\nok", 22, "t", "en", &html), FK_OK);
	assert_null(strstr(html.ptr, "<script>"));
	assert_non_null(strstr(html.ptr, "<p>ok</p>"));
	fk_buf_release(&html);
	/* the cap */
	fk_buf_init(&html, 64);
	assert_int_equal(fk_md_html("long enough", 11, "t", "en", &html), FK_ETOOBIG);
	fk_buf_release(&html);
}

static void test_uuid5(void **state)
{
	(void)state;
	char u[37];
	/* STIX 2.1's namespace over an observable's canonical value (Python's uuid.uuid5) */
	const char *name = "{\"value\":\"203.0.113.80\"}";
	fk_uuid5("00abedb4-aa42-466c-9c01-fed23315a9b7", name, strlen(name), u);
	assert_string_equal(u, "6fed02e1-8ae9-59c6-ab07-3cb8a9d5f2cb");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_uuid5),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
