/*
 * markdown.h - the documents' Markdown (CommonMark, parsed by libcmark) as an HTML page or
 * as plain text. Line breaks in the source stay line breaks (letters are laid out by line);
 * raw HTML in the source is left out of the HTML (cmark's safe mode).
 */
#ifndef FK_MARKDOWN_H
#define FK_MARKDOWN_H

#include "fukkyu/common.h"
#include "util/buf.h"

/* A whole HTML page (title and lang in its head) with md as its body. */
enum fk_code fk_md_html(const char *md, size_t len, const char *title, const char *lang,
                        struct fk_buf *out) FK_WUR;
/* Plain text: headings underlined, list items with "- " or "1. ", emphasis and escapes
 * gone, a link as "text <url>". */
enum fk_code fk_md_text(const char *md, size_t len, struct fk_buf *out) FK_WUR;

#endif
