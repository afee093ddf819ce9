/*
 * incident.h - the domain of fukkyu: incidents, their playbook tasks, handover, roles,
 * timeline and change history, and the rules that govern them.
 *
 * Every enum has a table of stable keys (used on the command line, in JSON and in the
 * database) with English and Japanese labels. Strings in the structs are owned by the
 * struct and freed by its _release function; const char * parameters are borrowed.
 */
#ifndef FK_INCIDENT_H
#define FK_INCIDENT_H

#include "fukkyu/common.h"
#include "util/buf.h"
#include "util/err.h"

struct fk_enum {
	const char *key;
	const char *en;
	const char *ja;
};

/* Finds s among the n keys of table; on failure fills err listing the valid keys. */
enum fk_code fk_enum_parse(const struct fk_enum *table, size_t n, const char *s, const char *field,
                           int *out, struct fk_err *err) FK_WUR;
/* Label of key i in lang. */
const char *fk_enum_label(const struct fk_enum *table, size_t n, int i, enum fk_lang lang);

enum fk_kind {
	FK_KIND_OUTBOUND_ATTACK,
	FK_KIND_VULNERABILITY_REPORT,
	FK_KIND_DEFACEMENT,
	FK_KIND_MALWARE_OUTBREAK,
	FK_KIND_DATA_LEAK,
	FK_KIND_INTRUSION,
	FK_KIND_DOS,
	FK_KIND_INSIDER,
	FK_KIND_EQUIPMENT_FAILURE,
	FK_KIND_DISASTER,
	FK_KIND_OTHER,
	FK_KIND_COUNT
};
extern const struct fk_enum fk_kinds[FK_KIND_COUNT];

enum fk_severity { FK_SEV_LOW, FK_SEV_MEDIUM, FK_SEV_HIGH, FK_SEV_CRITICAL, FK_SEV_COUNT };
extern const struct fk_enum fk_severities[FK_SEV_COUNT];

enum fk_state {
	FK_STATE_EMERGENCY,
	FK_STATE_RECOVERY,
	FK_STATE_MONITORING,
	FK_STATE_CLOSED,
	FK_STATE_REOPENED,
	FK_STATE_COUNT
};
extern const struct fk_enum fk_states[FK_STATE_COUNT];

/* True if an incident may move from one state to the other. */
bool fk_state_allowed(enum fk_state from, enum fk_state to);
/* The usual next state (emergency→recovery→monitoring→closed, reopened→recovery), or -1. */
int fk_state_next(enum fk_state from);

enum fk_task_state { FK_TASK_TODO, FK_TASK_DOING, FK_TASK_DONE, FK_TASK_NA, FK_TASK_COUNT };
extern const struct fk_enum fk_task_states[FK_TASK_COUNT];

enum fk_role {
	FK_ROLE_RECOVERY_OWNER,
	FK_ROLE_COST_ARRANGER,
	FK_ROLE_ROOT_CAUSE_OWNER,
	FK_ROLE_USER_RESPONSE_OWNER,
	FK_ROLE_EXTERNAL_RESPONSE_OWNER,
	FK_ROLE_CONTACT_WINDOW,
	FK_ROLE_APPROVER,
	FK_ROLE_COUNT
};
extern const struct fk_enum fk_roles[FK_ROLE_COUNT];
/* Approvers can be many; every other role is held by one person at a time. */
#define FK_ROLE_MANY(r) ((r) == FK_ROLE_APPROVER)

/* The handover from the emergency team (source document 2-(1)): one text per field. */
enum fk_handover_field {
	FK_HO_BACKUPS,
	FK_HO_SUBSTITUTE_HW,
	FK_HO_SUBSTITUTE_SW,
	FK_HO_SUBSTITUTE_NET,
	FK_HO_DEGRADED,
	FK_HO_MANUAL,
	FK_HO_DAMAGE_SCOPE,
	FK_HO_RESPONDERS,
	FK_HO_COUNT
};
extern const struct fk_enum fk_handover_fields[FK_HO_COUNT];

