/*
 * demo.h - the source document's four case studies as incidents at realistic stages of
 * recovery, placed relative to ctx->now so that due dates and overdue items are live.
 */
#ifndef FK_DEMO_H
#define FK_DEMO_H

#include "fukkyu/recovery.h"

/* Creates the four incidents (with handover, roles, timeline and task progress) in an
 * empty store; refuses a store that already holds incidents. *created receives the count. */
enum fk_code fk_demo_load(struct fk_ctx *c, const struct fk_playbook *pb, size_t *created,
                          struct fk_err *err) FK_WUR;

#endif
