/*
 * sweep.h - user operations on the inventory, the sweep and countermeasures, with their
 * rules; each in one transaction attributed to ctx->actor (see recovery.h).
 */
#ifndef FK_SWEEP_H
#define FK_SWEEP_H

#include "fukkyu/asset.h"
#include "fukkyu/recovery.h"

#define FK_IMPORT_MAX_ERRORS 50 /* listed; more are counted */

struct fk_import_report {
	int64_t rows, inserted, updated;
	size_t n_errors;
	/* One "file:line:column: what, expected what" per line, in each language. */
	struct fk_buf errors_en, errors_ja;
};
void fk_import_report_release(struct fk_import_report *r);

enum fk_import_format { FK_IMPORT_CSV, FK_IMPORT_JSONL };

/*
 * Imports an inventory (upsert by name) from f, all or nothing: any bad row refuses the
 * whole file (FK_EINVAL) with every error in r->errors, and nothing is written.
 */
enum fk_code fk_asset_import(struct fk_ctx *c, FILE *f, const char *origin, int format,
                             struct fk_import_report *r, struct fk_err *err) FK_WUR;

/* Marks the named assets as hit by the incident; *added counts the new ones. */
enum fk_code fk_incident_assets_add(struct fk_ctx *c, const char *id, char *const *names, size_t n,
                                    size_t *added, struct fk_err *err) FK_WUR;

/* Finds similar systems (any criterion matches) plus the affected ones; re-running adds
 * new matches and never drops or resets entries. */
enum fk_code fk_sweep_start(struct fk_ctx *c, const char *id, char *const *criteria, size_t n,
                            int64_t *added, struct fk_err *err) FK_WUR;
/* Moves one system's recovery state (allowed transitions only), with a note. */
enum fk_code fk_sweep_set(struct fk_ctx *c, const char *id, const char *asset, int state,
                          const char *note, struct fk_err *err) FK_WUR;
/* Stores the instructions sent with the sheets; NULL fields keep their value. */
enum fk_code fk_sweep_instruct(struct fk_ctx *c, const char *id, const struct fk_sweep *in,
                               struct fk_sweep *out, struct fk_err *err) FK_WUR;
/* Takes a department's returned sheet (CSV with columns name, state, and optionally note;
 * other sheet columns are ignored), all or nothing. */
enum fk_code fk_sweep_import(struct fk_ctx *c, const char *id, FILE *f, const char *origin,
                             struct fk_import_report *r, struct fk_err *err) FK_WUR;

enum fk_code fk_measure_add(struct fk_ctx *c, const char *id, struct fk_measure *m,
                            struct fk_err *err) FK_WUR;
/* Finds "M2" (or "2") among the incident's measures. */
enum fk_code fk_measure_find(struct fk_ctx *c, int64_t incident, const char *code,
                             struct fk_measure *out, struct fk_err *err) FK_WUR;
/* Records the approval; only an approver of the incident may approve. */
enum fk_code fk_measure_approve(struct fk_ctx *c, const char *id, const char *code,
                                struct fk_err *err) FK_WUR;
enum fk_code fk_measure_rollout(struct fk_ctx *c, const char *id, const char *code, unsigned scope,
                                int64_t *added, struct fk_err *err) FK_WUR;
/* Moves one system's rollout state; an exception needs a reason and who accepted it. */
enum fk_code fk_measure_set(struct fk_ctx *c, const char *id, const char *code, const char *asset,
                            int state, const char *reason, const char *accepted_by,
                            struct fk_err *err) FK_WUR;

#endif