struct fk_incident {
	int64_t id;
	char *ref; /* INC-2026-0001 */
	char *title;
	int kind;     /* enum fk_kind */
	int severity; /* enum fk_severity */
	int state;    /* enum fk_state */
	int64_t discovered_at;
	int64_t contained_at; /* FK_TIME_NONE when not yet */
	char *description;
	bool pii;           /* personal data involved */
	int64_t pii_count;  /* persons affected, -1 unknown */
	bool pii_sensitive; /* 要配慮個人情報 among it */
	/* APPI rule 7 and GDPR facts: -1 not known yet, 0 no, 1 yes */
	int pii_financial;         /* data whose misuse may cause financial harm */
	int pii_unlawful;          /* a suspected unlawful purpose (intrusion, insider theft) */
	int pii_eu;                /* data subjects in the EU (GDPR) */
	int64_t recovery_deadline; /* promised by the recovery plan; FK_TIME_NONE when not set */
	int64_t monitoring_end;    /* end of heightened monitoring; FK_TIME_NONE when not set */
	char *pii_items;           /* the personal data items concerned (APPI report item 2) */
	char *pii_harm;            /* secondary harm or its risk (APPI report item 5) */
	int clocks_ntp;            /* the logs' clocks NTP-synchronised: -1 not known, 0, 1 */
	char *playbook;            /* name of the playbook the tasks came from */
	int64_t created_at;
	char *created_by;
	int64_t updated_at;
};
void fk_incident_release(struct fk_incident *inc);
/* A new incident before its fields are given: no kind yet (-1), medium, in the emergency
 * state, no dates, the number of people unknown. */
#define FK_INCIDENT_NEW                                                                            \
	{                                                                                          \
		.kind = -1, .severity = FK_SEV_MEDIUM, .state = FK_STATE_EMERGENCY,                \
		.discovered_at = FK_TIME_NONE, .contained_at = FK_TIME_NONE, .pii_count = -1,      \
		.pii_financial = -1, .pii_unlawful = -1, .pii_eu = -1, .clocks_ntp = -1,           \
		.recovery_deadline = FK_TIME_NONE, .monitoring_end = FK_TIME_NONE                  \
	}
/* Deep copy. */
void fk_incident_copy(struct fk_incident *dst, const struct fk_incident *src);

struct fk_phase {
	int no; /* 1..6 */
	char *key;
	char *title_ja, *title_en;
};
void fk_phase_release(struct fk_phase *p);

struct fk_task {
	char *item_id; /* "2.7", "5.dl-1" */
	int phase;
	int seq; /* order within the incident's playbook */
	char *group_key, *group_ja, *group_en;
	char *title_ja, *title_en;
	char *why_ja, *why_en; /* lesson behind the item, may be NULL */
	bool approval;         /* needs an approver's sign-off */
	int state;             /* enum fk_task_state */
	char *na_reason;       /* required when state is na */
	char *owner;
	int64_t due_at; /* FK_TIME_NONE when none */
	char *note;
	int64_t updated_at;
	char *updated_by;
};
void fk_task_release(struct fk_task *t);
void fk_task_copy(struct fk_task *dst, const struct fk_task *src);
/* True if the task counts as finished: done, or not applicable (which always carries a
 * reason: fk_task_change refuses na without one). */
bool fk_task_finished(const struct fk_task *t);
/* True if due_at has passed and the task is not finished. */
bool fk_task_overdue(const struct fk_task *t, int64_t now);

struct fk_handover {
	char *field[FK_HO_COUNT]; /* NULL when not recorded */
	int64_t updated_at;       /* FK_TIME_NONE when never set */
	char *updated_by;
};
void fk_handover_release(struct fk_handover *h);

struct fk_person {
	int64_t id;
	int role; /* enum fk_role */
	char *name, *org, *email, *phone;
};
void fk_person_release(struct fk_person *p);

/* What a timeline entry marks, if anything (the damage ledger's outage is read from them). */
enum fk_timeline_mark { FK_MARK_NONE, FK_MARK_STOPPED, FK_MARK_RESTORED, FK_MARK_COUNT };
extern const struct fk_enum fk_timeline_marks[FK_MARK_COUNT];

struct fk_timeline_entry {
	int64_t id;
	int64_t at;
	char *text;
	char *source;
	char *recorded_by;
	int64_t recorded_at;
	int mark; /* enum fk_timeline_mark; 0 (none) in a zeroed entry */
};
void fk_timeline_entry_release(struct fk_timeline_entry *e);

struct fk_change {
	int64_t id;
	int64_t at;
	char *actor;
	char *entity;     /* incident, task, handover, role, timeline */
	char *entity_key; /* the task's item id, the role's key ... */
	char *field;
	char *old_value, *new_value; /* NULL when absent */
	char *origin;                /* "cli", or the address of the web client */
	int64_t incident;            /* 0 when none */
	char *hash;                  /* the entry's SHA-256 in the audit chain */
};
void fk_change_release(struct fk_change *c);

/* Frees an array of n elements with each element's release function. */
#define FK_FREE_ARRAY(arr, n, release_fn)                                                          \
	do {                                                                                       \
		for (size_t fk_i_ = 0; fk_i_ < (n); fk_i_++)                                       \
			release_fn(&(arr)[fk_i_]);                                                 \
		free(arr);                                                                         \
	} while (0)

#endif
