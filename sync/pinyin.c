/* pinyin.c - see pinyin.h.
 *
 * The dictionary is a hash table from a word or character (UTF-8) to its readings,
 * each with a weight normalised to percent: a key's only reading counts 100, a listed
 * percentage counts as listed, an unlisted weight beside listed ones 0.5, and unlisted
 * weights with no listed sibling 50 each (a tie for kMandarin to settle). Simplified
 * keys are added after the file is read, so each reading they take keeps the weight
 * it had in its Traditional source. */
#include "pinyin.h"

#include <bzlib.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "core/search.h"

enum {
    MAX_FILE = 64 << 20,      /* bytes of one data file, decompressed */
    MAX_WORD = 16,            /* characters of one dictionary word */
    MAX_VARIANTS = 4,         /* Simplified forms of one Traditional character */
    MAX_FORMS = 8,            /* Simplified spellings made from one word */
    MAX_SYLLABLE = 8,
};

struct reading {
    uint32_t text;            /* arena offset: "yin hang" */
    uint32_t next;            /* index + 1 of the key's next reading, 0 at the end */
    float weight;             /* percent, see above */
    uint8_t native;           /* read from the file under this very key */
};

struct slot {
    uint64_t hash;
    uint32_t key;             /* arena offset, 0 = empty */
    uint32_t head, tail;      /* reading indices + 1 */
};

struct variant {
    uint32_t t, n;
    uint32_t s[MAX_VARIANTS];
};

struct mandarin {
    uint32_t cp, text;
};

struct pinyin {
    strbuf arena;             /* keys and readings, NUL-terminated; offset 0 unused */
    struct slot *slots;
    size_t nslots, used;
    struct reading *readings;
    size_t nreadings, capreadings;
    struct variant *variants; /* sorted by t */
    size_t nvariants;
    struct mandarin *mandarin; /* sorted by cp; loaded on first need */
    size_t nmandarin;
    int mandarin_loaded;
    char *readings_path;      /* Unihan_Readings, plain or .bz2 */
    char error[256];
};

/* ---- files ---------------------------------------------------------------------------- */

static int has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The whole file, decompressed when its name ends in .bz2; NUL-terminated. */
static int read_all(const char *path, char **ret, size_t *ret_len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    strbuf sb = {0};
    char chunk[1 << 16];
    int r = 0;

    if (!f) {
        r = -errno;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return r;
    }
    if (has_suffix(path, ".bz2")) {
        int bzerr;
        BZFILE *bz = BZ2_bzReadOpen(&bzerr, f, 0, 0, NULL, 0);
        while (bz && bzerr == BZ_OK && sb.len <= MAX_FILE) {
            int n = BZ2_bzRead(&bzerr, bz, chunk, sizeof chunk);
            if ((bzerr == BZ_OK || bzerr == BZ_STREAM_END) && n > 0)
                strbuf_add(&sb, chunk, (size_t)n);
        }
        if (!bz || bzerr != BZ_STREAM_END) {
            snprintf(err, errlen, "%s: %s", path,
                     sb.len > MAX_FILE ? "over 64 MiB" : "not a readable bzip2 file");
            r = -EIO;
        }
        BZ2_bzReadClose(&bzerr, bz);
    } else {
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && sb.len <= MAX_FILE)
            strbuf_add(&sb, chunk, n);
        if (ferror(f) || sb.len > MAX_FILE) {
            snprintf(err, errlen, "%s: %s", path, ferror(f) ? "read error" : "over 64 MiB");
            r = -EIO;
        }
    }
    fclose(f);
    if (r < 0) {
        strbuf_release(&sb);
        return r;
    }
    *ret_len = sb.len;
    *ret = strbuf_detach(&sb);
    return 0;
}

/* DIR/NAME, or DIR/NAME.bz2 when only that exists; NULL when neither does. */
static char *find_unihan(const char *dir, const char *name)
{
    char *p = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    if (f) {
        fclose(f);
        return p;
    }
    free(p);
    p = xasprintf("%s/%s.bz2", dir, name);
    f = fopen(p, "rb");
    if (f) {
        fclose(f);
        return p;
    }
    free(p);
    return NULL;
}

/* Next line of the buffer at *pos (the '\n' replaced by NUL); NULL at the end. */
static char *next_line(char *buf, size_t len, size_t *pos)
{
    if (*pos >= len)
        return NULL;
    char *line = buf + *pos, *nl = memchr(line, '\n', len - *pos);
    if (nl) {
        *nl = '\0';
        *pos = (size_t)(nl - buf) + 1;
    } else {
        *pos = len;
    }
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
    return line;
}

