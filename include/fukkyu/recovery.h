/*
 * recovery.h - the operations a user performs on an incident, with their rules.
 *
 * Front ends (CLI, later the HTTP API) call these and nothing below them for writes: each
 * validates its input, runs in one store transaction attributed to ctx->actor, and either
 * commits everything or leaves the store unchanged. An out parameter is filled only when
 * the function returns FK_OK (the caller then releases it).
 */
#ifndef FK_RECOVERY_H
#define FK_RECOVERY_H

#include "fukkyu/common.h"
#include "fukkyu/incident.h"
#include "fukkyu/playbook.h"
#include "store/store.h"
#include "util/err.h"

struct fk_ctx {
	struct fk_store *st;
	const char *actor; /* who acts: --as NAME, else the login name */
	const char *tz;    /* display zone for dates without an offset and for refs */
	int64_t now;
};

/* Limits on free text, in bytes (UTF-8). */
#define FK_TITLE_MAX 500
#define FK_TEXT_MAX  65536

/* Unset markers for patches. */
#define FK_UNSET (-1)

/* Creates inc (title, kind, severity, discovered_at, optional fields) with the tasks of pb
 * for its kind; inc->id and inc->ref are filled in. */
enum fk_code fk_incident_create(struct fk_ctx *c, struct fk_incident *inc,
                                const struct fk_playbook *pb, struct fk_err *err) FK_WUR;

struct fk_incident_patch {
	const char *title;         /* NULL: unchanged */
	const char *description;   /* NULL: unchanged */
	int severity;              /* FK_UNSET: unchanged */
	int64_t discovered_at;     /* FK_TIME_NONE: unchanged */
	int64_t contained_at;      /* FK_TIME_NONE: unchanged */
	int pii;                   /* FK_UNSET, 0, 1 */
	int64_t pii_count;         /* FK_UNSET: unchanged */
	int pii_sensitive;         /* FK_UNSET, 0, 1 */
	int pii_financial;         /* FK_UNSET, 0, 1 */
	int pii_unlawful;          /* FK_UNSET, 0, 1 */
	int pii_eu;                /* FK_UNSET, 0, 1 */
	int64_t recovery_deadline; /* FK_TIME_NONE: unchanged */
	int64_t monitoring_end;    /* FK_TIME_NONE: unchanged */
	const char *pii_items;     /* NULL: unchanged; "": cleared */
	const char *pii_harm;      /* NULL: unchanged; "": cleared */
	int clocks_ntp;            /* FK_UNSET, 0, 1 */
};
#define FK_INCIDENT_PATCH_INIT                                                                     \
	{                                                                                          \
		NULL, NULL, FK_UNSET, INT64_MIN, INT64_MIN, FK_UNSET, FK_UNSET, FK_UNSET,          \
		    FK_UNSET, FK_UNSET, FK_UNSET, INT64_MIN, INT64_MIN, NULL, NULL, FK_UNSET       \
	}

/* Whether the patch changes nothing. */
bool fk_incident_patch_empty(const struct fk_incident_patch *p);
enum fk_code fk_incident_change(struct fk_ctx *c, const char *id, const struct fk_incident_patch *p,
                                struct fk_incident *out, struct fk_err *err) FK_WUR;

/* Moves the incident to state to (FK_UNSET: the usual next state). Refused, with the
 * allowed states listed, if the transition is not allowed; closing is refused while any
 * task is unfinished (the message lists them). */
enum fk_code fk_incident_transition(struct fk_ctx *c, const char *id, int to,
                                    struct fk_incident *out, struct fk_err *err) FK_WUR;

struct fk_task_patch {
	int state;          /* FK_UNSET: unchanged */
	const char *reason; /* reason for na */
	const char *note;   /* replaces the note; "" clears it */
	const char *owner;  /* "" clears it */
	int64_t due_at;     /* FK_TIME_NONE: unchanged */
	bool clear_due;
};
#define FK_TASK_PATCH_INIT                                                                         \
	{                                                                                          \
		FK_UNSET, NULL, NULL, NULL, INT64_MIN, false                                       \
	}

/* Changes one task. An item that needs approval can be marked done only by an approver
 * of the incident (ctx->actor among the incident's approvers). */
enum fk_code fk_task_change(struct fk_ctx *c, const char *id, const char *item,
                            const struct fk_task_patch *p, struct fk_task *out,
                            struct fk_err *err) FK_WUR;

/* Sets the handover fields given (values[f] non-NULL; "" clears a field). */
enum fk_code fk_handover_change(struct fk_ctx *c, const char *id,
                                const char *const values[FK_HO_COUNT], struct fk_err *err) FK_WUR;

/* Assigns a role. For a single-holder role the holder is replaced; approvers accumulate
 * (the same name again updates the contact details). */
enum fk_code fk_role_assign(struct fk_ctx *c, const char *id, const struct fk_person *p,
                            struct fk_err *err) FK_WUR;
enum fk_code fk_role_remove(struct fk_ctx *c, const char *id, int role, const char *name,
                            struct fk_err *err) FK_WUR;

enum fk_code fk_timeline_record(struct fk_ctx *c, const char *id, struct fk_timeline_entry *e,
                                struct fk_err *err) FK_WUR;

/* The board: every incident not closed (all with include_closed), newest first. */
struct fk_board_row {
	struct fk_incident inc;
	int finished[FK_PLAYBOOK_PHASES];
	int total[FK_PLAYBOOK_PHASES];
	int overdue;
	int64_t next_due;
	char *owner;                         /* recovery owner, NULL if none */
	int64_t sweep_total, sweep_checked;  /* company-wide sweep (0 when none) */
	int64_t rollout_total, rollout_done; /* countermeasure rollout entries */
	int clocks_overdue;                  /* legal and promised clocks past due, still open */
	int64_t clock_due;                   /* the next open clock's due time, or FK_TIME_NONE */
	char clock_key[48];                  /* and its key ("" when none) */
	int64_t damage_jpy;                  /* the damage ledger's total in yen */
	int64_t affected, not_notified;      /* the register of affected users */
};
struct fk_board {
	struct fk_board_row *rows;
	size_t n;
};
enum fk_code fk_board_build(struct fk_ctx *c, bool include_closed, struct fk_board *out,
                            struct fk_err *err) FK_WUR;
void fk_board_release(struct fk_board *b);

/* Stores an evidence record for the incident and, when first/last are set, puts the first
 * and last sightings on its timeline (texts first_text, last_text; source "evidence E<id>"),
 * all in one transaction. */
enum fk_code fk_evidence_record(struct fk_ctx *c, const char *id, struct fk_evidence *e,
                                int64_t first, const char *first_text, int64_t last,
                                const char *last_text, struct fk_err *err) FK_WUR;

#endif
