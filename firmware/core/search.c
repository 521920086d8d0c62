/* search.c - see search.h. The three paths differ only in the MATCH text and the table
 * they run on; everything after the rowids (rows, highlights, snippets) is shared. */
#include "search.h"
#include "content_schema.h"
#include "base/util.h"

#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    MAX_UNITS = 512,          /* units of a title looked at for a highlight */
    MAX_PHRASES = 16,         /* pinyin readings of one query tried at once */
    MAX_STEPS = 2000,         /* ... and steps spent finding them */
    MAX_TOKENS = 64,
    MAX_INITIALS = 32,
    SNIPPET_BEFORE = 12,      /* characters of context before a body match */
    MAX_CHECKED = 2000,       /* candidates of one body look-up read to confirm a match */
};

enum stmt {
    Q_TRIGRAM, Q_TITLE, Q_GRAM_TITLE, Q_GRAM_BODY, Q_LATIN, Q_BODY, Q_SERVICE, Q_DOC,
    Q_SERVICE_PINYIN, Q_DOC_PINYIN, Q_COUNT
};

#define LOOKUP(table)                                                                    \
    "SELECT rowid FROM " table " WHERE " table " MATCH ?1 AND rowid BETWEEN ?2 AND ?3"  \
    " ORDER BY rowid DESC LIMIT ?4"

static const char *const sql[Q_COUNT] = {
    [Q_TRIGRAM] = LOOKUP("search"),
    [Q_TITLE] = LOOKUP("search_title"),
    [Q_GRAM_TITLE] = LOOKUP("search_gram_title"),
    [Q_GRAM_BODY] = LOOKUP("search_gram_body"),
    [Q_LATIN] = LOOKUP("search_latin"),
    [Q_BODY] = "SELECT body_zh, body_en FROM search_text WHERE rid = ?1",
    /* a hit's row without its pinyin: doc.pinyin comes after the body, so reading it
     * reads every overflow page of the body (a cold disk read each); Q_*_PINYIN read
     * it when a Latin query needs it */
    [Q_SERVICE] = "SELECT s.id, s.name_zh, s.name_en, s.summary_zh, s.summary_en,"
                  " '', '' FROM search_ref r JOIN service s ON s.id = r.ref WHERE r.rowid = ?1",
    [Q_DOC] = "SELECT d.id, d.title_zh, d.title_en, d.summary_zh, d.summary_en,"
              " d.published, d.validity FROM search_ref r JOIN doc d ON d.id = r.ref"
              " WHERE r.rowid = ?1",
    [Q_SERVICE_PINYIN] = "SELECT s.pinyin FROM search_ref r JOIN service s ON s.id = r.ref"
                         " WHERE r.rowid = ?1",
    [Q_DOC_PINYIN] = "SELECT d.pinyin FROM search_ref r JOIN doc d ON d.id = r.ref"
                     " WHERE r.rowid = ?1",
};

/* Rows a body look-up read and found without the query: they lack any query that
 * contains it too, so the next keystroke ("penalty d", "penalty de") skips them.
 * Rowids in descending order, the order look-ups read them in. */
enum { MAX_REJECTED = 8192 };

struct rejected {
    char q[SEARCH_MAX_BYTES + 1];   /* the longest query they lack; "" none */
    long long *ids;                 /* MAX_REJECTED */
    int n;
};

struct search {
    sqlite3 *db;
    sqlite3_stmt *st[Q_COUNT];
    struct rejected rej;
    int warmed;                     /* steps of search_warm done */
    int max_checked;                /* MAX_CHECKED, or less (search_set_max_checked) */
    int capped;                     /* a body look-up stopped at max_checked */
};

/* ---- characters ----------------------------------------------------------------------- */

static int is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF) || c == 0x3007;
}

static int is_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Can be part of a word: letters, digits, Han; not spaces, punctuation or symbols
 * (roughly; FTS5's unicode61 tokenizer has the last word on the index side). */
static int is_word(uint32_t c)
{
    if (c < 0x80)
        return is_alnum(c);
    if (c == 0xFFFD || c < 0xC0 || c == 0xD7 || c == 0xF7)
        return 0;
    if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F && c != 0x3007) ||
        (c >= 0xFE10 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF0F) ||
        (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
        (c >= 0xFF5B && c <= 0xFF65) || (c >= 0xFFE0 && c <= 0xFFEF) ||
        (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0xE000 && c <= 0xF8FF))
        return 0;
    return 1;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == 0xA0 ||
           c < 0x20 || c == 0x7F;
}

size_t search_unit(const char **s, const char **ret_start, int *ret_han)
{
    const char *p = *s;
    while (*p) {
        const char *q = p;
        uint32_t c = utf8_next(&q);
        if (is_han(c)) {
            *ret_start = p;
            *ret_han = 1;
            *s = q;
            return (size_t)(q - p);
        }
        if (is_alnum(c)) {
            const char *e = p;
            while (*e && is_alnum((unsigned char)*e))
                e++;
            *ret_start = p;
            *ret_han = 0;
            *s = e;
            return (size_t)(e - p);
        }
        p = q;
    }
    *s = p;
    return 0;
}

char *search_grams(const char *text)
{
    strbuf sb = {0};
    const char *p = text, *prev = NULL;

    while (*p) {
        const char *q = p;
        uint32_t c = utf8_next(&q);
        if (!is_word(c)) {
            prev = NULL;
        } else {
            if (sb.len)
                strbuf_addc(&sb, ' ');
            if (prev) {     /* the pair with the previous character, then this one */
                strbuf_add(&sb, prev, (size_t)(q - prev));
                strbuf_addc(&sb, ' ');
            }
            strbuf_add(&sb, p, (size_t)(q - p));
            prev = p;
        }
        p = q;
    }
    return strbuf_detach(&sb);
}

/* ---- the query ------------------------------------------------------------------------ */

