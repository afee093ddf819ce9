/*
 * test_csv.c - lib/util/csv: the streaming RFC 4180 reader, over fmemopen buffers.
 *
 * Records, quoting (commas, doubled quotes, line breaks), CRLF and LF, the byte-order mark,
 * blank lines, NUL bytes, the caps (record size, field count), the errors and where they
 * point ("origin:line:column"), and records that straddle the reader's 1 MiB buffer.
 * The RFC 4180 section 2 examples are included as written there.
 */
#include "fukkyu/common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/csv.h"
#include "util/err.h"

#define MIB (1u << 20) /* the reader's buffer size (csv.c IN_SIZE) */

struct fixture {
	FILE *f;
	struct fk_csv csv;
	bool open;
	char *data; /* a built input, freed by the teardown */
	size_t len;
	struct fk_buf b;
};

static int setup(void **state)
{
	struct fixture *f = fk_xcalloc(1, sizeof *f);
	fk_buf_init(&f->b, 0);
	*state = f;
	return 0;
}

static void close_input(struct fixture *f)
{
	if (f->open)
		fk_csv_release(&f->csv);
	if (f->f)
		fclose(f->f);
	f->f = NULL;
	f->open = false;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	close_input(f);
	free(f->data);
	fk_buf_release(&f->b);
	free(f);
	return 0;
}

/* Reads len bytes of data (which must outlive the reader) as "x.csv". */
static void open_input(struct fixture *f, const char *data, size_t len)
{
	static char empty[1];
	close_input(f);
	/* fmemopen refuses a size of 0 on some C libraries: one byte, read at once. */
	f->f = len ? fmemopen((void *)data, len, "r") : fmemopen(empty, 1, "r");
	assert_non_null(f->f);
	if (!len)
		(void)fgetc(f->f);
	fk_csv_init(&f->csv, f->f, "x.csv");
	f->open = true;
}

#define OPEN(f, lit) open_input((f), (lit), sizeof(lit) - 1)

/* The next record must exist, start on line, and hold exactly the n NUL-terminated fields
 * given. */
static void expect_record(struct fixture *f, long line, size_t n, ...)
{
	struct fk_err err;
	bool got = false;
	fk_err_clear(&err);
	enum fk_code rc = fk_csv_next(&f->csv, &got, &err);
	if (rc != FK_OK)
		fail_msg("expected a record on line %ld, got error %d: %s", line, rc, err.en);
	if (!got)
		fail_msg("expected a record on line %ld, got the end of the input", line);
	assert_int_equal(f->csv.line, line);
	if (f->csv.n != n)
		fail_msg("record on line %ld: %zu fields, expected %zu (first: '%s')", line,
		         f->csv.n, n, fk_csv_field(&f->csv, 0));
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);
		if (fk_csv_len(&f->csv, i) != strlen(want) ||
		    memcmp(fk_csv_field(&f->csv, i), want, strlen(want)))
			fail_msg("line %ld field %zu: got '%s' (%zu bytes), expected '%s'", line, i,
			         fk_csv_field(&f->csv, i), fk_csv_len(&f->csv, i), want);
		/* every field is NUL-terminated */
		assert_int_equal(fk_csv_field(&f->csv, i)[fk_csv_len(&f->csv, i)], '\0');
	}
	va_end(ap);
}

static void expect_end(struct fixture *f)
{
	struct fk_err err;
	bool got = true;
	fk_err_clear(&err);
	enum fk_code rc = fk_csv_next(&f->csv, &got, &err);
	if (rc != FK_OK)
		fail_msg("expected the end of the input, got error %d: %s", rc, err.en);
	if (got)
		fail_msg("expected the end of the input, got a record on line %ld: '%s'",
		         f->csv.line, fk_csv_field(&f->csv, 0));
	/* and it stays at the end */
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_OK);
	assert_false(got);
}

/* The next call must fail with code; where ("x.csv:L:C") is checked against err.field when
 * not NULL, and the message must start with it and exist in both languages. */
