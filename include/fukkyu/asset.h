/*
 * asset.h - the company's inventory of systems, the company-wide sweep of an incident, and
 * countermeasures rolled out to every system in scope (spares and backups included).
 *
 * Source document: phase 1 (残存被害・類似システムの調査), phase 4 (予備機、バックアップへも同様
 * の対策を実施) and case study 4 (every PC and server of a company checked in two days).
 */
#ifndef FK_ASSET_H
#define FK_ASSET_H

#include "fukkyu/common.h"
#include "fukkyu/incident.h"
#include "util/buf.h"
#include "util/err.h"

enum fk_asset_role {
	FK_AROLE_SERVER,
	FK_AROLE_CLIENT,
	FK_AROLE_NETWORK,
	FK_AROLE_OTHER,
	FK_AROLE_COUNT
};
extern const struct fk_enum fk_asset_roles[FK_AROLE_COUNT];

/* The inventory's columns, in export order; import refuses any other column. */
enum fk_asset_col {
	FK_ACOL_NAME,
	FK_ACOL_IP,
	FK_ACOL_OS,
	FK_ACOL_OS_VERSION,
	FK_ACOL_SOFTWARE,
	FK_ACOL_DEPARTMENT,
	FK_ACOL_OWNER,
	FK_ACOL_ROLE,
	FK_ACOL_CRITICALITY,
	FK_ACOL_LOCATION,
	FK_ACOL_SPARE,
	FK_ACOL_BACKUP_OF,
	FK_ACOL_TAGS,
	FK_ACOL_COUNT
};
extern const char *const fk_asset_cols[FK_ACOL_COUNT];

struct fk_asset {
	int64_t id;
	/* Text columns by enum fk_asset_col (NULL when empty); role and spare are also kept
	 * decoded. software is "name version;name version", tags "a;b". */
	char *col[FK_ACOL_COUNT];
	int role;
	bool spare;
	/* The columns the import file has (bit 1 << column); 0 means all. An update leaves
	 * the other columns as they are: a sheet of names and owners does not wipe OS data. */
	unsigned present;
	int64_t updated_at;
};
void fk_asset_release(struct fk_asset *a);

/* Recovery state of one system in a sweep. */
enum fk_sweep_state {
	FK_SW_UNCHECKED,
	FK_SW_CHECKING,
	FK_SW_CLEAN,
	FK_SW_DAMAGED,
	FK_SW_ISOLATED,
	FK_SW_RESTORED,
	FK_SW_REBUILT,
	FK_SW_VERIFIED,
	FK_SW_MONITORING,
	FK_SW_RETURNED,
	FK_SW_RETIRED,
	FK_SW_COUNT
};
extern const struct fk_enum fk_sweep_states[FK_SW_COUNT];
/* unchecked → checking → clean | damaged (a check done in one step may skip checking);
 * damaged → isolated → restored | rebuilt → verified → monitoring → returned; any → retired. */
bool fk_sweep_allowed(int from, int to);
/* "Checked" means past checking: every state but unchecked and checking. */
#define FK_SWEEP_CHECKED(s) ((s) != FK_SW_UNCHECKED && (s) != FK_SW_CHECKING)

enum fk_measure_kind { FK_MK_TECHNICAL, FK_MK_OPERATIONAL, FK_MK_LEGAL, FK_MK_COUNT };
extern const struct fk_enum fk_measure_kinds[FK_MK_COUNT];

enum fk_rollout_state {
	FK_RO_PENDING,
	FK_RO_APPLIED,
	FK_RO_VERIFIED,
	FK_RO_EXCEPTION,
	FK_RO_COUNT
};
extern const struct fk_enum fk_rollout_states[FK_RO_COUNT];
/* pending → applied → verified; pending or applied → exception (with a reason and who
 * accepted the risk); exception → pending (when it can be applied after all). */
bool fk_rollout_allowed(int from, int to);

/* Rollout scopes, as bits. */
enum {
	FK_SCOPE_AFFECTED = 1, /* the systems the incident hit */
	FK_SCOPE_SIMILAR = 2,  /* every system in the sweep */
	FK_SCOPE_SPARES = 4,   /* spares, standby/DR systems and backups of the above */
	FK_SCOPE_ALL = 8,      /* the whole inventory */
};
/* Parses "affected,similar,spares" into bits. */
enum fk_code fk_scope_parse(const char *s, unsigned *out, struct fk_err *err) FK_WUR;

/* Sweep criteria: os, os_version, software:NAME, software:NAME@VERSION, tag:T,
 * department:D. */
enum fk_criterion_kind {
	FK_CRIT_OS,
	FK_CRIT_OS_VERSION,
	FK_CRIT_SOFTWARE,
	FK_CRIT_TAG,
	FK_CRIT_DEPARTMENT
};
struct fk_criterion {
	int kind;
	char *name;    /* software name, tag or department */
	char *version; /* software version, NULL for any */
	char *text;    /* as written, recorded as the reason an asset matched */
};
enum fk_code fk_criterion_parse(const char *s, struct fk_criterion *out, struct fk_err *err) FK_WUR;
void fk_criterion_release(struct fk_criterion *c);

#endif