int search_normalize(const char *query, char *buf, size_t len)
{
    uint32_t cps[SEARCH_MAX_QUERY];
    const char *starts[SEARCH_MAX_QUERY + 1];
    int n = 0;
    size_t bytes = 0, o = 0;
    const char *p = query ? query : "";

    while (*p && n < SEARCH_MAX_QUERY) {
        const char *q = p;
        uint32_t c = utf8_next(&q);
        if (bytes + (size_t)(q - p) > SEARCH_MAX_BYTES)
            break;
        bytes += (size_t)(q - p);
        if (c != 0xFFFD) {
            starts[n] = p;
            cps[n++] = c;
        }
        p = q;
    }
    for (int i = 0; i < n; i++) {
        if (is_space(cps[i])) {
            int j = i;
            while (j + 1 < n && is_space(cps[j + 1]))
                j++;
            /* one space between two non-Han characters; none at the ends or by Han */
            if (i > 0 && j + 1 < n && !is_han(cps[i - 1]) && !is_han(cps[j + 1])) {
                if (o + 2 > len)
                    return -ENOSPC;
                buf[o++] = ' ';
            }
            i = j;
            continue;
        }
        const char *q = starts[i];
        utf8_next(&q);
        size_t k = (size_t)(q - starts[i]);
        if (o + k + 1 > len)
            return -ENOSPC;
        for (size_t b = 0; b < k; b++) {
            char ch = starts[i][b];
            buf[o++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
        }
    }
    if (o + 1 > len)
        return -ENOSPC;
    buf[o] = '\0';
    return (int)o;
}

/* A Chinese numeral, as a phone number may be written (yao and liang, U+5E7A and
 * U+4E24, are spoken digits too). */
static int is_cn_digit(uint32_t c)
{
    static const uint32_t d[] = {0x3007, 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5E7A, 0x4E24};
    for (size_t i = 0; i < ARRAY_SIZE(d); i++)
        if (c == d[i])
            return 1;
    return 0;
}

/* Whether the Latin word W (N bytes, lower case) is WORD. */
static int word_is(const char *w, size_t n, const char *word)
{
    return n == strlen(word) && memcmp(w, word, n) == 0;
}

/* Whether KEY (normalized) may identify a person: see search.h. */
static int may_be_personal(const char *key)
{
    int chars = 0, digits = 0, cn_run = 0;
    uint32_t prev = 0;
    const char *p = key;
    if (strstr(key, "\xe8\x89\xbe\xe7\x89\xb9")) /* ai te (U+827E U+7279): "at" said in Chinese */
        return 1;
    while (*p) {
        const char *q = p;
        uint32_t c = utf8_next(&q);
        chars++;
        if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
            digits++;
        /* Chinese numerals count in a run; separators do not end it, other words do */
        if (is_cn_digit(c))
            cn_run++;
        else if (is_word(c))
            cn_run = 0;
        if (c == '@' || c == 0xFF20 || c == 0xFE6B)
            return 1;
        /* a dot inside a word: a domain (qq.com), an address (wang.fang) */
        if ((c == '.' || c == 0x3002 || c == 0xFF0E) && prev && is_word(prev) && *q) {
            const char *r = q;
            if (is_word(utf8_next(&r)))
                return 1;
        }
        /* "at" and "dot" spelled out, as whole words */
        if (is_alnum(c) && !(prev && is_alnum(prev))) {
            size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
            if (word_is(p, n, "at") || word_is(p, n, "dot"))
                return 1;
        }
        if (digits >= SEARCH_MISS_MAX_DIGITS || cn_run >= SEARCH_MISS_MAX_DIGITS)
            return 1;
        prev = c;
        p = q;
    }
    return chars > SEARCH_MISS_MAX_CHARS;
}

int search_miss_key(const char *query, char *buf, size_t len)
{
    int n = search_normalize(query, buf, len);
    if (n < 0)
        return n;
    if (may_be_personal(buf)) {
        sodium_memzero(buf, (size_t)n);
        return -EPERM;
    }
    return n;
}

/* Whether a search for the N bytes at P alone finds anything. */
static int finds(search *s, const char *p, size_t n)
{
    char q[SEARCH_MAX_BYTES + 1];
    struct search_result r;
    if (n == 0 || n > SEARCH_MAX_BYTES)
        return 0;
    memcpy(q, p, n);
    q[n] = '\0';
    if (search_run(s, q, LANG_ZH, 1, &r) < 0)
        return -EIO;
    int found = r.n_groups > 0;
    search_result_free(&r);
    return found;
}

int search_miss_known(search *s, const char *key)
{
    const char *p = key, *start;
    const char *han[SEARCH_MAX_QUERY + 1];
    size_t hlen[SEARCH_MAX_QUERY + 1];
    int nh = 0, han_unit, words = 0;
    for (;;) {
        size_t n = search_unit(&p, &start, &han_unit);
        /* a run of Han characters ends: each must be in a pair of neighbours (or be a
         * lone character) the content has */
        if (nh > 0 && (n == 0 || !han_unit || start != han[nh - 1] + hlen[nh - 1])) {
            unsigned char covered[SEARCH_MAX_QUERY + 1] = {0};
            if (nh == 1) {
                int f = finds(s, han[0], hlen[0]);
                if (f <= 0)
                    return f;
                covered[0] = 1;
            }
            for (int i = 0; i + 1 < nh; i++) {
                int f = finds(s, han[i], hlen[i] + hlen[i + 1]);
                if (f < 0)
                    return f;
                if (f)
                    covered[i] = covered[i + 1] = 1;
            }
            for (int i = 0; i < nh; i++)
                if (!covered[i])
                    return 0;
            words++;
            nh = 0;
        }
        if (n == 0)
            break;
        if (han_unit) {
            if (nh < SEARCH_MAX_QUERY) {
                han[nh] = start;
                hlen[nh++] = n;
            }
            continue;
        }
        int f = finds(s, start, n);
        if (f <= 0)
            return f;
        words++;
    }
    return words > 0;
}

/* C folded as FTS5's trigram tokenizer folds case (case_sensitive 0), for the scripts
 * content is written in: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic, full-width
 * Latin. */
static uint32_t fold(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
        (c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F) ||
        (c >= 0xFF21 && c <= 0xFF3A))
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if ((c >= 0x100 && c <= 0x137 && c != 0x130) || (c >= 0x14A && c <= 0x177))
        return c & 1 ? c : c + 1;     /* upper case even, lower case odd */
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return c & 1 ? c + 1 : c;     /* and the other way round */
    return c;
}

/* Whether TEXT holds NEEDLE (N code points, folded), case folded as above: what a
 * phrase of NEEDLE's trigrams matches in a trigram index that keeps positions. */
static int holds(const char *text, const uint32_t *needle, int n)
{
    for (const char *p = text ? text : ""; *p;) {
        const char *q = p;
        uint32_t c = fold(utf8_next(&q));
        if (c == needle[0]) {
            const char *r = q;
            int i = 1;
            while (i < n && *r && fold(utf8_next(&r)) == needle[i])
                i++;
            if (i == n)
                return 1;
        }
        p = q;
    }
    return 0;
}

