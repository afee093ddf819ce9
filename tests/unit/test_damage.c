/*
 * test_damage.c - lib/core/damage.c: split parsing, shares (largest remainder) against an
 * independent computation in exact arithmetic, the summary's totals, and the entry checks.
 */
#include "fukkyu/common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fukkyu/damage.h"

static struct fk_damage entry(int category, int64_t amount, const char *cur, int n, const int *pct)
{
	struct fk_damage d = {.category = category, .amount = amount, .nsplit = n};
	snprintf(d.currency, sizeof d.currency, "%s", cur);
	for (int i = 0; i < n; i++) {
		snprintf(d.split[i].party, sizeof d.split[i].party, "p%d", i);
		d.split[i].pct = pct[i];
	}
	return d;
}

/* Shares for many amounts and splits: each within one unit of the exact share, adding up to
 * the amount, and the units above the floor going to the largest exact remainders. */
static void test_shares_exact(void **state)
{
	(void)state;
	const int splits[][4] = {{50, 50},         {33, 33, 34}, {1, 99},
	                         {25, 25, 25, 25}, {10, 30, 60}, {100}};
	const int ns[] = {2, 3, 2, 4, 3, 1};
	uint64_t x = 88172645463325252ULL; /* xorshift: the same amounts every run */
	for (int k = 0; k < 20000; k++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int64_t amount = (int64_t)(x % (k % 2 ? 1000 : FK_AMOUNT_MAX));
		int s = k % 6;
		struct fk_damage d = entry(FK_DMG_RESPONSE, amount, "JPY", ns[s], splits[s]);
		int64_t out[FK_SPLIT_MAX], sum = 0;
		fk_damage_shares(&d, out);
		for (int i = 0; i < ns[s]; i++) {
			/* exact share = amount * pct / 100; floor and ceiling by integer division
			 */
			int64_t lo =
			    amount / 100 * splits[s][i] + amount % 100 * splits[s][i] / 100;
			assert_true(out[i] == lo || out[i] == lo + 1);
			sum += out[i];
		}
		assert_int_equal(sum, amount);
	}
	int p[] = {50, 50};
	struct fk_damage one = entry(FK_DMG_RESPONSE, 1, "JPY", 2, p);
	int64_t out[FK_SPLIT_MAX];
	fk_damage_shares(&one, out);
	assert_int_equal(out[0], 1); /* ties: the earlier party */
	assert_int_equal(out[1], 0);
}

static void test_summary(void **state)
{
	(void)state;
	int half[] = {50, 50}, all[] = {100};
	struct fk_damage d[] = {entry(FK_DMG_MONEY, 1000, "JPY", 0, NULL),
	                        entry(FK_DMG_OPPORTUNITY, 301, "JPY", 2, half),
	                        entry(FK_DMG_PREVENTION, 7, "JPY", 1, all),
	                        entry(FK_DMG_EQUIPMENT, 5, "USD", 0, NULL)};
	snprintf(d[2].split[0].party, sizeof d[2].split[0].party, "p1");
	struct fk_damage_summary s;
	fk_damage_sum(d, 4, "JPY", &s);
	assert_int_equal(s.group[FK_DMG_DIRECT], 1000);
	assert_int_equal(s.group[FK_DMG_INDIRECT], 301);
	assert_int_equal(s.group[FK_DMG_COSTS], 7);
	assert_int_equal(s.total, 1308);
	assert_int_equal(s.unallocated, 1000);
	assert_int_equal(s.other_currency, 1);
	assert_int_equal(s.nparty, 2);
	assert_string_equal(s.party[0].party, "p0");
	assert_int_equal(s.party[0].amount, 151);
	assert_string_equal(s.party[1].party, "p1");
	assert_int_equal(s.party[1].amount, 150 + 7);
	fk_damage_summary_release(&s);
}

static void test_parse_and_check(void **state)
{
	(void)state;
	struct fk_split sp;
	struct fk_err err;
	assert_int_equal(fk_split_parse("運用会社=70", "--split", &sp, &err), FK_OK);
	assert_string_equal(sp.party, "運用会社");
	assert_int_equal(sp.pct, 70);
	assert_int_equal(fk_split_parse("a=b=30", "--split", &sp, &err), FK_OK); /* last '=' */
	assert_string_equal(sp.party, "a=b");
	const char *bad[] = {"a", "=5", "a=", "a=0", "a=101", "a=5x", "a=-5", "a= 5", "a=+5"};
	for (size_t i = 0; i < FK_ARRAY_LEN(bad); i++)
		assert_int_not_equal(fk_split_parse(bad[i], "--split", &sp, &err), FK_OK);
	int p[] = {60, 30};
	struct fk_damage d = entry(FK_DMG_RESPONSE, 10, "JPY", 2, p);
	assert_int_equal(fk_damage_check(&d, &err), FK_EINVAL);
	d.split[1].pct = 40;
	assert_int_equal(fk_damage_check(&d, &err), FK_OK);
	d.amount = -1;
	assert_int_equal(fk_damage_check(&d, &err), FK_EINVAL);
	d.amount = 1;
	snprintf(d.currency, sizeof d.currency, "jp");
	assert_int_equal(fk_damage_check(&d, &err), FK_EINVAL);
	snprintf(d.currency, sizeof d.currency, "EUR");
	d.category = FK_DMG_COUNT;
	assert_int_not_equal(fk_damage_check(&d, &err), FK_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shares_exact),
	    cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_parse_and_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
