/*
 * fuzz_args.c - libFuzzer target for the small parsers of command-line values: ISO 8601
 * dates (fk_time_parse, in a zone and in UTC), sweep criteria (fk_criterion_parse), rollout
 * scopes (fk_scope_parse) and zone names (fk_tz_check). Each must accept or refuse with a
 * message; an accepted date must format back and parse to the same instant.
 */
#include "fukkyu/common.h"
#include "fukkyu/asset.h"
#include "util/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256)
		return 0;
	char s[257];
	memcpy(s, data, size);
	s[size] = '\0';
	struct fk_err err;
	int64_t t;
	if (fk_time_parse(s, "+09:00", "--at", &t, &err) == FK_OK) {
		char utc[32];
		int64_t back;
		fk_time_utc(t, utc);
		if (fk_time_parse(utc, "UTC", "--at", &back, &err) != FK_OK || back != t)
			abort(); /* what we write we must read back */
	} else if (!err.en[0] || !err.ja[0]) {
		abort();
	}
	struct fk_criterion c;
	if (fk_criterion_parse(s, &c, &err) == FK_OK)
		fk_criterion_release(&c);
	else if (!err.en[0])
		abort();
	unsigned scope;
	if (fk_scope_parse(s, &scope, &err) == FK_OK && !scope)
		abort();
	if (fk_tz_check(s, &err) != FK_OK && !err.en[0])
		abort();
	return 0;
}