/* Appends S as one FTS5 string: in double quotes, a quote doubled. Nothing else inside
 * a string means anything to FTS5, so any typed text is safe. */
static void fts_string(strbuf *sb, const char *s, size_t n)
{
    strbuf_addc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            strbuf_addc(sb, '"');
        strbuf_addc(sb, s[i]);
    }
    strbuf_addc(sb, '"');
}

/* The MATCH text of a substring query Q (3+ characters) over the trigram index of
 * bodies, which keeps no positions (detail=none): every trigram of Q, ANDed. A row
 * that has them all may still lack Q itself (4+ characters), so fetch confirms it. */
static void trigram_match(strbuf *m, const char *q)
{
    const char *at[SEARCH_MAX_QUERY + 1];
    int n = 0;
    for (const char *p = q; *p && n < SEARCH_MAX_QUERY;) {
        at[n++] = p;
        utf8_next(&p);
        at[n] = p;
    }
    if (n <= 3) {
        fts_string(m, q, strlen(q));
        return;
    }
    for (int i = 0; i + 3 <= n; i++) {
        if (i)
            strbuf_adds(m, " AND ");
        fts_string(m, at[i], (size_t)(at[i + 3] - at[i]));
    }
}

/* Every syllable of Mandarin as luna_pinyin spells it (ü as v). */
static const char *const syllables[] = {
    "a", "ai", "an", "ang", "ao", "ba", "bai", "ban", "bang", "bao", "bei", "ben", "beng",
    "bi", "bian", "biao", "bie", "bin", "bing", "bo", "bu", "ca", "cai", "can", "cang",
    "cao", "ce", "cen", "ceng", "cha", "chai", "chan", "chang", "chao", "che", "chen",
    "cheng", "chi", "chong", "chou", "chu", "chua", "chuai", "chuan", "chuang", "chui",
    "chun", "chuo", "ci", "cong", "cou", "cu", "cuan", "cui", "cun", "cuo", "da", "dai",
    "dan", "dang", "dao", "de", "dei", "den", "deng", "di", "dia", "dian", "diao", "die",
    "ding", "diu", "dong", "dou", "du", "duan", "dui", "dun", "duo", "e", "ei", "en",
    "eng", "er", "fa", "fan", "fang", "fei", "fen", "feng", "fiao", "fo", "fou", "fu",
    "ga", "gai", "gan", "gang", "gao", "ge", "gei", "gen", "geng", "gong", "gou", "gu",
    "gua", "guai", "guan", "guang", "gui", "gun", "guo", "ha", "hai", "han", "hang",
    "hao", "he", "hei", "hen", "heng", "hong", "hou", "hu", "hua", "huai", "huan",
    "huang", "hui", "hun", "huo", "ji", "jia", "jian", "jiang", "jiao", "jie", "jin",
    "jing", "jiong", "jiu", "ju", "juan", "jue", "jun", "ka", "kai", "kan", "kang", "kao",
    "ke", "kei", "ken", "keng", "kong", "kou", "ku", "kua", "kuai", "kuan", "kuang",
    "kui", "kun", "kuo", "la", "lai", "lan", "lang", "lao", "le", "lei", "leng", "li",
    "lia", "lian", "liang", "liao", "lie", "lin", "ling", "liu", "lo", "long", "lou",
    "lu", "luan", "lun", "luo", "lv", "lve", "ma", "mai", "man", "mang", "mao", "me",
    "mei", "men", "meng", "mi", "mian", "miao", "mie", "min", "ming", "miu", "mo", "mou",
    "mu", "na", "nai", "nan", "nang", "nao", "ne", "nei", "nen", "neng", "ni", "nian",
    "niang", "niao", "nie", "nin", "ning", "niu", "nong", "nou", "nu", "nuan", "nun",
    "nuo", "nv", "nve", "o", "ou", "pa", "pai", "pan", "pang", "pao", "pei", "pen",
    "peng", "pi", "pian", "piao", "pie", "pin", "ping", "po", "pou", "pu", "qi", "qia",
    "qian", "qiang", "qiao", "qie", "qin", "qing", "qiong", "qiu", "qu", "quan", "que",
    "qun", "ran", "rang", "rao", "re", "ren", "reng", "ri", "rong", "rou", "ru", "ruan",
    "rui", "run", "ruo", "sa", "sai", "san", "sang", "sao", "se", "sen", "seng", "sha",
    "shai", "shan", "shang", "shao", "she", "shei", "shen", "sheng", "shi", "shou", "shu",
    "shua", "shuai", "shuan", "shuang", "shui", "shun", "shuo", "si", "song", "sou", "su",
    "suan", "sui", "sun", "suo", "ta", "tai", "tan", "tang", "tao", "te", "teng", "ti",
    "tian", "tiao", "tie", "ting", "tong", "tou", "tu", "tuan", "tui", "tun", "tuo", "wa",
    "wai", "wan", "wang", "wei", "wen", "weng", "wo", "wu", "xi", "xia", "xian", "xiang",
    "xiao", "xie", "xin", "xing", "xiong", "xiu", "xu", "xuan", "xue", "xun", "ya", "yan",
    "yang", "yao", "ye", "yi", "yin", "ying", "yo", "yong", "you", "yu", "yuan", "yue",
    "yun", "za", "zai", "zan", "zang", "zao", "ze", "zei", "zen", "zeng", "zha", "zhai",
    "zhan", "zhang", "zhao", "zhe", "zhei", "zhen", "zheng", "zhi", "zhong", "zhou", "zhu",
    "zhua", "zhuai", "zhuan", "zhuang", "zhui", "zhun", "zhuo", "zi", "zong", "zou", "zu",
    "zuan", "zui", "zun", "zuo",
};

static int is_syllable(const char *s, size_t n)
{
    for (size_t i = 0; i < ARRAY_SIZE(syllables); i++)
        if (strlen(syllables[i]) == n && memcmp(syllables[i], s, n) == 0)
            return 1;
    return 0;
}

static int is_syllable_start(const char *s, size_t n)
{
    for (size_t i = 0; i < ARRAY_SIZE(syllables); i++)
        if (strncmp(syllables[i], s, n) == 0)
            return 1;
    return 0;
}

