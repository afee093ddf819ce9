/*
 * fuzz_route.c - the server's path matching (lib/util/route.c) against every pattern of
 * src/server/routes.def: never reads or writes out of bounds, captures are NUL-terminated,
 * non-empty, slash-free pieces of the path, and a match rebuilds the path exactly.
 */
#include "fukkyu/common.h"
#include "util/route.h"

#define ROUTE(m, path, fn, need, en, ja) path,
static const char *const patterns[] = {
#include "../src/server/routes.def"
};
#undef ROUTE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fk_xstrndup((const char *)data, size); /* stops at a NUL, as a URL would */
	for (size_t i = 0; i < FK_ARRAY_LEN(patterns); i++) {
		char params[FK_ROUTE_PARAMS][FK_ROUTE_PARAM_MAX];
		memset(params, 0x55, sizeof params);
		if (!fk_route_match(patterns[i], path, params))
			continue;
		/* rebuild the path from the pattern and the captures: it must be the input */
		char rebuilt[4096];
		size_t n = 0;
		int k = 0;
		for (const char *p = patterns[i]; *p && n < sizeof rebuilt - FK_ROUTE_PARAM_MAX;) {
			if (*p == '{') {
				size_t len = strnlen(params[k], FK_ROUTE_PARAM_MAX);
				if (!len || len == FK_ROUTE_PARAM_MAX || strchr(params[k], '/'))
					abort();
				memcpy(rebuilt + n, params[k++], len);
				n += len;
				p = strchr(p, '}') + 1;
			} else {
				rebuilt[n++] = *p++;
			}
		}
		rebuilt[n] = '\0';
		if (strcmp(rebuilt, path))
			abort();
	}
	free(path);
	return 0;
}
