/*
 * mustache.c - the template engine (mustache.h). The template is first cut into tokens
 * (text and tags; set-delimiter tags applied as they are met; standalone lines stripped), then
 * the tokens are rendered against a stack of contexts.
 */
#include "fukkyu/common.h"
#include "util/mustache.h"

enum tok_kind { T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE, T_PARTIAL };

struct tok {
	enum tok_kind kind;
	const char *s; /* text, or the tag's name (trimmed), not NUL-terminated */
	size_t n;
	const char *indent; /* standalone partial: the whitespace before it */
	size_t indent_n;
	long line, col;
	size_t close; /* a section: how many tokens on its closing tag is */
};

struct toks {
	struct tok *t;
	size_t n, cap;
};

static void push(struct toks *v, struct tok t)
{
	if (v->n == v->cap)
		v->t = fk_xrealloc(v->t, (v->cap = v->cap ? 2 * v->cap : 64) * sizeof *v->t);
	v->t[v->n++] = t;
}

/* Where p is (line, column in characters), counted on from the last place asked for: the
 * tags come in order, so the text is read once. */
struct cursor {
	const char *at;
	long line, col;
};

static void where(struct cursor *c, const char *p, long *line, long *col)
{
	for (; c->at < p; c->at++) {
		if (*c->at == '\n')
			c->line++, c->col = 1;
		else if (((unsigned char)*c->at & 0xC0) != 0x80)
			c->col++;
	}
	*line = c->line;
	*col = c->col;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Cuts text into tokens. */
static enum fk_code tokenize(const char *text, const char *origin, struct toks *out,
                             struct fk_err *err)
{
	char open[16] = "{{", close[16] = "}}";
	const char *p = text, *line_start = text;
	struct cursor cur = {text, 1, 1};
	while (*p) {
		const char *tag = strstr(p, open);
		if (!tag) {
			push(out, (struct tok){T_TEXT, p, strlen(p), NULL, 0, 0, 0, 0});
			break;
		}
		size_t no = strlen(open), nc = strlen(close);
		const char *in = tag + no;
		char type = *in;
		const char *end;
		if (type == '{' && !strcmp(close, "}}")) {
			end = strstr(in + 1, "}}}");
		} else if (type == '=') {
			char want[20];
			snprintf(want, sizeof want, "=%s", close);
			end = strstr(in + 1, want);
		} else {
			end = strstr(in, close);
		}
		long line, col;
		where(&cur, tag, &line, &col);
		if (!end)
			return FK_ERR(err, FK_EINVAL, origin,
			              "%s:%ld:%ld: the tag '%.20s' is not closed",
			              "%s:%ld:%ld: タグ '%.20s' が閉じられていません", origin, line,
			              col, tag);
		const char *name = in, *name_end = end;
		enum tok_kind kind = T_VAR;
		bool can_stand = true;
		switch (type) {
		case '#':
			kind = T_SECTION, name++;
			break;
		case '^':
			kind = T_INVERTED, name++;
			break;
		case '/':
			kind = T_CLOSE, name++;
			break;
		case '>':
			kind = T_PARTIAL, name++;
			break;
		case '!':
			kind = T_TEXT, name++;
			break; /* a comment: no token */
		case '=':
			kind = T_TEXT, name++;
			break;
		case '{':
			kind = T_RAW, name++, can_stand = false;
			break;
		case '&':
			kind = T_RAW, name++, can_stand = false;
			break;
		default:
			can_stand = false;
			break;
		}
		/* past the closing delimiter: "=}}" after a set-delimiter tag, "}}}" (or "}" and
		 * the closing delimiter) after a triple mustache */
		const char *after = end + (type == '=' ? 1 + nc : nc);
		if (type == '{' && !strcmp(close, "}}"))
			after = end + 3;
		else if (type == '{' && *end != '}' && end > in && end[-1] == '}')
			end--; /* {{{name}}} with other delimiters: "}" before the closing one */
		if (name_end < name) /* the closing delimiter right after the sigil: "{{#}}" */
			name_end = name;
		while (name < name_end && blank(*name))
			name++;
		while (name_end > name && blank(name_end[-1]))
			name_end--;
		for (const char *q = p; q < tag; q++) /* the line the tag is on */
			if (*q == '\n')
				line_start = q + 1;
		/* standalone: only whitespace before it on its line and after it to the end */
		bool standalone = false;
		const char *ws = tag;
		while (ws > line_start && blank(ws[-1]))
			ws--;
		const char *rest = after;
		while (blank(*rest))
			rest++;
		if (can_stand && ws == line_start &&
		    (*rest == '\n' || (*rest == '\r' && rest[1] == '\n') || !*rest))
			standalone = true;
		const char *text_end = standalone ? ws : tag;
		if (text_end > p)
			push(out,
			     (struct tok){T_TEXT, p, (size_t)(text_end - p), NULL, 0, 0, 0, 0});
		if (type == '=') {
			/* "{{=<% %>=}}": two delimiters separated by whitespace */
			const char *a = name, *b = name;
			while (b < name_end && !blank(*b))
				b++;
			const char *c = b;
			while (c < name_end && blank(*c))
				c++;
			if (b == a || c == name_end || (size_t)(b - a) >= sizeof open ||
			    (size_t)(name_end - c) >= sizeof close ||
			    memchr(c, ' ', (size_t)(name_end - c)))
				return FK_ERR(
				    err, FK_EINVAL, origin,
				    "%s:%ld:%ld: a set-delimiter tag needs two delimiters, e.g. "
				    "{{=<%% %%>=}}",
				    "%s:%ld:%ld: 区切り文字の変更には2つの区切り文字が必要です (例 "
				    "{{=<%% %%>=}})",
				    origin, line, col);
			snprintf(open, sizeof open, "%.*s", (int)(b - a), a);
			snprintf(close, sizeof close, "%.*s", (int)(name_end - c), c);
		} else if (type != '!') {
			if (name == name_end)
				return FK_ERR(err, FK_EINVAL, origin,
				              "%s:%ld:%ld: a tag without a name",
				              "%s:%ld:%ld: 名前のないタグです", origin, line, col);
			struct tok t = {kind, name, (size_t)(name_end - name), NULL, 0, line,
			                col,  0};
			if (kind == T_PARTIAL && standalone) {
				t.indent = ws;
				t.indent_n = (size_t)(tag - ws);
			}
			push(out, t);
		}
		p = after;
		if (standalone) {
			p = rest;
			if (*p == '\r')
				p++;
			if (*p == '\n')
				p++;
		}
		for (const char *q = text_end; q < p; q++)
			if (*q == '\n')
				line_start = q + 1;
	}
	return FK_OK;
}

struct render {
	const struct fk_mustache *m;
	const char *origin;
	struct fk_buf *out;
	json_t *stack[256];
	int depth;
	int partials;
	struct fk_err *err;
	long steps;
};

/* The value of a dotted name in the context stack, or NULL. */
static json_t *lookup(struct render *r, const char *name, size_t n)
{
	if (n == 1 && *name == '.')
		return r->depth ? r->stack[r->depth - 1] : NULL;
	const char *dot = memchr(name, '.', n);
	size_t first = dot ? (size_t)(dot - name) : n;
	char key[256];
	json_t *v = NULL;
	snprintf(key, sizeof key, "%.*s", (int)first, name);
	for (int i = r->depth - 1; i >= 0 && !v; i--)
		if (json_is_object(r->stack[i]))
			v = json_object_get(r->stack[i], key);
	while (v && dot) {
		const char *part = dot + 1;
		dot = memchr(part, '.', n - (size_t)(part - name));
		size_t len = dot ? (size_t)(dot - part) : n - (size_t)(part - name);
		snprintf(key, sizeof key, "%.*s", (int)len, part);
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return v;
}

/* The spec's truthiness is JavaScript's (!!data): a zero and an empty text are falsey too,
 * so that {{#count}}...{{/count}} shows its block only when there is something to count. */
static bool falsey(json_t *v)
{
	return !v || json_is_null(v) || json_is_false(v) ||
	       (json_is_array(v) && !json_array_size(v)) ||
	       (json_is_integer(v) && !json_integer_value(v)) ||
	       (json_is_real(v) && json_real_value(v) == 0.0) ||
	       (json_is_string(v) && !json_string_length(v));
}

static enum fk_code emit(struct render *r, const char *s, size_t n, enum fk_mustache_escape escape)
{
	if (escape == FK_ESC_NONE)
		return fk_buf_add(r->out, s, n);
	enum fk_code rc = FK_OK;
	if (escape == FK_ESC_MARKDOWN)
		while (n &&
		       (s[n - 1] == '\n' || s[n - 1] == '\r')) /* no break after the last line */
			n--;
	for (size_t i = 0; !rc && i < n; i++) {
		const char *e = NULL;
		if (escape == FK_ESC_MARKDOWN && (i == 0 || s[i - 1] == '\n')) {
			/* what would start a block at the beginning of a line ("- ", "+ ", "1. ",
			 * the
			 * "=" of a heading) gets a backslash: "1\." */
			size_t sp = i; /* up to three spaces may come before a block's start */
			while (sp < n && sp - i < 3 && (s[sp] == ' ' || s[sp] == '\t'))
				sp++;
			if (sp > i && ((rc = fk_buf_add(r->out, s + i, sp - i)) || (i = sp) >= n))
				break;
			size_t d = i;
			while (d < n && s[d] >= '0' && s[d] <= '9')
				d++;
			if (s[i] == '-' || s[i] == '+' || s[i] == '=')
				rc = fk_buf_addch(r->out, '\\');
			else if (d > i && d < n && (s[d] == '.' || s[d] == ')') &&
			         (d + 1 == n || s[d + 1] == ' ' || s[d + 1] == '\t' ||
			          s[d + 1] == '\n')) {
				rc = fk_buf_add(r->out, s + i, d - i);
				rc = rc ? rc : fk_buf_addch(r->out, '\\');
				i = d;
			}
			if (rc)
				break;
		}
		if (escape == FK_ESC_HTML)
			e = s[i] == '&'   ? "&amp;"
			    : s[i] == '<' ? "&lt;"
			    : s[i] == '>' ? "&gt;"
			    : s[i] == '"' ? "&quot;"
			                  : NULL;
		else if (s[i] == '\n')
			e = "\\\n"; /* a hard line break: the value's lines stay lines */
		else if (s[i] == '\r')
			continue;
		else if (s[i] && strchr("\\`*_[]<>&|#~", s[i]) && (rc = fk_buf_addch(r->out, '\\')))
			break;
		rc = e ? fk_buf_adds(r->out, e) : fk_buf_addch(r->out, s[i]);
	}
	return rc;
}

static enum fk_code value(struct render *r, const struct tok *t, enum fk_mustache_escape escape)
{
	json_t *v = lookup(r, t->s, t->n);
	char num[64];
	if (!v || json_is_null(v)) {
		if (!v && r->m->missing) {
			char name[256];
			size_t n = t->n < sizeof name - 1 ? t->n : sizeof name - 1;
			while (n && n < t->n && ((unsigned char)t->s[n] & 0xC0) == 0x80)
				n--; /* cut before a character, not inside one */
			snprintf(name, sizeof name, "%.*s", (int)n, t->s);
			r->m->missing(r->m->ctx, name, r->out);
		}
		return r->out->toobig ? FK_ETOOBIG : FK_OK;
	}
	if (json_is_string(v))
		return emit(r, json_string_value(v), json_string_length(v), escape);
	if (json_is_integer(v))
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(num, sizeof num, "%.15g", json_real_value(v));
	else
		snprintf(num, sizeof num, "%s",
		         json_is_true(v)    ? "true"
		         : json_is_false(v) ? "false"
		                            : "");
	return emit(r, num, strlen(num), escape);
}

static enum fk_code render_toks(struct render *r, const struct tok *t, size_t n);

/* The index just after the section opened at t[i] closes, checking the names match. */
/* Pairs every section with its closing tag (tok.close), once: a section not closed, closed
 * by another name, a closing tag with nothing open and nesting deeper than
 * FK_MUSTACHE_NESTING are errors. */
static enum fk_code pair_sections(struct toks *v, const char *origin, struct fk_err *err)
{
	size_t open[FK_MUSTACHE_NESTING];
	int depth = 0;
	for (size_t k = 0; k < v->n; k++) {
		struct tok *t = &v->t[k];
		if (t->kind == T_SECTION || t->kind == T_INVERTED) {
			if (depth == FK_MUSTACHE_NESTING)
				return FK_ERR(
				    err, FK_EINVAL, origin,
				    "%s:%ld:%ld: sections nested over %d deep",
				    "%s:%ld:%ld: セクションの入れ子が %d 段を超えています", origin,
				    t->line, t->col, FK_MUSTACHE_NESTING);
			open[depth++] = k;
		} else if (t->kind == T_CLOSE) {
			if (!depth)
				return FK_ERR(
				    err, FK_EINVAL, origin,
				    "%s:%ld:%ld: '%.*s' closes a section that is not open",
				    "%s:%ld:%ld: '%.*s' は開いていないセクションを閉じています",
				    origin, t->line, t->col, (int)t->n, t->s);
			size_t at = open[--depth];
			struct tok *o = &v->t[at];
			if (t->n != o->n || memcmp(t->s, o->s, o->n))
				return FK_ERR(
				    err, FK_EINVAL, origin,
				    "%s:%ld:%ld: '%.*s' closes '%.*s' (opened at %ld:%ld)",
				    "%s:%ld:%ld: '%.*s' で '%.*s' (%ld:%ld) を閉じています", origin,
				    t->line, t->col, (int)t->n, t->s, (int)o->n, o->s, o->line,
				    o->col);
			o->close = k - at;
		}
	}
	if (depth) {
		const struct tok *o = &v->t[open[depth - 1]];
		return FK_ERR(err, FK_EINVAL, origin,
		              "%s:%ld:%ld: the section '%.*s' is not closed",
		              "%s:%ld:%ld: セクション '%.*s' が閉じられていません", origin, o->line,
		              o->col, (int)o->n, o->s);
	}
	return FK_OK;
}

/* Counts a step of work: a template may not loop without end (nested sections over lists
 * with nothing in them write nothing, so the output cap would never stop them). */
static enum fk_code step(struct render *r)
{
	if (++r->steps <= FK_MUSTACHE_STEPS)
		return FK_OK;
	return FK_ERR(r->err, FK_ETOOBIG, r->origin,
	              "%s: the template does over %d steps of work: does a section repeat a long "
	              "list inside another?",
	              "%s: テンプレートの処理が %d 手順を超えました: 長い一覧の中で別の一覧を繰り"
	              "返していませんか",
	              r->origin, FK_MUSTACHE_STEPS);
}

static enum fk_code partial(struct render *r, const struct tok *t)
{
	char name[256];
	snprintf(name, sizeof name, "%.*s", (int)t->n, t->s);
	const char *text = r->m->partial ? r->m->partial(r->m->ctx, name) : NULL;
	if (!text)
		return FK_OK;
	if (r->partials >= FK_MUSTACHE_DEPTH)
		return FK_ERR(
		    r->err, FK_EINVAL, r->origin,
		    "%s:%ld:%ld: partials nested %d deep at '%s': does it include itself?",
		    "%s:%ld:%ld: 部分テンプレートの入れ子が %d 段を超えています ('%s'): "
		    "自分自身を含んでいませんか",
		    r->origin, t->line, t->col, FK_MUSTACHE_DEPTH, name);
	/* a standalone partial's lines are indented as the tag was */
	struct fk_buf indented = FK_BUF_INIT;
	const char *src = text;
	if (t->indent_n) {
		for (const char *p = text; *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
			(void)fk_buf_add(&indented, t->indent, t->indent_n);
			(void)fk_buf_add(&indented, p, len);
			p += len;
		}
		src = indented.ptr;
	}
	struct toks toks = {0};
	char sub[300];
	snprintf(sub, sizeof sub, "%s>%s", r->origin, name);
	enum fk_code rc = tokenize(src, sub, &toks, r->err);
	if (!rc)
		rc = pair_sections(&toks, sub, r->err);
	if (!rc) {
		const char *saved = r->origin;
		r->origin = sub;
		r->partials++;
		rc = render_toks(r, toks.t, toks.n);
		r->partials--;
		r->origin = saved;
	}
	free(toks.t);
	fk_buf_release(&indented);
	return rc;
}

static enum fk_code render_toks(struct render *r, const struct tok *t, size_t n)
{
	enum fk_code rc = FK_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		if ((rc = step(r)))
			break;
		switch (t[i].kind) {
		case T_TEXT:
			rc = fk_buf_add(r->out, t[i].s, t[i].n);
			break;
		case T_VAR:
			rc = value(r, &t[i], r->m->escape);
			break;
		case T_RAW:
			rc = value(r, &t[i], FK_ESC_NONE);
			break;
		case T_PARTIAL:
			rc = partial(r, &t[i]);
			break;
		case T_CLOSE:
			rc = FK_ERR(r->err, FK_EINVAL, r->origin,
			            "%s:%ld:%ld: '%.*s' closes a section that is not open",
			            "%s:%ld:%ld: '%.*s' は開いていないセクションを閉じています",
			            r->origin, t[i].line, t[i].col, (int)t[i].n, t[i].s);
			break;
		case T_SECTION:
		case T_INVERTED: {
			size_t close = i + t[i].close;
			json_t *v = lookup(r, t[i].s, t[i].n);
			const struct tok *body = t + i + 1;
			size_t nb = close - i - 1;
			if (t[i].kind == T_INVERTED) {
				if (falsey(v))
					rc = render_toks(r, body, nb);
			} else if (!falsey(v)) {
				if (r->depth + 1 >= (int)FK_ARRAY_LEN(r->stack)) {
					rc = FK_ERR(r->err, FK_ETOOBIG, r->origin,
					            "%s:%ld:%ld: sections nested too deep",
					            "%s:%ld:%ld: セクションの入れ子が深すぎます",
					            r->origin, t[i].line, t[i].col);
					break;
				}
				if (json_is_array(v)) {
					size_t k;
					json_t *item;
					json_array_foreach(v, k, item)
					{
						r->stack[r->depth++] = item;
						rc = render_toks(r, body, nb);
						r->depth--;
						if (rc)
							break;
					}
				} else {
					r->stack[r->depth++] = v;
					rc = render_toks(r, body, nb);
					r->depth--;
				}
			}
			i = close;
			break;
		}
		}
	}
	if (rc == FK_ETOOBIG && r->err && !r->err->en[0])
		FK_ERR(r->err, FK_ETOOBIG, r->origin, "%s: the output is over %zu bytes",
		       "%s: 出力が %zu バイトを超えています", r->origin, r->out->max);
	return rc;
}

enum fk_code fk_mustache_render(const struct fk_mustache *m, const char *template,
                                const char *origin, json_t *data, struct fk_buf *out,
                                struct fk_err *err)
{
	struct toks toks = {0};
	if (err)
		err->en[0] = '\0';
	enum fk_code rc = tokenize(template, origin, &toks, err);
	if (!rc)
		rc = pair_sections(&toks, origin, err);
	if (!rc) {
		struct render r = {m, origin, out, {data}, 1, 0, err, 0};
		rc = render_toks(&r, toks.t, toks.n);
	}
	free(toks.t);
	return rc;
}
