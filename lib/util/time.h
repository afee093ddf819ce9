/*
 * time.h - instants, ISO 8601 parsing and display in a user's zone.
 *
 * An instant is int64 seconds since the Unix epoch, UTC; FK_TIME_NONE means "not set".
 * Stored text is always UTC ("2026-07-06T07:20:00Z"); display uses a zone: "UTC", a fixed
 * offset "+09:00", or a tz database name ("Asia/Tokyo", the default).
 */
#ifndef FK_TIME_H
#define FK_TIME_H

#include "fukkyu/common.h"
#include "util/err.h"

#define FK_TIME_NONE  INT64_MIN
#define FK_TZ_DEFAULT "Asia/Tokyo"

/* The current instant (or $FUKKYU_NOW, an ISO 8601 instant, for reproducible tests). */
int64_t fk_time_now(void);

/* Checks that zone names a zone we can use (a fixed offset or a tz database file). */
enum fk_code fk_tz_check(const char *zone, struct fk_err *err) FK_WUR;

/*
 * Parses ISO 8601: YYYY-MM-DD, optionally followed by THH:MM[:SS[.fraction]] (a space may
 * stand for T), optionally followed by Z or an offset ±HH:MM / ±HHMM / ±HH. Text without an
 * offset is local time in zone. field names the option for the error message.
 */
enum fk_code fk_time_parse(const char *s, const char *zone, const char *field, int64_t *out,
                           struct fk_err *err) FK_WUR;

/* "2026-07-05T22:20:00Z" into out (at least 21 bytes). */
void fk_time_utc(int64_t t, char out[static 32]);
/* "2026-07-06T07:20+09:00" (minutes; seconds only when not zero) in zone. */
void fk_time_local(int64_t t, const char *zone, char out[static 40]);
/* "2026-07-06" in zone. */
void fk_time_local_date(int64_t t, const char *zone, char out[static 16]);
/* Offset of zone from UTC at instant t, in seconds. */
long fk_tz_offset(const char *zone, int64_t t);
/* Whole calendar days from base to t, counted in zone (0 = same day, 1 = next day). */
long fk_time_day_diff(int64_t base, int64_t t, const char *zone);
/* The day count said as the source document says it: 当日 / 翌日 / 3日後 / 前日 / 2日前. */
void fk_time_rel_day(long days, enum fk_lang lang, char out[static 32]);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int64_t fk_days_from_civil(int64_t y, unsigned m, unsigned d);
void fk_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
