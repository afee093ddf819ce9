/*
 * clocks.h - legal and promised clocks (REPORTING.md): obligations as data, each incident's
 * deadlines computed from its facts (discovery, personal-data flags, the reporter, the plan's
 * dates), and the decisions on them (submitted with a frozen copy, or not required with the
 * reason and who decided). Days and business days are counted in Japan's time (Asia/Tokyo),
 * with Japanese public holidays (data/holidays-jp.csv) as non-business days.
 */
#ifndef FK_CLOCKS_H
#define FK_CLOCKS_H

#include "fukkyu/recovery.h"

#define FK_CLOCK_ZONE "Asia/Tokyo"

enum fk_trigger {
	FK_TRIG_APPI,
	FK_TRIG_GDPR,
	FK_TRIG_REPORTER,
	FK_TRIG_RECOVERY,
	FK_TRIG_MONITORING,
	FK_TRIG_ALWAYS,
	FK_TRIG_COUNT
};
extern const struct fk_enum fk_triggers[FK_TRIG_COUNT];

enum fk_clock_state {
	FK_CLOCK_OPEN,
	FK_CLOCK_TO_DECIDE, /* APPI: personal data involved, the rule 7 facts not all known */
	FK_CLOCK_SUBMITTED,
	FK_CLOCK_NOT_REQUIRED,
	FK_CLOCK_DONE, /* the reporter was answered (a contact out after the report) */
	FK_CLOCK_STATE_COUNT
};
extern const struct fk_enum fk_clock_states[FK_CLOCK_STATE_COUNT];

struct fk_obligation {
	char *key, *title_ja, *title_en;
	int trigger; /* enum fk_trigger */
	char *rule, *owner_role, *source;
	bool builtin;
};
void fk_obligation_release(struct fk_obligation *o);

/* Whether day (days since 1970-01-01, a civil date) is a Japanese public holiday, and
 * whether it is a business day (not Saturday, Sunday or a holiday). */
bool fk_jp_holiday(int64_t day);
bool fk_business_day(int64_t day);

/* The due time of rule counted from start: hours:N | days:N | days:N/unlawful:M |
 * window:A-B | promptly:N | business-days:N | at (start itself). Day counts end at the end of
 * the day in FK_CLOCK_ZONE (the day of start not counted). *window_start is set for window
 * rules (else FK_TIME_NONE); *guide is true where the law sets no fixed day (promptly). */
enum fk_code fk_rule_due(const char *rule, int64_t start, bool unlawful, int64_t *due,
                         int64_t *window_start, bool *guide, struct fk_err *err) FK_WUR;

/* What the clocks of one incident are computed from, beyond the incident itself. */
struct fk_clock_facts {
	int64_t incident;
	int64_t reported_at;  /* the first report (FK_TIME_NONE: no reporter) */
	int64_t answered_at;  /* the first contact out at or after it (FK_TIME_NONE: none) */
	int64_t completed_at; /* the recovery plan's completion report (FK_TIME_NONE: none) */
};

struct fk_deadline_state {
	int64_t incident;
	char *key;
	int state; /* FK_CLOCK_SUBMITTED or FK_CLOCK_NOT_REQUIRED */
	int64_t at;
	char *decided_by, *reason, *copy_sha256;
};
void fk_deadline_state_release(struct fk_deadline_state *s);

struct fk_deadline {
	int64_t incident;
	char *ref, *key, *title_ja, *title_en, *owner_role, *source;
	int trigger; /* enum fk_trigger of its obligation */
	int64_t trigger_at, due_at, window_start;
	bool guide, overdue;
	int state;
	int64_t decided_at;
	char *decided_by, *reason, *copy_sha256;
};
void fk_deadline_release(struct fk_deadline *d);

/* The deadlines of inc that apply (by the obligations' triggers), with their states, at now;
 * appended to *out (growing it). */
enum fk_code fk_deadlines_of(const struct fk_incident *inc, const struct fk_clock_facts *facts,
                             const struct fk_obligation *ob, size_t nob,
                             const struct fk_deadline_state *st, size_t nst, int64_t now,
                             struct fk_deadline **out, size_t *n, struct fk_err *err) FK_WUR;
/* Sorts deadlines: overdue first, then open ones by due, then the decided ones. */
void fk_deadlines_sort(struct fk_deadline *d, size_t n);

/* Fills the board's clock columns (overdue clocks, the next one due). */
struct fk_board;
enum fk_code fk_board_clocks(struct fk_ctx *c, struct fk_board *b, struct fk_err *err) FK_WUR;
/* Every deadline of the incident named by id, or of every open incident when id is NULL. */
enum fk_code fk_deadlines_list(struct fk_ctx *c, const char *id, struct fk_deadline **out,
                               size_t *n, struct fk_err *err) FK_WUR;
/* Records a submission (copy: what was sent, frozen with its SHA-256) or a decision that
 * the obligation does not apply (reason required). */
enum fk_code fk_deadline_submit(struct fk_ctx *c, const char *id, const char *key, const char *copy,
                                int64_t at, struct fk_err *err) FK_WUR;
enum fk_code fk_deadline_waive(struct fk_ctx *c, const char *id, const char *key,
                               const char *reason, struct fk_err *err) FK_WUR;
/* Changes the rule of an obligation, a shipped one too (e.g. the reporter's acknowledgement
 * in two business days instead of one); recorded in the audit trail. */
enum fk_code fk_obligation_set_rule(struct fk_ctx *c, const char *key, const char *rule,
                                    struct fk_err *err) FK_WUR;
/* The rule of obligation key now, or def when there is none. */
char *fk_obligation_rule(struct fk_ctx *c, const char *key, const char *def);
/* An organisation's own obligation (checked: key, trigger, rule). */
enum fk_code fk_obligation_add(struct fk_ctx *c, const struct fk_obligation *o,
                               struct fk_err *err) FK_WUR;

/* ---- the reporter (通報者) ------------------------------------------------------------- */
enum fk_channel { FK_CH_EMAIL, FK_CH_WEB, FK_CH_PHONE, FK_CH_OTHER, FK_CH_COUNT };
extern const struct fk_enum fk_channels[FK_CH_COUNT];

struct fk_reporter {
	int64_t id;
	int no; /* R1, R2 ... */
	char *name, *contact, *note;
	int channel;
	int64_t at;
	char *created_by;
};
void fk_reporter_release(struct fk_reporter *r);
struct fk_contact {
	int64_t at;
	bool out; /* we contacted them (else they contacted us) */
	int channel;
	char *summary, *created_by;
	int reporter_no;
};
void fk_contact_release(struct fk_contact *c);

enum fk_code fk_reporter_add(struct fk_ctx *c, const char *id, struct fk_reporter *r,
                             struct fk_err *err) FK_WUR;
enum fk_code fk_reporter_contact(struct fk_ctx *c, const char *id, const char *reporter,
                                 struct fk_contact *k, struct fk_err *err) FK_WUR;

#endif