static void expect_error(struct fixture *f, enum fk_code code, const char *where,
                         const char *en_part)
{
	struct fk_err err;
	bool got = true;
	fk_err_clear(&err);
	enum fk_code rc = fk_csv_next(&f->csv, &got, &err);
	if (rc != code)
		fail_msg("expected error %d at %s, got %d (%s)", code, where ? where : "?", rc,
		         rc ? err.en : "a record");
	assert_int_equal(err.code, code);
	assert_false(got);
	assert_true(err.en[0] != '\0');
	assert_true(err.ja[0] != '\0');
	if (where) {
		assert_string_equal(err.field, where);
		if (strncmp(err.en, where, strlen(where)) || err.en[strlen(where)] != ':')
			fail_msg("message '%s' does not start with '%s:'", err.en, where);
		if (strncmp(err.ja, where, strlen(where)))
			fail_msg("message (ja) '%s' does not start with '%s'", err.ja, where);
	}
	if (en_part && !strstr(err.en, en_part))
		fail_msg("message '%s' lacks '%s'", err.en, en_part);
}

/* ---- records -------------------------------------------------------------------------- */

static void test_simple(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "name,ip,os\nweb01,192.0.2.1,Linux\npc-0042,192.0.2.42,Windows\n");
	expect_record(f, 1, 3, "name", "ip", "os");
	expect_record(f, 2, 3, "web01", "192.0.2.1", "Linux");
	expect_record(f, 3, 3, "pc-0042", "192.0.2.42", "Windows");
	expect_end(f);
}

static void test_empty_input(void **state)
{
	struct fixture *f = *state;
	open_input(f, "", 0);
	expect_end(f);
	/* a byte-order mark alone is an empty file too */
	OPEN(f, "\xEF\xBB\xBF");
	expect_end(f);
}

static void test_empty_fields(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "a,,b\n,\n,,\na,\n\"\",x\n\"\"\n");
	expect_record(f, 1, 3, "a", "", "b");
	expect_record(f, 2, 2, "", "");
	expect_record(f, 3, 3, "", "", "");
	expect_record(f, 4, 2, "a", "");
	expect_record(f, 5, 2, "", "x");
	expect_record(f, 6, 1, "");
	expect_end(f);
}

/* RFC 4180: "Spaces are considered part of a field and should not be ignored." */
static void test_spaces_kept(void **state)
{
	struct fixture *f = *state;
	OPEN(f, " a , b ,c \n \"q\"x\n");
	expect_record(f, 1, 3, " a ", " b ", "c ");
	/* a quote after a space is inside an unquoted field */
	expect_error(f, FK_EINVAL, "x.csv:2:2", "quote inside an unquoted field");
}

static void test_quoted(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "\"a,b\",\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\",\"x\"\n"
	        "\"\",\"a\"\"\",plain\n");
	expect_record(f, 1, 5, "a,b", "say \"hi\"", "\"", "\"\"", "x");
	expect_record(f, 2, 3, "", "a\"", "plain");
	expect_end(f);
}

static void test_quoted_newlines_keep_lines(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "h1,h2\n"
	        "\"line one\nline two\nline three\",x\n" /* lines 2-4 */
	        "after,1\n"                              /* line 5 */
	        "\"crlf\r\ninside\",y\r\n"               /* lines 6-7 */
	        "last,2\n");                             /* line 8 */
	expect_record(f, 1, 2, "h1", "h2");
	expect_record(f, 2, 2, "line one\nline two\nline three", "x");
	expect_record(f, 5, 2, "after", "1");
	expect_record(f, 6, 2, "crlf\r\ninside", "y");
	expect_record(f, 8, 2, "last", "2");
	expect_end(f);

	/* columns restart after a quoted line break: the error is on line 3, column 3 */
	OPEN(f, "a\n\"x\ny\" z\n");
	expect_record(f, 1, 1, "a");
	expect_error(f, FK_EINVAL, "x.csv:3:3", "after a closing quote");
}

