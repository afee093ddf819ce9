/*
 * csv.c - streaming RFC 4180 reader: a small state machine over a 1 MiB read buffer.
 */
#include "fukkyu/common.h"
#include "util/csv.h"

#define IN_SIZE (1u << 20)

void fk_csv_init(struct fk_csv *c, FILE *f, const char *origin)
{
	memset(c, 0, sizeof *c);
	c->f = f;
	c->origin = origin;
	c->in = fk_xmalloc(IN_SIZE);
	fk_buf_init(&c->rec, FK_CSV_MAX_RECORD);
	c->next_line = 1;
}

void fk_csv_release(struct fk_csv *c)
{
	free(c->in);
	fk_buf_release(&c->rec);
	memset(c, 0, sizeof *c);
}

/* The next byte, or -1 at the end of the input. */
static int next_byte(struct fk_csv *c)
{
	if (c->in_pos == c->in_len) {
		if (c->eof)
			return -1;
		c->in_len = fread(c->in, 1, IN_SIZE, c->f);
		c->in_pos = 0;
		if (c->in_len == 0) {
			c->eof = true;
			c->read_error = ferror(c->f) != 0;
			return -1;
		}
	}
	return (unsigned char)c->in[c->in_pos++];
}

static int peek_byte(struct fk_csv *c)
{
	int b = next_byte(c);
	if (b >= 0)
		c->in_pos--;
	return b;
}

static enum fk_code fail(struct fk_csv *c, long line, long col, const char *en, const char *ja,
                         struct fk_err *err)
{
	char where[640], m_en[768], m_ja[768];
	snprintf(where, sizeof where, "%.600s:%ld:%ld", c->origin, line, col);
	snprintf(m_en, sizeof m_en, "%s: %s", where, en);
	snprintf(m_ja, sizeof m_ja, "%s: %s", where, ja);
	return fk_err_set(err, FK_EINVAL, where, m_en, m_ja);
}

static enum fk_code end_field(struct fk_csv *c, size_t start, struct fk_err *err)
{
	if (c->n == FK_CSV_MAX_FIELDS)
		return fail(c, c->line, 1, "too many fields: at most 256 per record",
		            "フィールドが多すぎます: 1行あたり 256 まで", err);
	if (fk_buf_addch(&c->rec, '\0'))
		return FK_ETOOBIG;
	c->off[c->n] = start;
	c->len[c->n] = c->rec.len - 1 - start;
	c->n++;
	return FK_OK;
}

enum fk_code fk_csv_next(struct fk_csv *c, bool *got, struct fk_err *err)
{
	fk_buf_reset(&c->rec);
	c->n = 0;
	c->line = c->next_line;
	*got = false;
	/* A UTF-8 byte-order mark before the first record is skipped (the first read fills
	 * the buffer, so its three bytes are there if the file has them). */
	if (c->line == 1 && peek_byte(c) == 0xEF && c->in_len - c->in_pos >= 3 &&
	    !memcmp(c->in + c->in_pos, "\xEF\xBB\xBF", 3))
		c->in_pos += 3;
	int b = next_byte(c);
	if (b < 0 && c->read_error)
		return FK_ERR(err, FK_EIO, c->origin, "%s: read error: nothing was imported",
		              "%s: 読み込みエラー: 何も取り込んでいません", c->origin);
	if (b < 0)
		return FK_OK;
	long line = c->line, col = 1, quote_line = 0, quote_col = 0;
	size_t start = 0;
	bool quoted = false, after_quote = false;
	for (;; b = next_byte(c), col++) {
		if (b < 0 && c->read_error)
			return FK_ERR(err, FK_EIO, c->origin,
			              "%s: read error: nothing was imported",
			              "%s: 読み込みエラー: 何も取り込んでいません", c->origin);
		if (quoted) {
			if (b < 0)
				return fail(c, quote_line, quote_col,
				            "a quoted field is never closed: expected a closing \"",
				            "引用符で始まるフィールドが閉じられていません: 閉じる "
				            "\" が必要です",
				            err);
			if (b == '"') {
				if (peek_byte(c) == '"') {
					next_byte(c);
					col++;
				} else {
					quoted = false;
					after_quote = true;
					continue;
				}
			} else if (b == '\n') {
				line++;
				col = 0;
			}
			if (fk_buf_addch(&c->rec, (char)b))
				goto toobig;
			continue;
		}
		if (b < 0 || b == '\n' || (b == '\r' && peek_byte(c) == '\n')) {
			if (b == '\r')
				next_byte(c);
			if (end_field(c, start, err))
				goto toobig_or_err;
			c->next_line = line + 1;
			*got = true;
			return FK_OK;
		}
		if (b == ',') {
			if (end_field(c, start, err))
				goto toobig_or_err;
			start = c->rec.len;
			after_quote = false;
			continue;
		}
		if (after_quote)
			return fail(
			    c, line, col,
			    "text after a closing quote: expected a comma or the end of the line",
			    "閉じ引用符の後に文字があります: カンマか行末が必要です", err);
		if (b == '"') {
			if (c->rec.len != start)
				return fail(
				    c, line, col,
				    "a quote inside an unquoted field: quote the whole field and "
				    "double the quote (\"\")",
				    "引用符で囲まれていないフィールドに \" があります: "
				    "フィールド全体を"
				    "引用符で囲み、\" は \"\" と書いてください",
				    err);
			quoted = true;
			quote_line = line, quote_col = col;
			continue;
		}
		if (fk_buf_addch(&c->rec, (char)b))
			goto toobig;
		/* Copy the rest of a plain run at once: most bytes of a CSV file are here. */
		size_t run = 0;
		const char *p = c->in + c->in_pos;
		size_t left = c->in_len - c->in_pos;
		while (run < left && p[run] != ',' && p[run] != '\n' && p[run] != '\r' &&
		       p[run] != '"')
			run++;
		if (run) {
			if (fk_buf_add(&c->rec, p, run))
				goto toobig;
			c->in_pos += run;
			col += (long)run;
		}
	}
toobig_or_err:
	if (!c->rec.toobig)
		return err ? err->code : FK_EINVAL;
toobig:
	return FK_ERR(err, FK_ETOOBIG, c->origin,
	              "%s:%ld: the record is longer than %u bytes: is the file really CSV?",
	              "%s:%ld: レコードが %u バイトを超えています: CSV ファイルですか?", c->origin,
	              c->line, FK_CSV_MAX_RECORD);
}
