/*
 * err.c - the result-code table and the error context.
 */
#include "fukkyu/common.h"
#include "util/err.h"

static const struct {
	const char *name;
	int exit_code;
	int http;
} codes[FK_CODE_MAX] = {
    [FK_OK] = {"ok", 0, 200},
    [FK_EUSAGE] = {"usage", 2, 400},
    [FK_EINVAL] = {"invalid", 1, 422},
    [FK_ENOTFOUND] = {"not_found", 1, 404},
    [FK_EREFUSED] = {"refused", 1, 409},
    [FK_ECONFLICT] = {"conflict", 1, 409},
    [FK_EDB] = {"database", 1, 500},
    [FK_EBUSY] = {"busy", 1, 503},
    [FK_EVERSION] = {"version", 1, 500},
    [FK_EIO] = {"io", 1, 500},
    [FK_ETOOBIG] = {"too_big", 1, 413},
    [FK_ETAMPERED] = {"tampered", 3, 500},
    [FK_EAUTH] = {"unauthorized", 1, 401},
    [FK_EFORBIDDEN] = {"forbidden", 1, 403},
};

const char *fk_code_name(enum fk_code code)
{
	return (unsigned)code < FK_CODE_MAX ? codes[code].name : "unknown";
}

int fk_code_exit(enum fk_code code)
{
	return (unsigned)code < FK_CODE_MAX ? codes[code].exit_code : 1;
}

int fk_code_http(enum fk_code code)
{
	return (unsigned)code < FK_CODE_MAX ? codes[code].http : 500;
}

void fk_err_clear(struct fk_err *err)
{
	if (!err)
		return;
	err->code = FK_OK;
	err->field[0] = err->en[0] = err->ja[0] = '\0';
}

enum fk_code fk_err_set_(struct fk_err *err, enum fk_code code, const char *field, int en_len,
                         int ja_len)
{
	(void)en_len;
	(void)ja_len;
	if (err) {
		err->code = code;
		snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	}
	return code;
}

const char *fk_err_msg(const struct fk_err *err, enum fk_lang lang)
{
	return lang == FK_LANG_JA && err->ja[0] ? err->ja : err->en;
}

enum fk_code fk_err_set(struct fk_err *err, enum fk_code code, const char *field, const char *en,
                        const char *ja)
{
	if (err) {
		fk_err_set_(err, code, field, 0, 0);
		snprintf(err->en, sizeof err->en, "%s", en);
		snprintf(err->ja, sizeof err->ja, "%s", ja);
	}
	return code;
}
