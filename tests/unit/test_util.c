/*
 * test_util.c - lib/util: time parsing and display, zones, UTF-8, fk_buf, fk_enum_parse.
 *
 * Expected instants are written as constants computed independently (Python's
 * calendar.timegm), not with the functions under test.
 */
#include "fukkyu/common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <unistd.h>

#include "fukkyu/incident.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/ident.h"
#include "util/time.h"
#include "util/utf8.h"

/* 2026-07-06T07:20:00Z and friends. */
#define T_0720Z      INT64_C(1783322400)
#define T_0705_2220Z INT64_C(1783290000) /* 2026-07-06T07:20+09:00 */
#define T_0705_1500Z INT64_C(1783263600) /* 2026-07-06T00:00+09:00 */
#define T_0706_1459Z INT64_C(1783349940)
#define T_0706_1500Z INT64_C(1783350000)
#define T_0706_1120Z INT64_C(1783336800) /* 2026-07-06T07:20-04:00 (New York, DST) */
#define T_0706_0150Z INT64_C(1783302600) /* 2026-07-06T07:20+05:30 */
#define T_20240229Z  INT64_C(1709164800)

static int64_t parse_ok(const char *s, const char *zone)
{
	int64_t t = 0;
	struct fk_err err;
	fk_err_clear(&err);
	enum fk_code rc = fk_time_parse(s, zone, "--at", &t, &err);
	if (rc != FK_OK)
		fail_msg("fk_time_parse('%s', %s) failed: %s", s, zone, err.en);
	return t;
}

/* ---- fk_time_parse ------------------------------------------------------------------- */

static void test_time_parse_offsets(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-07-06T07:20:00Z", "Asia/Tokyo"), T_0720Z);
	assert_int_equal(parse_ok("2026-07-06T07:20Z", "Asia/Tokyo"), T_0720Z);
	assert_int_equal(parse_ok("2026-07-06 07:20Z", "Asia/Tokyo"), T_0720Z);
	assert_int_equal(parse_ok("2026-07-06T07:20+09:00", "UTC"), T_0705_2220Z);
	assert_int_equal(parse_ok("2026-07-06T07:20+0900", "UTC"), T_0705_2220Z);
	assert_int_equal(parse_ok("2026-07-06T07:20+09", "UTC"), T_0705_2220Z);
	assert_int_equal(parse_ok("2026-07-06T07:20:00+05:30", "UTC"), T_0706_0150Z);
	assert_int_equal(parse_ok("2026-07-06T07:20-04:00", "Asia/Tokyo"), T_0706_1120Z);
	assert_int_equal(parse_ok("2026-07-06T07:20+00:00", "Asia/Tokyo"), T_0720Z);
	/* An explicit offset wins over the zone. */
	assert_int_equal(parse_ok("2026-07-06T07:20+09:00", "America/New_York"), T_0705_2220Z);
}

static void test_time_parse_local(void **state)
{
	(void)state;
	/* No offset: local time in the zone. */
	assert_int_equal(parse_ok("2026-07-06T07:20", "Asia/Tokyo"), T_0705_2220Z);
	assert_int_equal(parse_ok("2026-07-06T07:20:00", "Asia/Tokyo"), T_0705_2220Z);
	assert_int_equal(parse_ok("2026-07-06T07:20", "UTC"), T_0720Z);
	assert_int_equal(parse_ok("2026-07-06T07:20", "+05:30"), T_0706_0150Z);
	/* A DST zone: July in New York is UTC-4. */
	assert_int_equal(parse_ok("2026-07-06T07:20", "America/New_York"), T_0706_1120Z);
	/* Date only: local midnight. */
	assert_int_equal(parse_ok("2026-07-06", "Asia/Tokyo"), T_0705_1500Z);
	assert_int_equal(parse_ok("2026-07-06", "UTC"), T_0720Z - 7 * 3600 - 20 * 60);
	assert_int_equal(parse_ok("2026-07-06Z", "Asia/Tokyo"), T_0720Z - 7 * 3600 - 20 * 60);
	/* Leap day. */
	assert_int_equal(parse_ok("2024-02-29T00:00Z", "Asia/Tokyo"), T_20240229Z);
}

static void test_time_parse_fractions(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-07-06T07:20:30.123Z", "UTC"), T_0720Z + 30);
	assert_int_equal(parse_ok("2026-07-06T07:20:30,9Z", "UTC"), T_0720Z + 30);
	assert_int_equal(parse_ok("2026-07-06T07:20:30.123456789+09:00", "UTC"), T_0705_2220Z + 30);
	assert_int_equal(parse_ok("2026-07-06T07:20:30.5", "Asia/Tokyo"), T_0705_2220Z + 30);
	/* A leap second is kept inside the minute. */
	assert_int_equal(parse_ok("2026-07-06T07:20:60Z", "UTC"), T_0720Z + 59);
}

