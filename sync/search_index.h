/* search_index.h - the search side of a content build: pinyin keys of every title, and
 * the three indexes core/search.c reads (search, search_gram, search_latin; the
 * contract is in core/search.h), filled from the tables the build has just written.
 *
 * Load: once per build, after every service and document is in. About 1 s per
 * 10,000 items, most of it FTS5 tokenizing bodies; the pinyin dictionary costs ~0.1 s
 * to load. */
#ifndef KIOSK_SEARCH_INDEX_H
#define KIOSK_SEARCH_INDEX_H

#include <sqlite3.h>
#include <stddef.h>

/* Fills service.pinyin/initials and doc.pinyin/initials (pinyin.h: syllables
 * "she hui bao xian" and initials "shbx" of the zh title) and the search tables, then
 * merges each FTS5 index into one segment. Returns 0, or a negative errno-style code
 * with one line in err: -ENOENT when the pinyin dictionary or Unihan is missing (the
 * line names the file and its Debian package), -EIO on a database error. */
int sindex_fill(sqlite3 *db, char *err, size_t errlen);

#endif
