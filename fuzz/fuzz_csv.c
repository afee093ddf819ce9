/*
 * fuzz_csv.c - libFuzzer target for the CSV reader and the inventory import (CSV and JSON
 * Lines) built on it.
 *
 * The input is read twice: record by record with fk_csv (every record must respect the
 * caps), then as an inventory file imported into an in-memory store, which must either
 * succeed or refuse with errors listed; never crash or leak.
 */
#include "fukkyu/common.h"
#include "fukkyu/sweep.h"
#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char empty[1];
	/* fmemopen refuses a size of 0 on some C libraries: give it one byte it never reads. */
	FILE *f = size ? fmemopen((void *)data, size, "rb") : fmemopen(empty, 1, "r");
	if (!f)
		return 0;
	if (!size)
		(void)fgetc(f); /* at the end: an empty input */
	struct fk_csv csv;
	struct fk_err err;
	bool got = true;
	fk_csv_init(&csv, f, "fuzz.csv");
	while (got && fk_csv_next(&csv, &got, &err) == FK_OK)
		if (got && (csv.n == 0 || csv.n > FK_CSV_MAX_FIELDS))
			abort();
	fk_csv_release(&csv);
	rewind(f);
	/* A fresh in-memory store per input, so that every input replays on its own. */
	struct fk_store *st;
	int from, to;
	if (fk_store_open(":memory:", true, &st, &err) || fk_store_migrate(st, &from, &to, &err))
		abort();
	struct fk_ctx c = {st, "fuzz", "UTC", 1700000000};
	struct fk_import_report r;
	enum fk_code rc = fk_asset_import(&c, f, "fuzz.csv", FK_IMPORT_CSV, &r, &err);
	if (rc == FK_EINVAL && !r.n_errors && !err.en[0])
		abort(); /* a refusal always says why */
	fk_import_report_release(&r);
	/* The same bytes as JSON Lines. */
	rewind(f);
	rc = fk_asset_import(&c, f, "fuzz.jsonl", FK_IMPORT_JSONL, &r, &err);
	if (rc == FK_EINVAL && !r.n_errors && !err.en[0])
		abort();
	fk_import_report_release(&r);
	fk_store_close(st);
	fclose(f);
	return 0;
}
