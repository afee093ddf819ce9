/*
 * err.h - result codes and the error context every fallible function fills in.
 *
 * A fallible function returns enum fk_code (FK_OK == 0) and takes an optional
 * struct fk_err * that receives the message in both languages and the field at fault.
 * One table (err.c) maps each code to a stable string, a CLI exit code and an HTTP status.
 */
#ifndef FK_ERR_H
#define FK_ERR_H

#include "fukkyu/common.h"

enum fk_code {
	FK_OK = 0,
	FK_EUSAGE,     /* bad command line: unknown command/option/value (exit 2) */
	FK_EINVAL,     /* bad input data: a field, a file, a date */
	FK_ENOTFOUND,  /* no such incident, item, role ... */
	FK_EREFUSED,   /* a rule forbids it: transition, closing with open items */
	FK_ECONFLICT,  /* already exists */
	FK_EDB,        /* the database failed */
	FK_EBUSY,      /* the database is locked by another process */
	FK_EVERSION,   /* the database is newer than this binary */
	FK_EIO,        /* a file could not be read or written */
	FK_ETOOBIG,    /* input over a size cap */
	FK_ETAMPERED,  /* the audit chain is broken: the history was rewritten */
	FK_EAUTH,      /* no valid credential (HTTP 401) */
	FK_EFORBIDDEN, /* a known user without the right (HTTP 403) */
	FK_CODE_MAX
};

struct fk_err {
	enum fk_code code;
	char field[64]; /* the field, option or file:line at fault; may be empty */
	char en[768];
	char ja[768];
};

/* Stable machine-readable name of a code ("not_found"). */
const char *fk_code_name(enum fk_code code);
/* CLI exit status for a code: 0 ok, 2 usage, 1 everything else. */
int fk_code_exit(enum fk_code code);
/* HTTP status for a code (for the API). */
int fk_code_http(enum fk_code code);

/* Resets err (may be NULL). */
void fk_err_clear(struct fk_err *err);
/* The message in lang. */
const char *fk_err_msg(const struct fk_err *err, enum fk_lang lang);

/* Sets err from two ready texts (for messages built at run time); returns code. */
enum fk_code fk_err_set(struct fk_err *err, enum fk_code code, const char *field, const char *en,
                        const char *ja);

/* Internal helper for the macros below: sets code and field, returns code. The two int
 * arguments are the snprintf results, evaluated before the call. */
enum fk_code fk_err_set_(struct fk_err *err, enum fk_code code, const char *field, int en_len,
                         int ja_len);

/*
 * FK_ERR(err, code, field, "english %s", "日本語 %s", args...) fills err (if not NULL)
 * and evaluates to code. Both formats are literals checked by the compiler against the
 * same arguments; the arguments are evaluated twice, so pass no side effects.
 */
#define FK_ERR(err, code, field, en_fmt, ja_fmt, ...)                                              \
	fk_err_set_((err), (code), (field),                                                        \
	            (err) ? snprintf((err)->en, sizeof((err)->en), en_fmt, __VA_ARGS__) : 0,       \
	            (err) ? snprintf((err)->ja, sizeof((err)->ja), ja_fmt, __VA_ARGS__) : 0)
/* The same without arguments (en and ja must be literals). */
#define FK_ERR0(err, code, field, en, ja) FK_ERR(err, code, field, en "%s", ja "%s", "")

#endif
