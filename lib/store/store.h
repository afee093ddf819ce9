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
/* Several reads from one snapshot (the server wraps each GET in one); end it with
 * fk_store_read_end. Writes are not allowed inside. */
enum fk_code fk_store_read_begin(struct fk_store *st, struct fk_err *err) FK_WUR;
void fk_store_read_end(struct fk_store *st);
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
/* The error for an incident that does not exist (or that the asker may not see). */
enum fk_code fk_store_incident_not_found(const char *id_or_ref, struct fk_err *err);
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

/* ---- the audit trail (store_audit.c) ---------------------------------------------------- */

/* Where the changes of the next transactions come from: "cli" (the default) or a web
 * client's address. origin must outlive the transactions. */
void fk_store_set_origin(struct fk_store *st, const char *origin);

enum fk_audit_problem {
	FK_AUDIT_OK,
	FK_AUDIT_ALTERED,  /* the entry's content no longer matches its hash */
	FK_AUDIT_BROKEN,   /* its link to the entry before is wrong: deleted, inserted, moved */
	FK_AUDIT_GAP,      /* entries are missing before it (numbers skip) */
	FK_AUDIT_UNSEALED, /* it has no hash */
};
struct fk_audit_check {
	int64_t total;   /* entries in the store */
	int64_t entries; /* entries verified before the first problem (all when none) */
	int64_t bad_id;  /* the first entry with a problem, 0 when none */
	enum fk_audit_problem problem;
	char head[65];   /* the hash of the last verified entry (keep it elsewhere to compare) */
	bool head_found; /* the head asked about is the hash of a verified entry */
};
/* Walks the whole chain; a problem is a result, not an error. head (may be NULL) is a head
 * kept from an earlier verify, looked for in the chain. */
enum fk_code fk_store_audit_verify(struct fk_store *st, const char *head,
                                   struct fk_audit_check *out, struct fk_err *err) FK_WUR;
/* The audit entries from from_id on, oldest first. */
enum fk_code fk_store_audit_log(struct fk_store *st, int64_t from_id, struct fk_change **out,
                                size_t *n, struct fk_err *err) FK_WUR;
/* At most FK_AUDIT_PAGE entries from from_id on (a page of the API's audit trail). */
#define FK_AUDIT_PAGE 500
enum fk_code fk_store_audit_page(struct fk_store *st, int64_t from_id, struct fk_change **out,
                                 size_t *n, struct fk_err *err) FK_WUR;

/* ---- revisions of records: optimistic concurrency (store_audit.c) ---------------------- */

/* A record's revision is the id of the last audit entry that changed it: the entries of
 * incident with this entity and key (key NULL: any key, for one-per-incident records such as
 * the plan). 0 when it never changed. */
enum fk_code fk_store_record_rev(struct fk_store *st, int64_t incident, const char *entity,
                                 const char *key, int64_t *rev, struct fk_err *err) FK_WUR;
struct fk_rev {
	char *key;
	int64_t rev;
};
/* The revisions of every record of entity in incident, sorted by key (for lists). */
enum fk_code fk_store_record_revs(struct fk_store *st, int64_t incident, const char *entity,
                                  struct fk_rev **out, size_t *n, struct fk_err *err) FK_WUR;
int64_t fk_revs_find(const struct fk_rev *revs, size_t n, const char *key);
void fk_revs_free(struct fk_rev *revs, size_t n);
/* The writer saw revision rev of the record (incident, entity, key): the next transaction's
 * first recorded change fails with FK_ECONFLICT (nothing written) when the record has changed
 * since. Writes are serialised on every backend, so the check and the write are atomic.
 * entity NULL clears the expectation. */
void fk_store_expect(struct fk_store *st, int64_t incident, const char *entity, const char *key,
                     int64_t rev);

/* ---- users, tokens, sessions (store_users.c; fukkyu/user.h) ------------------------------ */
#include "fukkyu/user.h"

/* Adds u (name, display_name, role; password_hash may be NULL); sets u->id. A taken name
 * is FK_ECONFLICT. */
