/*
 * fuzz_mustache.c - the template engine (lib/util/mustache.c) on any template text, with data
 * that has strings, numbers, lists and nested objects, and partials that include each other
 * and themselves; then, as documents are made, the Markdown rendered as text and as HTML
 * (lib/util/markdown.c over libcmark). Invariants: no crash or leak; output within its cap;
 * an error is reported with the template's name and a line.
 */
#include "fukkyu/common.h"
#include "util/markdown.h"
#include "util/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *partial(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "p")      ? "[{{a}}{{>q}}]"
	       : !strcmp(name, "q")    ? "{{#list}}{{>p}}{{/list}}"
	       : !strcmp(name, "self") ? "{{>self}}"
	                               : NULL;
}

static void missing(void *ctx, const char *name, struct fk_buf *out)
{
	(void)ctx;
	(void)fk_buf_addf(out, "[%s?]", name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *ctx;
	if (!ctx)
		ctx = json_loads(
		    "{\"a\": \"<&\\\"x\", \"n\": 12, \"r\": 1.5, \"t\": true, \"list\": [1, "
		    "{\"a\": \"in\"}, []], \"o\": {\"b\": {\"c\": \"deep\"}}, \"e\": []}",
		    0, NULL);
	char *text = fk_xstrndup((const char *)data, size);
	for (int escape = 0; escape < 3; escape++) {
		struct fk_mustache m = {partial, escape ? missing : NULL, NULL,
		                        (enum fk_mustache_escape)escape};
		struct fk_buf out;
		struct fk_err err;
		fk_buf_init(&out, 1 << 16);
		enum fk_code rc = fk_mustache_render(&m, text, "fuzz", ctx, &out, &err);
		if (out.len > 1 << 16 || (rc && rc != FK_ETOOBIG && !strstr(err.en, "fuzz")))
			abort();
		if (!rc && escape == FK_ESC_MARKDOWN) {
			struct fk_buf text_out, html;
			fk_buf_init(&text_out, 1 << 18);
			fk_buf_init(&html, 1 << 18);
			if (fk_md_text(out.ptr, out.len, &text_out) == FK_OK &&
			    text_out.ptr[text_out.len - 1] != '\n')
				abort(); /* text ends with one newline */
			if (fk_md_html(out.ptr, out.len, "t", "ja", &html) == FK_OK &&
			    !strstr(html.ptr, "</html>"))
				abort(); /* a whole page */
			fk_buf_release(&text_out);
			fk_buf_release(&html);
		}
		fk_buf_release(&out);
	}
	free(text);
	return 0;
}
