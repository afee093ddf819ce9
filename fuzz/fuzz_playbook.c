/*
 * fuzz_playbook.c - libFuzzer target for the playbook loader (fk_playbook_parse).
 *
 * Any input must give either a playbook that instantiates for every kind, or a clean
 * error with a file:line field; never a crash, a leak or undefined behaviour.
 */
#include "fukkyu/common.h"
#include "fukkyu/playbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fk_playbook pb;
	struct fk_err err;
	fk_err_clear(&err);
	if (fk_playbook_parse((const char *)data, size, "fuzz.yaml", &pb, &err) != FK_OK) {
		if (!err.en[0] || !err.ja[0] || strncmp(err.field, "fuzz.yaml", 9))
			abort(); /* every refusal says where and what, in both languages */
		return 0;
	}
	for (int kind = 0; kind < FK_KIND_COUNT; kind++) {
		struct fk_phase *phases;
		struct fk_task *tasks;
		size_t n;
		fk_playbook_instantiate(&pb, kind, 0, &phases, &tasks, &n);
		if (n != fk_playbook_count(&pb, kind))
			abort();
		FK_FREE_ARRAY(phases, FK_PLAYBOOK_PHASES, fk_phase_release);
		FK_FREE_ARRAY(tasks, n, fk_task_release);
	}
	fk_playbook_release(&pb);
	return 0;
}