/* The ways to read Q (letters and digits, pieces separated by spaces or apostrophes)
 * as pinyin tokens: syllables, and digit runs as they are; the last token may be the
 * start of a syllable. Each reading is one FTS5 phrase with a prefix mark. */
struct readings {
    strbuf *out;
    int n;
    int steps;              /* calls so far: a long ambiguous query stops early */
    const char *tok[MAX_TOKENS];
    size_t len[MAX_TOKENS];
};

static void emit_reading(struct readings *r, int ntok)
{
    strbuf tmp = {0};
    for (int i = 0; i < ntok; i++) {
        if (i)
            strbuf_addc(&tmp, ' ');
        strbuf_add(&tmp, r->tok[i], r->len[i]);
    }
    if (r->n++)
        strbuf_adds(r->out, " OR ");
    fts_string(r->out, tmp.buf, tmp.len);
    strbuf_addc(r->out, '*');
    strbuf_release(&tmp);
}

static void read_pinyin(struct readings *r, const char *q, int ntok)
{
    if (r->n >= MAX_PHRASES || ntok >= MAX_TOKENS || ++r->steps > MAX_STEPS)
        return;
    while (*q == ' ' || *q == '\'')
        q++;
    if (!*q) {
        if (ntok)
            emit_reading(r, ntok);
        return;
    }
    size_t piece = strcspn(q, " '");
    int last = q[piece] == '\0' || !q[piece + strspn(q + piece, " '")];
    if (*q >= '0' && *q <= '9') {
        size_t n = 0;
        while (n < piece && q[n] >= '0' && q[n] <= '9')
            n++;
        r->tok[ntok] = q;
        r->len[ntok] = n;
        read_pinyin(r, q + n, ntok + 1);
        return;
    }
    size_t letters = 0;
    while (letters < piece && q[letters] >= 'a' && q[letters] <= 'z')
        letters++;
    /* the rest of the query as the start of one syllable */
    if (letters == piece && last && is_syllable_start(q, letters)) {
        r->tok[ntok] = q;
        r->len[ntok] = letters;
        emit_reading(r, ntok + 1);
    }
    /* or a whole syllable, longest first, and the rest read again */
    for (size_t n = MIN(letters, (size_t)6); n >= 1 && r->n < MAX_PHRASES; n--) {
        if ((n == letters && last && letters == piece) || !is_syllable(q, n))
            continue;
        r->tok[ntok] = q;
        r->len[ntok] = n;
        read_pinyin(r, q + n, ntok + 1);
    }
}

/* The MATCH texts of a Latin query over search_latin: TITLE over the English title
 * words, the pinyin syllables and the initials; KEYWORDS over the pinyin of a
 * document's keywords. Both stay empty when nothing can match. */
static void latin_match(const char *q, strbuf *title, strbuf *keywords)
{
    int words = 0, pinyinish = 1, letters_only = 1;
    char ini[MAX_INITIALS * 2];
    size_t nini = 0;
    strbuf alt = {0};

    for (const char *p = q; *p; p++) {
        unsigned char c = (unsigned char)*p;
        words |= c >= 0x80 || is_alnum(c);
        if (!(is_alnum(c) || c == ' ' || c == '\''))
            pinyinish = 0;
    }
    if (!words)
        return;
    strbuf_adds(title, "en : ");
    fts_string(title, q, strlen(q));
    strbuf_addc(title, '*');
    if (!pinyinish)
        return;
    for (const char *p = q; *p && letters_only; p++) {
        if (*p >= 'a' && *p <= 'z' && nini < MAX_INITIALS) {
            if (nini)
                ini[2 * nini - 1] = ' ';
            ini[2 * nini++] = *p;
        } else if (*p != ' ' && *p != '\'') {
            letters_only = 0;   /* initials are letters only */
        }
    }
    struct readings r = {.out = &alt};
    read_pinyin(&r, q, 0);
    /* a raw token too: an ASCII run in a Chinese title ("App", "A4") is one token */
    if (!strpbrk(q, " '")) {
        if (r.n++)
            strbuf_adds(&alt, " OR ");
        fts_string(&alt, q, strlen(q));
        strbuf_addc(&alt, '*');
    }
    if (r.n) {
        strbuf_adds(title, " OR py : (");
        strbuf_add(title, alt.buf, alt.len);
        strbuf_addc(title, ')');
        strbuf_adds(keywords, "kpy : (");
        strbuf_add(keywords, alt.buf, alt.len);
        strbuf_addc(keywords, ')');
    }
    if (letters_only && nini && nini < MAX_INITIALS) {
        strbuf_adds(title, " OR ini : ");
        fts_string(title, ini, 2 * nini - 1);
        strbuf_adds(keywords, keywords->len ? " OR kini : " : "kini : ");
        fts_string(keywords, ini, 2 * nini - 1);
    }
    strbuf_release(&alt);
}

/* ---- open / close ------------------------------------------------------------------- */

int search_open(const char *content_path, search **ret, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *v = NULL;
    int rc = sqlite3_open_v2(content_path, &db, SQLITE_OPEN_READONLY, NULL), r = 0;

    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", content_path,
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return rc == SQLITE_CANTOPEN ? -ENOENT : -EIO;
    }
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &v,
                           NULL) != SQLITE_OK || sqlite3_step(v) != SQLITE_ROW) {
        snprintf(err, errlen, "%s: not a content database (no schema_version): %s",
                 content_path, sqlite3_errmsg(db));
        r = -EPROTO;
    } else if (sqlite3_column_int(v, 0) != CONTENT_SCHEMA_VERSION) {
        snprintf(err, errlen, "%s: content schema version %d, this kiosk reads version %d",
                 content_path, sqlite3_column_int(v, 0), CONTENT_SCHEMA_VERSION);
        r = -EPROTO;
    }
    sqlite3_finalize(v);
    if (r < 0) {
        sqlite3_close(db);
        return r;
    }
    /* the index pages of the tokens typed a moment ago stay cached for the next key */
    sqlite3_exec(db, "PRAGMA cache_size = -4096", NULL, NULL, NULL);
    search *s = xcalloc(1, sizeof *s);
    s->db = db;
    s->rej.ids = xcalloc(MAX_REJECTED, sizeof *s->rej.ids);
    s->max_checked = MAX_CHECKED;
    for (int i = 0; i < Q_COUNT; i++)
        if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) !=
            SQLITE_OK) {
            snprintf(err, errlen, "%s: no search index of this kiosk: %s", content_path,
                     sqlite3_errmsg(db));
            search_close(s);
            return -EPROTO;
        }
    *ret = s;
    return 0;
}

