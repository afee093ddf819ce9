/*
 * damage.h - the damage and cost ledger of an incident (source: direct and indirect damage;
 * case 3, where computing the damage won the budget for real prevention; cases 2 and 3, where
 * operator and contractor split the cost).
 *
 * Amounts are whole units of their currency (yen have no minor unit). An entry may be split
 * between parties by whole percentages adding up to 100; a party's share is rounded so that
 * the shares add up to the amount exactly (largest remainder).
 */
#ifndef FK_DAMAGE_H
#define FK_DAMAGE_H

#include "fukkyu/recovery.h"

enum fk_damage_category {
	FK_DMG_MONEY, /* direct */
	FK_DMG_EQUIPMENT,
	FK_DMG_INJURY,
	FK_DMG_OPPORTUNITY, /* indirect */
	FK_DMG_REPUTATION,
	FK_DMG_DISRUPTION,
	FK_DMG_RESPONSE, /* costs */
	FK_DMG_RESTORATION,
	FK_DMG_COMPENSATION,
	FK_DMG_PREVENTION,
	FK_DMG_COUNT
};
extern const struct fk_enum fk_damage_categories[FK_DMG_COUNT];
enum fk_damage_group { FK_DMG_DIRECT, FK_DMG_INDIRECT, FK_DMG_COSTS, FK_DMG_GROUP_COUNT };
extern const char *const fk_damage_group_keys[FK_DMG_GROUP_COUNT];
enum fk_damage_group fk_damage_group_of(int category);

#define FK_SPLIT_MAX  8                  /* parties an entry is split between */
#define FK_AMOUNT_MAX 1000000000000000LL /* 10^15: beyond any incident, far from overflow */
#define FK_PARTY_MAX  100                /* bytes of a party's name */

struct fk_split {
	char party[FK_PARTY_MAX + 1];
	int pct;
};

struct fk_damage {
	int64_t id;
	int no; /* D1, D2 ... within the incident */
	int category;
	int64_t amount;
	char currency[4]; /* ISO 4217, e.g. "JPY" */
	char *description;
	char *basis; /* how the amount was computed (the outage calculator writes it) */
	struct fk_split split[FK_SPLIT_MAX];
	int nsplit;
	int64_t created_at;
	char *created_by;
	char *agreed_by; /* who agreed to the split (the parties), NULL when not yet */
	int64_t agreed_at;
};
void fk_damage_release(struct fk_damage *d);

/* Parses "PARTY=PCT" (PCT a whole number 1..100) into s; errors name field. */
enum fk_code fk_split_parse(const char *text, const char *field, struct fk_split *s,
                            struct fk_err *err) FK_WUR;
/* Checks an entry before it is stored: category, amount 0..FK_AMOUNT_MAX, currency three
 * capital letters, texts, split parties distinct with percentages adding up to 100. */
enum fk_code fk_damage_check(const struct fk_damage *d, struct fk_err *err) FK_WUR;
/* The shares of amount by the entry's split (out[i] for split[i]); they add up to amount. */
void fk_damage_shares(const struct fk_damage *d, int64_t out[FK_SPLIT_MAX]);

/* Adds an entry (d->id, no, created_* are filled in). */
enum fk_code fk_damage_add(struct fk_ctx *c, const char *id, struct fk_damage *d,
                           struct fk_err *err) FK_WUR;

/* Records that the parties agreed to entry code's split ("D2"): by names them. */
enum fk_code fk_damage_agree(struct fk_ctx *c, const char *id, const char *code, const char *by,
                             struct fk_err *err) FK_WUR;

/* The outage from the timeline: the minutes between each entry marked service-stopped and the
 * next marked service-restored. A stop not followed by a restore is an error naming it. */
enum fk_code fk_outage_minutes(struct fk_ctx *c, int64_t incident, int64_t *minutes,
                               int64_t *first_stop, int64_t *last_restore,
                               struct fk_err *err) FK_WUR;
/* Opportunity loss of an outage: revenue_per_hour x the outage (from..to when both are given,
 * else from the timeline), rounded to the whole unit, added as an entry whose basis says how. */
enum fk_code fk_damage_outage(struct fk_ctx *c, const char *id, int64_t revenue_per_hour,
                              int64_t from, int64_t to, struct fk_damage *d,
                              struct fk_err *err) FK_WUR;

struct fk_damage_party {
	char party[FK_PARTY_MAX + 1];
	int64_t amount;
};
struct fk_damage_summary {
	char currency[4];
	int64_t group[FK_DMG_GROUP_COUNT]; /* direct, indirect, costs */
	int64_t category[FK_DMG_COUNT];
	int64_t total, unallocated;    /* unallocated: the amounts of entries with no split */
	struct fk_damage_party *party; /* by name */
	size_t nparty;
	int entries, other_currency; /* entries summed; entries in another currency (left out) */
};
void fk_damage_summary_release(struct fk_damage_summary *s);
/* Sums the entries in currency (others are counted in other_currency, not added). */
void fk_damage_sum(const struct fk_damage *d, size_t n, const char *currency,
                   struct fk_damage_summary *out);

#endif
