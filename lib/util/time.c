/*
 * time.c - instants, ISO 8601, zones.
 *
 * Zone offsets come from the C library (localtime_r with TZ set), guarded by a mutex
 * because TZ is process-wide; fixed offsets and UTC need no tz database at all.
 */
#include "fukkyu/common.h"
#include "util/time.h"

#include <ctype.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

int64_t fk_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void fk_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* Parses "+09:00", "-0530", "+09", "Z" or "UTC"; returns false if s is not a fixed offset. */
static bool parse_offset(const char *s, long *secs)
{
	if (!strcmp(s, "Z") || !strcmp(s, "UTC") || !strcmp(s, "Etc/UTC")) {
		*secs = 0;
		return true;
	}
	if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return false;
	long h = (s[1] - '0') * 10 + (s[2] - '0'), m = 0;
	const char *p = s + 3;
	if (*p == ':')
		p++;
	if (*p) {
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2])
			return false;
		m = (p[0] - '0') * 10 + (p[1] - '0');
	}
	if (h > 23 || m > 59)
		return false;
	*secs = (h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
	return true;
}

enum fk_code fk_tz_check(const char *zone, struct fk_err *err)
{
	long off;
	if (parse_offset(zone, &off))
		return FK_OK;
	bool ok = zone[0] && zone[0] != '/' && !strstr(zone, "..") && strlen(zone) < 64;
	for (const char *p = zone; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr("/_+-", *p);
	if (ok) {
		char path[128];
		struct stat st;
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
		/* A zone file starts with "TZif"; zoneinfo also holds text tables the C library
		 * would silently read as UTC. */
		char magic[4] = {0};
		FILE *f = !stat(path, &st) && S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;
		ok = f && fread(magic, 1, 4, f) == 4 && !memcmp(magic, "TZif", 4);
		if (f)
			fclose(f);
	}
	if (!ok)
		return FK_ERR(
		    err, FK_EUSAGE, "--tz",
		    "unknown time zone '%s': give a name such as Asia/Tokyo or UTC, or an "
		    "offset such as +09:00",
		    "タイムゾーン '%s' は不明です: Asia/Tokyo や UTC などの名前、または "
		    "+09:00 のようなオフセットを指定してください",
		    zone);
	return FK_OK;
}

long fk_tz_offset(const char *zone, int64_t t)
{
	/* The C library loads a zone's rules when TZ changes (tzset reads the tz file), so
	 * the zone last asked for stays set: a process shows times in one zone, and a board of
	 * thousands of dates must not read the tz file for each. TZ is ours: nothing in fukkyu
	 * uses the C library's local time otherwise (localtime is banned). */
	static char current[64];
	long off;
	if (parse_offset(zone, &off))
		return off;
	pthread_mutex_lock(&tz_lock);
	if (strcmp(current, zone)) {
		snprintf(current, sizeof current, "%s", zone);
		setenv("TZ", zone, 1);
		tzset();
	}
	time_t tt = (time_t)t;
	struct tm tm;
	off = 0;
	if (localtime_r(&tt, &tm)) {
		int64_t local = fk_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
		                                   (unsigned)tm.tm_mday) *
		                    86400 +
		                tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
		off = (long)(local - t);
	}
	pthread_mutex_unlock(&tz_lock);
	return off;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

enum fk_code fk_time_parse(const char *s, const char *zone, const char *field, int64_t *out,
                           struct fk_err *err)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	const char *p = s;
	bool ok = digits(p, 4, &y) && p[4] == '-' && digits(p + 5, 2, &mo) && p[7] == '-' &&
	          digits(p + 8, 2, &d);
	p += 10;
	if (ok && (*p == 'T' || *p == ' ')) {
		ok = digits(p + 1, 2, &h) && p[3] == ':' && digits(p + 4, 2, &mi);
		p += 6;
		if (ok && *p == ':') {
			ok = digits(p + 1, 2, &se);
			p += 3;
			if (ok && (*p == '.' || *p == ',')) {
				p++;
				ok = isdigit((unsigned char)*p);
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
	}
	long off = 0;
	bool has_off = false;
	if (ok && *p) {
		ok = parse_offset(p, &off) && strcmp(p, "UTC") && strcmp(p, "Etc/UTC");
		has_off = true;
	}
	ok = ok && y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
	     d <= month_days(y, mo) && h <= 23 && mi <= 59 && se <= 60;
	if (!ok)
		return FK_ERR(err, FK_EINVAL, field,
		              "%s: '%s' is not a date: expected ISO 8601 such as 2026-07-06, "
		              "2026-07-06T07:20 or 2026-07-06T07:20+09:00",
		              "%s: '%s' は日時として読めません: 2026-07-06、2026-07-06T07:20、"
		              "2026-07-06T07:20+09:00 のような ISO 8601 形式で指定してください",
		              field, s);
	if (se == 60)
		se = 59;
	int64_t wall =
	    fk_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
	if (!has_off) {
		/* Local time in zone: the offset at the wall time, corrected once for DST edges. */
		off = fk_tz_offset(zone, wall);
		off = fk_tz_offset(zone, wall - off);
	}
	/* Instants are stored as UTC text from 1970 to 9999: an offset must not push a date
	 * outside (1970-01-01T00:00+01:00 is 1969 in UTC). */
	int64_t t = wall - off;
	if (t < 0 || t >= fk_days_from_civil(10000, 1, 1) * 86400)
		return FK_ERR(
		    err, FK_EINVAL, field,
		    "%s: '%s' is outside 1970-9999 in UTC: give a date in that range",
		    "%s: '%s' は UTC で 1970〜9999 年の範囲外です: その範囲の日時を指定して"
		    "ください",
		    field, s);
	*out = t;
	return FK_OK;
}

int64_t fk_time_now(void)
{
	const char *fixed = getenv("FUKKYU_NOW");
	int64_t t;
	if (fixed && *fixed && fk_time_parse(fixed, "UTC", "FUKKYU_NOW", &t, NULL) == FK_OK)
		return t;
	return (int64_t)time(NULL);
}

static void split(int64_t t, int64_t *y, unsigned *mo, unsigned *d, int *h, int *mi, int *s)
{
	int64_t days = floor_div(t, 86400), rem = t - days * 86400;
	fk_civil_from_days(days, y, mo, d);
	*h = (int)(rem / 3600);
	*mi = (int)(rem / 60 % 60);
	*s = (int)(rem % 60);
}

void fk_time_utc(int64_t t, char out[static 32])
{
	int64_t y;
	unsigned mo, d;
	int h, mi, s;
	split(t, &y, &mo, &d, &h, &mi, &s);
	/* Narrowed types let the compiler see the text fits (years are 1970-9999). */
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(y % 10000), mo % 13u,
	         d % 32u, (unsigned)h % 24u, (unsigned)mi % 60u, (unsigned)s % 60u);
}

void fk_time_local(int64_t t, const char *zone, char out[static 40])
{
	long off = fk_tz_offset(zone, t);
	int64_t y;
	unsigned mo, d;
	int h, mi, s;
	split(t + off, &y, &mo, &d, &h, &mi, &s);
	/* Offsets are under a day and years four digits: narrow the types so the compiler
	 * can see the text fits. */
	int a = (int)((off < 0 ? -off : off) % 86400);
	char sec[8] = "";
	if (s)
		snprintf(sec, sizeof sec, ":%02u", (unsigned)s % 60u);
	snprintf(out, 40, "%04d-%02u-%02uT%02d:%02d%s%c%02d:%02d", (int)(y % 10000), mo % 13,
	         d % 32, h % 24, mi % 60, sec, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

void fk_time_local_date(int64_t t, const char *zone, char out[static 16])
{
	int64_t y;
	unsigned mo, d;
	int h, mi, s;
	split(t + fk_tz_offset(zone, t), &y, &mo, &d, &h, &mi, &s);
	snprintf(out, 16, "%04u-%02u-%02u", (unsigned)(y % 10000), mo % 13u, d % 32u);
}

long fk_time_day_diff(int64_t base, int64_t t, const char *zone)
{
	int64_t a = floor_div(base + fk_tz_offset(zone, base), 86400);
	int64_t b = floor_div(t + fk_tz_offset(zone, t), 86400);
	return (long)(b - a);
}

void fk_time_rel_day(long days, enum fk_lang lang, char out[static 32])
{
	if (days == 0)
		snprintf(out, 32, "%s", TR(lang, "same day", "当日"));
	else if (days == 1)
		snprintf(out, 32, "%s", TR(lang, "next day", "翌日"));
	else if (days == -1)
		snprintf(out, 32, "%s", TR(lang, "day before", "前日"));
	else if (days > 0)
		snprintf(out, 32, TR(lang, "%ld days later", "%ld日後"), days);
	else
		snprintf(out, 32, TR(lang, "%ld days before", "%ld日前"), -days);
}
