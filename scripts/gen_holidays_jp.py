#!/usr/bin/env python3
"""Writes data/holidays-jp.csv: Japanese public holidays (国民の祝日に関する法律) for 2024-2035.

Rules of the law as amended to 2021 (no Olympic moves after 2021): fixed days, Happy Monday
days, the equinoxes, substitute holidays (振替休日: a holiday on a Sunday moves to the next day
that is not a holiday) and citizens' holidays (国民の休日: a day between two holidays); and
the year-end days 12/29-1/3, when government offices are closed (行政機関の休日に関する法律
1条), so that a business-day clock does not fall due over the New Year.
The equinox days use the usual approximation (valid 1980-2099); the Cabinet Office announces
each year's days in February of the year before, so years beyond the next are provisional:
check data/holidays-jp.csv against the announcement when it comes (a 'provisional' column
says which rows are not announced yet).
"""
import datetime as dt
import sys

FIRST, LAST, ANNOUNCED_UNTIL = 2024, 2035, 2027


def nth_monday(y, m, n):
    d = dt.date(y, m, 1)
    d += dt.timedelta(days=(7 - d.weekday()) % 7)  # first Monday
    return d + dt.timedelta(weeks=n - 1)


def equinox(y, base):
    return int(base + 0.242194 * (y - 1980) - (y - 1980) // 4)


def year(y):
    h = {
        dt.date(y, 1, 1): ("元日", "New Year's Day"),
        nth_monday(y, 1, 2): ("成人の日", "Coming of Age Day"),
        dt.date(y, 2, 11): ("建国記念の日", "National Foundation Day"),
        dt.date(y, 2, 23): ("天皇誕生日", "The Emperor's Birthday"),
        dt.date(y, 3, equinox(y, 20.8431)): ("春分の日", "Vernal Equinox Day"),
        dt.date(y, 4, 29): ("昭和の日", "Showa Day"),
        dt.date(y, 5, 3): ("憲法記念日", "Constitution Memorial Day"),
        dt.date(y, 5, 4): ("みどりの日", "Greenery Day"),
        dt.date(y, 5, 5): ("こどもの日", "Children's Day"),
        nth_monday(y, 7, 3): ("海の日", "Marine Day"),
        dt.date(y, 8, 11): ("山の日", "Mountain Day"),
        nth_monday(y, 9, 3): ("敬老の日", "Respect for the Aged Day"),
        dt.date(y, 9, equinox(y, 23.2488)): ("秋分の日", "Autumnal Equinox Day"),
        nth_monday(y, 10, 2): ("スポーツの日", "Sports Day"),
        dt.date(y, 11, 3): ("文化の日", "Culture Day"),
        dt.date(y, 11, 23): ("勤労感謝の日", "Labour Thanksgiving Day"),
    }
    for d in sorted(h):  # substitute holidays
        if d.weekday() == 6:
            s = d + dt.timedelta(days=1)
            while s in h:
                s += dt.timedelta(days=1)
            h[s] = ("休日 (振替休日)", "Substitute holiday")
    for d in sorted(h):  # citizens' holidays
        mid = d + dt.timedelta(days=1)
        if mid not in h and mid + dt.timedelta(days=1) in h and mid.weekday() != 6:
            h[mid] = ("休日 (国民の休日)", "Citizens' holiday")
    for d in (dt.date(y, 1, 2), dt.date(y, 1, 3), dt.date(y, 12, 29), dt.date(y, 12, 30),
              dt.date(y, 12, 31)):
        h.setdefault(d, ("年末年始 (行政機関の休日)", "New Year holidays (government offices)"))
    return h


def main():
    out = sys.stdout
    out.write("date,name_ja,name_en,provisional\n")
    for y in range(FIRST, LAST + 1):
        for d, (ja, en) in sorted(year(y).items()):
            out.write(f"{d.isoformat()},{ja},{en},{'yes' if y > ANNOUNCED_UNTIL else 'no'}\n")


if __name__ == "__main__":
    main()