static void test_line_endings(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "a,b\r\nc,d\ne,f\r\n\r\ng,h");
	expect_record(f, 1, 2, "a", "b");
	expect_record(f, 2, 2, "c", "d");
	expect_record(f, 3, 2, "e", "f");
	expect_record(f, 4, 1, "");
	expect_record(f, 5, 2, "g", "h");
	expect_end(f);

	/* a CR not followed by LF is data, not a line break */
	OPEN(f, "a\rb,c\n");
	expect_record(f, 1, 2, "a\rb", "c");
	expect_end(f);

	/* a quoted field closed right before CRLF */
	OPEN(f, "\"a\"\r\n\"b\"");
	expect_record(f, 1, 1, "a");
	expect_record(f, 2, 1, "b");
	expect_end(f);
}

static void test_bom(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "\xEF\xBB\xBF"
	        "name,os\nweb01,Linux\n");
	expect_record(f, 1, 2, "name", "os");
	expect_record(f, 2, 2, "web01", "Linux");
	expect_end(f);

	/* columns count from after the mark */
	OPEN(f, "\xEF\xBB\xBF"
	        "ab\"c\n");
	expect_error(f, FK_EINVAL, "x.csv:1:3", NULL);

	/* a mark before a quoted first field */
	OPEN(f, "\xEF\xBB\xBF\"name\",x\r\n");
	expect_record(f, 1, 2, "name", "x");
	expect_end(f);

	/* only at the very start: later it is data */
	OPEN(f, "a\n\xEF\xBB\xBF"
	        "b\n");
	expect_record(f, 1, 1, "a");
	expect_record(f, 2, 1,
	              "\xEF\xBB\xBF"
	              "b");
	expect_end(f);
}

/* A file may start with a UTF-8 character whose first byte is 0xEF without being a
 * byte-order mark: the fullwidth forms (U+FF00-U+FFEF, common in Japanese text) and the
 * CJK compatibility ideographs all start so. They are text, not broken bytes. */
static void test_first_char_ef_not_bom(void **state)
{
	struct fixture *f = *state;
	/* "Ｎａｍｅ,ＯＳ" in fullwidth letters */
	OPEN(f, "\xEF\xBC\xAE\xEF\xBD\x81\xEF\xBD\x8D\xEF\xBD\x85,\xEF\xBC\xAF\xEF\xBC\xB3\n");
	expect_record(f, 1, 2, "\xEF\xBC\xAE\xEF\xBD\x81\xEF\xBD\x8D\xEF\xBD\x85",
	              "\xEF\xBC\xAF\xEF\xBC\xB3");
	expect_end(f);
	/* "ｱ" (halfwidth katakana) */
	OPEN(f, "\xEF\xBD\xB1,b\n");
	expect_record(f, 1, 2, "\xEF\xBD\xB1", "b");
	expect_end(f);
}

static void test_last_record_without_newline(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "a,b\nc,d");
	expect_record(f, 1, 2, "a", "b");
	expect_record(f, 2, 2, "c", "d");
	expect_end(f);
	OPEN(f, "a,b\n\"c\nd\",\"e\"");
	expect_record(f, 1, 2, "a", "b");
	expect_record(f, 2, 2, "c\nd", "e");
	expect_end(f);
	OPEN(f, "a,");
	expect_record(f, 1, 2, "a", "");
	expect_end(f);
}

static void test_blank_lines(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "\na\n\n\nb\n\r\n");
	expect_record(f, 1, 1, "");
	expect_record(f, 2, 1, "a");
	expect_record(f, 3, 1, "");
	expect_record(f, 4, 1, "");
	expect_record(f, 5, 1, "b");
	expect_record(f, 6, 1, "");
	expect_end(f);
}