enum fk_code fk_store_user_add(struct fk_store *st, struct fk_user *u, const char *password_hash,
                               struct fk_err *err) FK_WUR;
/* By name, or by id when name is NULL. */
enum fk_code fk_store_user_get(struct fk_store *st, const char *name, int64_t id,
                               struct fk_user *out, struct fk_err *err) FK_WUR;
enum fk_code fk_store_users(struct fk_store *st, struct fk_user **out, size_t *n,
                            struct fk_err *err) FK_WUR;
/* Writes u's display name, role and disabled flag (and a new password hash unless NULL)
 * over old; disabling ends the user's sessions. */
enum fk_code fk_store_user_set(struct fk_store *st, const struct fk_user *old,
                               const struct fk_user *u, const char *password_hash,
                               struct fk_err *err) FK_WUR;
enum fk_code fk_store_token_add(struct fk_store *st, const struct fk_user *u, const char *hash,
                                const char *label, int64_t *id, struct fk_err *err) FK_WUR;
enum fk_code fk_store_token_revoke(struct fk_store *st, int64_t id, struct fk_err *err) FK_WUR;
/* The enabled user holding the credential with this hash (an API token, or a session that
 * has not expired, whose CSRF token is copied to csrf); FK_EAUTH when none. */
enum fk_code fk_store_credential_user(struct fk_store *st, const char *hash, bool session,
                                      struct fk_user *out, char csrf[static 65],
                                      struct fk_err *err) FK_WUR;
enum fk_code fk_store_session_add(struct fk_store *st, const struct fk_user *u, const char *hash,
                                  const char *csrf, int64_t expires, struct fk_err *err) FK_WUR;
/* Ends the session with this hash (and any expired one). */
enum fk_code fk_store_session_end(struct fk_store *st, const char *hash, const char *user,
                                  struct fk_err *err) FK_WUR;

/* The stored argon2id string of a user's password (FK_EAUTH when none). */
enum fk_code fk_store_password_hash(struct fk_store *st, int64_t user, char **out,
                                    struct fk_err *err) FK_WUR;
/* An approval item not yet done, of an open incident. */
struct fk_approval {
	int64_t incident;
	char *ref, *incident_title, *item, *title_ja, *title_en;
	int64_t due_at;
};
void fk_approval_release(struct fk_approval *a);
/* Every open approval item, by incident then playbook order. */
enum fk_code fk_store_open_approvals(struct fk_store *st, struct fk_approval **out, size_t *n,
                                     struct fk_err *err) FK_WUR;
/* Need-to-know: whether u may see the incident (admins: always; a restricted incident: its
 * members only). */
enum fk_code fk_store_incident_visible(struct fk_store *st, int64_t incident,
                                       const struct fk_user *u, bool *visible,
                                       struct fk_err *err) FK_WUR;
/* The incidents u may not see (none for admins), ids ascending. */
enum fk_code fk_store_hidden_incidents(struct fk_store *st, const struct fk_user *u, int64_t **out,
                                       size_t *n, struct fk_err *err) FK_WUR;
/* A number that changes with every write (the last audit entry's): caches compare it. */
enum fk_code fk_store_data_version(struct fk_store *st, int64_t *out, struct fk_err *err) FK_WUR;
enum fk_code fk_store_incident_restrict(struct fk_store *st, int64_t incident, bool restricted,
                                        const char *ref, struct fk_err *err) FK_WUR;