static void expect_bad_time(const char *s)
{
	struct fk_err err;
	int64_t t = 12345;
	fk_err_clear(&err);
	enum fk_code rc = fk_time_parse(s, "Asia/Tokyo", "--discovered", &t, &err);
	if (rc != FK_EINVAL)
		fail_msg("'%s': expected FK_EINVAL, got %d (t=%lld)", s, rc, (long long)t);
	assert_int_equal(err.code, FK_EINVAL);
	assert_string_equal(err.field, "--discovered");
	assert_int_equal(t, 12345); /* out untouched */
	/* Both languages name the option and quote the input, and say what is expected. */
	assert_non_null(strstr(err.en, "--discovered"));
	assert_non_null(strstr(err.en, s));
	assert_non_null(strstr(err.en, "ISO 8601"));
	assert_non_null(strstr(err.ja, "--discovered"));
	assert_non_null(strstr(err.ja, s));
	assert_non_null(strstr(err.ja, "日時"));
}

static void test_time_parse_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "2026-02-30",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-07-00",
	    "2026-07-32",
	    "2026-02-29", /* not a leap year */
	    "1900-02-29",
	    "26-07-06",
	    "2026-7-6",
	    "2026/07/06",
	    "2026-07-06T25:00",
	    "2026-07-06T24:00",
	    "2026-07-06T07:60",
	    "2026-07-06T07:20:61",
	    "2026-07-06T7:20",
	    "2026-07-06T07",
	    "2026-07-06T07:2",
	    "2026-07-06T",
	    "2026-07-06T07:20:",
	    "2026-07-06T07:20:00.",
	    "2026-07-06T07:20:00.Z",
	    "2026-07-06T07:20.5",
	    "2026-07-06T07:20Zjunk",
	    "2026-07-06junk",
	    "2026-07-06T07:20 ",
	    "2026-07-06T07:20+9",
	    "2026-07-06T07:20+24:00",
	    "2026-07-06T07:20+09:60",
	    "2026-07-06T07:20+09:0",
	    "2026-07-06T07:20+09:000",
	    "2026-07-06T07:20UTC",
	    "2026-07-06UTC",
	    "2026-07-06T07:20 Asia/Tokyo",
	    "1969-12-31T23:59:59Z",
	    "0000-01-01",
	    "",
	    "x",
	    "2026",
	    "2026-07",
	};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++)
		expect_bad_time(bad[i]);
}

static void test_time_parse_err_null(void **state)
{
	(void)state;
	int64_t t = 7;
	/* err may be NULL. */
	assert_int_equal(fk_time_parse("2026-02-30", "UTC", "--at", &t, NULL), FK_EINVAL);
	assert_int_equal(t, 7);
}

/* ---- display and round trips --------------------------------------------------------- */

