/*
 * cli.h - what every command of the fukkyu CLI shares: global settings, the option
 * parser (options as a table; help generated from it), output helpers.
 *
 * Commands are thin: parse, call lib/core, print. Adding one is a line in commands.def
 * and a cmd_<name>.c.
 */
#ifndef FK_CLI_H
#define FK_CLI_H

#include "fukkyu/common.h"
#include "fukkyu/recovery.h"
#include "util/err.h"
#include "util/time.h"

#include <jansson.h>

struct cli {
	enum fk_lang lang;
	bool json;
	const char *db;
	const char *tz;
	char actor[128];
	struct fk_store *st;
	struct fk_ctx ctx;
	struct fk_err err;
	const char *cmd; /* "incident new", for help and errors */
};

enum opt_type {
	OPT_FLAG,  /* bool * */
	OPT_STR,   /* const char ** */
	OPT_INT,   /* int64_t * (0 or more) */
	OPT_TIME,  /* int64_t * (ISO 8601, local zone when no offset) */
	OPT_ENUM,  /* int * from table */
	OPT_YESNO, /* int * : 1 yes, 0 no */
};

struct opt {
	const char *name; /* without the leading -- */
	const char *arg;  /* placeholder for help, e.g. "TEXT" */
	enum opt_type type;
	void *dest;
	const struct fk_enum *table; /* OPT_ENUM */
	size_t table_n;
	const char *en, *ja; /* one line of help */
};

/*
 * Parses argv (argv[0] is the command word) against opts; positional arguments go to pos
 * (at most max_pos; fewer than min_pos is a usage error naming usage). "--help" prints
 * the generated help and returns FK_OK with *help set.
 */
enum fk_code cli_parse(struct cli *c, int argc, char **argv, const struct opt *opts, size_t nopts,
                       const char *usage, int min_pos, int max_pos, char **pos, int *npos,
                       bool *help) FK_WUR;

struct subcmd {
	const char *name;
	enum fk_code (*fn)(struct cli *c, int argc, char **argv);
	const char *en, *ja;
};
/* Runs argv[1] among subs (argv[0] is the command). */
enum fk_code cli_dispatch(struct cli *c, int argc, char **argv, const struct subcmd *subs,
                          size_t n) FK_WUR;

/* Opens the store (once) and fills c->ctx. */
enum fk_code cli_store(struct cli *c, bool create) FK_WUR;

/* Prints root as the command's one JSON document on stdout, and releases it. */
void cli_json_out(json_t *root);
/*
 * Streams {...head fields..., "key": [items...]} without holding every item in memory:
 * for lists of thousands (board, incident list). begin takes head (may be NULL) and item
 * takes each element; both are released.
 */
void cli_jarr_begin(json_t *head, const char *key);
void cli_jarr_item(json_t *item);
void cli_jarr_end(void);
/* Ends a list whose n items the caller wrote itself (each as "\n    {...}", after the first
 * with a comma before it). */
void cli_jarr_end_items(size_t n);

/* JSON helpers: a time in the display zone (null when unset); {"ja":..,"en":..}. */
json_t *cli_json_time(struct cli *c, int64_t t);
/* The JSON of a task and of a board row: the same for --json and the HTTP API. */
json_t *cli_task_json(struct cli *c, const struct fk_task *t);
json_t *cli_board_row_json(struct cli *c, const struct fk_board_row *r);
json_t *cli_person_json(const struct fk_person *p);
json_t *cli_change_json(struct cli *c, const struct fk_change *ch);
json_t *cli_timeline_json(struct cli *c, const struct fk_incident *inc,
                          const struct fk_timeline_entry *e);
json_t *cli_evidence_json(struct cli *c, const struct fk_evidence *e, bool full);
json_t *cli_handover_json(struct cli *c, const struct fk_incident *inc,
                          const struct fk_handover *h);
/* The company-wide sweep of an incident: as JSON into *json, or as text when json is NULL
 * (limit: unchecked systems listed). */
enum fk_code cli_sweep_status(struct cli *c, const struct fk_incident *inc, int64_t limit,
                              json_t **json);
/* An incident's timeline, roles, evidence, change history, handover as one JSON document
 * ({"incident": REF, ...}): what `--json` prints and what the API answers. */
