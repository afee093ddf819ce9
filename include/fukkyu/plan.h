/*
 * plan.h - the recovery plan (source phase 2): level, deadline, priorities, cost and staff,
 * milestones, heightened monitoring with its exit criteria, the completion report; submitted
 * and approved by an approver of the incident, the approved version frozen (a change after
 * approval needs a new approval); and the restore points (which backup, its time against the
 * earliest compromise, how its integrity was checked).
 */
#ifndef FK_PLAN_H
#define FK_PLAN_H

#include "fukkyu/recovery.h"

enum fk_plan_level { FK_LEVEL_FULL, FK_LEVEL_PARTIAL, FK_LEVEL_IMPROVED, FK_LEVEL_COUNT };
extern const struct fk_enum fk_plan_levels[FK_LEVEL_COUNT];
enum fk_plan_state { FK_PLAN_DRAFT, FK_PLAN_SUBMITTED, FK_PLAN_APPROVED, FK_PLAN_STATE_COUNT };
extern const struct fk_enum fk_plan_states[FK_PLAN_STATE_COUNT];

#define FK_MILESTONES_MAX 100

struct fk_milestone {
	char *title;
	int64_t due_at;
};

struct fk_plan {
	int64_t version; /* 0: no plan yet */
	int state;
	int level; /* -1 not set */
	int64_t deadline, monitoring_start, monitoring_end, compromised_at, completed_at;
	char *priority, *exit_criteria, *completion_report;
	int64_t cost, staff_days; /* -1 not set */
	struct fk_milestone *milestones;
	size_t n_milestones;
	int64_t updated_at;
	char *updated_by;
	/* the last approval, if any */
	int64_t approved_version, approved_at;
	char *approved_by, *approved_sha256;
};
void fk_plan_release(struct fk_plan *p);

/* Changes to a plan: NULL / -1 / FK_TIME_NONE leave a field as it is; milestones replace
 * all of them when set (n may be 0 with milestones_set). */
struct fk_plan_patch {
	int level;
	int64_t deadline, monitoring_start, monitoring_end, compromised_at;
	const char *priority, *exit_criteria;
	int64_t cost, staff_days;
	bool milestones_set;
	const struct fk_milestone *milestones;
	size_t n_milestones;
};
#define FK_PLAN_PATCH_INIT                                                                         \
	{                                                                                          \
		-1, INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN, NULL, NULL, -1, -1, false, NULL, 0 \
	}

/* Reads milestones "DATE,TITLE" (CSV, no header) from f; errors name origin:line. */
enum fk_code fk_milestones_read(FILE *f, const char *origin, const char *tz,
                                struct fk_milestone **out, size_t *n, struct fk_err *err) FK_WUR;
void fk_milestones_free(struct fk_milestone *m, size_t n);

enum fk_code fk_plan_get(struct fk_ctx *c, int64_t incident, struct fk_plan *out,
                         struct fk_err *err) FK_WUR;
/* Creates or changes the plan (version + 1, back to draft); the deadline and the end of
 * monitoring become the incident's clocks. */
enum fk_code fk_plan_change(struct fk_ctx *c, const char *id, const struct fk_plan_patch *p,
                            struct fk_err *err) FK_WUR;
/* draft -> submitted: needs a level and a deadline. */
enum fk_code fk_plan_submit(struct fk_ctx *c, const char *id, struct fk_err *err) FK_WUR;
/* submitted -> approved, by an approver of the incident: the plan is frozen as approved. */
enum fk_code fk_plan_approve(struct fk_ctx *c, const char *id, struct fk_err *err) FK_WUR;
/* The recovery completion report (text), once the plan is approved. */
enum fk_code fk_plan_complete(struct fk_ctx *c, const char *id, const char *report,
                              struct fk_err *err) FK_WUR;

struct fk_restore_point {
	int no;
	char *system, *backup, *integrity, *recorded_by;
	int64_t backup_time, restored_at;
	bool after_compromise; /* the backup was taken after the earliest compromise */
};
void fk_restore_point_release(struct fk_restore_point *r);
/* Records a restore; a backup taken after the earliest compromise is refused unless
 * accept_risk (it may hold what the attacker left). */
enum fk_code fk_restore_add(struct fk_ctx *c, const char *id, struct fk_restore_point *r,
                            bool accept_risk, struct fk_err *err) FK_WUR;

#endif
