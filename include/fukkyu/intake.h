/*
 * intake.h - the intake point: reports from outside (the public /report page) wait in a queue
 * with their acknowledgement clock running, until a responder attaches them to an incident
 * (the reporter record carries the report's time, so the incident's clock starts there) or
 * opens a new incident from one, or dismisses one (spam) with the reason.
 */
#ifndef FK_INTAKE_H
#define FK_INTAKE_H

#include "fukkyu/recovery.h"

#define FK_INTAKE_TEXT_MAX 8000 /* bytes of a report's text */

enum fk_intake_state { FK_INTAKE_NEW, FK_INTAKE_ATTACHED, FK_INTAKE_DISMISSED, FK_INTAKE_COUNT };
extern const struct fk_enum fk_intake_states[FK_INTAKE_COUNT];

struct fk_intake {
	int64_t id;
	char *ref, *name, *contact, *text, *origin;
	int64_t received_at;
	int state;
	int64_t incident_id; /* 0 when not attached */
	char *incident_ref, *handled_by, *reason;
	int64_t handled_at;
	int64_t ack_due; /* end of the next business day after it came (computed) */
	bool overdue;    /* still new after ack_due (computed) */
};
void fk_intake_release(struct fk_intake *e);

/* Takes a report (name optional, contact and text required); fills e (ref, received_at). */
enum fk_code fk_intake_submit(struct fk_ctx *c, struct fk_intake *e, struct fk_err *err) FK_WUR;
/* The queue: the new ones (all: every one), oldest first. */
enum fk_code fk_intake_list(struct fk_ctx *c, bool all, struct fk_intake **out, size_t *n,
                            struct fk_err *err) FK_WUR;
enum fk_code fk_intake_get(struct fk_ctx *c, const char *ref, struct fk_intake *out,
                           struct fk_err *err) FK_WUR;
/* Attaches a new report to the incident id: a reporter record (channel web, at the report's
 * time, its text as the note). */
enum fk_code fk_intake_attach(struct fk_ctx *c, const char *ref, const char *id,
                              struct fk_err *err) FK_WUR;
/* Opens an incident from a new report (discovered when the report came), with the default
 * playbook and the reporter record, in one transaction; inc holds the new incident. */
enum fk_code fk_intake_open(struct fk_ctx *c, const char *ref, struct fk_incident *inc,
                            struct fk_err *err) FK_WUR;
enum fk_code fk_intake_dismiss(struct fk_ctx *c, const char *ref, const char *reason,
                               struct fk_err *err) FK_WUR;

#endif
