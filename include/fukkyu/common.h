/*
 * common.h - included first by every fukkyu source file.
 *
 * Sets the POSIX level once for the whole project, pulls in the few standard headers
 * every module uses, and bans the libc calls we never want (util/banned.h).
 */
#ifndef FK_COMMON_H
#define FK_COMMON_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FK_WUR          __attribute__((warn_unused_result))
#define FK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define FK_NORETURN     __attribute__((noreturn))
#define FK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define FK_STR_(x)      #x
#define FK_STR(x)       FK_STR_(x) /* a macro's value as a string literal */

/* Languages of every user-facing text. */
enum fk_lang { FK_LANG_EN = 0, FK_LANG_JA = 1 };

/* Pick the text for a language: TR(lang, "English", "日本語"). Both must be literals when
 * used as a printf format, so the compiler checks both. */
#define TR(lang, en, ja) ((lang) == FK_LANG_JA ? (ja) : (en))

/* Out of memory aborts: there is no sensible recovery in a CLI or a request handler. */
void *fk_xmalloc(size_t n);
void *fk_xcalloc(size_t n, size_t size);
void *fk_xrealloc(void *p, size_t n);
char *fk_xstrdup(const char *s);
char *fk_xstrndup(const char *s, size_t n);

#include "util/banned.h"

#endif