static void test_time_utc_format(void **state)
{
	(void)state;
	char out[32];
	fk_time_utc(T_0720Z, out);
	assert_string_equal(out, "2026-07-06T07:20:00Z");
	fk_time_utc(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	fk_time_utc(T_20240229Z + 86399, out);
	assert_string_equal(out, "2024-02-29T23:59:59Z");
	/* Negative instants round down, not towards zero. */
	fk_time_utc(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	fk_time_utc(-32400, out);
	assert_string_equal(out, "1969-12-31T15:00:00Z");
	fk_time_utc(-86400, out);
	assert_string_equal(out, "1969-12-31T00:00:00Z");
}

static void test_time_negative_epoch(void **state)
{
	(void)state;
	/* Instants before 1970-01-01T00:00Z are refused even when the written year is 1970:
	 * stored as UTC text they would read 1969 and could not be read back. */
	int64_t t;
	struct fk_err err;
	assert_int_equal(fk_time_parse("1970-01-01T00:00+09:00", "UTC", "--at", &t, &err),
	                 FK_EINVAL);
	assert_non_null(strstr(err.en, "outside 1970-9999"));
	assert_int_equal(fk_time_parse("1970-01-01", "Asia/Tokyo", "--at", &t, &err), FK_EINVAL);
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z", "Asia/Tokyo"), 0);
	assert_int_equal(parse_ok("1970-01-01T09:00+09:00", "UTC"), 0);
	assert_int_equal(fk_time_parse("9999-12-31T23:59-12:00", "UTC", "--at", &t, &err),
	                 FK_EINVAL);
	char out[40];
	fk_time_local(-32400, "Asia/Tokyo", out);
	assert_string_equal(out, "1970-01-01T00:00+09:00");
}

static void test_time_local_format(void **state)
{
	(void)state;
	char out[40], date[16];
	fk_time_local(T_0705_2220Z, "Asia/Tokyo", out);
	assert_string_equal(out, "2026-07-06T07:20+09:00");
	fk_time_local(T_0705_2220Z + 5, "Asia/Tokyo", out);
	assert_string_equal(out, "2026-07-06T07:20:05+09:00");
	fk_time_local(T_0720Z, "UTC", out);
	assert_string_equal(out, "2026-07-06T07:20+00:00");
	fk_time_local(T_0706_0150Z, "+05:30", out);
	assert_string_equal(out, "2026-07-06T07:20+05:30");
	fk_time_local(T_0706_1120Z, "America/New_York", out);
	assert_string_equal(out, "2026-07-06T07:20-04:00");
	fk_time_local(T_0720Z, "-03:30", out);
	assert_string_equal(out, "2026-07-06T03:50-03:30");

	fk_time_local_date(T_0706_1459Z, "Asia/Tokyo", date);
	assert_string_equal(date, "2026-07-06");
	fk_time_local_date(T_0706_1500Z, "Asia/Tokyo", date);
	assert_string_equal(date, "2026-07-07");
	fk_time_local_date(T_0706_1500Z, "UTC", date);
	assert_string_equal(date, "2026-07-06");
}

static void test_time_round_trips(void **state)
{
	(void)state;
	static const char *const zones[] = {"Asia/Tokyo", "UTC", "+05:30", "-03:30",
	                                    "America/New_York"};
	/* From 2024-01-01 over about three years, at an odd stride so every hour, minute
	 * and second shows up, including New York's DST changes. */
	for (int64_t t = INT64_C(1704067200); t < INT64_C(1704067200) + 3 * 366 * 86400;
	     t += 7919 * 3 + 1) {
		char utc[32], local[40];
		fk_time_utc(t, utc);
		if (parse_ok(utc, "Asia/Tokyo") != t)
			fail_msg("utc round trip of %lld through %s", (long long)t, utc);
		for (size_t z = 0; z < FK_ARRAY_LEN(zones); z++) {
			fk_time_local(t, zones[z], local);
			/* With the offset written, any zone reads it back. */
			if (parse_ok(local, "UTC") != t)
				fail_msg("local round trip of %lld through %s (%s)", (long long)t,
				         local, zones[z]);
		}
	}
	/* 1970 and the far end of the accepted range. */
	char utc[32];
	fk_time_utc(0, utc);
	assert_int_equal(parse_ok(utc, "UTC"), 0);
	assert_int_equal(parse_ok("9999-12-31T23:59:59Z", "UTC"), INT64_C(253402300799));
	fk_time_utc(INT64_C(253402300799), utc);
	assert_string_equal(utc, "9999-12-31T23:59:59Z");
}

static void test_civil_days(void **state)
{
	(void)state;
	assert_int_equal(fk_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(fk_days_from_civil(2026, 7, 6), T_0720Z / 86400);
	assert_int_equal(fk_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(fk_days_from_civil(2000, 3, 1), 11017);
	for (int64_t z = -800000; z <= 800000; z += 997) {
		int64_t y;
		unsigned m, d;
		fk_civil_from_days(z, &y, &m, &d);
		assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
		assert_int_equal(fk_days_from_civil(y, m, d), z);
	}
}

/* ---- zones ----------------------------------------------------------------------------- */

static void test_tz_offset(void **state)
{
	(void)state;
	assert_int_equal(fk_tz_offset("Asia/Tokyo", T_0720Z), 32400);
	assert_int_equal(fk_tz_offset("Asia/Tokyo", 0), 32400);
	assert_int_equal(fk_tz_offset("UTC", T_0720Z), 0);
	assert_int_equal(fk_tz_offset("Z", T_0720Z), 0);
	assert_int_equal(fk_tz_offset("Etc/UTC", T_0720Z), 0);
	assert_int_equal(fk_tz_offset("+05:30", T_0720Z), 19800);
	assert_int_equal(fk_tz_offset("+0530", T_0720Z), 19800);
	assert_int_equal(fk_tz_offset("-03:30", T_0720Z), -12600);
	assert_int_equal(fk_tz_offset("+09", T_0720Z), 32400);
	/* DST: New York is -4 h in July, -5 h in January. */
	assert_int_equal(fk_tz_offset("America/New_York", T_0720Z), -14400);
	assert_int_equal(fk_tz_offset("America/New_York", INT64_C(1768435200)), -18000);
}

/* fk_tz_offset keeps the last zone loaded (time.c: TZ is fukkyu's own); switching between
 * zones must still give each zone's offset, in any order and repeatedly. */
static void test_tz_offset_switching_zones(void **state)
{
	(void)state;
	const int64_t jan = INT64_C(1768435200); /* 2026-01-15T00:00Z */
	static const struct {
		const char *zone;
		int64_t t;
		long off;
	} cases[] = {
	    {"Asia/Tokyo", T_0720Z, 32400},
	    {"America/New_York", T_0720Z, -14400},
	    {"America/New_York", jan, -18000},
	    {"Asia/Tokyo", jan, 32400},
	    {"Europe/London", T_0720Z, 3600},
	    {"Europe/London", jan, 0},
	    {"+05:30", T_0720Z, 19800},
	    {"Asia/Tokyo", T_0720Z, 32400},
	    {"Australia/Adelaide", jan, 37800},
	    {"UTC", jan, 0},
	    {"America/New_York", T_0720Z, -14400},
	};
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < FK_ARRAY_LEN(cases); i++) {
			long off = fk_tz_offset(cases[i].zone, cases[i].t);
			if (off != cases[i].off)
				fail_msg("round %d: %s at %lld: %ld, expected %ld", round,
				         cases[i].zone, (long long)cases[i].t, off, cases[i].off);
		}
	/* Display and parsing through the same cache. */
	char out[40];
	fk_time_local(T_0720Z, "America/New_York", out);
	assert_string_equal(out, "2026-07-06T03:20-04:00");
	fk_time_local(T_0720Z, "Asia/Tokyo", out);
	assert_string_equal(out, "2026-07-06T16:20+09:00");
	assert_int_equal(parse_ok("2026-07-06T07:20", "America/New_York"), T_0706_1120Z);
	assert_int_equal(parse_ok("2026-07-06T07:20", "Asia/Tokyo"), T_0705_2220Z);
}

static void test_tz_check(void **state)
{
	(void)state;
	struct fk_err err;
	assert_int_equal(fk_tz_check("Asia/Tokyo", &err), FK_OK);
	assert_int_equal(fk_tz_check("UTC", &err), FK_OK);
	assert_int_equal(fk_tz_check("+05:30", &err), FK_OK);
	assert_int_equal(fk_tz_check("-0300", &err), FK_OK);
	assert_int_equal(fk_tz_check("America/New_York", &err), FK_OK);

	static const char *const bad[] = {
	    "../etc/passwd",
	    "Nowhere/City",
	    "/etc/passwd",
	    "Asia/../../etc/passwd",
	    "",
	    "Asia",
	    "Asia/Tokyo ",
	    "Asia/Tokyo;rm",
	    "+25:00",
	    "+09:60",
	    "+9",
	};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++) {
		fk_err_clear(&err);
		enum fk_code rc = fk_tz_check(bad[i], &err);
		if (rc == FK_OK)
			fail_msg("fk_tz_check accepted '%s'", bad[i]);
		assert_int_equal(rc, FK_EUSAGE);
		assert_int_equal(err.code, FK_EUSAGE);
		assert_string_equal(err.field, "--tz");
		assert_non_null(strstr(err.en, "Asia/Tokyo"));
		assert_non_null(strstr(err.ja, "タイムゾーン"));
		char quoted[80];
		snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
		assert_non_null(strstr(err.en, quoted));
		assert_non_null(strstr(err.ja, quoted));
	}
}

/*
 * fk_tz_check promises "a tz database file"; /usr/share/zoneinfo/leapseconds is a regular
 * file there but a text table, not a zone: glibc then silently uses UTC.
 */
static void test_tz_check_non_zone_file(void **state)
{
	(void)state;
	struct fk_err err;
	if (access("/usr/share/zoneinfo/leapseconds", R_OK))
		skip();
	fk_err_clear(&err);
	assert_int_equal(fk_tz_check("leapseconds", &err), FK_EUSAGE);
	assert_string_equal(err.field, "--tz");
}

/* ---- day differences ------------------------------------------------------------------- */

static void test_time_day_diff(void **state)
{
	(void)state;
	/* 14:59Z is 23:59 in Tokyo, 15:00Z is 00:00 the next day. */
	assert_int_equal(fk_time_day_diff(T_0706_1459Z, T_0706_1500Z, "Asia/Tokyo"), 1);
	assert_int_equal(fk_time_day_diff(T_0706_1500Z, T_0706_1459Z, "Asia/Tokyo"), -1);
	assert_int_equal(fk_time_day_diff(T_0706_1459Z, T_0706_1500Z, "UTC"), 0);
	assert_int_equal(fk_time_day_diff(T_0706_1500Z, T_0706_1500Z + 86399, "Asia/Tokyo"), 0);
	assert_int_equal(fk_time_day_diff(T_0706_1500Z, T_0706_1500Z + 86400, "Asia/Tokyo"), 1);
	assert_int_equal(fk_time_day_diff(T_0706_1459Z, T_0706_1500Z + 2 * 86400, "Asia/Tokyo"), 3);
	assert_int_equal(fk_time_day_diff(T_0720Z, T_0720Z, "Asia/Tokyo"), 0);
	/* Across the epoch. */
	assert_int_equal(fk_time_day_diff(-1, 0, "UTC"), 1);
	assert_int_equal(fk_time_day_diff(-1, 0, "Asia/Tokyo"), 0);
}

static void test_time_rel_day(void **state)
{
	(void)state;
	char out[32];
	fk_time_rel_day(0, FK_LANG_JA, out);
	assert_string_equal(out, "当日");
	fk_time_rel_day(1, FK_LANG_JA, out);
	assert_string_equal(out, "翌日");
	fk_time_rel_day(3, FK_LANG_JA, out);
	assert_string_equal(out, "3日後");
	fk_time_rel_day(-1, FK_LANG_JA, out);
	assert_string_equal(out, "前日");
	fk_time_rel_day(-2, FK_LANG_JA, out);
	assert_string_equal(out, "2日前");
	fk_time_rel_day(0, FK_LANG_EN, out);
	assert_string_equal(out, "same day");
	fk_time_rel_day(1, FK_LANG_EN, out);
	assert_string_equal(out, "next day");
	fk_time_rel_day(3, FK_LANG_EN, out);
	assert_string_equal(out, "3 days later");
	fk_time_rel_day(-1, FK_LANG_EN, out);
	assert_string_equal(out, "day before");
	fk_time_rel_day(-14, FK_LANG_EN, out);
	assert_string_equal(out, "14 days before");
	/* Composed with day_diff across the JST midnight. */
	fk_time_rel_day(fk_time_day_diff(T_0706_1459Z, T_0706_1500Z, "Asia/Tokyo"), FK_LANG_JA,
	                out);
	assert_string_equal(out, "翌日");
}

/* ---- UTF-8 ------------------------------------------------------------------------------ */

static bool valid(const char *s)
{
	return fk_utf8_valid(s, strlen(s));
}

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("plain ASCII\t\n"));
	assert_true(valid("日本語"));
	assert_true(valid("復旧プレイブック（標準）"));
	assert_true(valid("\xC2\x80"));         /* U+0080, smallest 2-byte */
	assert_true(valid("\xE0\xA0\x80"));     /* U+0800, smallest 3-byte */
	assert_true(valid("\xED\x9F\xBF"));     /* U+D7FF, just below the surrogates */
	assert_true(valid("\xEE\x80\x80"));     /* U+E000, just above */
	assert_true(valid("\xEF\xBF\xBF"));     /* U+FFFF */
	assert_true(valid("\xF0\x90\x80\x80")); /* U+10000 */
	assert_true(valid("\xF0\x9F\x98\x80")); /* U+1F600 */
	assert_true(valid("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
	/* A NUL inside the given length is a valid code point. */
	assert_true(fk_utf8_valid("a\0b", 3));

	static const char *const bad[] = {
	    "\xC0\x80",                 /* overlong NUL */
	    "\xC1\xBF",                 /* overlong 2-byte */
	    "\xE0\x80\x80",             /* overlong 3-byte */
	    "\xE0\x9F\xBF",             /* overlong U+07FF */
	    "\xF0\x80\x80\x80",         /* overlong 4-byte */
	    "\xF0\x8F\xBF\xBF",         /* overlong U+FFFF */
	    "\xED\xA0\x80",             /* U+D800 surrogate */
	    "\xED\xBF\xBF",             /* U+DFFF surrogate */
	    "\xED\xA0\x80\xED\xB0\x80", /* CESU-8 pair */
	    "\xF4\x90\x80\x80",         /* U+110000 */
	    "\xF5\x80\x80\x80",         /* past the range */
	    "\xF7\xBF\xBF\xBF",
	    "\xF8\x88\x80\x80\x80", /* 5-byte form */
	    "\xFC\x84\x80\x80\x80\x80",
	    "\xFE",
	    "\xFF",
	    "\x80", /* lone continuation */
	    "\xBF",
	    "a\x80z",
	    "\xE6\x97",     /* first two bytes of 日 */
	    "\xF0\x9F\x98", /* truncated emoji */
	    "\xC3",         /* truncated 2-byte */
	    "\xE6\x97"
	    "A", /* continuation missing */
	    "\xE6"
	    "A\x97",
	    "日本\xE8\xAA", /* 語 cut short */
	    "\xC3\x28",
	};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++)
		if (valid(bad[i]))
			fail_msg("fk_utf8_valid accepted bad sequence #%zu", i);
	/* A length that cuts a character. */
	assert_false(fk_utf8_valid("日本語", 8));
	assert_true(fk_utf8_valid("日本語", 6));
	assert_true(fk_utf8_valid("\xFF", 0));
}

static void expect_text_bad(const char *s, const char *needle_en)
{
	struct fk_err err;
	fk_err_clear(&err);
	enum fk_code rc = fk_text_check(s, "--note", &err);
	if (rc != FK_EINVAL)
		fail_msg("fk_text_check accepted text with '%s'", needle_en);
	assert_int_equal(err.code, FK_EINVAL);
	assert_string_equal(err.field, "--note");
	assert_non_null(strstr(err.en, "--note"));
	assert_non_null(strstr(err.ja, "--note"));
	if (!strstr(err.en, needle_en))
		fail_msg("message '%s' lacks '%s'", err.en, needle_en);
}

static void test_text_check(void **state)
{
	(void)state;
	struct fk_err err;
	assert_int_equal(fk_text_check("", "--note", &err), FK_OK);
	assert_int_equal(fk_text_check("tab\there\nnew line", "--note", &err), FK_OK);
	assert_int_equal(fk_text_check("日本語のメモ", "--note", &err), FK_OK);

	expect_text_bad("a\x01z", "0x01");
	expect_text_bad("\x1b[31mred", "0x1b");
	expect_text_bad("carriage\rreturn", "0x0d");
	expect_text_bad("del\x7f", "0x7f");
	expect_text_bad("bell\a", "0x07");
	expect_text_bad("abc\x1b", "offset 3");
	expect_text_bad("bad \xff byte", "UTF-8");
	expect_text_bad("\xC0\x80", "UTF-8");
	expect_text_bad("\xED\xA0\x80", "UTF-8");
	/* The Japanese message says the same. */
	fk_err_clear(&err);
	assert_int_equal(fk_text_check("x\x1by", "--title", &err), FK_EINVAL);
	assert_non_null(strstr(err.ja, "制御文字"));
	assert_non_null(strstr(err.ja, "0x1b"));
	fk_err_clear(&err);
	assert_int_equal(fk_text_check("x\xffy", "--title", &err), FK_EINVAL);
	assert_non_null(strstr(err.ja, "UTF-8"));
}

/*
 * utf8.h promises FK_EINVAL for "control characters other than tab and newline". The C1
 * controls U+0080..U+009F (e.g. U+009B CSI, U+0085 NEL) are control characters too
 * (Unicode category Cc) and some terminals act on them like ESC.
 */
static void test_text_check_c1_controls(void **state)
{
	(void)state;
	struct fk_err err;
	fk_err_clear(&err);
	assert_int_equal(fk_text_check("csi \xC2\x9B"
	                               "31m",
	                               "--note", &err),
	                 FK_EINVAL);
	fk_err_clear(&err);
	assert_int_equal(fk_text_check("nel \xC2\x85", "--note", &err), FK_EINVAL);
}

static void test_utf8_width(void **state)
{
	(void)state;
	assert_int_equal(fk_utf8_width("日本語"), 6);
	assert_int_equal(fk_utf8_width(""), 0);
	assert_int_equal(fk_utf8_width("abc"), 3);
	assert_int_equal(fk_utf8_width("INC-2026-0001 復旧"), 18);
	assert_int_equal(fk_utf8_width("ｱｲｳ"), 3);       /* half-width katakana */
	assert_int_equal(fk_utf8_width("ＡＢ"), 4);      /* full-width Latin */
	assert_int_equal(fk_utf8_width("e\xCC\x81"), 1); /* combining acute */
	assert_int_equal(fk_utf8_width("\xF0\x9F\x98\x80"), 2);
	assert_int_equal(fk_utf8_width("한국"), 4);
	assert_int_equal(fk_utf8_width("a\xffz"), 3); /* a bad byte shows as one column */
}

static char *fput_to_string(const char *s, size_t cols)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	fk_utf8_fput(f, s, cols);
	fclose(f);
	return out;
}