typedef enum fk_code (*cli_doc_fn)(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_timeline_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_roles_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_evidence_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_changes_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_handover_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
/* Prints the document build makes for the incident named by id (a record's JSON is its best
 * display, in --json or not). */
enum fk_code cli_show_doc(struct cli *c, const char *id, cli_doc_fn build);
/* Countermeasures: one as JSON; an incident's with their rollout counts; one's rollout
 * (at most limit pending systems and exceptions listed). */
struct fk_measure;
struct fk_sweep_entry;
json_t *cli_measure_json(struct cli *c, const struct fk_measure *m);
enum fk_code cli_measures_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_measure_status_doc(struct cli *c, const struct fk_incident *inc,
                                    const struct fk_measure *m, int64_t limit, json_t **out);
/* Clocks: one deadline (owner: the holder of its role, or NULL); the deadlines of the
 * incident id or of all open incidents (all: the decided ones too; the incidents in skip
 * left out); the reporters. */
struct fk_deadline;
json_t *cli_deadline_json(struct cli *c, const struct fk_deadline *d, const char *owner);
enum fk_code cli_deadlines_doc(struct cli *c, const char *id, bool all, const int64_t *skip,
                               size_t nskip, json_t **out);
enum fk_code cli_reporters_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_obligations_doc(struct cli *c, json_t **out);
/* Root cause, interviews, lessons, the end of recovery: each an incident's JSON document. */
enum fk_code cli_cause_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_interviews_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_lessons_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_end_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
/* The register of affected users (with its summary) and the communications log. */
enum fk_code cli_affected_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_comms_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
/* The intake queue: one report; the new ones (all: every one). */
struct fk_intake;
json_t *cli_intake_json(struct cli *c, const struct fk_intake *e);
enum fk_code cli_intake_doc(struct cli *c, bool all, const int64_t *skip, size_t nskip,
                            json_t **out);
/* The damage ledger: one entry, and an incident's entries with the summary in currency. */
struct fk_damage;
json_t *cli_damage_json(struct cli *c, const struct fk_damage *d);
enum fk_code cli_damage_doc(struct cli *c, const struct fk_incident *inc, const char *currency,
                            json_t **out);
/* One system of a sweep, and one audit entry (with its incident and hash), as JSON. */
json_t *cli_sweep_entry_json(struct cli *c, const struct fk_sweep_entry *e);
json_t *cli_audit_entry_json(struct cli *c, const struct fk_change *ch);
/* A stored value shown in the display zone when it is a stored UTC time; else v. */
const char *cli_history_value(struct cli *c, const char *v, char out[static 40]);
json_t *cli_json_i18n(const char *ja, const char *en);
json_t *cli_json_str(const char *s); /* null when s is NULL */

/* The data a document template sees for an incident, in lang (cmd_doc.c): every record of
 * the incident, with {"ja","en"} pairs resolved, empty values left out, times and amounts
 * also written out (KEY_text, KEY_date); recipient: the entry of to (A1, R1) or a default. */
enum fk_code cli_doc_data(struct cli *c, const struct fk_incident *inc, enum fk_lang lang,
                          const char *to, json_t **out);

/* Documents (cmd_doc.c): the templates with their versions; a document of the incident
 * rendered from template name (FK_ENOTFOUND naming the templates); its title. */
struct fk_doc;
struct fk_template_info;
enum fk_code cli_templates_doc(struct cli *c, json_t **out);
/* The organisation's profile: every field, null when not set. */
enum fk_code cli_org_doc(struct cli *c, json_t **out);
enum fk_code cli_render(struct cli *c, const struct fk_incident *inc, const char *name,
                        enum fk_lang lang, int format, const char *to, struct fk_doc *d);
char *cli_doc_title(const struct fk_template_info *ti, enum fk_lang lang, const char *ref);
/* A rendered document as JSON (missing data, where it was saved, the text if with_text). */
json_t *cli_doc_json(const char *ref, const char *name, int lang, int format,
                     const struct fk_doc *d, const char *saved, bool with_text);
/* Writes text to path through a temporary file renamed into place: all of it or nothing. */
enum fk_code cli_write_whole(struct cli *c, const char *path, const char *text, size_t len);
/* The incident as VERIS 1.4 JSON and as a STIX 2.1 bundle (cmd_export.c); refused, naming
 * what to record, when the incident lacks what the format needs. */
enum fk_code cli_veris_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
enum fk_code cli_stix_doc(struct cli *c, const struct fk_incident *inc, json_t **out);

/* A time for people: "2026-07-06 07:20" in the display zone, or "-". */
void cli_time(struct cli *c, int64_t t, char out[static 40]);
/* Localised text of a pair. */
static inline const char *cli_pick(struct cli *c, const char *ja, const char *en)
{
	return c->lang == FK_LANG_JA && ja ? ja : en;
}

/* Loads the incident named by id (for read commands). */
enum fk_code cli_incident(struct cli *c, const char *id, struct fk_incident *out) FK_WUR;

/* JSON of an incident's own fields. */
json_t *cli_incident_json(struct cli *c, const struct fk_incident *inc);

/* Shared by the inventory and sweep commands (cmd_asset.c). */
struct fk_import_report;
struct fk_asset;
FILE *cli_open_input(struct cli *c, const char *path);
/* The text of a file ("-": standard input), at most 1 MiB and without NUL bytes. */
enum fk_code cli_read_text(struct cli *c, const char *path, const char *field, char **out) FK_WUR;
/* The recovery plan of an incident as JSON (what `plan show --json` prints). */
enum fk_code cli_plan_doc(struct cli *c, const struct fk_incident *inc, json_t **out);
void cli_print_report(struct cli *c, const struct fk_import_report *r);
json_t *cli_asset_json(const struct fk_asset *a);
void cli_csv_row(FILE *f, const char *const *v, size_t n);

#define CMD(name, flags, en, ja) enum fk_code cmd_##name(struct cli *c, int argc, char **argv);
#include "commands.def"
#undef CMD

#endif