/* ---- the table ------------------------------------------------------------------------ */

static uint32_t arena_add(pinyin *p, const char *s, size_t n)
{
    uint32_t off = (uint32_t)p->arena.len;
    strbuf_add(&p->arena, s, n);
    strbuf_addc(&p->arena, '\0');
    return off;
}

static const char *at(const pinyin *p, uint32_t off)
{
    return p->arena.buf + off;
}

static struct slot *lookup(pinyin *p, const char *key, size_t n, int create)
{
    uint64_t h = util_hash(key, n, 0);
    size_t mask = p->nslots - 1, i = (size_t)h & mask;

    for (;; i = (i + 1) & mask) {
        struct slot *s = &p->slots[i];
        if (!s->key) {
            if (!create)
                return NULL;
            s->hash = h;
            s->key = arena_add(p, key, n);
            p->used++;
            return s;
        }
        if (s->hash == h && strncmp(at(p, s->key), key, n) == 0 && at(p, s->key)[n] == '\0')
            return s;
    }
}

static void grow_table(pinyin *p)
{
    struct slot *old = p->slots;
    size_t n = p->nslots;

    p->nslots = n ? n * 2 : 1 << 16;
    p->slots = xcalloc(p->nslots, sizeof *p->slots);
    for (size_t i = 0; i < n; i++) {
        if (!old[i].key)
            continue;
        size_t j = (size_t)old[i].hash & (p->nslots - 1);
        while (p->slots[j].key)
            j = (j + 1) & (p->nslots - 1);
        p->slots[j] = old[i];
    }
    free(old);
}

static struct slot *intern(pinyin *p, const char *key, size_t n)
{
    if ((p->used + 1) * 2 > p->nslots)
        grow_table(p);
    return lookup(p, key, n, 1);
}

/* Adds READING (an arena offset) to slot S; a reading it has already keeps the higher
 * weight. */
static void add_reading(pinyin *p, struct slot *s, uint32_t text, float weight, int native)
{
    for (uint32_t i = s->head; i; i = p->readings[i - 1].next) {
        struct reading *r = &p->readings[i - 1];
        if (strcmp(at(p, r->text), at(p, text)) == 0) {
            if (weight > r->weight)
                r->weight = weight;
            return;
        }
    }
    if (p->nreadings == p->capreadings) {
        p->capreadings = p->capreadings ? p->capreadings * 2 : 1 << 16;
        p->readings = xrealloc(p->readings, p->capreadings * sizeof *p->readings);
    }
    p->readings[p->nreadings] = (struct reading){text, 0, weight, (uint8_t)native};
    uint32_t idx = (uint32_t)++p->nreadings;
    if (s->tail)
        p->readings[s->tail - 1].next = idx;
    else
        s->head = idx;
    s->tail = idx;
}

/* ---- luna_pinyin.dict.yaml ---------------------------------------------------------- */

static int count_chars(const char *s, size_t n, uint32_t *cps, int max)
{
    const char *end = s + n;
    int k = 0;
    while (s < end) {
        const char *start;
        int han;
        const char *q = s;
        uint32_t cp = utf8_next(&q);
        /* every character of a key must be a Han unit on its own */
        const char *u = s;
        if (search_unit(&u, &start, &han) == 0 || !han || start != s || u != q)
            return -1;
        if (k == max)
            return -1;
        cps[k++] = cp;
        s = q;
    }
    return k;
}

/* "yin hang" for a key of n characters: lower-case syllables, one per character. */
static int valid_reading(const char *r, int nchars)
{
    int syl = 0, len = 0;
    for (; *r; r++) {
        if (*r == ' ') {
            if (len == 0)
                return 0;
            len = 0;
        } else if (*r >= 'a' && *r <= 'z') {
            if (len++ == 0)
                syl++;
            if (len > MAX_SYLLABLE)
                return 0;
        } else {
            return 0;
        }
    }
    return len > 0 && syl == nchars;
}