static void test_utf8_fput(void **state)
{
	(void)state;
	char *s = fput_to_string("日本語", 6);
	assert_string_equal(s, "日本語");
	free(s);
	s = fput_to_string("日本語", 8);
	assert_string_equal(s, "日本語  ");
	free(s);
	s = fput_to_string("日本語", 4);
	assert_string_equal(s, "日… ");
	assert_int_equal(fk_utf8_width(s), 4);
	free(s);
	s = fput_to_string("abcdef", 4);
	assert_string_equal(s, "abc…");
	free(s);
	s = fput_to_string("a\tb\nc", 5);
	assert_string_equal(s, "a b c");
	free(s);
}

/* ---- fk_buf ------------------------------------------------------------------------------ */

static void test_buf_growth(void **state)
{
	(void)state;
	struct fk_buf b = FK_BUF_INIT;
	assert_ptr_equal(b.ptr, fk_buf_empty);
	assert_string_equal(b.ptr, "");
	assert_int_equal(b.len, 0);

	char expect[5000];
	size_t n = 0;
	for (int i = 0; i < 1000; i++) {
		char piece[8];
		int k = snprintf(piece, sizeof piece, "%d,", i % 100);
		assert_int_equal(fk_buf_adds(&b, piece), FK_OK);
		memcpy(expect + n, piece, (size_t)k);
		n += (size_t)k;
	}
	expect[n] = '\0';
	assert_int_equal(b.len, n);
	assert_int_equal(strlen(b.ptr), n);
	assert_string_equal(b.ptr, expect);
	assert_true(b.cap > b.len);
	assert_false(b.toobig);

	assert_int_equal(fk_buf_addch(&b, '!'), FK_OK);
	assert_int_equal(b.len, n + 1);
	assert_int_equal(b.ptr[n], '!');
	assert_int_equal(b.ptr[n + 1], '\0');

	/* Binary data with a NUL inside. */
	assert_int_equal(fk_buf_add(&b, "x\0y", 3), FK_OK);
	assert_int_equal(b.len, n + 4);
	assert_memory_equal(b.ptr + n + 1, "x\0y", 3);

	fk_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	assert_true(b.cap > 0); /* memory kept */

	fk_buf_release(&b);
	assert_ptr_equal(b.ptr, fk_buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* Usable again after release. */
	assert_int_equal(fk_buf_adds(&b, "again"), FK_OK);
	assert_string_equal(b.ptr, "again");
	fk_buf_release(&b);
}

static void test_buf_addf(void **state)
{
	(void)state;
	struct fk_buf b = FK_BUF_INIT;
	assert_int_equal(fk_buf_addf(&b, "%s-%04d-%04lld", "INC", 2026, 1LL), FK_OK);
	assert_string_equal(b.ptr, "INC-2026-0001");
	assert_int_equal(b.len, 13);
	assert_int_equal(fk_buf_addf(&b, " %s=%zu", "日本", (size_t)42), FK_OK);
	assert_string_equal(b.ptr, "INC-2026-0001 日本=42");
	/* A long formatted piece forces growth inside addf. */
	char big[3000];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	size_t before = b.len;
	assert_int_equal(fk_buf_addf(&b, "[%s]", big), FK_OK);
	assert_int_equal(b.len, before + 2 + strlen(big));
	assert_int_equal(b.ptr[before], '[');
	assert_int_equal(b.ptr[b.len - 1], ']');
	assert_int_equal(b.ptr[b.len], '\0');
	assert_int_equal(fk_buf_addf(&b, "%s", ""), FK_OK);
	assert_int_equal(b.len, before + 2 + strlen(big));
	fk_buf_release(&b);
}

static void test_buf_cap(void **state)
{
	(void)state;
	struct fk_buf b;
	fk_buf_init(&b, 10);
	assert_int_equal(b.max, 10);
	assert_int_equal(fk_buf_adds(&b, "hello"), FK_OK);
	/* 5 + 6 > 10: refused, content unchanged. */
	assert_int_equal(fk_buf_adds(&b, "world!"), FK_ETOOBIG);
	assert_true(b.toobig);
	assert_string_equal(b.ptr, "hello");
	assert_int_equal(b.len, 5);
	assert_int_equal(fk_buf_addf(&b, "%s", "123456"), FK_ETOOBIG);
	assert_string_equal(b.ptr, "hello");
	assert_int_equal(b.len, 5);
	assert_int_equal(fk_buf_addch(&b, 'x'), FK_OK);
	assert_int_equal(fk_buf_add(&b, "abcdefgh", 5), FK_ETOOBIG);
	assert_string_equal(b.ptr, "hellox");
	/* Exactly up to the cap is fine. */
	assert_int_equal(fk_buf_adds(&b, "1234"), FK_OK);
	assert_string_equal(b.ptr, "hellox1234");
	assert_int_equal(b.len, 10);
	assert_int_equal(fk_buf_addch(&b, 'z'), FK_ETOOBIG);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.ptr, "hellox1234");
	/* reset clears the flag and keeps the cap. */
	fk_buf_reset(&b);
	assert_false(b.toobig);
	assert_int_equal(fk_buf_adds(&b, "0123456789"), FK_OK);
	assert_int_equal(fk_buf_adds(&b, "a"), FK_ETOOBIG);
	/* release keeps the cap too. */
	fk_buf_release(&b);
	assert_int_equal(b.max, 10);
	assert_int_equal(fk_buf_adds(&b, "0123456789x"), FK_ETOOBIG);
	assert_string_equal(b.ptr, "");
	assert_int_equal(b.len, 0);
	fk_buf_release(&b);
}