static void test_nul_bytes(void **state)
{
	struct fixture *f = *state;
	static const char in[] = "a\0b,\0,\"q\0\"\"\0\"\n\0\n";
	open_input(f, in, sizeof in - 1);
	struct fk_err err;
	bool got;
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_OK);
	assert_true(got);
	assert_int_equal(f->csv.n, 3);
	assert_int_equal(fk_csv_len(&f->csv, 0), 3);
	assert_memory_equal(fk_csv_field(&f->csv, 0), "a\0b", 4);
	assert_int_equal(fk_csv_len(&f->csv, 1), 1);
	assert_memory_equal(fk_csv_field(&f->csv, 1), "\0", 2);
	assert_int_equal(fk_csv_len(&f->csv, 2), 4);
	assert_memory_equal(fk_csv_field(&f->csv, 2), "q\0\"\0", 5);
	/* a line holding one NUL is one field of one byte, not a blank line */
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_OK);
	assert_true(got);
	assert_int_equal(f->csv.line, 2);
	assert_int_equal(f->csv.n, 1);
	assert_int_equal(fk_csv_len(&f->csv, 0), 1);
	expect_end(f);
}

/* ---- RFC 4180, section 2 -------------------------------------------------------------- */

static void test_rfc4180_examples(void **state)
{
	struct fixture *f = *state;
	/* 1. Each record is located on a separate line, delimited by a line break (CRLF). */
	OPEN(f, "aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n");
	expect_record(f, 1, 3, "aaa", "bbb", "ccc");
	expect_record(f, 2, 3, "zzz", "yyy", "xxx");
	expect_end(f);
	/* 2. The last record may or may not have an ending line break. */
	OPEN(f, "aaa,bbb,ccc\r\nzzz,yyy,xxx");
	expect_record(f, 1, 3, "aaa", "bbb", "ccc");
	expect_record(f, 2, 3, "zzz", "yyy", "xxx");
	expect_end(f);
	/* 3. An optional header line with the same format. */
	OPEN(f, "field_name,field_name,field_name\r\naaa,bbb,ccc\r\nzzz,yyy,xxx\r\n");
	expect_record(f, 1, 3, "field_name", "field_name", "field_name");
	expect_record(f, 2, 3, "aaa", "bbb", "ccc");
	expect_record(f, 3, 3, "zzz", "yyy", "xxx");
	expect_end(f);
	/* 4. Fields separated by commas; the last field not followed by one. */
	OPEN(f, "aaa,bbb,ccc");
	expect_record(f, 1, 3, "aaa", "bbb", "ccc");
	expect_end(f);
	/* 5. Fields may be enclosed in double quotes. */
	OPEN(f, "\"aaa\",\"bbb\",\"ccc\"\r\nzzz,yyy,xxx");
	expect_record(f, 1, 3, "aaa", "bbb", "ccc");
	expect_record(f, 2, 3, "zzz", "yyy", "xxx");
	expect_end(f);
	/* 6. Line breaks, double quotes and commas inside quoted fields. */
	OPEN(f, "\"aaa\",\"b\r\nbb\",\"ccc\"\r\nzzz,yyy,xxx");
	expect_record(f, 1, 3, "aaa", "b\r\nbb", "ccc");
	expect_record(f, 3, 3, "zzz", "yyy", "xxx");
	expect_end(f);
	/* 7. A double quote inside a quoted field is escaped by another one. */
	OPEN(f, "\"aaa\",\"b\"\"bb\",\"ccc\"");
	expect_record(f, 1, 3, "aaa", "b\"bb", "ccc");
	expect_end(f);
}

/* ---- errors --------------------------------------------------------------------------- */

static void test_quote_in_unquoted_field(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "name,os\nab\"c,x\n");
	expect_record(f, 1, 2, "name", "os");
	expect_error(f, FK_EINVAL, "x.csv:2:3", "quote inside an unquoted field");
	OPEN(f, "a,b\nc,d\nok,bad\"\n");
	expect_record(f, 1, 2, "a", "b");
	expect_record(f, 2, 2, "c", "d");
	expect_error(f, FK_EINVAL, "x.csv:3:7", "quote inside an unquoted field");
}

static void test_text_after_closing_quote(void **state)
{
	struct fixture *f = *state;
	OPEN(f, "\"abc\"d,e\n");
	expect_error(f, FK_EINVAL, "x.csv:1:6", "after a closing quote");
	/* columns count the doubled quote's two bytes */
	OPEN(f, "x,\"a\"\"b\"y\n");
	expect_error(f, FK_EINVAL, "x.csv:1:9", "after a closing quote");
	/* a space is text too */
	OPEN(f, "ok\n\"a\" ,b\n");
	expect_record(f, 1, 1, "ok");
	expect_error(f, FK_EINVAL, "x.csv:2:4", "after a closing quote");
	/* and so is a lone CR */
	OPEN(f, "\"a\"\rb\n");
	expect_error(f, FK_EINVAL, "x.csv:1:4", "after a closing quote");
}

