/*
 * embed.h - files compiled into the binary (cmake/embed.cmake writes the table).
 */
#ifndef FK_EMBED_H
#define FK_EMBED_H

#include <stddef.h>

struct fk_embedded {
	const char *name; /* path relative to the source root, e.g. "playbooks/recovery.yaml" */
	const char *data; /* NUL-terminated as well as len bytes long */
	size_t len;
};

/* The table ends with a NULL name; entries are in the order cmake listed them (sorted). */
extern const struct fk_embedded fk_embedded_files[];

/* Returns the embedded file called name, or NULL. */
const struct fk_embedded *fk_embedded_find(const char *name);

#endif