static void test_buf_detach(void **state)
{
	(void)state;
	struct fk_buf b = FK_BUF_INIT;
	assert_int_equal(fk_buf_adds(&b, "detached"), FK_OK);
	char *s = fk_buf_detach(&b);
	assert_string_equal(s, "detached");
	assert_ptr_equal(b.ptr, fk_buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);
	/* An empty buf detaches to a fresh "" the caller frees. */
	s = fk_buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_ptr_not_equal(s, fk_buf_empty);
	free(s);
	/* Still usable. */
	assert_int_equal(fk_buf_adds(&b, "x"), FK_OK);
	fk_buf_release(&b);
	fk_buf_release(&b); /* twice is harmless */
	assert_string_equal(fk_buf_empty, "");
}

/* ---- fk_enum_parse and the error table --------------------------------------------------- */

static void test_enum_parse(void **state)
{
	(void)state;
	int v = -1;
	struct fk_err err;
	assert_int_equal(fk_enum_parse(fk_kinds, FK_KIND_COUNT, "data-leak", "--kind", &v, &err),
	                 FK_OK);
	assert_int_equal(v, FK_KIND_DATA_LEAK);
	assert_int_equal(fk_enum_parse(fk_states, FK_STATE_COUNT, "closed", "state", &v, &err),
	                 FK_OK);
	assert_int_equal(v, FK_STATE_CLOSED);

	v = 77;
	fk_err_clear(&err);
	assert_int_equal(fk_enum_parse(fk_kinds, FK_KIND_COUNT, "Data-Leak", "--kind", &v, &err),
	                 FK_EUSAGE);
	assert_int_equal(v, 77);
	assert_int_equal(err.code, FK_EUSAGE);
	assert_string_equal(err.field, "--kind");
	assert_non_null(strstr(err.en, "'Data-Leak'"));
	assert_non_null(strstr(err.ja, "'Data-Leak'"));
	for (size_t i = 0; i < FK_KIND_COUNT; i++) {
		if (!strstr(err.en, fk_kinds[i].key) || !strstr(err.ja, fk_kinds[i].key))
			fail_msg("message lacks kind '%s': %s", fk_kinds[i].key, err.en);
	}
	assert_non_null(strstr(err.en, "outbound-attack, vulnerability-report, defacement"));
	assert_non_null(strstr(err.en, "disaster, other"));

	fk_err_clear(&err);
	assert_int_equal(fk_enum_parse(fk_roles, FK_ROLE_COUNT, "", "role", &v, &err), FK_EUSAGE);
	for (size_t i = 0; i < FK_ROLE_COUNT; i++)
		assert_non_null(strstr(err.en, fk_roles[i].key));
	/* err may be NULL. */
	assert_int_equal(fk_enum_parse(fk_roles, FK_ROLE_COUNT, "x", "role", &v, NULL), FK_EUSAGE);

	assert_string_equal(fk_enum_label(fk_kinds, FK_KIND_COUNT, FK_KIND_DATA_LEAK, FK_LANG_JA),
	                    "情報漏えい");
	assert_string_equal(fk_enum_label(fk_kinds, FK_KIND_COUNT, FK_KIND_DATA_LEAK, FK_LANG_EN),
	                    "Data leak");
	assert_string_equal(fk_enum_label(fk_kinds, FK_KIND_COUNT, -1, FK_LANG_EN), "?");
	assert_string_equal(fk_enum_label(fk_kinds, FK_KIND_COUNT, FK_KIND_COUNT, FK_LANG_EN), "?");
}

