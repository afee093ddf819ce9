/*
 * fuzz_clock_rule.c - the small parsers of the recovery records: an obligation's clock rule
 * (fk_rule_due), a damage split "PARTY=PCT" (fk_split_parse) and a plan's milestones file
 * (fk_milestones_read). Invariants: an accepted rule is never due before its start (except
 * "at", due at the start), a window opens before it closes; an accepted split has a non-empty
 * party within its size and a percent of 1..100; accepted milestones have a title and a time.
 */
#include "fukkyu/common.h"
#include "fukkyu/clocks.h"
#include "fukkyu/damage.h"
#include "fukkyu/plan.h"
#include "util/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	/* a start between 1970 and about 2106, from the first four bytes */
	uint32_t s;
	memcpy(&s, data, sizeof s);
	int64_t start = (int64_t)s;
	char *text = fk_xstrndup((const char *)data + 4, size - 4);
	struct fk_err err;
	int64_t due, window;
	bool guide;
	for (int unlawful = 0; unlawful < 2; unlawful++)
		if (!fk_rule_due(text, start, unlawful, &due, &window, &guide, &err)) {
			if (due < start || (strcmp(text, "at") && due == start))
				abort();
			if (window != FK_TIME_NONE && (window < start || window > due))
				abort();
		}
	struct fk_split sp;
	if (!fk_split_parse(text, "split", &sp, &err) &&
	    (!sp.party[0] || strlen(sp.party) > FK_PARTY_MAX || sp.pct < 1 || sp.pct > 100))
		abort();
	FILE *f = fmemopen((void *)(uintptr_t)(data + 4), size - 4, "r");
	struct fk_milestone *m;
	size_t n;
	if (f && !fk_milestones_read(f, "fuzz", "Asia/Tokyo", &m, &n, &err)) {
		for (size_t i = 0; i < n; i++)
			if (!m[i].title || !m[i].title[0] || m[i].due_at == FK_TIME_NONE)
				abort();
		fk_milestones_free(m, n);
	}
	if (f)
		fclose(f);
	free(text);
	return 0;
}
