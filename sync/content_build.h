/* content_build.h - the content compiler behind `kiosk-bundle build`: a JSON source tree
 * (docs/content-format.md) in, a content database (firmware/core/content_schema.h) out.
 *
 * Every rule of the format document is checked; the first broken one stops the build
 * with ONE line "FILE: FIELD: cause", FILE relative to the source directory, e.g.
 *   services/marriage.json: materials[2].copies: must be 0..20, got 25
 * The output is written to OUT.tmp-<pid> and renamed over OUT only when complete, so
 * OUT is either the old file or the new one, never half-written, and no temp file stays
 * behind. The same tree and the same SOURCE_DATE_EPOCH give the same bytes.
 *
 * What the compiler adds to the source: one category of kind "department" per agency
 * (id "dept-<agency id>"), and two of kind "audience" (ids "audience-individual" and
 * "audience-business"). Positions (sort, seq columns) are 0-based. */
#ifndef CONTENT_BUILD_H
#define CONTENT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cbuild_options {
    uint64_t content_version;   /* meta.content_version; 0 for a plain build */
    bool check_only;            /* every rule checked as in a build, into a database in
                                   memory that is then thrown away: out_path is not used
                                   (may be NULL) and the search indexes and pinyin keys,
                                   which only read what was checked, are not made (the
                                   fuzz harness tests/fuzz/fuzz_content.c: ~1 ms a file) */
};

/* What went into the database, for the one-line summary of the tool. */
struct cbuild_stats {
    unsigned services, docs, onethings, agencies, life_events, topics, announcements,
        calendar_years, images, windows, forms, consultations;
};

/* Compiles src_dir into out_path with default options. Returns 0, or a negative
 * errno-style code with one line (no newline) in err: -EINVAL for a content error,
 * -ENOENT for a missing file, other codes for I/O and database failures. err may be
 * NULL; a too-short err is truncated. built_at is SOURCE_DATE_EPOCH when set. */
int cbuild_run(const char *src_dir, const char *out_path, char *err, size_t errlen);

/* The same with options (NULL: defaults); on success fills *ret_stats if not NULL. */
int cbuild_run_opts(const char *src_dir, const char *out_path,
                    const struct cbuild_options *opts, struct cbuild_stats *ret_stats,
                    char *err, size_t errlen);

#endif