/* What search_warm reads, one step a call: the pages every look-up passes through, and
 * the few MB they make up, so a keystroke after a cold start reads from disk only the
 * rows it checks. FTS5 loads an index's structure record at its first look-up
 * (warm_lookup); the rest are b-trees read whole: search_ref (rowid to id) and the id
 * indexes of service and doc, by which every candidate and hit is read (about 2 MB at
 * 20,000 + 20,000), then the FTS5 term indexes. */
static const char *const warm_sql[] = {
    "SELECT count(*) FROM search_ref",
    "SELECT count(*) FROM service WHERE id > ''",
    "SELECT count(*) FROM doc WHERE id > ''",
    "SELECT (SELECT count(*) FROM search_idx) + (SELECT count(*) FROM search_title_idx) +"
    " (SELECT count(*) FROM search_gram_title_idx) + (SELECT count(*) FROM search_gram_body_idx)"
    " + (SELECT count(*) FROM search_latin_idx)",
};

/* One look-up on ST that finds nothing, so FTS5 reads the index's structure now (one
 * trigram: a longer string would be a phrase, which detail=none cannot run). */
static int warm_lookup(search *s, int st, const char *match)
{
    sqlite3_stmt *q = s->st[st];
    int rc;
    sqlite3_bind_text(q, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, 1);
    sqlite3_bind_int64(q, 3, INT64_MAX);
    sqlite3_bind_int(q, 4, 1);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        ;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : -EIO;
}

int search_warm(search *s)
{
    int step = s->warmed, r = 0;
    if (step == 0) {
        static const int lookups[] = {Q_TRIGRAM, Q_TITLE, Q_GRAM_TITLE, Q_GRAM_BODY, Q_LATIN};
        for (size_t i = 0; i < ARRAY_SIZE(lookups) && !r; i++)
            r = warm_lookup(s, lookups[i], "\"zqx\"");
    } else if (step <= (int)ARRAY_SIZE(warm_sql)) {
        r = sqlite3_exec(s->db, warm_sql[step - 1], NULL, NULL, NULL) == SQLITE_OK ? 0 : -EIO;
    } else {
        return 0;
    }
    if (r < 0)
        return r;
    s->warmed++;
    return s->warmed <= (int)ARRAY_SIZE(warm_sql);
}

void search_set_max_checked(search *s, int n)
{
    s->max_checked = CLAMP(n, 1, MAX_CHECKED);
}

void search_close(search *s)
{
    if (!s)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s->rej.ids);
    free(s);
}

/* ---- highlights and snippets -------------------------------------------------------- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The first occurrence of NEEDLE in HAY, ASCII letters in any case; with WORD only one
 * that starts a word. -1 when none. */
