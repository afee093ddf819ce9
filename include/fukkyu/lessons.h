/*
 * lessons.h - root cause and lessons (source phases 3 and 4): the root-cause record,
 * interviews (sensitive), lessons learned with their action items, and the declaration that
 * ends recovery once its criteria hold, signed by the recovery owner.
 */
#ifndef FK_LESSONS_H
#define FK_LESSONS_H

#include "fukkyu/recovery.h"

enum fk_origin { FK_ORIGIN_INSIDE, FK_ORIGIN_OUTSIDE, FK_ORIGIN_UNKNOWN, FK_ORIGIN_COUNT };
extern const struct fk_enum fk_origins[FK_ORIGIN_COUNT];

/* The root-cause record; NULL / -1 fields are not known (in a patch: unchanged). */
struct fk_cause {
	int origin;
	char *route, *cves, *misconfig, *direct_cause, *root_cause, *factors, *laws, *evidence;
	int64_t updated_at;
	char *updated_by;
};
void fk_cause_release(struct fk_cause *c);
enum fk_code fk_cause_get(struct fk_ctx *c, int64_t incident, struct fk_cause *out, bool *exists,
                          struct fk_err *err) FK_WUR;
/* Sets the fields given (non-NULL, origin >= 0): CVE ids must look like CVE-YYYY-NNNN, the
 * evidence must name the incident's evidence (E1,E2). */
enum fk_code fk_cause_set(struct fk_ctx *c, const char *id, const struct fk_cause *patch,
                          struct fk_err *err) FK_WUR;

struct fk_interview {
	int no;
	char *interviewee, *interviewer, *summary, *evidence, *created_by;
	int64_t held_at;
};
void fk_interview_release(struct fk_interview *i);
enum fk_code fk_interview_add(struct fk_ctx *c, const char *id, struct fk_interview *i,
                              struct fk_err *err) FK_WUR;

enum fk_lesson_kind { FK_LK_LESSON, FK_LK_TRAINING, FK_LK_DRILL, FK_LK_AUDIT, FK_LK_COUNT };
extern const struct fk_enum fk_lesson_kinds[FK_LK_COUNT];
enum fk_lesson_state {
	FK_LS_OPEN,
	FK_LS_IMPLEMENTED,
	FK_LS_VERIFIED,
	FK_LS_ACCEPTED_RISK,
	FK_LS_COUNT
};
extern const struct fk_enum fk_lesson_states[FK_LS_COUNT];

struct fk_lesson {
	int no;
	int kind, state;
	char *lesson, *action, *owner, *verify, *changes, *accepted_by, *updated_by;
	int64_t due_at, updated_at;
};
void fk_lesson_release(struct fk_lesson *l);
enum fk_code fk_lesson_add(struct fk_ctx *c, const char *id, struct fk_lesson *l,
                           struct fk_err *err) FK_WUR;
/* open -> implemented -> verified, or accepted-risk (with who accepted) from open or
 * implemented; verified and accepted-risk are final. */
enum fk_code fk_lesson_set(struct fk_ctx *c, const char *id, const char *code, int state,
                           const char *accepted_by, struct fk_err *err) FK_WUR;

/* The end of recovery: each criterion and whether it holds. */
#define FK_END_CRITERIA 5
struct fk_end_check {
	const char *key; /* plan-complete, monitoring-ended, systems-verified, rollouts-done,
	                    clocks-closed */
	bool ok;
	char detail_en[200], detail_ja[200];
};
/* Checks the criteria of the incident at now (a read). */
enum fk_code fk_end_check(struct fk_ctx *c, const char *id,
                          struct fk_end_check out[FK_END_CRITERIA], struct fk_err *err) FK_WUR;
/* Declares the end, by the incident's recovery owner, when every criterion holds. */
enum fk_code fk_end_declare(struct fk_ctx *c, const char *id, struct fk_err *err) FK_WUR;

#endif
