/*
 * docs.h - the documents recovery produces (issue 7): letters, notices, reports to
 * regulators and to management, written from an incident's data by mustache templates in
 * Markdown (templates/NAME.LANG.md, shipped in the binary; an organisation may keep its own
 * versions in the database), rendered as Markdown, HTML or plain text. Data that a template
 * asks for and the incident lacks is shown as a visible placeholder and listed.
 *
 * Also the organisation's profile: the name, representative and inquiry desk that letters
 * are signed with.
 */
#ifndef FK_DOCS_H
#define FK_DOCS_H

#include "fukkyu/recovery.h"

#include <jansson.h>

#define FK_DOC_MAX (1u << 20) /* a rendered document's cap */

struct fk_template_info {
	const char *name;
	const char *ja, *en; /* title */
	int audience;        /* enum fk_audience: where a saved draft goes in the comms log */
};
extern const struct fk_template_info fk_templates[];
extern const size_t fk_templates_n;
const struct fk_template_info *fk_template_find(const char *name);

enum fk_doc_format { FK_DOC_MD, FK_DOC_HTML, FK_DOC_TXT, FK_DOC_FORMAT_COUNT };
extern const struct fk_enum fk_doc_formats[FK_DOC_FORMAT_COUNT];

/* The text of template (or partial) name in lang: the organisation's latest version, else
 * the shipped one. *version is 0 for the shipped text. FK_ENOTFOUND names the templates. */
enum fk_code fk_template_text(struct fk_ctx *c, const char *name, enum fk_lang lang, char **text,
                              int64_t *version, struct fk_err *err) FK_WUR;
/* Stores the organisation's version of name in lang (checked: it must render; errors as
 * origin:line:column), or with text NULL puts the shipped text back. */
enum fk_code fk_template_set(struct fk_ctx *c, const char *name, enum fk_lang lang,
                             const char *text, const char *origin, int64_t *version,
                             struct fk_err *err) FK_WUR;
/* The partials shipped (names starting with '_'), for listing: calls fn for each. */
void fk_template_partials(void (*fn)(void *ctx, const char *name), void *ctx);

struct fk_doc {
	char *text; /* NUL-terminated */
	size_t len;
	char **missing; /* the names the data lacked, each once, in order of appearance */
	size_t nmissing;
	int64_t version; /* of the template used (0: shipped) */
};
void fk_doc_release(struct fk_doc *d);

/* Renders template name in lang with data (which it may read, not keep) as fmt; title is
 * the HTML page's title. At most FK_DOC_MAX bytes (FK_ETOOBIG). */
enum fk_code fk_doc_render(struct fk_ctx *c, const char *name, enum fk_lang lang,
                           enum fk_doc_format fmt, json_t *data, const char *title,
                           struct fk_doc *out, struct fk_err *err) FK_WUR;

/* The organisation's profile. */
enum fk_org_field {
	FK_ORG_NAME,
	FK_ORG_NAME_EN,
	FK_ORG_REPRESENTATIVE,
	FK_ORG_REPRESENTATIVE_EN,
	FK_ORG_TITLE,
	FK_ORG_TITLE_EN,
	FK_ORG_DESK,
	FK_ORG_DESK_EN,
	FK_ORG_PHONE,
	FK_ORG_EMAIL,
	FK_ORG_WEBSITE,
	FK_ORG_ADDRESS,
	FK_ORG_ADDRESS_EN,
	FK_ORG_FIELD_COUNT
};
extern const struct fk_enum fk_org_fields[FK_ORG_FIELD_COUNT];
struct fk_org_value {
	char *field, *value;
};
void fk_org_value_release(struct fk_org_value *v);
/* Sets the fields given (NULL: unchanged; "": cleared), in one transaction (admins). */
enum fk_code fk_org_set(struct fk_ctx *c, const char *const values[FK_ORG_FIELD_COUNT],
                        struct fk_err *err) FK_WUR;
/* The profile as JSON for documents: each field in lang (falling back to the other
 * language's), keys as in fk_org_fields without the "-en" forms. */
enum fk_code fk_org_json(struct fk_ctx *c, enum fk_lang lang, json_t **out,
                         struct fk_err *err) FK_WUR;

#endif