static void test_unclosed_quote(void **state)
{
	struct fixture *f = *state;
	/* the error points at the opening quote, not at the end of the file */
	OPEN(f, "name,note\nweb01,\"never closed\nmore text\nand more\n");
	expect_record(f, 1, 2, "name", "note");
	expect_error(f, FK_EINVAL, "x.csv:2:7", "never closed");
	OPEN(f, "a\nb\n\"");
	expect_record(f, 1, 1, "a");
	expect_record(f, 2, 1, "b");
	expect_error(f, FK_EINVAL, "x.csv:3:1", "never closed");
	/* a doubled quote at the end does not close it */
	OPEN(f, "x,y,\"abc\"\"");
	expect_error(f, FK_EINVAL, "x.csv:1:5", "never closed");
}

static void test_record_too_big(void **state)
{
	struct fixture *f = *state;
	/* line 1 a header, line 2 one field over the cap, line 3 fine */
	size_t big = FK_CSV_MAX_RECORD + 1;
	f->len = 2 + big + 1 + 3;
	f->data = fk_xmalloc(f->len);
	memcpy(f->data, "h\n", 2);
	memset(f->data + 2, 'a', big);
	memcpy(f->data + 2 + big, "\nok\n", 4);
	open_input(f, f->data, f->len);
	expect_record(f, 1, 1, "h");
	struct fk_err err;
	bool got = true;
	fk_err_clear(&err);
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_ETOOBIG);
	assert_false(got);
	assert_int_equal(err.code, FK_ETOOBIG);
	if (!strstr(err.en, "x.csv:2"))
		fail_msg("message '%s' does not name x.csv:2", err.en);
	assert_true(err.ja[0] != '\0');

	/* the same inside a quoted field, and over many small fields */
	close_input(f);
	f->data[2] = '"';
	open_input(f, f->data, f->len);
	expect_record(f, 1, 1, "h");
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_ETOOBIG);
	close_input(f);
	for (size_t i = 2; i < 2 + big; i += 2) {
		f->data[i] = 'a';
		if (i + 1 < 2 + big)
			f->data[i + 1] = ',';
	}
	open_input(f, f->data, f->len);
	expect_record(f, 1, 1, "h");
	fk_err_clear(&err);
	enum fk_code rc = fk_csv_next(&f->csv, &got, &err);
	/* over the field cap long before the byte cap: refused either way */
	assert_true(rc == FK_ETOOBIG || rc == FK_EINVAL);
	assert_false(got);
	assert_true(err.en[0] != '\0');
}

static void test_record_near_cap_ok(void **state)
{
	struct fixture *f = *state;
	/* A record of 1 MiB - 4 KiB fits: it is read whole, and the next one follows. */
	size_t n = FK_CSV_MAX_RECORD - 4096;
	f->len = n + 1 + 4;
	f->data = fk_xmalloc(f->len);
	memset(f->data, 'z', n);
	memcpy(f->data + n, "\nx,y\n", 5);
	f->len = n + 5;
	open_input(f, f->data, f->len);
	struct fk_err err;
	bool got;
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_OK);
	assert_true(got);
	assert_int_equal(f->csv.n, 1);
	assert_int_equal(fk_csv_len(&f->csv, 0), n);
	assert_int_equal(fk_csv_field(&f->csv, 0)[n - 1], 'z');
	expect_record(f, 2, 2, "x", "y");
	expect_end(f);
}

