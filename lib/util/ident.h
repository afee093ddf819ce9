/*
 * ident.h - the short numbered identifiers of an incident's records: "M2" (a countermeasure),
 * "D1", "L3", "A12", "C1", "R1", "E4", "T7"... written with or without their letter, in
 * either case.
 */
#ifndef FK_IDENT_H
#define FK_IDENT_H

#include "fukkyu/common.h"

/* The number of code ("M2", "m2" or "2" for letter 'M'); 0 when it is not one. */
int64_t fk_ident_no(const char *code, char letter);

#endif
