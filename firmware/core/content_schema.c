/* content_schema.c - see content_schema.h. Column suffixes _zh and _en hold the two
 * languages of every visitor-facing text; the store picks one by the current language. */
#include "content_schema.h"

const char content_schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    /* hall: exactly one row */
    "CREATE TABLE hall(name_zh TEXT NOT NULL, name_en TEXT NOT NULL,"
    " address_zh TEXT NOT NULL, address_en TEXT NOT NULL, hours_zh TEXT NOT NULL,"
    " hours_en TEXT NOT NULL, inquiry_zh TEXT NOT NULL, inquiry_en TEXT NOT NULL,"
    " phone TEXT NOT NULL, region TEXT NOT NULL, map_image TEXT NOT NULL,"
    " inquiry_window TEXT NOT NULL DEFAULT '');\n"
    /* one map per floor; hall.map_image is kept as floor 1's (older content) */
    "CREATE TABLE hall_floor(floor INTEGER PRIMARY KEY, map_image TEXT NOT NULL);\n"
    /* the government's official accounts and hotlines, in order: a QR code (url) and/or a
     * number to call (phone), either may be '' */
    "CREATE TABLE hall_channel(seq INTEGER PRIMARY KEY, name_zh TEXT NOT NULL,"
    " name_en TEXT NOT NULL, url TEXT NOT NULL, phone TEXT NOT NULL);\n"
    "CREATE TABLE hall_window(id TEXT PRIMARY KEY, name_zh TEXT NOT NULL,"
    " name_en TEXT NOT NULL, floor INTEGER NOT NULL, x REAL NOT NULL, y REAL NOT NULL);\n"
    "CREATE TABLE image(name TEXT PRIMARY KEY, data BLOB NOT NULL);\n"
    "CREATE TABLE agency(id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,"
    " short_zh TEXT NOT NULL, short_en TEXT NOT NULL, address_zh TEXT NOT NULL,"
    " address_en TEXT NOT NULL, hours_zh TEXT NOT NULL, hours_en TEXT NOT NULL,"
    " phone TEXT NOT NULL, website TEXT NOT NULL, sort INTEGER NOT NULL);\n"
    /* kind: life_event | department | audience; department rows mirror agencies */
    "CREATE TABLE category(id TEXT PRIMARY KEY, kind TEXT NOT NULL, name_zh TEXT NOT NULL,"
    " name_en TEXT NOT NULL, icon TEXT NOT NULL, sort INTEGER NOT NULL);\n"
    "CREATE TABLE service(id TEXT PRIMARY KEY, code TEXT NOT NULL, type TEXT NOT NULL,"
    " agency_id TEXT NOT NULL REFERENCES agency(id),"
    " name_zh TEXT NOT NULL, name_en TEXT NOT NULL, summary_zh TEXT NOT NULL,"
    " summary_en TEXT NOT NULL, conditions_zh TEXT NOT NULL, conditions_en TEXT NOT NULL,"
    " serves_zh TEXT NOT NULL, serves_en TEXT NOT NULL, handling TEXT NOT NULL,"
    " statutory_value INTEGER NOT NULL, statutory_unit TEXT NOT NULL,"
    " promised_value INTEGER NOT NULL, promised_unit TEXT NOT NULL,"
    " visits INTEGER NOT NULL, online_depth TEXT NOT NULL, online_url TEXT NOT NULL,"
    " guide_url TEXT NOT NULL, appointment INTEGER NOT NULL,"
    " window_id TEXT NOT NULL REFERENCES hall_window(id),"
    " location_zh TEXT NOT NULL, location_en TEXT NOT NULL, hours_zh TEXT NOT NULL,"
    " hours_en TEXT NOT NULL, phone_consult TEXT NOT NULL, phone_complaint TEXT NOT NULL,"
    " free INTEGER NOT NULL, legal_basis_zh TEXT NOT NULL, legal_basis_en TEXT NOT NULL,"
    " pinyin TEXT NOT NULL DEFAULT '', initials TEXT NOT NULL DEFAULT '');\n"
    "CREATE TABLE service_category(service_id TEXT NOT NULL REFERENCES service(id),"
    " category_id TEXT NOT NULL REFERENCES category(id),"
    " PRIMARY KEY(category_id, service_id)) WITHOUT ROWID;\n"
    "CREATE TABLE material(service_id TEXT NOT NULL REFERENCES service(id),"
    " seq INTEGER NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,"
    " required TEXT NOT NULL, condition_zh TEXT NOT NULL, condition_en TEXT NOT NULL,"
    " form TEXT NOT NULL, copies INTEGER NOT NULL, paper TEXT NOT NULL,"
    " source_zh TEXT NOT NULL, source_en TEXT NOT NULL, blank_url TEXT NOT NULL,"
    " sample_url TEXT NOT NULL, PRIMARY KEY(service_id, seq)) WITHOUT ROWID;\n"
    "CREATE TABLE step(service_id TEXT NOT NULL REFERENCES service(id),"
    " seq INTEGER NOT NULL, title_zh TEXT NOT NULL, title_en TEXT NOT NULL,"
    " text_zh TEXT NOT NULL, text_en TEXT NOT NULL, kind TEXT NOT NULL,"
    " PRIMARY KEY(service_id, seq)) WITHOUT ROWID;\n"
    "CREATE TABLE fee(service_id TEXT NOT NULL REFERENCES service(id),"
    " seq INTEGER NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,"
    " standard_zh TEXT NOT NULL, standard_en TEXT NOT NULL, basis_zh TEXT NOT NULL,"
    " basis_en TEXT NOT NULL, waivable INTEGER NOT NULL,"
    " PRIMARY KEY(service_id, seq)) WITHOUT ROWID;\n"
    "CREATE TABLE faq(service_id TEXT NOT NULL REFERENCES service(id),"
    " seq INTEGER NOT NULL, q_zh TEXT NOT NULL, q_en TEXT NOT NULL, a_zh TEXT NOT NULL,"
    " a_en TEXT NOT NULL, PRIMARY KEY(service_id, seq)) WITHOUT ROWID;\n"
    "CREATE TABLE onething(id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,"
    " summary_zh TEXT NOT NULL, summary_en TEXT NOT NULL, image TEXT NOT NULL,"
    " url TEXT NOT NULL, sort INTEGER NOT NULL);\n"
    "CREATE TABLE onething_step(onething_id TEXT NOT NULL REFERENCES onething(id),"
    " seq INTEGER NOT NULL, service_id TEXT NOT NULL REFERENCES service(id),"
    " note_zh TEXT NOT NULL, note_en TEXT NOT NULL, image TEXT NOT NULL,"
    " PRIMARY KEY(onething_id, seq)) WITHOUT ROWID;\n"
    "CREATE TABLE doc_topic(id TEXT PRIMARY KEY, name_zh TEXT NOT NULL,"
    " name_en TEXT NOT NULL, sort INTEGER NOT NULL);\n"
    /* kind: normal | guide | annual_report | interpretation;
     * validity: in_force | expired | repealed | amended */
    "CREATE TABLE doc(id TEXT PRIMARY KEY, index_no TEXT NOT NULL, title_zh TEXT NOT NULL,"
    " title_en TEXT NOT NULL, summary_zh TEXT NOT NULL, summary_en TEXT NOT NULL,"
    " agency_id TEXT NOT NULL REFERENCES agency(id), doc_no_zh TEXT NOT NULL,"
    " doc_no_en TEXT NOT NULL, written TEXT NOT NULL, published TEXT NOT NULL,"
    " topic_id TEXT NOT NULL REFERENCES doc_topic(id), validity TEXT NOT NULL,"
    " keywords_zh TEXT NOT NULL, keywords_en TEXT NOT NULL, kind TEXT NOT NULL,"
    " interprets TEXT NOT NULL, body_zh TEXT NOT NULL, body_en TEXT NOT NULL,"
    " pinyin TEXT NOT NULL DEFAULT '', initials TEXT NOT NULL DEFAULT '');\n"
    "CREATE INDEX doc_by_topic ON doc(topic_id, published DESC);\n"
    "CREATE INDEX doc_by_agency ON doc(agency_id, published DESC);\n"
    "CREATE TABLE attachment(doc_id TEXT NOT NULL REFERENCES doc(id), seq INTEGER NOT NULL,"
    " name_zh TEXT NOT NULL, name_en TEXT NOT NULL, url TEXT NOT NULL, size TEXT NOT NULL,"
    " PRIMARY KEY(doc_id, seq)) WITHOUT ROWID;\n"
    /* a notice: shown from starts to ends inclusive (the kiosk's local date);
     * priority: normal | urgent (a banner on every screen) */
    "CREATE TABLE announcement(id TEXT PRIMARY KEY, title_zh TEXT NOT NULL,"
    " title_en TEXT NOT NULL, body_zh TEXT NOT NULL, body_en TEXT NOT NULL,"
    " starts TEXT NOT NULL, ends TEXT NOT NULL, sort INTEGER NOT NULL,"
    " published TEXT NOT NULL DEFAULT '', agency_id TEXT NOT NULL DEFAULT '',"
    " priority TEXT NOT NULL DEFAULT 'normal');\n"
    /* public comment on drafts (docs/content-format.md, "consultations/<id>.json"):
     * opens and closes are the first and last days of the comment period;
     * feedback_published is '' until the agency publishes how comments were taken up */
    "CREATE TABLE consultation(id TEXT PRIMARY KEY, title_zh TEXT NOT NULL,"
    " title_en TEXT NOT NULL, agency_id TEXT NOT NULL REFERENCES agency(id),"
    " opens TEXT NOT NULL, closes TEXT NOT NULL, draft_zh TEXT NOT NULL,"
    " draft_en TEXT NOT NULL, explanation_zh TEXT NOT NULL, explanation_en TEXT NOT NULL,"
    " feedback_published TEXT NOT NULL, feedback_summary_zh TEXT NOT NULL,"
    " feedback_summary_en TEXT NOT NULL);\n"
    "CREATE TABLE consultation_question(consultation_id TEXT NOT NULL"
    " REFERENCES consultation(id), seq INTEGER NOT NULL, text_zh TEXT NOT NULL,"
    " text_en TEXT NOT NULL, PRIMARY KEY(consultation_id, seq)) WITHOUT ROWID;\n"
    /* outcome: adopted | partly | not_adopted */
    "CREATE TABLE consultation_point(consultation_id TEXT NOT NULL"
    " REFERENCES consultation(id), seq INTEGER NOT NULL, point_zh TEXT NOT NULL,"
    " point_en TEXT NOT NULL, outcome TEXT NOT NULL, reason_zh TEXT NOT NULL,"
    " reason_en TEXT NOT NULL, PRIMARY KEY(consultation_id, seq)) WITHOUT ROWID;\n"
    /* years a region's calendar covers; a date outside them is an estimate */
    "CREATE TABLE calendar_year(region TEXT NOT NULL, year INTEGER NOT NULL,"
    " source TEXT NOT NULL, PRIMARY KEY(region, year)) WITHOUT ROWID;\n"
    /* kind: holiday | workday (a make-up working day) */
    "CREATE TABLE calendar_day(region TEXT NOT NULL, date TEXT NOT NULL,"
    " kind TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,"
    " PRIMARY KEY(region, date)) WITHOUT ROWID;\n"
    /* forms (docs/content-format.md, "forms/<id>.json"): kind is request | feedback |
     * rating | questionnaire | comment. A condition is three columns: *_field (the field it
     * reads; '' for none), *_op ('in' | 'not_in'), *_values (choice ids joined by ','). */
    "CREATE TABLE form(id TEXT PRIMARY KEY, kind TEXT NOT NULL, title_zh TEXT NOT NULL,"
    " title_en TEXT NOT NULL, intro_zh TEXT NOT NULL, intro_en TEXT NOT NULL,"
    " privacy_zh TEXT NOT NULL, privacy_en TEXT NOT NULL, staff_help TEXT NOT NULL,"
    " follow_up_field TEXT NOT NULL, follow_up_op TEXT NOT NULL,"
    " follow_up_values TEXT NOT NULL, sort INTEGER NOT NULL);\n"
    "CREATE TABLE form_step(form_id TEXT NOT NULL REFERENCES form(id), seq INTEGER NOT NULL,"
    " id TEXT NOT NULL, title_zh TEXT NOT NULL, title_en TEXT NOT NULL,"
    " PRIMARY KEY(form_id, seq)) WITHOUT ROWID;\n"
    /* seq numbers the fields of the whole form in order; step is form_step.seq;
     * required: 'yes' | 'no' | 'if' (then required_* is the condition); one_of: the
     * at-least-one group the field belongs to, -1 for none */
    "CREATE TABLE form_field(form_id TEXT NOT NULL REFERENCES form(id), seq INTEGER NOT NULL,"
    " step INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, label_zh TEXT NOT NULL,"
    " label_en TEXT NOT NULL, help_zh TEXT NOT NULL, help_en TEXT NOT NULL,"
    " required TEXT NOT NULL, required_field TEXT NOT NULL, required_op TEXT NOT NULL,"
    " required_values TEXT NOT NULL, visible_field TEXT NOT NULL, visible_op TEXT NOT NULL,"
    " visible_values TEXT NOT NULL, max_len INTEGER NOT NULL, keyboard TEXT NOT NULL,"
    " pii INTEGER NOT NULL, id_type_field TEXT NOT NULL, one_of INTEGER NOT NULL,"
    " PRIMARY KEY(form_id, seq)) WITHOUT ROWID;\n"
    /* id_format: for the choices of an id_number field's document-type field:
     * resident_id | residence_permit | foreign_pr | passport; '' otherwise */
    "CREATE TABLE form_choice(form_id TEXT NOT NULL REFERENCES form(id),"
    " field_seq INTEGER NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL,"
    " label_zh TEXT NOT NULL, label_en TEXT NOT NULL, id_format TEXT NOT NULL,"
    " PRIMARY KEY(form_id, field_seq, seq)) WITHOUT ROWID;\n"
    /* what a rowid is: one row per service (kind 'service') or doc (kind 'doc'); ref is
     * its id. The rowids rank (core/search.h): services from 1 up, documents from 2^30
     * up. */
    "CREATE TABLE search_ref(rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " ref TEXT NOT NULL);\n"
    /* the text search indexes, made from the tables where it is stored once: a
     * service is found by its name, summary, conditions and materials; a document by
     * its title, summary, keywords and body */
    "CREATE VIEW search_text(rid, kind, ref, title_zh, title_en, body_zh, body_en) AS"
    " SELECT r.rowid, r.kind, r.ref, s.name_zh, s.name_en,"
    "  s.summary_zh || char(10) || s.conditions_zh || coalesce(char(10) ||"
    "   (SELECT group_concat(name_zh, char(10)) FROM (SELECT m.name_zh FROM material m"
    "    WHERE m.service_id = s.id ORDER BY m.seq)), ''),"
    "  s.summary_en || char(10) || s.conditions_en || coalesce(char(10) ||"
    "   (SELECT group_concat(name_en, char(10)) FROM (SELECT m.name_en FROM material m"
    "    WHERE m.service_id = s.id ORDER BY m.seq)), '')"
    " FROM search_ref r JOIN service s ON r.kind = 'service' AND s.id = r.ref"
    " UNION ALL"
    " SELECT r.rowid, r.kind, r.ref, d.title_zh, d.title_en,"
    "  d.summary_zh || char(10) || d.keywords_zh || char(10) || d.body_zh,"
    "  d.summary_en || char(10) || d.keywords_en || char(10) || d.body_en"
    " FROM search_ref r JOIN doc d ON r.kind = 'doc' AND d.id = r.ref;\n"
    /* The trigram index of bodies serves queries of 3+ characters. External content:
     * it keeps no copy of the text; a column it returns is read from search_text.
     * detail=none: it keeps which rows have a trigram, not where, a seventh of the
     * positions' size; core/search.c confirms a longer query in the text. */
    "CREATE VIRTUAL TABLE search USING fts5(kind UNINDEXED, ref UNINDEXED,"
    " body_zh, body_en, content='search_text', content_rowid='rid', detail='none',"
    " columnsize=0, tokenize='trigram');\n"
    /* The other search tables share search's rowids and keep titles apart from
     * bodies, so that a title look-up never wades through body postings.
     * search_title: the titles again, for the title matches of 3+ characters. */
    "CREATE VIRTUAL TABLE search_title USING fts5(title_zh, title_en, content='',"
    " tokenize='trigram');\n"
    /* 1- and 2-character queries: each word character of the zh title (body), and
     * each pair of neighbours, is a token (search_grams) */
    "CREATE VIRTUAL TABLE search_gram_title USING fts5(grams, content='', detail='none',"
    " tokenize='unicode61 remove_diacritics 2');\n"
    "CREATE VIRTUAL TABLE search_gram_body USING fts5(grams, content='', detail='none',"
    " tokenize='unicode61 remove_diacritics 2');\n"
    /* Latin queries: English title words, pinyin syllables of the zh title
     * (service.pinyin, "she hui bao xian") and its initials one token each ("s h b x");
     * kpy, kini: the same of a document's zh keywords */
    "CREATE VIRTUAL TABLE search_latin USING fts5(en, py, ini, kpy, kini, content='',"
    " prefix='1 2 3 4 5 6', tokenize='unicode61 remove_diacritics 2');\n"
    /* the catalogue by year, newest first; a policy's interpretations */
    "CREATE INDEX doc_by_published ON doc(published DESC);\n"
    "CREATE INDEX doc_by_interprets ON doc(interprets) WHERE interprets <> '';\n";