static void test_field_count_cap(void **state)
{
	struct fixture *f = *state;
	/* 256 fields are fine */
	fk_buf_reset(&f->b);
	for (int i = 0; i < FK_CSV_MAX_FIELDS; i++)
		(void)fk_buf_addf(&f->b, "%s%d", i ? "," : "", i);
	(void)fk_buf_adds(&f->b, "\n");
	/* 257 are not, on line 2 */
	for (int i = 0; i <= FK_CSV_MAX_FIELDS; i++)
		(void)fk_buf_addf(&f->b, "%s%d", i ? "," : "", i);
	(void)fk_buf_adds(&f->b, "\n");
	open_input(f, f->b.ptr, f->b.len);
	struct fk_err err;
	bool got;
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_OK);
	assert_true(got);
	assert_int_equal(f->csv.n, FK_CSV_MAX_FIELDS);
	assert_string_equal(fk_csv_field(&f->csv, 255), "255");
	expect_error(f, FK_EINVAL, NULL, "too many fields");

	fk_buf_reset(&f->b);
	(void)fk_buf_adds(&f->b, "ok\n\n");
	for (int i = 0; i < FK_CSV_MAX_FIELDS; i++)
		(void)fk_buf_adds(&f->b, ",");
	open_input(f, f->b.ptr, f->b.len);
	expect_record(f, 1, 1, "ok");
	expect_record(f, 2, 1, "");
	fk_err_clear(&err);
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_EINVAL);
	assert_false(got);
	if (strncmp(err.field, "x.csv:3:", 8))
		fail_msg("field '%s' does not point at line 3", err.field);
}

/* ---- the 1 MiB read buffer -------------------------------------------------------------- */

/* Builds filler records ("f000001,xxxx...") of exactly pad bytes, then tail; returns the
 * number of filler records. */
static long build(struct fixture *f, size_t pad, const char *tail, size_t tail_len)
{
	free(f->data);
	f->len = pad + tail_len;
	f->data = fk_xmalloc(f->len + 1);
	size_t at = 0;
	long n = 0;
	while (at < pad) {
		size_t left = pad - at;
		/* lines of 100 bytes, the last two sharing what is left (each at least 10) */
		size_t line = left >= 200 ? 100 : (left >= 20 ? left / 2 : left);
		if (left - line > 0 && left - line < 10)
			line = left;
		char head[32];
		int k = snprintf(head, sizeof head, "f%06ld,", ++n);
		assert_true(line >= (size_t)k + 1);
		memcpy(f->data + at, head, (size_t)k);
		memset(f->data + at + k, 'x', line - (size_t)k - 1);
		f->data[at + line - 1] = '\n';
		at += line;
	}
	memcpy(f->data + pad, tail, tail_len);
	return n;
}

/* Skips n filler records, checking their line numbers and shape. */
static void skip_fillers(struct fixture *f, long n)
{
	struct fk_err err;
	bool got;
	for (long i = 1; i <= n; i++) {
		enum fk_code rc = fk_csv_next(&f->csv, &got, &err);
		if (rc || !got)
			fail_msg("filler %ld: rc %d got %d: %s", i, rc, got, rc ? err.en : "");
		assert_int_equal(f->csv.line, i);
		assert_int_equal(f->csv.n, 2);
		char head[32];
		snprintf(head, sizeof head, "f%06ld", i);
		assert_string_equal(fk_csv_field(&f->csv, 0), head);
	}
}

static void test_buffer_boundary(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *tail;
		size_t before; /* bytes of tail that fit in the first buffer */
	} cases[] = {
	    /* a doubled quote split: first " is the last byte of the buffer */
	    {"\"ab\"\"cd\",e\n", 4},
	    /* the closing quote last, the comma first in the next buffer */
	    {"\"abc\",d\n", 5},
	    /* CR last, LF first */
	    {"abc\r\ndef\n", 4},
	    /* an unquoted run across */
	    {"0123456789,xyz\n", 5},
	    /* a quoted line break across */
	    {"\"one\ntwo\",z\n", 5},
	    /* the opening quote first in the next buffer */
	    {"q,\"r,s\"\n", 2},
	};
	for (size_t i = 0; i < FK_ARRAY_LEN(cases); i++) {
		const char *t = cases[i].tail;
		long n = build(f, MIB - cases[i].before, t, strlen(t));
		open_input(f, f->data, f->len);
		skip_fillers(f, n);
		switch (i) {
		case 0:
			expect_record(f, n + 1, 2, "ab\"cd", "e");
			break;
		case 1:
			expect_record(f, n + 1, 2, "abc", "d");
			break;
		case 2:
			expect_record(f, n + 1, 1, "abc");
			expect_record(f, n + 2, 1, "def");
			break;
		case 3:
			expect_record(f, n + 1, 2, "0123456789", "xyz");
			break;
		case 4:
			expect_record(f, n + 1, 2, "one\ntwo", "z");
			break;
		default:
			expect_record(f, n + 1, 2, "q", "r,s");
			break;
		}
		expect_end(f);
	}
}

