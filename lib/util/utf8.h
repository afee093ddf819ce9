/*
 * utf8.h - strict UTF-8 validation and terminal display width.
 */
#ifndef FK_UTF8_H
#define FK_UTF8_H

#include "fukkyu/common.h"
#include "util/err.h"

/* True if s[0..n) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
bool fk_utf8_valid(const char *s, size_t n);

/* FK_OK, or FK_EINVAL naming field when s is not UTF-8 or holds control characters other
 * than tab and newline. */
enum fk_code fk_text_check(const char *s, const char *field, struct fk_err *err) FK_WUR;

/* Columns s takes on a terminal (East Asian wide characters count 2). */
size_t fk_utf8_width(const char *s);

/* Writes s padded with spaces, or cut with "…", to exactly cols columns. */
void fk_utf8_fput(FILE *f, const char *s, size_t cols);

/* Writes the n bytes at s as a JSON string: quotes, backslashes and control characters
 * escaped, and each byte that is not part of well-formed UTF-8 written as U+FFFD (text
 * from logs may be anything; jansson refuses such strings outright). */
void fk_json_quote(FILE *f, const char *s, size_t n);

#endif
