/*
 * utf8.c - UTF-8 checks and display width for the CLI's tables.
 */
#include "fukkyu/common.h"
#include "util/utf8.h"

/* Decodes one code point at s (n bytes left); returns its length or 0 if malformed. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t min;
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2, min = 0x80, *cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3, min = 0x800, *cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4, min = 0x10000, *cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return len;
}

bool fk_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	while (n) {
		uint32_t cp;
		size_t l = decode(p, n, &cp);
		if (!l)
			return false;
		p += l, n -= l;
	}
	return true;
}

enum fk_code fk_text_check(const char *s, const char *field, struct fk_err *err)
{
	/* Fast path: printable ASCII needs no further look (most inventory fields). */
	const unsigned char *u = (const unsigned char *)s;
	while (*u >= 0x20 && *u < 0x7F)
		u++;
	if (!*u)
		return FK_OK;
	size_t n = strlen(s);
	if (!fk_utf8_valid(s, n))
		return FK_ERR(err, FK_EINVAL, field,
		              "%s: the text is not valid UTF-8: save or pass it as UTF-8",
		              "%s: テキストが UTF-8 ではありません: UTF-8 で指定してください",
		              field);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* C1 controls (U+0080-U+009F, bytes C2 80-9F) act like ESC on some terminals. */
		bool c1 = c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9F;
		if (c1)
			c = (unsigned char)s[i + 1];
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || c1)
			return FK_ERR(
			    err, FK_EINVAL, field,
			    "%s: the text holds a control character (byte 0x%02x at offset "
			    "%zu): remove it",
			    "%s: テキストに制御文字 (0x%02x、位置 %zu) が含まれています: "
			    "取り除いてください",
			    field, c, i);
	}
	return FK_OK;
}

static int cp_width(uint32_t c)
{
	if (c == 0 || (c >= 0x300 && c <= 0x36F) || c == 0x200B)
		return 0;
	if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
	    (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
	    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
	    (c >= 0x20000 && c <= 0x3FFFD))
		return 2;
	return 1;
}

size_t fk_utf8_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0;
	while (n) {
		uint32_t cp;
		size_t l = decode(p, n, &cp);
		if (!l)
			l = 1, cp = '?';
		w += (size_t)cp_width(cp);
		p += l, n -= l;
	}
	return w;
}

void fk_utf8_fput(FILE *f, const char *s, size_t cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0, total = fk_utf8_width(s);
	size_t limit = total > cols ? (cols ? cols - 1 : 0) : cols;
	while (n) {
		uint32_t cp;
		size_t l = decode(p, n, &cp);
		if (!l)
			l = 1, cp = '?';
		int cw = cp_width(cp);
		if (w + (size_t)cw > limit)
			break;
		if (cp == '\n' || cp == '\t')
			fputc(' ', f);
		else
			fwrite(p, 1, l, f);
		w += (size_t)cw;
		p += l, n -= l;
	}
	if (total > cols && cols) {
		fputs("…", f);
		w++;
	}
	for (; w < cols; w++)
		fputc(' ', f);
}

void fk_json_quote(FILE *f, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	putc('"', f);
	while (p < end) {
		const unsigned char *run = p; /* printable ASCII is written as it is */
		while (p < end && *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), f);
		if (p == end)
			break;
		uint32_t cp;
		size_t l = *p < 0x80 ? 1 : decode(p, (size_t)(end - p), &cp);
		if (*p == '"' || *p == '\\') {
			putc('\\', f);
			putc(*p, f);
		} else if (*p < 0x20 || *p == 0x7F) {
			fprintf(f, "\\u00%c%c", hex[*p >> 4], hex[*p & 15]);
		} else if (l) {
			fwrite(p, 1, l, f);
		} else {
			fputs("\\ufffd", f); /* not UTF-8: one replacement per byte */
			l = 1;
		}
		p += l ? l : 1;
	}
	putc('"', f);
}