/* Whether an incident is restricted to its members, and their names (by name). */
enum fk_code fk_store_incident_members(struct fk_store *st, int64_t incident, bool *restricted,
                                       char ***out, size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_member_set(struct fk_store *st, int64_t incident, const struct fk_user *u,
                                 bool member, struct fk_err *err) FK_WUR;

/* ---- assets, sweep, measures (fukkyu/asset.h) ---------------------------------------- */
#include "fukkyu/asset.h"

/* Marks the incident as changed now (its updated_at). */
enum fk_code fk_store_touch(struct fk_store *st, int64_t incident, struct fk_err *err) FK_WUR;

/* Appends a change not tied to one record (bulk imports); incident 0 for none. */
enum fk_code fk_store_note_change(struct fk_store *st, int64_t incident, const char *entity,
                                  const char *field, const char *value, struct fk_err *err) FK_WUR;

/* Inserts or updates (by name) an asset; *inserted tells which. */
enum fk_code fk_store_asset_upsert(struct fk_store *st, struct fk_asset *a, bool *inserted,
                                   struct fk_err *err) FK_WUR;
/* Brings the departments recorded in sweeps in step with the inventory (after an import). */
enum fk_code fk_store_sweep_sync(struct fk_store *st, struct fk_err *err) FK_WUR;
/* Around a bulk import (begin true, then false before commit): the inventory's secondary
 * indexes are dropped and built again, inside the caller's transaction. */
enum fk_code fk_store_asset_bulk(struct fk_store *st, bool begin, struct fk_err *err) FK_WUR;
enum fk_code fk_store_asset_find(struct fk_store *st, const char *name, struct fk_asset *out,
                                 struct fk_err *err) FK_WUR;
/* Calls cb for every asset (of department, when not NULL), ordered by name; a non-zero
 * return from cb stops and is returned. */
typedef enum fk_code (*fk_asset_cb)(void *ctx, const struct fk_asset *a);
enum fk_code fk_store_asset_each(struct fk_store *st, const char *department, fk_asset_cb cb,
                                 void *ctx, struct fk_err *err) FK_WUR;
enum fk_code fk_store_asset_count(struct fk_store *st, int64_t *n, struct fk_err *err) FK_WUR;
/* Assets of department (all when NULL). */
enum fk_code fk_store_asset_count_in(struct fk_store *st, const char *department, int64_t *n,
                                     struct fk_err *err) FK_WUR;
/* Calls cb for every asset whose backup_of names no asset, by name. */
typedef void (*fk_dangling_cb)(void *ctx, const char *name, const char *backup_of);
enum fk_code fk_store_asset_dangling(struct fk_store *st, fk_dangling_cb cb, void *ctx,
                                     struct fk_err *err) FK_WUR;

/* The systems an incident hit. */
enum fk_code fk_store_incident_asset_add(struct fk_store *st, int64_t incident,
                                         const struct fk_asset *a, bool *added,
                                         struct fk_err *err) FK_WUR;
enum fk_code fk_store_incident_assets(struct fk_store *st, int64_t incident, struct fk_asset **out,
                                      size_t *n, struct fk_err *err) FK_WUR;

struct fk_sweep {
	char *criteria; /* comma-separated, as given */
	char *procedure, *countermeasure, *reconnect, *reply_to;
	int64_t deadline; /* FK_TIME_NONE when none */
	int64_t started_at;
	char *started_by;
};
void fk_sweep_release(struct fk_sweep *s);
enum fk_code fk_store_sweep_get(struct fk_store *st, int64_t incident, struct fk_sweep *out,
                                bool *exists, struct fk_err *err) FK_WUR;
enum fk_code fk_store_sweep_put(struct fk_store *st, int64_t incident, const struct fk_sweep *s,
                                struct fk_err *err) FK_WUR;
/* Adds an entry (state unchecked) for every asset matching crit, or appends crit to the
 * reasons of an existing entry; never resets a state. *added counts new entries. */
enum fk_code fk_store_sweep_match(struct fk_store *st, int64_t incident,
                                  const struct fk_criterion *crit, int64_t *added,
                                  struct fk_err *err) FK_WUR;
/* The first sweep of an incident (no entries yet): the affected assets and every asset
 * matching any of crit, in one pass over the inventory. */
enum fk_code fk_store_sweep_first(struct fk_store *st, int64_t incident,
                                  const struct fk_criterion *crit, size_t n, int64_t *added,
                                  struct fk_err *err) FK_WUR;
/* The same for the incident's affected assets (reason "affected"). */
enum fk_code fk_store_sweep_add_affected(struct fk_store *st, int64_t incident, int64_t *added,
                                         struct fk_err *err) FK_WUR;

struct fk_sweep_entry {
	struct fk_asset asset;
	int state;
	char *reasons;
	char *note;
	int64_t updated_at;
	char *updated_by;
};
void fk_sweep_entry_release(struct fk_sweep_entry *e);
enum fk_code fk_store_sweep_entry_get(struct fk_store *st, int64_t incident, const char *asset,
                                      struct fk_sweep_entry *out, struct fk_err *err) FK_WUR;
/* Moves an entry to state with note (NULL keeps the note), recording the change. */
enum fk_code fk_store_sweep_entry_set(struct fk_store *st, int64_t incident,
                                      const struct fk_sweep_entry *before, int state,
                                      const char *note, struct fk_err *err) FK_WUR;
typedef enum fk_code (*fk_sweep_cb)(void *ctx, const struct fk_sweep_entry *e);
/* Entries ordered by department then name; state FK_UNSET (-1) for all. */
enum fk_code fk_store_sweep_each(struct fk_store *st, int64_t incident, int state,
                                 const char *department, fk_sweep_cb cb, void *ctx,
                                 struct fk_err *err) FK_WUR;
struct fk_sweep_count {
	char *department; /* "" when the asset has none */
	int64_t by_state[FK_SW_COUNT];
};
/* Counts per department and state, departments in order. */
enum fk_code fk_store_sweep_counts(struct fk_store *st, int64_t incident,
                                   struct fk_sweep_count **out, size_t *n,
                                   struct fk_err *err) FK_WUR;

struct fk_measure {
	int64_t id;
	int no; /* M<no> */
	int kind;
	char *title, *target_level, *owner;
	int64_t cost; /* -1 when unknown */
	int64_t due_at;
	char *approved_by;
	int64_t approved_at;
	int64_t created_at;
	char *created_by;
};
void fk_measure_release(struct fk_measure *m);
/* ---- root cause, interviews, lessons, the end of recovery (store_lessons.c) --------------- */
struct fk_cause;
struct fk_interview;
struct fk_lesson;
enum fk_code fk_store_cause_get(struct fk_store *st, int64_t incident, struct fk_cause *out,
                                bool *exists, struct fk_err *err) FK_WUR;
enum fk_code fk_store_cause_put(struct fk_store *st, int64_t incident, struct fk_cause *a,
                                struct fk_cause *b, struct fk_err *err) FK_WUR;
enum fk_code fk_store_interview_insert(struct fk_store *st, int64_t incident,
                                       struct fk_interview *i, struct fk_err *err) FK_WUR;
enum fk_code fk_store_interviews(struct fk_store *st, int64_t incident, struct fk_interview **out,
                                 size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_lesson_insert(struct fk_store *st, int64_t incident, struct fk_lesson *l,
                                    struct fk_err *err) FK_WUR;
enum fk_code fk_store_lessons(struct fk_store *st, int64_t incident, struct fk_lesson **out,
                              size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_lesson_state(struct fk_store *st, int64_t incident, const struct fk_lesson *l,
                                   int state, const char *accepted_by, struct fk_err *err) FK_WUR;
/* Systems of the sweep not yet in a final state, rollout entries still pending. */
enum fk_code fk_store_unfinished(struct fk_store *st, int64_t incident, int64_t *systems,
                                 int64_t *rollouts, struct fk_err *err) FK_WUR;
enum fk_code fk_store_recovery_end(struct fk_store *st, int64_t incident, const char *criteria,
                                   struct fk_err *err) FK_WUR;
enum fk_code fk_store_recovery_end_get(struct fk_store *st, int64_t incident, int64_t *at,
                                       char **by, char **criteria, struct fk_err *err) FK_WUR;

/* ---- affected users and communications (store_people.c; fukkyu/people.h) ---------------- */
struct fk_affected;
struct fk_comm;
enum fk_code fk_store_affected_insert(struct fk_store *st, int64_t incident,
                                      const struct fk_affected *a, struct fk_err *err) FK_WUR;
/* Records an import of rows from origin in the audit trail. */
enum fk_code fk_store_affected_imported(struct fk_store *st, int64_t incident, int64_t rows,
                                        const char *origin, struct fk_err *err) FK_WUR;
enum fk_code fk_store_affected(struct fk_store *st, int64_t incident, struct fk_affected **out,
                               size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_affected_update(struct fk_store *st, int64_t incident,
                                      const struct fk_affected *a, const struct fk_affected *b,
                                      struct fk_err *err) FK_WUR;
enum fk_code fk_store_affected_contact(struct fk_store *st, int64_t incident, int no,
                                       bool complaint, const char *text, int64_t at,
                                       struct fk_err *err) FK_WUR;
enum fk_code fk_store_comms(struct fk_store *st, int64_t incident, struct fk_comm **out, size_t *n,
                            struct fk_err *err) FK_WUR;
enum fk_code fk_store_comm_insert(struct fk_store *st, int64_t incident, struct fk_comm *m,
                                  struct fk_err *err) FK_WUR;
enum fk_code fk_store_comm_version(struct fk_store *st, int64_t comm, int64_t version,
                                   const char *text, const char *sha, struct fk_err *err) FK_WUR;
enum fk_code fk_store_comm_update(struct fk_store *st, int64_t incident, const struct fk_comm *a,
                                  const struct fk_comm *b, struct fk_err *err) FK_WUR;
/* A version's text and SHA-256 (NULL when there is no such version). */
enum fk_code fk_store_comm_text(struct fk_store *st, int64_t comm, int64_t version, char **text,
                                char **sha, struct fk_err *err) FK_WUR;

/* Per incident with any: the damage total in yen, people and companies affected, those not
 * yet notified (the board's columns), by incident. */
struct fk_record_figures {
	int64_t incident, damage_jpy, affected, not_notified;
};
enum fk_code fk_store_record_figures(struct fk_store *st, struct fk_record_figures **out, size_t *n,
                                     struct fk_err *err) FK_WUR;

/* ---- the intake queue (store_intake.c; fukkyu/intake.h) ---------------------------------- */
struct fk_intake;
/* Inserts a report with the next reference of year (RPT-YEAR-NNNN, e->ref set). */
enum fk_code fk_store_intake_insert(struct fk_store *st, struct fk_intake *e, int year,
                                    struct fk_err *err) FK_WUR;
enum fk_code fk_store_intake_list(struct fk_store *st, bool all, struct fk_intake **out, size_t *n,
                                  struct fk_err *err) FK_WUR;
enum fk_code fk_store_intake_get(struct fk_store *st, const char *ref, struct fk_intake *out,
                                 struct fk_err *err) FK_WUR;
/* Marks a new report handled (attached to incident, or dismissed with reason). */
enum fk_code fk_store_intake_handle(struct fk_store *st, const struct fk_intake *e, int state,
                                    int64_t incident, const char *reason,
                                    struct fk_err *err) FK_WUR;

/* ---- the recovery plan (store_plan.c; fukkyu/plan.h) ------------------------------------ */
struct fk_plan;
struct fk_restore_point;
/* The plan of an incident (version 0 when there is none), milestones, the last approval. */
enum fk_code fk_store_plan_get(struct fk_store *st, int64_t incident, struct fk_plan *p,
                               struct fk_err *err) FK_WUR;
/* Writes plan b over a (as read), recording what changed; milestones are rewritten when b's
 * array is not a's. */
enum fk_code fk_store_plan_put(struct fk_store *st, int64_t incident, const struct fk_plan *a,
                               const struct fk_plan *b, struct fk_err *err) FK_WUR;
enum fk_code fk_store_plan_approval(struct fk_store *st, int64_t incident, int64_t version,
                                    const char *snapshot, const char *sha,
                                    struct fk_err *err) FK_WUR;
enum fk_code fk_store_restore_insert(struct fk_store *st, int64_t incident,
                                     struct fk_restore_point *r, struct fk_err *err) FK_WUR;
enum fk_code fk_store_restores(struct fk_store *st, int64_t incident, struct fk_restore_point **out,
                               size_t *n, struct fk_err *err) FK_WUR;

/* ---- clocks and the reporter (store_clocks.c; fukkyu/clocks.h) ------------------------- */
struct fk_obligation;
struct fk_deadline_state;
struct fk_clock_facts;
struct fk_reporter;
struct fk_contact;
enum fk_code fk_store_obligations(struct fk_store *st, struct fk_obligation **out, size_t *n,
                                  struct fk_err *err) FK_WUR;
enum fk_code fk_store_obligation_insert(struct fk_store *st, const struct fk_obligation *o,
                                        struct fk_err *err) FK_WUR;
enum fk_code fk_store_obligation_rule(struct fk_store *st, const struct fk_obligation *o,
                                      const char *rule, struct fk_err *err) FK_WUR;
/* Decisions on deadlines: of one incident, or of all (incident 0). */
enum fk_code fk_store_deadline_states(struct fk_store *st, int64_t incident,
                                      struct fk_deadline_state **out, size_t *n,
                                      struct fk_err *err) FK_WUR;
enum fk_code fk_store_deadline_set(struct fk_store *st, int64_t incident, const char *key,
                                   int state, int64_t at, const char *reason, const char *copy,
                                   const char *sha, struct fk_err *err) FK_WUR;
enum fk_code fk_store_clock_facts(struct fk_store *st, int64_t incident, struct fk_clock_facts *f,
                                  struct fk_err *err) FK_WUR;
/* The facts of every incident with a reporter, by incident. */
enum fk_code fk_store_clock_facts_all(struct fk_store *st, struct fk_clock_facts **out, size_t *n,
                                      struct fk_err *err) FK_WUR;
enum fk_code fk_store_reporter_insert(struct fk_store *st, int64_t incident, struct fk_reporter *r,
                                      struct fk_err *err) FK_WUR;
enum fk_code fk_store_reporters(struct fk_store *st, int64_t incident, struct fk_reporter **out,
                                size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_contact_insert(struct fk_store *st, int64_t incident,
                                     const struct fk_reporter *r, const struct fk_contact *k,
                                     struct fk_err *err) FK_WUR;
enum fk_code fk_store_contacts(struct fk_store *st, int64_t incident, struct fk_contact **out,
                               size_t *n, struct fk_err *err) FK_WUR;

/* ---- the damage and cost ledger (store_damage.c; fukkyu/damage.h) ---------------------- */
struct fk_damage;
/* Inserts an entry and its split (d->id, no, created_* filled in), recorded in the audit
 * trail; inside a transaction. */
enum fk_code fk_store_damage_insert(struct fk_store *st, int64_t incident, struct fk_damage *d,
                                    struct fk_err *err) FK_WUR;
enum fk_code fk_store_damage_agree(struct fk_store *st, int64_t incident, const struct fk_damage *d,
                                   const char *by, struct fk_err *err) FK_WUR;
/* An incident's entries with their splits, by number. */
enum fk_code fk_store_damage_list(struct fk_store *st, int64_t incident, struct fk_damage **out,
                                  size_t *n, struct fk_err *err) FK_WUR;

enum fk_code fk_store_measure_insert(struct fk_store *st, int64_t incident, struct fk_measure *m,
                                     struct fk_err *err) FK_WUR;
enum fk_code fk_store_measures(struct fk_store *st, int64_t incident, struct fk_measure **out,
                               size_t *n, struct fk_err *err) FK_WUR;
enum fk_code fk_store_measure_approve(struct fk_store *st, int64_t incident,
                                      const struct fk_measure *m, struct fk_err *err) FK_WUR;
/* Creates pending entries for every system in scope not yet in the rollout. */
enum fk_code fk_store_rollout_create(struct fk_store *st, int64_t incident,
                                     const struct fk_measure *m, unsigned scope, int64_t *added,
                                     struct fk_err *err) FK_WUR;
struct fk_rollout_entry {
	struct fk_asset asset;
	char *scope;
	int state;
	char *reason, *accepted_by;
	int64_t updated_at;
	char *updated_by;
};
void fk_rollout_entry_release(struct fk_rollout_entry *e);
enum fk_code fk_store_rollout_entry_get(struct fk_store *st, const struct fk_measure *m,
                                        const char *asset, struct fk_rollout_entry *out,
                                        struct fk_err *err) FK_WUR;
enum fk_code fk_store_rollout_entry_set(struct fk_store *st, int64_t incident,
                                        const struct fk_measure *m,
                                        const struct fk_rollout_entry *before, int state,
                                        const char *reason, const char *accepted_by,
                                        struct fk_err *err) FK_WUR;
typedef enum fk_code (*fk_rollout_cb)(void *ctx, const struct fk_rollout_entry *e);
enum fk_code fk_store_rollout_each(struct fk_store *st, const struct fk_measure *m, int state,
                                   fk_rollout_cb cb, void *ctx, struct fk_err *err) FK_WUR;
/* Counts per state (and per scope key: affected, similar, spare, all). */
enum fk_code fk_store_rollout_counts(struct fk_store *st, const struct fk_measure *m,
                                     int64_t by_state[FK_RO_COUNT], struct fk_err *err) FK_WUR;
/* Pending entries of every measure of the incident, as "M1 pc-0042" (at most max). */
enum fk_code fk_store_rollout_pending(struct fk_store *st, int64_t incident, size_t max,
                                      struct fk_buf *list, size_t *n, struct fk_err *err) FK_WUR;

/* Sweep coverage and rollout progress of each incident, ordered by incident (for boards). */
struct fk_sweep_summary {
	int64_t incident;
	int64_t total, checked;    /* sweep entries */
	int64_t ro_total, ro_done; /* rollout entries; done = applied, verified, exception */
};
enum fk_code fk_store_sweep_summaries(struct fk_store *st, struct fk_sweep_summary **out, size_t *n,
                                      struct fk_err *err) FK_WUR;

/* ---- evidence ------------------------------------------------------------------------ */

struct fk_evidence {
	int64_t id;
	char *kind;
	char *query, *files, *summary, *result; /* JSON texts */
	int64_t created_at;
	char *created_by;
};
void fk_evidence_release(struct fk_evidence *e);
/* Stores e for the incident (sets id, created_at, created_by). */
enum fk_code fk_store_evidence_add(struct fk_store *st, int64_t incident, struct fk_evidence *e,
                                   struct fk_err *err) FK_WUR;
enum fk_code fk_store_evidence_list(struct fk_store *st, int64_t incident, struct fk_evidence **out,
                                    size_t *n, struct fk_err *err) FK_WUR;

/* Documents (issue 7): the organisation's profile (value NULL clears a field), and its own
 * versions of templates (body NULL: back to the shipped text; *version: the new number). */
struct fk_org_value;
enum fk_code fk_store_org(struct fk_store *st, struct fk_org_value **out, size_t *n,
                          struct fk_err *err) FK_WUR;
enum fk_code fk_store_org_set(struct fk_store *st, const char *field, const char *value,
                              struct fk_err *err) FK_WUR;
enum fk_code fk_store_template(struct fk_store *st, const char *name, const char *lang, char **body,
                               int64_t *version, struct fk_err *err) FK_WUR;
enum fk_code fk_store_template_put(struct fk_store *st, const char *name, const char *lang,
                                   const char *body, const char *sha, int64_t *version,
                                   struct fk_err *err) FK_WUR;

/* Closed incidents (fukkyu cases), newest first: those of kind (FK_UNSET: any) whose title,
 * description, cause or lessons contain search (NULL: all), with their lessons. */
struct fk_case {
	int64_t id;
	char *ref, *title, *root_cause;
	int kind;
	int64_t discovered_at, closed_at;
	char **lessons;
	size_t nlessons;
};
void fk_case_release(struct fk_case *c);
enum fk_code fk_store_cases(struct fk_store *st, const char *search, int kind, struct fk_case **out,
                            size_t *n, struct fk_err *err) FK_WUR;

/* ---- backup, verify, restore, migrate (store_backup.c; docs/BACKUP.md) -------------------- */

/* What a backup holds: room for every table of the list in store_backup.c. */
#define FK_BACKUP_MAX_TABLES 64

enum fk_backup_format {
	FK_BACKUP_AUTO,   /* a SQLite file from SQLite, a dump from PostgreSQL */
	FK_BACKUP_SQLITE, /* a SQLite database file */
	FK_BACKUP_DUMP,   /* fukkyu's portable dump (JSON lines; docs/BACKUP.md) */
};

/* What a backup (or a database copied from or into) holds. */
struct fk_backup_info {
	enum fk_backup_format format; /* SQLITE or DUMP: the kind of file */
	char source[16];              /* the backend the data came from: sqlite, postgresql */
	int schema;                   /* its schema version */
	char created_at[32];          /* dumps: when it was taken (UTC); "" otherwise */
	char sha256[65];              /* dumps: the checksum in the end marker; "" otherwise */
	size_t ntables;
	struct {
		const char *name; /* static: the name in the table list */
		int64_t rows;
	} tables[FK_BACKUP_MAX_TABLES];
	int64_t rows;
	bool audited; /* audit was computed (or, for a dump read on its own, recorded) */
	struct fk_audit_check audit;
};

/*
 * Writes a consistent backup of st to path, through a temporary file in the same folder that
 * is renamed to path when complete (a failed backup leaves no file at path). Formats: a
 * SQLite file (from SQLite: the online backup API; from PostgreSQL: the rows copied into a
 * new SQLite file) or a dump, taken in one read transaction. Refused, writing nothing, when
 * the database holds a table that the backup list does not know (a migration added it
 * without adding it to the list). FK_ETAMPERED when the backup was written but the audit
 * trail it holds was already broken. info: what was written.
 */
enum fk_code fk_backup_write(struct fk_store *st, const char *path, enum fk_backup_format format,
                             struct fk_backup_info *info, struct fk_err *err) FK_WUR;

/*
 * Checks the backup at path without restoring it: a SQLite file (integrity and foreign
 * keys, a known schema version, every table of that version and no other, the audit chain)
 * or a dump (the header, every line, the row counts and checksums, then the audit chain,
 * recomputed in a temporary SQLite store). A problem is an error that names it (the file and
 * line for dumps). info: what the backup holds.
 */
enum fk_code fk_backup_verify(const char *path, struct fk_backup_info *info,
                              struct fk_err *err) FK_WUR;

/*
 * Restores the backup at path (either kind) into the database at url, which must be new or
 * hold no data (created when it is a new SQLite file): its schema up to the backup's
 * version, every row in one transaction (nothing is written when any of it fails), the
 * identity sequences, then the later migrations when the backup is older. from: what the
 * backup holds; to: the target read back after commit (counts, audit chain), compared with
 * from (a difference is an error, with both filled in).
 */
enum fk_code fk_backup_restore(const char *path, const char *url, struct fk_backup_info *from,
                               struct fk_backup_info *to, struct fk_err *err) FK_WUR;

/* The same copy from the database at from_url (read in one read transaction) into the empty
 * database at to_url, as fk_backup_restore: moving a database between backends. */
enum fk_code fk_backup_migrate(const char *from_url, const char *to_url,
                               struct fk_backup_info *from, struct fk_backup_info *to,
                               struct fk_err *err) FK_WUR;

/* The dump reader on its own (verify's first pass; fuzzing): checks the dump f, named name in
 * messages, without a database. info: what it holds, with the audit head it records. */
enum fk_code fk_backup_dump_check(FILE *f, const char *name, struct fk_backup_info *info,
                                  struct fk_err *err) FK_WUR;
/* Loads the dump f into st, a store without data (fuzzing: an in-memory one), in one
 * transaction, as fk_backup_restore does. */
enum fk_code fk_backup_dump_load(struct fk_store *st, FILE *f, const char *name,
                                 struct fk_backup_info *info, struct fk_err *err) FK_WUR;

#endif
