/*
 * embed.c - look-up in the table of files compiled into the binary.
 */
#include "fukkyu/common.h"
#include "util/embed.h"

const struct fk_embedded *fk_embedded_find(const char *name)
{
	for (const struct fk_embedded *e = fk_embedded_files; e->name; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}
