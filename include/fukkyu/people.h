/*
 * people.h - the people harmed and what was said to the outside (source phases 5 and 6): the
 * register of affected users (imported from CSV, all or nothing) with their notice, complaints
 * and compensation; and the communications log, each statement drafted in versions, approved
 * by an approver, and sent only as approved.
 */
#ifndef FK_PEOPLE_H
#define FK_PEOPLE_H

#include "fukkyu/recovery.h"

struct fk_import_report;

enum fk_affected_kind { FK_AK_PERSON, FK_AK_COMPANY, FK_AK_COUNT };
extern const struct fk_enum fk_affected_kinds[FK_AK_COUNT];
enum fk_notice {
	FK_NOTICE_PENDING,
	FK_NOTICE_SENT,
	FK_NOTICE_UNREACHABLE,
	FK_NOTICE_NOT_REQUIRED,
	FK_NOTICE_COUNT
};
extern const struct fk_enum fk_notices[FK_NOTICE_COUNT];

struct fk_affected {
	int no, kind, notice;
	char *name, *contact, *data, *damage, *contract, *notice_channel, *updated_by;
	bool sensitive;
	int64_t damage_amount, offered, paid; /* -1: not known */
	int64_t notice_at, updated_at;
	int complaints, replies; /* contacts recorded */
};
void fk_affected_release(struct fk_affected *a);

/* Imports CSV with a header naming some of: kind, name (required), contact, data, sensitive
 * (yes/no), damage, damage_amount, contract. Every row is checked first; any error (reported
 * as file:line:column) writes nothing. */
enum fk_code fk_affected_import(struct fk_ctx *c, const char *id, FILE *f, const char *origin,
                                struct fk_import_report *r, struct fk_err *err) FK_WUR;

/* A change to one entry: notice (FK_UNSET keeps), channel, offered/paid (-1 keep). */
struct fk_affected_patch {
	int notice;
	const char *channel;
	int64_t notice_at, offered, paid;
};
enum fk_code fk_affected_set(struct fk_ctx *c, const char *id, const char *code,
                             const struct fk_affected_patch *p, struct fk_err *err) FK_WUR;
/* A complaint from them, or our reply. */
enum fk_code fk_affected_contact(struct fk_ctx *c, const char *id, const char *code, bool complaint,
                                 const char *text, int64_t at, struct fk_err *err) FK_WUR;

enum fk_audience {
	FK_AUD_USERS,
	FK_AUD_MEDIA,
	FK_AUD_SHAREHOLDERS,
	FK_AUD_REGULATOR,
	FK_AUD_POLICE,
	FK_AUD_CERT,
	FK_AUD_PARTNERS,
	FK_AUD_EMPLOYEES,
	FK_AUD_OTHER,
	FK_AUD_COUNT
};
extern const struct fk_enum fk_audiences[FK_AUD_COUNT];
enum fk_comm_state { FK_COMM_DRAFT, FK_COMM_APPROVED, FK_COMM_SENT, FK_COMM_STATE_COUNT };
extern const struct fk_enum fk_comm_states[FK_COMM_STATE_COUNT];

struct fk_comm {
	int64_t id;
	int no, audience, state;
	char *title, *approved_by, *sent_by, *channel, *created_by;
	int64_t version, approved_version, approved_at, sent_at, created_at;
};
void fk_comm_release(struct fk_comm *m);

/* A new statement (draft, version 1 with text). */
enum fk_code fk_comm_add(struct fk_ctx *c, const char *id, struct fk_comm *m, const char *text,
                         struct fk_err *err) FK_WUR;
/* A new version of the text: an approved statement goes back to draft; a sent one is final. */
enum fk_code fk_comm_edit(struct fk_ctx *c, const char *id, const char *code, const char *text,
                          struct fk_err *err) FK_WUR;
/* Approves the current version (approvers of the incident). */
enum fk_code fk_comm_approve(struct fk_ctx *c, const char *id, const char *code,
                             struct fk_err *err) FK_WUR;
/* Records that the approved version was sent (when, by which channel). */
enum fk_code fk_comm_send(struct fk_ctx *c, const char *id, const char *code, const char *channel,
                          int64_t at, struct fk_err *err) FK_WUR;

#endif
