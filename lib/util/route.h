/*
 * route.h - matching a URL path against a route pattern such as
 * "/api/v1/incidents/{id}/tasks/{item}" (the server's routes.def).
 */
#ifndef FK_ROUTE_H
#define FK_ROUTE_H

#include "fukkyu/common.h"

#define FK_ROUTE_PARAMS    3   /* {…} segments a pattern may have */
#define FK_ROUTE_PARAM_MAX 256 /* bytes of a captured segment, with its NUL */

/* True when path matches pattern exactly; each {…} matches one non-empty segment (no '/'),
 * captured NUL-terminated into params in order. A segment of FK_ROUTE_PARAM_MAX bytes or
 * more does not match. */
bool fk_route_match(const char *pattern, const char *path,
                    char params[FK_ROUTE_PARAMS][FK_ROUTE_PARAM_MAX]);

#endif