static void test_err_table(void **state)
{
	(void)state;
	assert_string_equal(fk_code_name(FK_OK), "ok");
	assert_string_equal(fk_code_name(FK_ENOTFOUND), "not_found");
	assert_string_equal(fk_code_name(FK_ETOOBIG), "too_big");
	assert_string_equal(fk_code_name(FK_CODE_MAX), "unknown");
	assert_int_equal(fk_code_exit(FK_OK), 0);
	assert_int_equal(fk_code_exit(FK_EUSAGE), 2);
	assert_int_equal(fk_code_exit(FK_EINVAL), 1);
	assert_int_equal(fk_code_http(FK_ENOTFOUND), 404);
	assert_int_equal(fk_code_http(FK_EREFUSED), 409);
	assert_int_equal(fk_code_http(FK_CODE_MAX), 500);

	struct fk_err err, *e = &err, *none = NULL;
	fk_err_clear(&err);
	assert_int_equal(FK_ERR(e, FK_EINVAL, "--x", "bad %d", "不正 %d", 7), FK_EINVAL);
	assert_string_equal(err.field, "--x");
	assert_string_equal(err.en, "bad 7");
	assert_string_equal(err.ja, "不正 7");
	assert_string_equal(fk_err_msg(&err, FK_LANG_JA), "不正 7");
	assert_string_equal(fk_err_msg(&err, FK_LANG_EN), "bad 7");
	fk_err_clear(&err);
	assert_int_equal(err.code, FK_OK);
	assert_string_equal(err.en, "");
	assert_string_equal(err.field, "");
	assert_int_equal(FK_ERR0(none, FK_EIO, NULL, "io", "入出力"), FK_EIO);
}

