/*
 * ident.c - numbered identifiers (ident.h).
 */
#include "fukkyu/common.h"
#include "util/ident.h"

int64_t fk_ident_no(const char *code, char letter)
{
	const char *d = code[0] == letter || code[0] == (letter | 0x20) ? code + 1 : code;
	if (*d < '1' || *d > '9' || strlen(d) > 18 || strspn(d, "0123456789") != strlen(d))
		return 0;
	return strtoll(d, NULL, 10);
}
