/*
 * mustache.h - a template engine for the documents fukkyu writes: the mustache subset of
 * variables ({{name}}, dotted names, {{.}}), unescaped variables ({{{name}}}, {{&name}}),
 * sections and inverted sections, comments, partials, and set delimiters, with the spec's
 * standalone-line rules; HTML escaping of & < > ". It passes the official spec cases for
 * those features (tests/data/mustache-spec). Lambdas are not supported.
 *
 * Data is a jansson value. A name that resolves to nothing renders as empty unless a
 * "missing" callback is given, which may render a visible placeholder and record the name.
 */
#ifndef FK_MUSTACHE_H
#define FK_MUSTACHE_H

#include "fukkyu/common.h"
#include "util/buf.h"
#include "util/err.h"

#include <jansson.h>

#define FK_MUSTACHE_DEPTH   32      /* partials within partials (one that includes itself) */
#define FK_MUSTACHE_NESTING 100     /* sections within sections in one template */
#define FK_MUSTACHE_STEPS   5000000 /* tags and texts rendered: the work a render may do */

enum fk_mustache_escape {
	FK_ESC_NONE,
	FK_ESC_HTML,     /* & < > " as entities */
	FK_ESC_MARKDOWN, /* a backslash before \ ` * _ [ ] < > & | # ~; a newline as a hard break */
};

struct fk_mustache {
	/* The text of partial name, or NULL when there is none (it renders as empty). */
	const char *(*partial)(void *ctx, const char *name);
	/* Called for a variable that resolves to nothing: may append a placeholder to out. */
	void (*missing)(void *ctx, const char *name, struct fk_buf *out);
	void *ctx;
	enum fk_mustache_escape escape; /* how {{name}} is escaped ({{{name}}} never is) */
};

/* Renders template (origin names it in errors: "origin:line:column") with data into out,
 * whose max caps the output (FK_ETOOBIG). On error out holds nothing useful. */
enum fk_code fk_mustache_render(const struct fk_mustache *m, const char *template,
                                const char *origin, json_t *data, struct fk_buf *out,
                                struct fk_err *err) FK_WUR;

#endif