/* fk_json_quote: what it writes must be valid JSON that jansson reads back as the text,
 * with bytes that are not UTF-8 as U+FFFD. */
static void expect_quote(const char *in, size_t n, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	fk_json_quote(f, in, n);
	fclose(f);
	assert_string_equal(out, want);
	json_error_t e;
	json_t *v = json_loads(out, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	assert_non_null(v);
	assert_true(json_is_string(v));
	json_decref(v);
	free(out);
}

static void test_json_quote(void **state)
{
	(void)state;
	expect_quote("10.0.0.1", 8, "\"10.0.0.1\"");
	expect_quote("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	expect_quote("t\tn\n\x7f", 5, "\"t\\u0009n\\u000a\\u007f\"");
	expect_quote("\xe5\xbe\xa9\xe6\x97\xa7", 6, "\"\xe5\xbe\xa9\xe6\x97\xa7\""); /* 復旧 */
	expect_quote("x\xff\xe5\xbey", 5, "\"x\\ufffd\\ufffd\\ufffdy\""); /* bad, cut short */
	expect_quote("a\0b", 3, "\"a\\u0000b\"");
	expect_quote("", 0, "\"\"");
}

/* Numbered identifiers: with or without the letter, either case; anything else is 0. */
static void test_ident_no(void **state)
{
	(void)state;
	assert_int_equal(fk_ident_no("M2", 'M'), 2);
	assert_int_equal(fk_ident_no("m12", 'M'), 12);
	assert_int_equal(fk_ident_no("7", 'E'), 7);
	const char *bad[] = {
	    "", "M", "M0", "M02", "M2x", "M-1", " 2", "X2", "M1234567890123456789"};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++)
		assert_int_equal(fk_ident_no(bad[i], 'M'), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_time_parse_offsets),
	    cmocka_unit_test(test_time_parse_local),
	    cmocka_unit_test(test_time_parse_fractions),
	    cmocka_unit_test(test_time_parse_invalid),
	    cmocka_unit_test(test_time_parse_err_null),
	    cmocka_unit_test(test_time_utc_format),
	    cmocka_unit_test(test_time_negative_epoch),
	    cmocka_unit_test(test_time_local_format),
	    cmocka_unit_test(test_time_round_trips),
	    cmocka_unit_test(test_civil_days),
	    cmocka_unit_test(test_tz_offset),
	    cmocka_unit_test(test_tz_offset_switching_zones),
	    cmocka_unit_test(test_tz_check),
	    cmocka_unit_test(test_tz_check_non_zone_file),
	    cmocka_unit_test(test_ident_no),
	    cmocka_unit_test(test_time_day_diff),
	    cmocka_unit_test(test_time_rel_day),
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_text_check),
	    cmocka_unit_test(test_text_check_c1_controls),
	    cmocka_unit_test(test_utf8_width),
	    cmocka_unit_test(test_utf8_fput),
	    cmocka_unit_test(test_buf_growth),
	    cmocka_unit_test(test_buf_addf),
	    cmocka_unit_test(test_buf_cap),
	    cmocka_unit_test(test_buf_detach),
	    cmocka_unit_test(test_enum_parse),
	    cmocka_unit_test(test_err_table),
	    cmocka_unit_test(test_json_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
