/* content_schema.h - the SQL schema of content.db, shared by the compiler that writes
 * it (kiosk-bundle build) and the store that reads it (the kiosk).
 *
 * Bump CONTENT_SCHEMA_VERSION whenever a table or column changes; the kiosk refuses a
 * content.db whose meta.schema_version differs, with a message naming both numbers. */
#ifndef CONTENT_SCHEMA_H
#define CONTENT_SCHEMA_H

#define CONTENT_SCHEMA_VERSION 8

/* The whole schema as one SQL script (tables, indexes, the FTS5 index). */
extern const char content_schema_sql[];

#endif
