/*
 * route.c - fk_route_match (see route.h).
 */
#include "fukkyu/common.h"
#include "util/route.h"

bool fk_route_match(const char *pattern, const char *path,
                    char params[FK_ROUTE_PARAMS][FK_ROUTE_PARAM_MAX])
{
	int k = 0;
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *pe = strchr(pattern, '}'), *se = strchr(path, '/');
			size_t n = se ? (size_t)(se - path) : strlen(path);
			if (!pe || !n || n >= FK_ROUTE_PARAM_MAX || k >= FK_ROUTE_PARAMS)
				return false;
			memcpy(params[k], path, n);
			params[k++][n] = '\0';
			pattern = pe + 1;
			path += n;
			continue;
		}
		if (*pattern++ != *path++)
			return false;
	}
	return !*pattern && !*path;
}