static int load_dict(pinyin *p, const char *path, char *err, size_t errlen)
{
    char *buf, *line;
    size_t len, pos = 0;
    int body = 0, r = read_all(path, &buf, &len, err, errlen);

    if (r < 0)
        return r;
    while ((line = next_line(buf, len, &pos))) {
        if (!body) {
            body = strcmp(line, "...") == 0;    /* the end of the YAML header */
            continue;
        }
        if (!*line || *line == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        char *reading = tab + 1, *wtab = strchr(reading, '\t');
        float weight = -1;
        if (wtab) {
            char *end;
            *wtab = '\0';
            weight = strtof(wtab + 1, &end);
            if (end == wtab + 1 || (*end && strcmp(end, "%") != 0) || !isfinite(weight) || weight < 0)
                weight = -1;
        }
        uint32_t cps[MAX_WORD];
        int n = count_chars(line, (size_t)(tab - line), cps, MAX_WORD);
        if (n <= 0 || !valid_reading(reading, n))
            continue;   /* bopomofo letters, a malformed line: nothing a title needs */
        struct slot *s = intern(p, line, (size_t)(tab - line));
        uint32_t text = arena_add(p, reading, strlen(reading));
        s = lookup(p, line, (size_t)(tab - line), 0);   /* the arena may have moved keys */
        /* raw weight for now; normalise_native() turns it into percent */
        add_reading(p, s, text, weight, 1);
    }
    free(buf);
    if (!body || p->nreadings == 0) {
        snprintf(err, errlen, "%s: no readings in it (not a Rime dictionary?)", path);
        return -EPROTO;
    }
    return 0;
}

static void normalise_native(pinyin *p)
{
    for (size_t i = 0; i < p->nslots; i++) {
        struct slot *s = &p->slots[i];
        int n = 0, listed = 0;
        if (!s->key)
            continue;
        for (uint32_t j = s->head; j; j = p->readings[j - 1].next) {
            n++;
            listed += p->readings[j - 1].weight >= 0;
        }
        for (uint32_t j = s->head; j; j = p->readings[j - 1].next) {
            struct reading *r = &p->readings[j - 1];
            if (n == 1)
                r->weight = 100;
            else if (r->weight < 0)
                r->weight = listed ? 0.5f : 50;
        }
    }
}

/* ---- Unihan ----------------------------------------------------------------------------- */

static int parse_cp(const char *s, char **end, uint32_t *ret)
{
    if (s[0] != 'U' || s[1] != '+')
        return -1;
    unsigned long v = strtoul(s + 2, end, 16);
    if (*end == s + 2 || v > 0x10FFFF)
        return -1;
    *ret = (uint32_t)v;
    return 0;
}

static int cmp_variant(const void *a, const void *b)
{
    uint32_t x = ((const struct variant *)a)->t, y = ((const struct variant *)b)->t;
    return x < y ? -1 : x > y;
}

static int load_variants(pinyin *p, const char *path, char *err, size_t errlen)
{
    char *buf, *line;
    size_t len, pos = 0, cap = 0;
    int r = read_all(path, &buf, &len, err, errlen);

    if (r < 0)
        return r;
    while ((line = next_line(buf, len, &pos))) {
        char *end, *tag;
        struct variant v = {0};
        if (parse_cp(line, &end, &v.t) < 0 || *end != '\t')
            continue;
        tag = end + 1;
        if (strncmp(tag, "kSimplifiedVariant\t", 19) != 0)
            continue;
        for (char *q = tag + 19; *q && v.n < MAX_VARIANTS;) {
            uint32_t cp;
            if (parse_cp(q, &end, &cp) < 0)
                break;
            v.s[v.n++] = cp;    /* the character itself too, when listed: 乾 -> 乾 干 */
            q = end;
            while (*q && *q != ' ')
                q++;            /* "<source" annotations */
            while (*q == ' ')
                q++;
        }
        if (!v.n)
            continue;
        if (p->nvariants == cap) {
            cap = cap ? cap * 2 : 4096;
            p->variants = xrealloc(p->variants, cap * sizeof *p->variants);
        }
        p->variants[p->nvariants++] = v;
    }
    free(buf);
    if (!p->nvariants) {
        snprintf(err, errlen, "%s: no kSimplifiedVariant in it", path);
        return -EPROTO;
    }
    qsort(p->variants, p->nvariants, sizeof *p->variants, cmp_variant);
    return 0;
}

static const struct variant *variant_of(const pinyin *p, uint32_t cp)
{
    struct variant key = {.t = cp};
    return bsearch(&key, p->variants, p->nvariants, sizeof key, cmp_variant);
}

/* Files every key under each of its Simplified spellings (at most MAX_FORMS). */
static void add_simplified(pinyin *p)
{
    size_t nslots = p->nslots;
    uint32_t *keys = xmalloc(p->used * sizeof *keys);
    size_t nkeys = 0;

    for (size_t i = 0; i < nslots; i++)
        if (p->slots[i].key)
            keys[nkeys++] = p->slots[i].key;
    for (size_t k = 0; k < nkeys; k++) {
        const char *key = at(p, keys[k]);
        uint32_t cps[MAX_WORD];
        const struct variant *v[MAX_WORD];
        int n = count_chars(key, strlen(key), cps, MAX_WORD), forms = 1, changed = 0;
        if (n <= 0)
            continue;
        for (int i = 0; i < n; i++) {
            v[i] = variant_of(p, cps[i]);
            if (v[i]) {
                forms = forms * (int)v[i]->n > MAX_FORMS ? MAX_FORMS : forms * (int)v[i]->n;
                changed = 1;
            }
        }
        if (!changed)
            continue;
        /* the native readings, copied: the arrays move as keys are added */
        struct copied { uint32_t text; float weight; } rd[32];
        int nrd = 0;
        struct slot *src = lookup(p, key, strlen(key), 0);
        for (uint32_t j = src->head; j && nrd < 32; j = p->readings[j - 1].next)
            if (p->readings[j - 1].native)
                rd[nrd++] = (struct copied){p->readings[j - 1].text, p->readings[j - 1].weight};
        for (int f = 0; f < forms; f++) {
            char form[MAX_WORD * 4 + 1], *q = form;
            int rest = f;
            for (int i = 0; i < n; i++) {
                uint32_t c = cps[i];
                if (v[i]) {
                    c = v[i]->s[rest % (int)v[i]->n];
                    rest /= (int)v[i]->n;
                }
                utf8_put(&q, c);
            }
            *q = '\0';
            if (strcmp(form, at(p, keys[k])) == 0)
                continue;
            size_t flen = strlen(form);
            intern(p, form, flen);
            struct slot *dst = lookup(p, form, flen, 0);
            for (int j = 0; j < nrd; j++)
                add_reading(p, dst, rd[j].text, rd[j].weight, 0);
        }
        /* key may have moved with the arena: refetch on the next round via keys[] */
    }
    free(keys);
}

/* "zhèn" -> "zhen", "lǜ" -> "lv"; 0 when the reading holds anything else. */
static int toneless(const char *s, const char *end, char *out, size_t outlen)
{
    static const struct { uint32_t cp; char c; } map[] = {
        {0x0101, 'a'}, {0x00E1, 'a'}, {0x01CE, 'a'}, {0x00E0, 'a'},
        {0x0113, 'e'}, {0x00E9, 'e'}, {0x011B, 'e'}, {0x00E8, 'e'}, {0x00EA, 'e'},
        {0x1EBF, 'e'}, {0x1EC1, 'e'},
        {0x012B, 'i'}, {0x00ED, 'i'}, {0x01D0, 'i'}, {0x00EC, 'i'},
        {0x014D, 'o'}, {0x00F3, 'o'}, {0x01D2, 'o'}, {0x00F2, 'o'},
        {0x016B, 'u'}, {0x00FA, 'u'}, {0x01D4, 'u'}, {0x00F9, 'u'},
        {0x01D6, 'v'}, {0x01D8, 'v'}, {0x01DA, 'v'}, {0x01DC, 'v'}, {0x00FC, 'v'},
        {0x0144, 'n'}, {0x0148, 'n'}, {0x01F9, 'n'}, {0x1E3F, 'm'},
    };
    size_t n = 0;
    while (s < end) {
        uint32_t cp = utf8_next(&s);
        char c = 0;
        if (cp >= 'a' && cp <= 'z')
            c = (char)cp;
        for (size_t i = 0; !c && i < ARRAY_SIZE(map); i++)
            if (map[i].cp == cp)
                c = map[i].c;
        if (!c || n + 1 >= outlen)
            return 0;
        out[n++] = c;
    }
    out[n] = '\0';
    return n > 0;
}

static int cmp_mandarin(const void *a, const void *b)
{
    uint32_t x = ((const struct mandarin *)a)->cp, y = ((const struct mandarin *)b)->cp;
    return x < y ? -1 : x > y;
}

static int load_mandarin(pinyin *p)
{
    char *buf, *line;
    size_t len, pos = 0, cap = 0;
    int r;

    p->mandarin_loaded = 1;
    r = read_all(p->readings_path, &buf, &len, p->error, sizeof p->error);
    if (r < 0)
        return -EIO;
    while ((line = next_line(buf, len, &pos))) {
        char *end, syl[16];
        uint32_t cp;
        if (parse_cp(line, &end, &cp) < 0 || strncmp(end, "\tkMandarin\t", 11) != 0)
            continue;
        char *r0 = end + 11, *r1 = strchr(r0, ' ');   /* the first is the customary one */
        if (!toneless(r0, r1 ? r1 : r0 + strlen(r0), syl, sizeof syl))
            continue;
        if (p->nmandarin == cap) {
            cap = cap ? cap * 2 : 1 << 15;
            p->mandarin = xrealloc(p->mandarin, cap * sizeof *p->mandarin);
        }
        p->mandarin[p->nmandarin++] = (struct mandarin){cp, arena_add(p, syl, strlen(syl))};
    }
    free(buf);
    qsort(p->mandarin, p->nmandarin, sizeof *p->mandarin, cmp_mandarin);
    return 0;
}

/* kMandarin of cp, or NULL; -EIO in *r when the file could not be read. */
static const char *mandarin_of(pinyin *p, uint32_t cp, int *r)
{
    if (!p->mandarin_loaded && load_mandarin(p) < 0) {
        *r = -EIO;
        return NULL;
    }
    struct mandarin key = {.cp = cp}, *m;
    m = bsearch(&key, p->mandarin, p->nmandarin, sizeof key, cmp_mandarin);
    return m ? at(p, m->text) : NULL;
}

/* ---- open / close ----------------------------------------------------------------------- */

int pinyin_open(const char *dict_path, const char *unihan_dir, pinyin **ret, char *err,
                size_t errlen)
{
    char *variants = NULL, local[512];
    pinyin *p;
    int r;

    if (!err || !errlen) {
        err = local;
        errlen = sizeof local;
    }
    if (!dict_path)
        dict_path = getenv("KIOSK_PINYIN_DICT");
    if (!dict_path || !*dict_path)
        dict_path = PINYIN_DICT_PATH;
    if (!unihan_dir)
        unihan_dir = getenv("KIOSK_UNIHAN_DIR");
    if (!unihan_dir || !*unihan_dir)
        unihan_dir = PINYIN_UNIHAN_DIR;

    p = xcalloc(1, sizeof *p);
    arena_add(p, "", 0);        /* offset 0 means "none" */
    grow_table(p);
    r = load_dict(p, dict_path, err, errlen);
    if (r == -ENOENT)
        snprintf(err, errlen, "%s: missing: the pinyin dictionary comes with the Debian "
                 "package rime-data-luna-pinyin (run scripts/setup.sh)", dict_path);
    if (r < 0)
        goto fail;
    normalise_native(p);
    variants = find_unihan(unihan_dir, "Unihan_Variants.txt");
    p->readings_path = find_unihan(unihan_dir, "Unihan_Readings.txt");
    if (!variants || !p->readings_path) {
        snprintf(err, errlen, "%s/%s(.bz2): missing: Unihan comes with the Debian package "
                 "unicode-data (run scripts/setup.sh)", unihan_dir,
                 variants ? "Unihan_Readings.txt" : "Unihan_Variants.txt");
        r = -ENOENT;
        goto fail;
    }
    r = load_variants(p, variants, err, errlen);
    if (r < 0)
        goto fail;
    add_simplified(p);
    free(variants);
    *ret = p;
    return 0;
fail:
    free(variants);
    pinyin_close(p);
    return r;
}

void pinyin_close(pinyin *p)
{
    if (!p)
        return;
    strbuf_release(&p->arena);
    free(p->slots);
    free(p->readings);
    free(p->variants);
    free(p->mandarin);
    free(p->readings_path);
    free(p);
}

const char *pinyin_error(const pinyin *p)
{
    return p->error;
}

/* ---- conversion ------------------------------------------------------------------------- */

/* The reading of one character: the highest weight; a tie goes to kMandarin when it is
 * among the tied, else to the first listed. NULL when nobody reads it. */
static const char *char_reading(pinyin *p, const char *ch, size_t n, uint32_t cp, int *r)
{
    struct slot *s = lookup(p, ch, n, 0);
    uint32_t tied[16];          /* arena offsets: loading kMandarin moves the arena */
    int ntied = 0;
    float best = -1;

    if (!s)
        return mandarin_of(p, cp, r);
    for (uint32_t j = s->head; j; j = p->readings[j - 1].next) {
        const struct reading *rd = &p->readings[j - 1];
        if (rd->weight > best + 1e-4f) {
            best = rd->weight;
            ntied = 0;
        }
        if (rd->weight > best - 1e-4f && ntied < 16)
            tied[ntied++] = rd->text;
    }
    if (ntied > 1) {
        const char *m = mandarin_of(p, cp, r);
        for (int i = 0; m && i < ntied; i++)
            if (strcmp(at(p, tied[i]), m) == 0)
                return at(p, tied[i]);
    }
    return at(p, tied[0]);
}

/* The reading of a word of two or more characters, or NULL when it is no word. */
static const char *word_reading(pinyin *p, const char *w, size_t n)
{
    struct slot *s = lookup(p, w, n, 0);
    const char *best = NULL;
    float bw = -1;

    if (!s)
        return NULL;
    for (uint32_t j = s->head; j; j = p->readings[j - 1].next)
        if (p->readings[j - 1].weight > bw + 1e-4f) {
            bw = p->readings[j - 1].weight;
            best = at(p, p->readings[j - 1].text);
        }
    return best;
}

struct out {
    strbuf syl, ini;
};

static void emit(struct out *o, const char *tok, size_t n)
{
    if (o->syl.len)
        strbuf_addc(&o->syl, ' ');
    for (size_t i = 0; i < n; i++) {
        char c = tok[i];
        strbuf_addc(&o->syl, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
    }
    char c = tok[0];
    strbuf_addc(&o->ini, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
}

/* One run of Han characters: the fewest-words path, longer words first on a tie. */
static int convert_run(pinyin *p, const char **at_, const uint32_t *cps, int n, struct out *o)
{
    int *cost = xmalloc(((size_t)n + 1) * sizeof *cost), *len = xmalloc((size_t)n * sizeof *len);
    int r = 0;

    cost[n] = 0;
    for (int i = n - 1; i >= 0; i--) {
        cost[i] = cost[i + 1] + 1;
        len[i] = 1;
        for (int l = MIN(MAX_WORD, n - i); l >= 2; l--)
            if (cost[i + l] + 1 < cost[i] &&
                word_reading(p, at_[i], (size_t)(at_[i + l] - at_[i]))) {
                cost[i] = cost[i + l] + 1;
                len[i] = l;
            }
    }
    for (int i = 0; i < n && !r; i += len[i]) {
        if (len[i] > 1) {
            const char *w = word_reading(p, at_[i], (size_t)(at_[i + len[i]] - at_[i]));
            for (const char *s = w; *s;) {
                const char *e = strchr(s, ' ');
                size_t k = e ? (size_t)(e - s) : strlen(s);
                emit(o, s, k);
                s += k + (e != NULL);
            }
        } else {
            const char *c = char_reading(p, at_[i], (size_t)(at_[i + 1] - at_[i]), cps[i], &r);
            emit(o, c ? c : "?", c ? strlen(c) : 1);
        }
    }
    free(cost);
    free(len);
    return r;
}

int pinyin_convert(pinyin *p, const char *text, char **ret_syllables, char **ret_full,
                   char **ret_initials)
{
    struct out o = {{0}, {0}};
    const char *s = text;
    int r = 0;

    p->error[0] = '\0';
    while (!r && *s) {
        const char *start, *han[MAX_WORD * 16 + 1];
        uint32_t cps[MAX_WORD * 16];
        int n = 0, is_han;
        size_t len = search_unit(&s, &start, &is_han);
        if (!len)
            break;
        if (!is_han) {
            emit(&o, start, len);
            continue;
        }
        /* gather the run of Han units that follow each other directly (a long run is
         * cut into pieces; a word across a cut is read character by character) */
        han[0] = start;
        const char *q = start;
        cps[n++] = utf8_next(&q);
        han[n] = q;
        while (n < (int)ARRAY_SIZE(cps)) {
            const char *u = s, *st;
            int h;
            size_t l = search_unit(&u, &st, &h);
            if (!l || !h || st != s)
                break;
            q = st;
            cps[n++] = utf8_next(&q);
            han[n] = q;
            s = u;
        }
        r = convert_run(p, han, cps, n, &o);
    }
    if (r < 0) {
        strbuf_release(&o.syl);
        strbuf_release(&o.ini);
        return r;
    }
    if (ret_full) {
        strbuf full = {0};
        for (size_t i = 0; i < o.syl.len; i++)
            if (o.syl.buf[i] != ' ')
                strbuf_addc(&full, o.syl.buf[i]);
        *ret_full = strbuf_detach(&full);
    }
    if (ret_syllables)
        *ret_syllables = strbuf_detach(&o.syl);
    if (ret_initials)
        *ret_initials = strbuf_detach(&o.ini);
    strbuf_release(&o.syl);
    strbuf_release(&o.ini);
    return 0;
}
