/* gen_strings.c - build-time tool: firmware/strings.tsv (key TAB zh TAB en, '#'
 * comments) -> a C file with the key-sorted table that core/i18n.c searches.
 * Any malformed line fails the build naming the file, the line and the cause. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
    char *key, *zh, *en;
};

static int cmp(const void *a, const void *b)
{
    return strcmp(((const struct row *)a)->key, ((const struct row *)b)->key);
}

static void emit(FILE *o, const char *s)
{
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(o, "\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", o);
        else
            fputc(*s, o);
    }
    fputc('"', o);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_strings IN.tsv OUT.c\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    struct row *rows = NULL;
    size_t n = 0, cap = 0, lineno = 0;
    char line[8192];
    while (fgets(line, sizeof line, in)) {
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *k = line, *zh = strchr(k, '\t'), *en = zh ? strchr(zh + 1, '\t') : NULL;
        if (!zh || !en || strchr(en + 1, '\t')) {
            fprintf(stderr, "%s:%zu: expected key<TAB>zh<TAB>en\n", argv[1], lineno);
            return 1;
        }
        *zh++ = '\0';
        *en++ = '\0';
        if (!*k || !*zh || !*en) {
            fprintf(stderr, "%s:%zu: %s: empty field\n", argv[1], lineno, *k ? k : "key");
            return 1;
        }
        /* "\n" in the table stands for a line break */
        for (char *f = zh; f; f = (f == zh ? en : NULL))
            for (char *p = f; (p = strstr(p, "\\n")); p++) {
                *p = '\n';
                memmove(p + 1, p + 2, strlen(p + 2) + 1);
            }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            rows = realloc(rows, cap * sizeof *rows);
            if (!rows)
                return 1;
        }
        rows[n].key = strdup(k);
        rows[n].zh = strdup(zh);
        rows[n].en = strdup(en);
        n++;
    }
    fclose(in);
    qsort(rows, n, sizeof *rows, cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(rows[i - 1].key, rows[i].key) == 0) {
            fprintf(stderr, "%s: %s: duplicate key\n", argv[1], rows[i].key);
            return 1;
        }
    FILE *o = fopen(argv[2], "w");
    if (!o) {
        perror(argv[2]);
        return 1;
    }
    fprintf(o, "/* generated from strings.tsv by gen_strings; do not edit */\n"
               "#include <stddef.h>\n"
               "struct i18n_entry { const char *key; const char *text[2]; };\n"
               "const struct i18n_entry i18n_table[] = {\n");
    for (size_t i = 0; i < n; i++) {
        fputs("  {", o);
        emit(o, rows[i].key);
        fputs(", {", o);
        emit(o, rows[i].zh);
        fputs(", ", o);
        emit(o, rows[i].en);
        fputs("}},\n", o);
        free(rows[i].key);
        free(rows[i].zh);
        free(rows[i].en);
    }
    fprintf(o, "  {NULL, {NULL, NULL}}\n};\nconst size_t i18n_table_len = %zu;\n", n);
    free(rows);
    return fclose(o) == 0 ? 0 : 1;
}
