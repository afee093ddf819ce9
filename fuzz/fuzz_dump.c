/*
 * fuzz_dump.c - libFuzzer target for the dump reader of backup verify and restore
 * (lib/store/store_backup.c).
 *
 * The input is checked as a dump on its own (header, every line, counts, checksums); when its
 * header is one, it is also loaded into a fresh in-memory store (the rows go in before the
 * end marker is read, and are rolled back when it does not match). Either succeeds or
 * refuses with a message; never crashes or leaks.
 */
#include "fukkyu/common.h"
#include "store/store.h"

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
	struct fk_backup_info info;
	struct fk_err err = {0};
	enum fk_code rc = fk_backup_dump_check(f, "fuzz.dump", &info, &err);
	if (rc && !err.en[0])
		abort(); /* a refusal always says why */
	if (info.schema > 0) {
		struct fk_store *st;
		rewind(f);
		err.en[0] = '\0';
		if (fk_store_open(":memory:", true, &st, &err))
			abort();
		rc = fk_backup_dump_load(st, f, "fuzz.dump", &info, &err);
		if (rc && !err.en[0])
			abort();
		fk_store_close(st);
	}
	fclose(f);
	return 0;
}
