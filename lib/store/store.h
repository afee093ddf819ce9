/*
 * store.h - the one interface to fukkyu's persistent data.
 *
 * Callers (lib/core, the CLI, later the server) see domain operations only: no SQL, no
 * backend types. Every write runs between fk_store_begin() and fk_store_commit(); the
 * store records who (the actor given to begin) and when, and each write function appends
 * its field-level changes (old -> new) to the change history in the same transaction, so
 * a rolled-back write leaves no trace and a committed one is always attributed.
 */
#ifndef FK_STORE_H
#define FK_STORE_H

#include "fukkyu/common.h"
#include "fukkyu/incident.h"
#include "util/err.h"

struct fk_store;

/* The schema version this binary knows (the highest embedded migration). */
int fk_store_known_version(void);

/*
 * Opens the store at url: a SQLite file path (or "sqlite:PATH"). With create the file
 * may be new (fukkyu init); without it the database must exist and be at the known
 * schema version, else a clear error (not initialised / older: run init / newer: upgrade
 * fukkyu). Caller closes with fk_store_close().
 */
enum fk_code fk_store_open(const char *url, bool create, struct fk_store **out,
                           struct fk_err *err) FK_WUR;
void fk_store_close(struct fk_store *st);

/* Creates or upgrades the schema; *from and *to receive the versions. */
enum fk_code fk_store_migrate(struct fk_store *st, int *from, int *to, struct fk_err *err) FK_WUR;

/* Write transactions. now is the time recorded on every change of the transaction. */
enum fk_code fk_store_begin(struct fk_store *st, const char *actor, int64_t now,
                            struct fk_err *err) FK_WUR;
enum fk_code fk_store_commit(struct fk_store *st, struct fk_err *err) FK_WUR;
/* Undoes everything since begin; harmless when no transaction is open. */
void fk_store_rollback(struct fk_store *st);

/* Incidents. insert assigns id and ref (INC-<ref_year>-NNNN, the next number of that year)
 * and sets created_at/created_by/updated_at from the transaction. */
enum fk_code fk_store_incident_insert(struct fk_store *st, struct fk_incident *inc, int ref_year,
                                      struct fk_err *err) FK_WUR;
/* Finds by integer id or by reference (case-insensitive). */
enum fk_code fk_store_incident_find(struct fk_store *st, const char *id_or_ref,
                                    struct fk_incident *out, struct fk_err *err) FK_WUR;
/* Writes after, recording each field that differs from before. */
enum fk_code fk_store_incident_update(struct fk_store *st, const struct fk_incident *before,
                                      const struct fk_incident *after, struct fk_err *err) FK_WUR;
/* All incidents (closed ones only with include_closed), newest first. */
enum fk_code fk_store_incident_list(struct fk_store *st, bool include_closed,
                                    struct fk_incident **out, size_t *n, struct fk_err *err) FK_WUR;

/* Phases and tasks of an incident (instantiated from a playbook at creation). */
enum fk_code fk_store_tasks_insert(struct fk_store *st, int64_t incident,
                                   const struct fk_phase *phases, size_t n_phases,
                                   const struct fk_task *tasks, size_t n,
                                   struct fk_err *err) FK_WUR;
enum fk_code fk_store_phases_get(struct fk_store *st, int64_t incident, struct fk_phase **out,
                                 size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_tasks_get(struct fk_store *st, int64_t incident, struct fk_task **out,
                                size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_task_update(struct fk_store *st, int64_t incident,
                                  const struct fk_task *before, const struct fk_task *after,
                                  struct fk_err *err) FK_WUR;

/* Per-incident, per-phase counts for boards: finished (done or na) of total, overdue. */
struct fk_progress {
	int64_t incident;
	int phase;
	int finished;
	int total;
	int overdue;
	int64_t next_due; /* earliest due time of an unfinished task, FK_TIME_NONE if none */
};
enum fk_code fk_store_progress(struct fk_store *st, int64_t now, bool include_closed,
                               struct fk_progress **out, size_t *n, struct fk_err *err) FK_WUR;

/* Handover: an unset field is NULL. put writes the fields of after that differ. */
enum fk_code fk_store_handover_get(struct fk_store *st, int64_t incident, struct fk_handover *out,
                                   struct fk_err *err) FK_WUR;
enum fk_code fk_store_handover_put(struct fk_store *st, int64_t incident,
                                   const struct fk_handover *before,
                                   const struct fk_handover *after, struct fk_err *err) FK_WUR;

/* Roles. put inserts when before is NULL, else updates; delete removes one person. */
enum fk_code fk_store_roles_get(struct fk_store *st, int64_t incident, struct fk_person **out,
                                size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_role_put(struct fk_store *st, int64_t incident,
                               const struct fk_person *before, const struct fk_person *after,
                               struct fk_err *err) FK_WUR;
enum fk_code fk_store_role_delete(struct fk_store *st, int64_t incident, const struct fk_person *p,
                                  struct fk_err *err) FK_WUR;
/* Every holder of role across incidents (closed ones only with include_closed), ordered
 * by incident: for boards. Each element's id field holds the incident id. */
enum fk_code fk_store_role_holders(struct fk_store *st, int role, bool include_closed,
                                   struct fk_person **out, size_t *n, struct fk_err *err) FK_WUR;

/* Timeline, ordered by time. add sets id, recorded_by and recorded_at. */
enum fk_code fk_store_timeline_add(struct fk_store *st, int64_t incident,
                                   struct fk_timeline_entry *e, struct fk_err *err) FK_WUR;
enum fk_code fk_store_timeline_get(struct fk_store *st, int64_t incident,
                                   struct fk_timeline_entry **out, size_t *n,
                                   struct fk_err *err) FK_WUR;

/* Change history of an incident, oldest first. */
enum fk_code fk_store_changes_get(struct fk_store *st, int64_t incident, struct fk_change **out,
                                  size_t *n, struct fk_err *err) FK_WUR;

#endif
