/* search.h - one search across service guides and disclosure items, run on every
 * keystroke of the search screen.
 *
 * A query is served by one of three paths, chosen by what was typed:
 *   Chinese, 3+ characters  FTS5 trigram indexes: `search_title` for substrings of
 *                           titles, then `search` for substrings of bodies (its
 *                           trigrams keep no positions: a longer query is all its
 *                           trigrams, and a row found is read to confirm it);
 *   Chinese, 1-2 characters `search_gram_title`, then `search_gram_body`: every
 *                           character and every pair of neighbouring characters of
 *                           the zh title (body) is a token, so 社保, 户口 and 税 are
 *                           one token look-up each (the trigram tokenizer cannot
 *                           match under 3 characters);
 *   Latin letters, digits   `search_latin`: English title words by prefix ("soc",
 *                           "social insur"), full pinyin from a syllable boundary
 *                           ("shebao", "baoxian", "gongjij") and initials ("sb",
 *                           "shbx", "gjj"), all over titles; with 3+ characters also
 *                           the trigram index over the English bodies.
 * Results come in groups by kind (services, then documents); in each group title
 * matches come first, then body matches; within a tier services come shortest title
 * first and documents newest first. Both orders are baked into the rowids by the
 * compiler (below), so every look-up is an FTS5 index scan in rowid order that stops
 * after per_group + 1 rows: no sort, however common the query.
 *
 * Load: one search_run per keystroke. At 20,000 services + 20,000 documents
 * (tests/bench/bench_search.sh) a keystroke takes a median 0.5 ms and a p99 under 4 ms
 * of CPU; the worst are rare phrases of common trigrams ("食品经营许") and the first
 * keys after a cold start. search_open prepares every statement once (~5 ms); the
 * handle keeps a 4 MB page cache of its own. The kiosk runs search_warm in its idle
 * time after start-up, so the first keys read from disk only the rows they check.
 *
 * Why a handle of its own rather than the store's: the statements stay prepared
 * across keystrokes, the hot path lives in one file, and no SQLite type crosses
 * store.h. It opens the same content.db read-only; reopen it whenever the store is
 * reopened (a new content.db was installed). */
#ifndef KIOSK_SEARCH_H
#define KIOSK_SEARCH_H

#include <stddef.h>

#include "i18n.h"

typedef struct search search;

#define SEARCH_MAX_QUERY 64      /* characters of a query; the rest is ignored */
#define SEARCH_MAX_BYTES 256     /* ... and bytes */
#define SEARCH_MAX_PER_GROUP 50  /* hits per group, whatever the caller asks */
#define SEARCH_SNIPPET_CHARS 48  /* characters of a snippet, at most (plus "…" marks) */

/* The rowids of search and of every search_* table: services in [1, SEARCH_ROWID_DOC),
 * best first from the top (shortest zh title, then id); documents from
 * SEARCH_ROWID_DOC up, newest published at the top. The compiler assigns them. */
#define SEARCH_ROWID_DOC 0x40000000LL

enum search_kind { SEARCH_SERVICE, SEARCH_DOC, SEARCH_KIND_COUNT };
enum search_in { SEARCH_IN_TITLE, SEARCH_IN_BODY };
enum search_path { SEARCH_NOTHING, SEARCH_TRIGRAM, SEARCH_GRAM, SEARCH_LATIN };

/* One hit. Offsets are bytes; a *_len of 0 means the match is not in that text (an
 * English word matched while the title is shown in Chinese, say). */
struct search_hit {
    char *id;               /* service or doc id */
    enum search_in in;      /* the tier it ranked in */
    char *title;            /* in the requested language */
    int title_at, title_len;
    char *snippet;          /* the text around a body match; for a title match the
                             * title in the other language or script when the match
                             * is there (an English word, pinyin), else the summary */
    int snippet_at, snippet_len;
    char *published;        /* documents: YYYY-MM-DD; services: "" */
    char *validity;         /* documents: in_force | expired | repealed | amended */
};

struct search_group {
    enum search_kind kind;
    struct search_hit *hits;
    int n;
    int more;               /* 1 when there are hits beyond the n shown */
};

struct search_result {
    struct search_group groups[SEARCH_KIND_COUNT]; /* the non-empty ones, in kind order */
    int n_groups;           /* 0: nothing found */
    enum search_path path;  /* how the query was served (SEARCH_NOTHING: empty query) */
};

/* Opens CONTENT_PATH read-only and prepares the statements. Returns 0, -ENOENT when
 * the file is missing, -EPROTO when it is no content.db of CONTENT_SCHEMA_VERSION
 * (or lacks the search tables), -EIO otherwise; err holds one line. */
int search_open(const char *content_path, search **ret, char *err, size_t errlen);
void search_close(search *s); /* accepts NULL */

/* Reads, one step of a few ms a call, what every keystroke's look-ups pass through
 * (FTS5 structure records, the rowid-to-row maps, the term indexes: about 2 MB at
 * 20,000 + 20,000 items), so that the first keystrokes after a cold start read from
 * disk only the rows they check. Call it in idle time after the first frame until it
 * returns 0; 1: call again; -EIO. Optional: search_run works without it. */
