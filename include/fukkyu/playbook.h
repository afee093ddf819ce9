/*
 * playbook.h - the recovery playbook: six phases of checklist items, as data.
 *
 * The standard playbook (playbooks/recovery.yaml) is compiled into the binary; an
 * organisation may start an incident from its own file of the same format (docs/PLAYBOOK.md).
 * Loading is strict: the first problem is reported as "file:line: what is wrong, expected
 * what", and nothing is returned.
 */
#ifndef FK_PLAYBOOK_H
#define FK_PLAYBOOK_H

#include "fukkyu/common.h"
#include "fukkyu/incident.h"
#include "util/err.h"

#define FK_PLAYBOOK_MAX_BYTES (4u << 20) /* 4 MiB: far above any real playbook */
#define FK_PLAYBOOK_PHASES    6
#define FK_PLAYBOOK_DEFAULT   "playbooks/recovery.yaml"

struct fk_pb_item {
	char *id;
	char *title_ja, *title_en;
	char *why_ja, *why_en; /* NULL when absent */
	unsigned kinds;        /* bit (1 << kind) per kind it applies to; 0 = every kind */
	bool approval;
	int due_hours; /* 0 = no due date */
	int line;
};

struct fk_pb_group {
	char *key;
	char *title_ja, *title_en;
	struct fk_pb_item *items;
	size_t n_items;
};

struct fk_pb_phase {
	int no;
	char *key;
	char *title_ja, *title_en;
	struct fk_pb_group *groups;
	size_t n_groups;
};

struct fk_playbook {
	char *name;
	int version;
	char *title_ja, *title_en;
	struct fk_pb_phase phases[FK_PLAYBOOK_PHASES];
};

/* Parses len bytes of YAML; origin names the file in error messages. */
enum fk_code fk_playbook_parse(const char *data, size_t len, const char *origin,
                               struct fk_playbook *pb, struct fk_err *err) FK_WUR;
/* Reads and parses a file (at most FK_PLAYBOOK_MAX_BYTES). */
enum fk_code fk_playbook_load_file(const char *path, struct fk_playbook *pb,
                                   struct fk_err *err) FK_WUR;
/* The standard playbook compiled into the binary. */
enum fk_code fk_playbook_load_default(struct fk_playbook *pb, struct fk_err *err) FK_WUR;
void fk_playbook_release(struct fk_playbook *pb);

/* Number of items that apply to kind. */
size_t fk_playbook_count(const struct fk_playbook *pb, int kind);

/*
 * The tasks an incident of kind starts with, in playbook order, state todo; an item with
 * due_hours is due that long after discovered_at. Caller frees both arrays with
 * FK_FREE_ARRAY(..., fk_task_release) and FK_FREE_ARRAY(..., fk_phase_release).
 */
void fk_playbook_instantiate(const struct fk_playbook *pb, int kind, int64_t discovered_at,
                             struct fk_phase **phases, struct fk_task **tasks, size_t *n_tasks);

#endif
