/*
 * markdown.c - Markdown to HTML (cmark's renderer inside a small page) and to plain text (a
 * walk over cmark's tree).
 */
#include "util/markdown.h"
#include "util/err.h"
#include "util/utf8.h"

#include <cmark.h>

static const char PAGE_STYLE[] =
    "body{font-family:sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.7}"
    "h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc}"
    "strong{color:#a00}@media print{body{margin:0}}";

static enum fk_code add_escaped(struct fk_buf *out, const char *s)
{
	enum fk_code rc = FK_OK;
	for (; *s && !rc; s++)
		rc = *s == '&'   ? fk_buf_adds(out, "&amp;")
		     : *s == '<' ? fk_buf_adds(out, "&lt;")
		     : *s == '>' ? fk_buf_adds(out, "&gt;")
		     : *s == '"' ? fk_buf_adds(out, "&quot;")
		                 : fk_buf_addch(out, *s);
	return rc;
}

enum fk_code fk_md_html(const char *md, size_t len, const char *title, const char *lang,
                        struct fk_buf *out)
{
	char *body = cmark_markdown_to_html(md, len, CMARK_OPT_HARDBREAKS);
	if (!body)
		return FK_EDB;
	enum fk_code rc = fk_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"");
	if (!rc)
		rc = add_escaped(out, lang);
	if (!rc)
		rc = fk_buf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	if (!rc)
		rc = add_escaped(out, title);
	if (!rc)
		rc = fk_buf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", PAGE_STYLE);
	if (!rc)
		rc = fk_buf_adds(out, body);
	if (!rc)
		rc = fk_buf_adds(out, "</body>\n</html>\n");
	free(body);
	return rc;
}

/* ---- plain text ------------------------------------------------------------------------ */

struct text {
	struct fk_buf *out;
	size_t line_start; /* where the current line began in out (for headings' underlines) */
	int quote;         /* block quotes entered */
	size_t indent;     /* spaces before a list item's following lines */
	size_t marks[32];  /* the width of each open item's marker */
	int items;
	enum fk_code rc;
};

static void put(struct text *t, const char *s)
{
	if (!t->rc)
		t->rc = fk_buf_adds(t->out, s);
}

static void newline(struct text *t)
{
	/* no spaces at the end of a line (an indented line left empty) */
	while (t->out->len && t->out->ptr[t->out->len - 1] == ' ' && !t->quote)
		t->out->ptr[--t->out->len] = '\0';
	put(t, "\n");
	t->line_start = t->out->len;
	for (int i = 0; i < t->quote; i++)
		put(t, "> ");
	for (size_t i = 0; i < t->indent; i++)
		put(t, " ");
}

/* Ends the block just written: one blank line after it, unless at the very start. */
static void block_end(struct text *t)
{
	if (t->out->len) {
		newline(t);
		newline(t);
	}
}

/* The display width of the current line (a full-width character counts two). */
static size_t line_width(struct text *t)
{
	char *line = fk_xstrndup(t->out->ptr + t->line_start, t->out->len - t->line_start);
	size_t w = fk_utf8_width(line);
	free(line);
	return w;
}

/* Writes the item's marker; its following lines are indented by the marker's width. */
static void item_marker(struct text *t, cmark_node *item)
{
	cmark_node *list = cmark_node_parent(item);
	char num[24] = "- ";
	if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
		int no = cmark_node_get_list_start(list);
		for (cmark_node *p = cmark_node_previous(item); p; p = cmark_node_previous(p))
			no++;
		snprintf(num, sizeof num, "%d. ", no);
	}
	put(t, num);
	size_t w = strlen(num);
	if (t->items < (int)FK_ARRAY_LEN(t->marks))
		t->marks[t->items] = w;
	t->items++;
	t->indent += w;
}

static void enter(struct text *t, cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		put(t, cmark_node_get_literal(n));
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		newline(t);
		break;
	case CMARK_NODE_CODE_BLOCK: {
		const char *s = cmark_node_get_literal(n);
		for (const char *nl; (nl = strchr(s, '\n')); s = nl + 1) {
			if (!t->rc)
				t->rc = fk_buf_add(t->out, s, (size_t)(nl - s));
			if (nl[1])
				newline(t);
		}
		put(t, s);
		block_end(t); /* a leaf: no exit event */
		break;
	}
	case CMARK_NODE_BLOCK_QUOTE:
		t->quote++;
		put(t, "> ");
		break;
	case CMARK_NODE_ITEM:
		item_marker(t, n);
		break;
	case CMARK_NODE_LIST: /* a list inside an item starts on a line of its own */
		if (cmark_node_get_type(cmark_node_parent(n)) == CMARK_NODE_ITEM && t->out->len &&
		    t->out->ptr[t->out->len - 1] != '\n' && t->out->ptr[t->out->len - 1] != ' ')
			newline(t);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		put(t, "----------------------------------------");
		block_end(t);
		break;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
	default:
		break;
	}
}

static void leave(struct text *t, cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING: {
		size_t w = line_width(t);
		int level = cmark_node_get_heading_level(n);
		newline(t);
		for (size_t i = 0; i < (w ? w : 1); i++)
			put(t, level == 1 ? "=" : "-");
		block_end(t);
		break;
	}
	case CMARK_NODE_LINK: {
		const char *url = cmark_node_get_url(n);
		if (url && *url) {
			put(t, " <");
			put(t, url);
			put(t, ">");
		}
		break;
	}
	case CMARK_NODE_PARAGRAPH: {
		cmark_node *parent = cmark_node_parent(n);
		/* items of a tight list are one line each */
		if (cmark_node_get_type(parent) == CMARK_NODE_ITEM &&
		    cmark_node_get_list_tight(cmark_node_parent(parent)))
			break;
		block_end(t);
		break;
	}
	case CMARK_NODE_ITEM:
		t->items--;
		if (t->items < (int)FK_ARRAY_LEN(t->marks))
			t->indent -= t->marks[t->items];
		if (cmark_node_next(n) || !cmark_node_get_list_tight(cmark_node_parent(n)))
			newline(t);
		break;
	case CMARK_NODE_LIST:
		if (cmark_node_get_list_tight(n) &&
		    cmark_node_get_type(cmark_node_parent(n)) != CMARK_NODE_ITEM)
			block_end(t);
		break;
	case CMARK_NODE_BLOCK_QUOTE: {
		/* the prefixes written for lines that will not come */
		struct fk_buf *o = t->out;
		for (bool more = true; more;) {
			more = false;
			if (o->len >= 2 && !memcmp(o->ptr + o->len - 2, "> ", 2))
				o->ptr[o->len -= 2] = '\0', more = true;
			else if (o->len && o->ptr[o->len - 1] == '\n')
				o->ptr[--o->len] = '\0', more = true;
		}
		t->quote--;
		block_end(t);
		break;
	}
	default:
		break;
	}
}

enum fk_code fk_md_text(const char *md, size_t len, struct fk_buf *out)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	if (!doc)
		return FK_EDB;
	struct text t = {.out = out, .line_start = out->len};
	cmark_iter *it = cmark_iter_new(doc);
	for (cmark_event_type ev; !t.rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER)
			enter(&t, n);
		else
			leave(&t, n);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	/* one newline at the end, none of the trailing blank lines */
	while (!t.rc && out->len &&
	       (out->ptr[out->len - 1] == '\n' || out->ptr[out->len - 1] == ' '))
		out->ptr[--out->len] = '\0';
	if (!t.rc)
		t.rc = fk_buf_addch(out, '\n');
	return out->toobig ? FK_ETOOBIG : t.rc;
}