int search_warm(search *s);

/* Runs QUERY (UTF-8, as typed; any text is safe: FTS5 syntax is quoted) with at most
 * PER_GROUP hits per group (1..SEARCH_MAX_PER_GROUP, clamped). Titles, snippets and
 * highlight offsets are in LANG. You own *ret (search_result_free) after a 0 return;
 * -EIO on a database error, *ret then untouched. */
int search_run(search *s, const char *query, kiosk_lang lang, int per_group,
               struct search_result *ret);
void search_result_free(struct search_result *r); /* accepts an emptied result */

/* The body look-up of the 3+ character paths on its own: up to LIMIT rowids of KIND,
 * best first, whose body (summary, conditions, materials; summary, keywords, body)
 * holds QUERY (normalized as below) in either language, ASCII and other Latin, Greek
 * and Cyrillic letters in any case. Returns the count, or -EIO. The index keeps which
 * rows have a trigram, not where (core/content_schema.c), so a row that has every
 * trigram of a 4+ character query is read to confirm it; at most 2,000 candidates a
 * look-up. search_run's body tier is this look-up. */
int search_body_rowids(search *s, const char *query, enum search_kind kind, int limit,
                       long long *ids);

/* When a body look-up of search_run stops at its cap of candidates, rows past it may
 * still match: that group's `more` is 1 whatever its n. For tests, a lower cap than
 * the 2,000 (1..2,000). */
void search_set_max_checked(search *s, int n);

/* The query as search_run sees it: cut to SEARCH_MAX_QUERY characters, spaces
 * trimmed and collapsed (removed around Chinese), ASCII lower-cased. Writes at most
 * len bytes (NUL included) and returns the length, or -ENOSPC. */
int search_normalize(const char *query, char *buf, size_t len);

/* ---- failed searches --------------------------------------------------------------
 *
 * The content team's to-do list: queries that found nothing, counted anonymously in
 * state.db. The search screen counts a query once, when the visitor leaves the screen
 * or stops typing for 3 s with zero groups shown, not at every keystroke (a
 * half-typed word is no failure).
 *
 * search_miss_key gives the text to count: the normalized query, or -EPERM (buf
 * zeroed) when it may identify a person, which is then not counted at all:
 *   - SEARCH_MISS_MAX_DIGITS or more digits (0-9 and full-width) anywhere in it, so
 *     separators (spaces, hyphens, dots, plus, parentheses, letters...) never hide a
 *     phone or ID number; or as many Chinese numerals in a row (一三八..., 幺, 两);
 *   - e-mail-like text: '@' (also ＠ and ﹫), 艾特, "at" or "dot" as whole words, or a
 *     dot between two word characters (qq.com, wang.fang);
 *   - over SEARCH_MISS_MAX_CHARS characters: longer than a service title (the demo
 *     content's longest is 24, most are about 10), so more likely a sentence about
 *     the visitor than the name of something they look for.
 * Returns the length like search_normalize. */
#define SEARCH_MISS_MAX_DIGITS 5
#define SEARCH_MISS_MAX_CHARS 24
int search_miss_key(const char *query, char *buf, size_t len);

/* Whether KEY (from search_miss_key) is made of the content's own words: every Latin
 * word (a run of a-z 0-9), searched alone, finds something, and every Han character
 * is in a pair of neighbours the content has (a lone one: it has the character). So a
 * name (张伟, 王芳社保) is not counted, while "离婚登记申领" is. 1 (count it), 0 (do
 * not), -EIO. A screen counts a miss only when both say so. */
int search_miss_known(search *s, const char *key);

/* Wanted in core/state.h (state.c owns state.db; not defined here):
 *
 *   Counts one failed search: KEY from search_miss_key, DAY the kiosk's local date
 *   (YYYY-MM-DD). Table search_miss(day TEXT, key TEXT, count INTEGER,
 *   PRIMARY KEY(day, key)); no time of day, no session, nothing else. Keys over 256
 *   bytes or more than 1,000 distinct keys a day are dropped (-E2BIG), so typing
 *   cannot fill the disk. Returns 0 or a negative errno-style code.
 *     int state_search_miss(state *st, const char *key, const char *day);
 *
 *   The counts since SINCE (inclusive), for the heartbeat, most frequent first:
 *     int state_search_misses(state *st, const char *since,
 *                             int (*each)(void *ctx, const char *day, const char *key,
 *                                         int count), void *ctx);
 */

/* ---- shared with the compiler ----------------------------------------------------- */

/* The units of a title, as pinyin keys and highlighting count them: one Han character,
 * or one run of ASCII letters and digits; everything else only separates units.
 * Skips to the next unit at or after *s, returns its length in bytes (0 at the end),
 * sets *ret_start to it and *ret_han to 1 for a Han character, and moves *s past it. */
size_t search_unit(const char **s, const char **ret_start, int *ret_han);

/* The text the compiler puts in search_gram_* for TEXT: every character that can be
 * part of a word, and every pair of such neighbours, space-separated ("社 社会 会 会保
 * 保 保险 险"). You own the string. */
char *search_grams(const char *text);

#endif