static void test_record_straddles_buffer(void **state)
{
	struct fixture *f = *state;
	/* A 600 KB record (quoted fields with commas, doubled quotes and line breaks) starting
	 * 300 KB before the end of the first buffer, and a record after it: > 1.5 MiB. */
	struct fk_buf *t = &f->b;
	fk_buf_reset(t);
	(void)fk_buf_adds(t, "start,\"");
	size_t q_len = 0;
	for (int i = 0; i < 20000; i++) {
		(void)fk_buf_adds(t, "a,b\"\"c\nd"); /* 8 bytes, 7 in the field */
		q_len += 7;
	}
	(void)fk_buf_adds(t, "\",");
	for (int i = 0; i < 440000; i++)
		(void)fk_buf_addch(t, (char)('a' + i % 26));
	(void)fk_buf_adds(t, "\r\nafter,1\n");
	long n = build(f, 1000000, t->ptr, t->len);
	assert_true(f->len > MIB + MIB / 2);
	open_input(f, f->data, f->len);
	skip_fillers(f, n);
	struct fk_err err;
	bool got;
	assert_int_equal(fk_csv_next(&f->csv, &got, &err), FK_OK);
	assert_true(got);
	assert_int_equal(f->csv.line, n + 1);
	assert_int_equal(f->csv.n, 3);
	assert_string_equal(fk_csv_field(&f->csv, 0), "start");
	assert_int_equal(fk_csv_len(&f->csv, 1), q_len);
	const char *q = fk_csv_field(&f->csv, 1);
	for (size_t i = 0; i < q_len; i += 7)
		if (memcmp(q + i, "a,b\"c\nd", 7))
			fail_msg("quoted field differs at byte %zu", i);
	assert_int_equal(fk_csv_len(&f->csv, 2), 440000);
	const char *p = fk_csv_field(&f->csv, 2);
	for (size_t i = 0; i < 440000; i++)
		if (p[i] != (char)('a' + i % 26))
			fail_msg("plain field differs at byte %zu", i);
	/* 20000 quoted line breaks: the next record starts 20001 lines later */
	expect_record(f, n + 1 + 20000 + 1, 2, "after", "1");
	expect_end(f);
}

/* An unclosed quote far past the buffer boundary still points where it opened. */
static void test_unclosed_quote_across_buffer(void **state)
{
	struct fixture *f = *state;
	struct fk_buf *t = &f->b;
	fk_buf_reset(t);
	(void)fk_buf_adds(t, "ab,cd,\"");
	for (int i = 0; i < 100000; i++)
		(void)fk_buf_adds(t, "more\n");
	long n = build(f, MIB - 10, t->ptr, t->len);
	open_input(f, f->data, f->len);
	skip_fillers(f, n);
	char where[32];
	snprintf(where, sizeof where, "x.csv:%ld:7", n + 1);
	expect_error(f, FK_EINVAL, where, "never closed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_simple, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_spaces_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quoted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quoted_newlines_keep_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_line_endings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bom, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_first_char_ef_not_bom, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_last_record_without_newline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blank_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_bytes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rfc4180_examples, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quote_in_unquoted_field, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_after_closing_quote, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unclosed_quote, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_record_too_big, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_record_near_cap_ok, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_field_count_cap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_buffer_boundary, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_record_straddles_buffer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unclosed_quote_across_buffer, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
