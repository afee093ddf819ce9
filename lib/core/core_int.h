/*
 * core_int.h - transaction helpers shared by the modules of lib/core.
 */
#ifndef FK_CORE_INT_H
#define FK_CORE_INT_H

#include "fukkyu/recovery.h"

/* Begins a write transaction and loads the incident named by id, refusing a closed one (a
 * change to a closed incident needs it reopened); on failure nothing is left open. */
enum fk_code fk_core_begin_open(struct fk_ctx *c, const char *id, struct fk_incident *inc,
                                struct fk_err *err) FK_WUR;
/* Ends the transaction: commits when rc is FK_OK, else rolls back and returns rc. */
enum fk_code fk_core_finish(struct fk_ctx *c, enum fk_code rc, struct fk_err *err) FK_WUR;

/* Text fields: UTF-8, no control characters, at most max bytes, not empty when required;
 * a line (titles, names, contacts) also has no line breaks or tabs. NULL passes. */
enum fk_code fk_core_check_text(const char *s, const char *field, size_t max, bool required,
                                struct fk_err *err) FK_WUR;
enum fk_code fk_core_check_line(const char *s, const char *field, bool required,
                                struct fk_err *err) FK_WUR;
/* Whether name is an approver of the incident; names collects them all ("A, B"). */
struct fk_buf;
enum fk_code fk_core_is_approver(struct fk_ctx *c, int64_t incident, const char *name, bool *yes,
                                 struct fk_buf *names, struct fk_err *err) FK_WUR;
/* Creates an incident as fk_incident_create does, running then (when not NULL) inside the
 * same transaction once the incident exists: all of it is written, or none. */
struct fk_playbook;
typedef enum fk_code (*fk_core_then)(struct fk_ctx *c, struct fk_incident *inc, void *ctx,
                                     struct fk_err *err);
enum fk_code fk_core_incident_create(struct fk_ctx *c, struct fk_incident *inc,
                                     const struct fk_playbook *pb, fk_core_then then,
                                     void *then_ctx, struct fk_err *err) FK_WUR;
/* Adds one error line "origin:line:column: what" in each language to an import report. */
struct fk_import_report;
void fk_core_report_error(struct fk_import_report *r, const char *origin, long line, int column,
                          const char *en, const char *ja);

#endif