static int find(const char *hay, const char *needle, int word)
{
    size_t n = strlen(needle);
    if (!n || !hay)
        return -1;
    for (const char *p = hay; *p; p++) {
        if (word && p > hay && is_alnum((unsigned char)p[-1]))
            continue;
        size_t i = 0;
        while (i < n && p[i] && lower((unsigned char)p[i]) == lower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return (int)(p - hay);
    }
    return -1;
}

/* Where Q, read as pinyin or initials, matches the Chinese TITLE whose tokens are
 * SYLLABLES ("she hui bao xian", one per unit): the bytes of the matched units. */
static int find_pinyin(const char *title, const char *syllables, const char *q, int *ret_len)
{
    const char *ustart[MAX_UNITS];
    size_t ulen[MAX_UNITS];
    const char *tok[MAX_UNITS];
    size_t tlen[MAX_UNITS];
    char letters[SEARCH_MAX_BYTES + 1];
    int nu = 0, nt = 0, nl = 0;
    const char *s = title;

    for (const char *p = q; *p && nl < SEARCH_MAX_BYTES; p++)
        if (*p != ' ' && *p != '\'')
            letters[nl++] = *p;
    letters[nl] = '\0';
    while (nu < MAX_UNITS) {
        int han;
        size_t n = search_unit(&s, &ustart[nu], &han);
        if (!n)
            break;
        ulen[nu++] = n;
    }
    for (const char *p = syllables ? syllables : ""; *p && nt < MAX_UNITS;) {
        size_t n = strcspn(p, " ");
        tok[nt] = p;
        tlen[nt++] = n;
        p += n;
        while (*p == ' ')
            p++;
    }
    if (!nl || nt != nu)
        return -1;      /* keys of another title (or none): no highlight */
    for (int i = 0; i < nu; i++) {
        int pos = 0, j = i;
        while (pos < nl && j < nu) {
            size_t rest = (size_t)(nl - pos);
            if (rest >= tlen[j] && memcmp(letters + pos, tok[j], tlen[j]) == 0) {
                pos += (int)tlen[j++];
            } else if (rest < tlen[j] && memcmp(letters + pos, tok[j], rest) == 0) {
                pos = nl;
                j++;
            } else {
                break;
            }
        }
        if (pos == nl) {
            *ret_len = (int)(ustart[j - 1] + ulen[j - 1] - ustart[i]);
            return (int)(ustart[i] - title);
        }
    }
    for (int i = 0; i + nl <= nu; i++) {     /* initials */
        int k = 0;
        while (k < nl && tok[i + k][0] == letters[k])
            k++;
        if (k == nl) {
            *ret_len = (int)(ustart[i + nl - 1] + ulen[i + nl - 1] - ustart[i]);
            return (int)(ustart[i] - title);
        }
    }
    return -1;
}

/* About SEARCH_SNIPPET_CHARS characters of TEXT around the match at AT (AT < 0: from the
 * start), on one line: line breaks, table bars and heading marks become spaces. */
static char *snippet(const char *text, int at, int len, int *ret_at, int *ret_len)
{
    const char *start = text, *p;
    strbuf sb = {0};
    int chars = 0, space = 0;

    *ret_at = 0;
    *ret_len = 0;
    if (at > 0) {
        /* back SNIPPET_BEFORE characters, not past a line start */
        start = text + at;
        for (int k = 0; k < SNIPPET_BEFORE && start > text && start[-1] != '\n'; k++) {
            start--;
            while (start > text && ((unsigned char)*start & 0xC0) == 0x80)
                start--;
        }
        if (start > text)
            strbuf_adds(&sb, "…");
    }
    int limit = SEARCH_SNIPPET_CHARS;
    for (p = start; *p;) {
        if (at >= 0 && p == text + at) {
            if (space && chars) {
                strbuf_addc(&sb, ' ');
                chars++;
            }
            space = 0;
            *ret_at = (int)sb.len;
        }
        if (at >= 0 && p == text + at + len) {
            *ret_len = (int)sb.len - *ret_at;
            at = -1;
        }
        if (chars >= limit && at < 0)
            break;
        const char *q = p;
        uint32_t c = utf8_next(&q);
        int line_start = p == text || p[-1] == '\n';
        if (c == '\n' || c == '\r' || c == '\t' || c == '|' || c == 0x3000 ||
            (line_start && c == '#' && *q == ' ')) {
            space = 1;
        } else if (c == ' ') {
            space = 1;
        } else {
            if (space && chars) {
                strbuf_addc(&sb, ' ');
                chars++;
            }
            space = 0;
            strbuf_add(&sb, p, (size_t)(q - p));
            chars++;
        }
        p = q;
    }
    if (at >= 0 && p == text + at + len)
        *ret_len = (int)sb.len - *ret_at;
    if (*p)
        strbuf_adds(&sb, "…");
    if (*ret_len <= 0)
        *ret_at = *ret_len = 0;
    return strbuf_detach(&sb);
}

/* ---- running a query ---------------------------------------------------------------- */

/* A tier (title matches, then body matches) is up to two look-ups, merged. */
struct tier {
    int n;
    int stmt[2];
    strbuf match[2];
};

struct plan {
    const char *q;                  /* the normalized query */
    enum search_path path;
    struct tier tier[2];            /* [SEARCH_IN_TITLE], [SEARCH_IN_BODY] */
    char needle[SEARCH_MAX_BYTES + 1];   /* what a highlight looks for */
};

static strbuf *add_lookup(struct tier *t, int stmt, const char *filter)
{
    strbuf *m = &t->match[t->n];
    t->stmt[t->n++] = stmt;
    strbuf_adds(m, filter);
    return m;
}

static void plan_query(struct plan *pl, const char *q)
{
    int han = 0, chars = 0;
    for (const char *p = q; *p; chars++)
        han |= is_han(utf8_next(&p));
    pl->q = q;
    snprintf(pl->needle, sizeof pl->needle, "%s", q);
    if (!*q) {
        pl->path = SEARCH_NOTHING;
    } else if (han && chars >= 3) {
        pl->path = SEARCH_TRIGRAM;
        fts_string(add_lookup(&pl->tier[0], Q_TITLE, ""), q, strlen(q));
        trigram_match(add_lookup(&pl->tier[1], Q_TRIGRAM, ""), q);
    } else if (han) {
        /* one token: the word characters of the query (one or two) */
        char tok[16];
        size_t n = 0;
        for (const char *p = q; *p;) {
            const char *s = p;
            if (is_word(utf8_next(&p)) && n + (size_t)(p - s) < sizeof tok) {
                memcpy(tok + n, s, (size_t)(p - s));
                n += (size_t)(p - s);
            }
        }
        tok[n] = '\0';
        snprintf(pl->needle, sizeof pl->needle, "%s", tok);
        pl->path = SEARCH_GRAM;
        fts_string(add_lookup(&pl->tier[0], Q_GRAM_TITLE, ""), tok, n);
        fts_string(add_lookup(&pl->tier[1], Q_GRAM_BODY, ""), tok, n);
    } else {
        strbuf title = {0}, keywords = {0};
        pl->path = SEARCH_LATIN;
        latin_match(q, &title, &keywords);
        if (title.len)
            strbuf_add(add_lookup(&pl->tier[0], Q_LATIN, ""), title.buf, title.len);
        if (keywords.len)
            strbuf_add(add_lookup(&pl->tier[1], Q_LATIN, ""), keywords.buf, keywords.len);
        if (chars >= 3)
            trigram_match(add_lookup(&pl->tier[1], Q_TRIGRAM, ""), q);
        strbuf_release(&title);
        strbuf_release(&keywords);
    }
}

static void plan_free(struct plan *pl)
{
    for (int t = 0; t < 2; t++)
        for (int i = 0; i < pl->tier[t].n; i++)
            strbuf_release(&pl->tier[t].match[i]);
}

/* How a needle is looked for: as bytes when none of its characters has another case
 * (Chinese), ASCII case-insensitively when it is ASCII (fold changes no other
 * character into ASCII), else code point by code point. */
enum { LOOK_BYTES, LOOK_ASCII, LOOK_FOLD };

static int look_of(const char *q)
{
    int ascii = 1, cased = 0;
    for (const char *p = q; *p;) {
        uint32_t c = utf8_next(&p);
        ascii &= c < 0x80;
        cased |= (c >= 0xC0 && c <= 0x17F) || (c >= 0x370 && c <= 0x4FF) ||
                 (c >= 0xFF21 && c <= 0xFF5A);
    }
    return ascii ? LOOK_ASCII : cased || strpbrk(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                 "abcdefghijklmnopqrstuvwxyz") ? LOOK_FOLD
                                                                               : LOOK_BYTES;
}

/* Whether the LEN bytes at TEXT hold Q (lower-case ASCII) in any case: memchr for
 * both cases of its first byte, then a compare. */
static int ascii_holds(const char *text, size_t len, const char *q)
{
    size_t n = strlen(q);
    const char *end = text + len;
    int lo = (unsigned char)q[0], up = lo >= 'a' && lo <= 'z' ? lo - 32 : lo;
    const char *a = memchr(text, lo, len), *b = up != lo ? memchr(text, up, len) : NULL;

    while (a || b) {
        const char *p = !b || (a && a < b) ? a : b;
        if ((size_t)(end - p) < n)
            return 0;
        if (strncasecmp(p, q, n) == 0)
            return 1;
        if (p == a)
            a = memchr(a + 1, lo, (size_t)(end - a - 1));
        else
            b = memchr(b + 1, up, (size_t)(end - b - 1));
    }
    return 0;
}

/* Whether column I of row B holds Q. */
static int column_holds(sqlite3_stmt *b, int i, const char *q, int look, const uint32_t *needle,
                        int n)
{
    const char *text = (const char *)sqlite3_column_text(b, i);
    if (!text)
        return 0;
    if (look == LOOK_BYTES)
        return strstr(text, q) != NULL;
    if (look == LOOK_ASCII)
        return ascii_holds(text, (size_t)sqlite3_column_bytes(b, i), q);
    return holds(text, needle, n);
}

/* Whether the body of rowid ID (search_text: both languages) holds Q (N folded code
 * points NEEDLE, looked for as LOOK says): 1, 0 or -EIO. */
static int body_holds(search *s, long long id, const char *q, int look,
                      const uint32_t *needle, int n)
{
    sqlite3_stmt *b = s->st[Q_BODY];
    int rc, r = 0;
    sqlite3_bind_int64(b, 1, id);
    if ((rc = sqlite3_step(b)) == SQLITE_ROW)
        /* an ASCII query is in the English body more often: read that first */
        r = column_holds(b, look == LOOK_ASCII, q, look, needle, n) ||
            column_holds(b, look != LOOK_ASCII, q, look, needle, n);
    else if (rc != SQLITE_DONE)
        r = -EIO;
    sqlite3_reset(b);
    return r;
}

/* Adds the N rowids NEW (descending) to the rows that lack query Q, which contains
 * every query they were found lacking before (else those are forgotten first). */
static void reject(struct rejected *rj, const char *q, const long long *new, int n)
{
    long long *merged;
    int i = 0, j = 0, m = 0;

    if (!*rj->q || !strstr(q, rj->q))
        rj->n = 0;
    snprintf(rj->q, sizeof rj->q, "%s", q);
    if (!n)
        return;
    merged = xcalloc(MAX_REJECTED, sizeof *merged);
    while (m < MAX_REJECTED && (i < rj->n || j < n))
        merged[m++] = j >= n || (i < rj->n && rj->ids[i] > new[j]) ? rj->ids[i++] : new[j++];
    memcpy(rj->ids, merged, (size_t)m * sizeof *merged);
    rj->n = m;
    free(merged);
}

/* Up to LIMIT rowids of KIND matching MATCH on statement ST, best first. On the trigram
 * index a row is kept only if its body holds CONFIRM (the query) when that is over 3
 * characters; at most MAX_CHECKED candidates are read, none a look-up for a shorter
 * query found lacking (struct rejected). */
static int fetch(search *s, int st, const char *match, const char *confirm,
                 enum search_kind kind, int limit, long long *ids, int *n)
{
    sqlite3_stmt *q = s->st[st];
    uint32_t needle[SEARCH_MAX_QUERY];
    long long lacking[MAX_CHECKED];
    struct rejected *rj = &s->rej;
    int rc = SQLITE_DONE, r = 0, nn = 0, checked = 0, nlack = 0, k = 0;
    int look = look_of(confirm ? confirm : "");

    for (const char *p = st == Q_TRIGRAM && confirm ? confirm : ""; *p && nn < SEARCH_MAX_QUERY;)
        needle[nn++] = fold(utf8_next(&p));
    if (nn > 3 && (!*rj->q || !strstr(confirm, rj->q))) {
        rj->n = 0;
        rj->q[0] = '\0';
    }
    *n = 0;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, kind == SEARCH_DOC ? SEARCH_ROWID_DOC : 1);
    sqlite3_bind_int64(q, 3, kind == SEARCH_DOC ? INT64_MAX : SEARCH_ROWID_DOC - 1);
    sqlite3_bind_int(q, 4, nn > 3 ? -1 : limit);
    while (*n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(q, 0);
        if (nn > 3) {
            while (k < rj->n && rj->ids[k] > id)
                k++;
            if (k < rj->n && rj->ids[k] == id)
                continue;
            if (checked++ == s->max_checked) {
                s->capped = 1;  /* rows may match beyond it: the group says "more" */
                break;
            }
            int h = body_holds(s, id, confirm, look, needle, nn);
            if (h < 0) {
                r = h;
                break;
            }
            if (!h) {
                lacking[nlack++] = id;
                continue;
            }
        }
        ids[(*n)++] = id;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (nn > 3 && r == 0)
        reject(rj, confirm, lacking, nlack);
    if (r < 0)
        return r;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

int search_body_rowids(search *s, const char *query, enum search_kind kind, int limit,
                       long long *ids)
{
    char q[SEARCH_MAX_BYTES + 1];
    strbuf m = {0};
    int n = 0, r;

    if (search_normalize(query, q, sizeof q) < 0 || !*q)
        return 0;
    trigram_match(&m, q);
    r = fetch(s, Q_TRIGRAM, m.buf, q, kind, limit, ids, &n);
    strbuf_release(&m);
    return r < 0 ? r : n;
}

static char *text_of(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return xstrdup(t ? (const char *)t : "");
}

/* Fills HIT for rowid ID: title and snippet in LANG, highlights. */
static int make_hit(search *s, const struct plan *pl, long long id, enum search_kind kind,
                    enum search_in in, kiosk_lang lang, struct search_hit *hit)
{
    sqlite3_stmt *row = s->st[kind == SEARCH_DOC ? Q_DOC : Q_SERVICE];
    char *title[LANG_COUNT] = {0}, *pinyin = NULL, *summary[LANG_COUNT] = {0};
    kiosk_lang other = lang == LANG_ZH ? LANG_EN : LANG_ZH;
    int r = -EIO, at[LANG_COUNT], len[LANG_COUNT] = {0, 0};

    memset(hit, 0, sizeof *hit);
    sqlite3_bind_int64(row, 1, id);
    if (sqlite3_step(row) != SQLITE_ROW)
        goto out;
    hit->id = text_of(row, 0);
    title[LANG_ZH] = text_of(row, 1);
    title[LANG_EN] = text_of(row, 2);
    summary[LANG_ZH] = text_of(row, 3);
    summary[LANG_EN] = text_of(row, 4);
    hit->published = text_of(row, 5);
    hit->validity = text_of(row, 6);
    hit->in = in;

    /* where the query is in each title */
    for (int l = 0; l < LANG_COUNT; l++) {
        at[l] = find(title[l], pl->needle, pl->path == SEARCH_LATIN && l == LANG_EN);
        if (at[l] >= 0)
            len[l] = (int)strlen(pl->needle);
    }
    if (pl->path == SEARCH_LATIN && at[LANG_ZH] < 0) {
        sqlite3_stmt *py = s->st[kind == SEARCH_DOC ? Q_DOC_PINYIN : Q_SERVICE_PINYIN];
        sqlite3_bind_int64(py, 1, id);
        if (sqlite3_step(py) != SQLITE_ROW) {
            sqlite3_reset(py);
            goto out;
        }
        pinyin = text_of(py, 0);
        sqlite3_reset(py);
        at[LANG_ZH] = find_pinyin(title[LANG_ZH], pinyin, pl->q, &len[LANG_ZH]);
    }
    for (int l = 0; l < LANG_COUNT; l++)
        if (at[l] < 0)
            len[l] = 0;
    hit->title = title[lang];
    title[lang] = NULL;
    hit->title_at = len[lang] ? at[lang] : 0;
    hit->title_len = len[lang];

    if (in == SEARCH_IN_BODY) {
        sqlite3_stmt *b = s->st[Q_BODY];
        sqlite3_bind_int64(b, 1, id);
        if (sqlite3_step(b) == SQLITE_ROW) {
            const char *body[LANG_COUNT] = {(const char *)sqlite3_column_text(b, 0),
                                            (const char *)sqlite3_column_text(b, 1)};
            int bat = find(body[lang], pl->needle, 0);
            kiosk_lang bl = lang;
            if (bat < 0 && (bat = find(body[other], pl->needle, 0)) >= 0)
                bl = other;
            if (bat >= 0)
                hit->snippet = snippet(body[bl], bat, (int)strlen(pl->needle),
                                       &hit->snippet_at, &hit->snippet_len);
        }
        sqlite3_reset(b);
    } else if (!len[lang] && len[other]) {
        hit->snippet = snippet(title[other], at[other], len[other], &hit->snippet_at,
                               &hit->snippet_len);
    }
    if (!hit->snippet) {
        int sat = find(summary[lang], pl->needle, 0);
        hit->snippet = snippet(summary[lang], sat, sat >= 0 ? (int)strlen(pl->needle) : 0,
                               &hit->snippet_at, &hit->snippet_len);
    }
    r = 0;
out:
    sqlite3_reset(row);
    for (int l = 0; l < LANG_COUNT; l++) {
        free(title[l]);
        free(summary[l]);
    }
    free(pinyin);
    return r;
}

static void hit_free(struct search_hit *h)
{
    free(h->id);
    free(h->title);
    free(h->snippet);
    free(h->published);
    free(h->validity);
}

/* The rowids of tier T, best first, merged from its look-ups; at most LIMIT. */
static int fetch_tier(search *s, const struct tier *t, const char *q, enum search_kind kind,
                      int limit, long long *ids, int *n)
{
    long long a[2 * SEARCH_MAX_PER_GROUP + 2], b[2 * SEARCH_MAX_PER_GROUP + 2];
    int na = 0, nb = 0, r = 0;

    *n = 0;
    if (t->n > 0)
        r = fetch(s, t->stmt[0], t->match[0].buf, q, kind, limit, a, &na);
    if (!r && t->n > 1)
        r = fetch(s, t->stmt[1], t->match[1].buf, q, kind, limit, b, &nb);
    for (int i = 0, j = 0; !r && *n < limit && (i < na || j < nb);) {
        long long v = j >= nb || (i < na && a[i] >= b[j]) ? a[i++] : b[j++];
        if (!*n || ids[*n - 1] != v)
            ids[(*n)++] = v;
    }
    return r;
}

static int run_kind(search *s, const struct plan *pl, enum search_kind kind, kiosk_lang lang,
                    int per_group, struct search_group *g)
{
    long long ids[2 * SEARCH_MAX_PER_GROUP + 2], more_ids[2 * SEARCH_MAX_PER_GROUP + 2];
    enum search_in in[2 * SEARCH_MAX_PER_GROUP + 2];
    int n = 0, m = 0, r = 0;

    memset(g, 0, sizeof *g);
    g->kind = kind;
    s->capped = 0;
    r = fetch_tier(s, &pl->tier[SEARCH_IN_TITLE], pl->q, kind, per_group + 1, ids, &n);
    for (int i = 0; i < n; i++)
        in[i] = SEARCH_IN_TITLE;
    if (!r && n <= per_group) {
        r = fetch_tier(s, &pl->tier[SEARCH_IN_BODY], pl->q, kind, per_group + 1 + n, more_ids, &m);
        for (int i = 0; i < m && n <= per_group; i++) {
            int dup = 0;
            for (int j = 0; j < n && !dup; j++)
                dup = ids[j] == more_ids[i];
            if (!dup) {
                in[n] = SEARCH_IN_BODY;
                ids[n++] = more_ids[i];
            }
        }
    }
    if (r < 0)
        return r;
    g->more = n > per_group || s->capped;
    n = MIN(n, per_group);
    g->hits = n ? xcalloc((size_t)n, sizeof *g->hits) : NULL;
    for (int i = 0; i < n && !r; i++) {
        r = make_hit(s, pl, ids[i], kind, in[i], lang, &g->hits[g->n]);
        if (r < 0)
            hit_free(&g->hits[g->n]);
        else
            g->n++;
    }
    return r;
}

void search_result_free(struct search_result *res)
{
    for (int k = 0; k < res->n_groups; k++) {
        for (int i = 0; i < res->groups[k].n; i++)
            hit_free(&res->groups[k].hits[i]);
        freep(&res->groups[k].hits);
        res->groups[k].n = 0;
    }
    res->n_groups = 0;
}

int search_run(search *s, const char *query, kiosk_lang lang, int per_group,
               struct search_result *ret)
{
    char q[SEARCH_MAX_BYTES + 1];
    struct plan pl = {0};
    struct search_result res = {0};
    int r = 0;

    if (search_normalize(query, q, sizeof q) < 0)
        q[0] = '\0';
    per_group = CLAMP(per_group, 1, SEARCH_MAX_PER_GROUP);
    plan_query(&pl, q);
    res.path = pl.path;
    int any = pl.tier[0].n || pl.tier[1].n;
    for (int k = 0; any && k < SEARCH_KIND_COUNT && !r; k++) {
        struct search_group g;
        r = run_kind(s, &pl, (enum search_kind)k, lang, per_group, &g);
        if (g.n)
            res.groups[res.n_groups++] = g;
        else
            free(g.hits);
        if (r < 0)
            break;
    }
    plan_free(&pl);
    if (r < 0) {
        search_result_free(&res);
        return r;
    }
    *ret = res;
    return 0;
}
