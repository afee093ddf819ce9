/*
 * csv.h - a streaming RFC 4180 reader.
 *
 * Records are read one at a time from a FILE; quoted fields may hold commas, doubled quotes
 * and line breaks; CRLF and LF both end records; a UTF-8 byte-order mark before the header is
 * skipped. Each record is capped (FK_CSV_MAX_RECORD bytes) so hostile input cannot make us
 * allocate without bound. Errors carry "origin:line:column".
 */
#ifndef FK_CSV_H
#define FK_CSV_H

#include "fukkyu/common.h"
#include "util/buf.h"
#include "util/err.h"

#define FK_CSV_MAX_RECORD (1u << 20) /* 1 MiB per record */
#define FK_CSV_MAX_FIELDS 256

struct fk_csv {
	FILE *f;
	const char *origin;
	char *in; /* read buffer */
	size_t in_len, in_pos;
	bool eof;
	bool read_error;   /* the input failed: not an end of file */
	struct fk_buf rec; /* the current record's field bytes, each NUL-terminated */
	size_t off[FK_CSV_MAX_FIELDS];
	size_t len[FK_CSV_MAX_FIELDS];
	size_t n;  /* fields in the current record */
	long line; /* line the current record starts on (1-based) */
	long next_line;
};

/* Reads from f (borrowed); origin names it in errors. */
void fk_csv_init(struct fk_csv *c, FILE *f, const char *origin);
void fk_csv_release(struct fk_csv *c);

/* Reads the next record: *got is false at the end of the input. A blank line is a record
 * of one empty field. */
enum fk_code fk_csv_next(struct fk_csv *c, bool *got, struct fk_err *err) FK_WUR;

/* Field i of the current record (NUL-terminated; may hold NUL bytes, see fk_csv_len). */
static inline const char *fk_csv_field(const struct fk_csv *c, size_t i)
{
	return c->rec.ptr + c->off[i];
}
static inline size_t fk_csv_len(const struct fk_csv *c, size_t i)
{
	return c->len[i];
}

#endif
