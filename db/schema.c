/* The schema, as versioned migrations.  Version n is db_migrations[n - 1],
 * applied once, in its own transaction, by db_open().  Never edit a landed
 * migration: add the next one (and a test that upgrades to it).
 *
 * Keys (db/db.h): handheld-made records have UUID text keys; registry records
 * keep their natural keys.  Times are UTC text "YYYY-MM-DDTHH:MM:SSZ", dates
 * "YYYY-MM-DD"; masses INTEGER µg; money INTEGER 分; no REAL anywhere. */
#include "db/internal.h"

static const char *const migration_1[] = {
    /* Key/value settings: device_id (made on creation), rules file, ... */
    "CREATE TABLE settings ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");",

    /* Markets (农贸市场).  organiser: 市场开办者, who must keep a fair scale. */
    "CREATE TABLE markets ("
    "  code      TEXT PRIMARY KEY,"
    "  name      TEXT NOT NULL,"
    "  district  TEXT NOT NULL DEFAULT '',"
    "  address   TEXT NOT NULL DEFAULT '',"
    "  organiser TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL"
    ");",

    /* Stall operators; licence is the 18-char unified social credit code
     * (统一社会信用代码, GB 32100-2015), check digit validated on import. */
    "CREATE TABLE operators ("
    "  licence TEXT PRIMARY KEY CHECK (length(licence) = 18),"
    "  name    TEXT NOT NULL,"
    "  phone   TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL"
    ");",

    /* Stalls (摊位).  category: a stable id (vegetables, meat, ...; see
     * db/registry.h).  active = 0 when the stall has closed (kept for
     * history). */
    "CREATE TABLE stalls ("
    "  code     TEXT PRIMARY KEY,"
    "  market   TEXT NOT NULL REFERENCES markets (code),"
    "  name     TEXT NOT NULL DEFAULT '',"
    "  category TEXT NOT NULL,"
    "  operator TEXT REFERENCES operators (licence),"
    "  active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX stalls_by_market ON stalls (market, code);"
    "CREATE INDEX stalls_by_operator ON stalls (operator);",

    /* Measuring instruments.  kind: price-computing (电子计价秤), platform
     * (台秤), fair (公平秤), reference (the officer's or market's reference
     * scale), meter.  class: I, II, III, IIII (OIML R76) or '' for a meter.
     * max/min/e/d in µg (0 for a meter).  A stall's own instrument has
     * stall set; a market's fair or reference scale has only market. */
    "CREATE TABLE instruments ("
    "  code      TEXT PRIMARY KEY,"
    "  kind      TEXT NOT NULL CHECK (kind IN ('price-computing', 'platform', 'fair',"
    "                                          'reference', 'meter')),"
    "  market    TEXT NOT NULL REFERENCES markets (code),"
    "  stall     TEXT REFERENCES stalls (code),"
    "  maker     TEXT NOT NULL DEFAULT '',"
    "  model     TEXT NOT NULL DEFAULT '',"
    "  serial    TEXT NOT NULL DEFAULT '',"
    "  class     TEXT NOT NULL DEFAULT '' CHECK (class IN ('', 'I', 'II', 'III', 'IIII')),"
    "  max_ug    INTEGER NOT NULL DEFAULT 0 CHECK (max_ug >= 0),"
    "  min_ug    INTEGER NOT NULL DEFAULT 0 CHECK (min_ug >= 0),"
    "  e_ug      INTEGER NOT NULL DEFAULT 0 CHECK (e_ug >= 0),"
    "  d_ug      INTEGER NOT NULL DEFAULT 0 CHECK (d_ug >= 0),"
    "  mark_no   TEXT NOT NULL DEFAULT '',"   /* 检定合格标志 number */
    "  seal_no   TEXT NOT NULL DEFAULT '',"   /* 封印 number */
    "  last_verified TEXT,"                   /* date */
    "  due       TEXT,"                       /* date the next verification is due */
    "  protocol  TEXT NOT NULL DEFAULT '',"   /* driver name, devices/ */
    "  conn      TEXT NOT NULL DEFAULT '',"   /* sigrok-style connection string */
    "  active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX instruments_by_stall ON instruments (stall) WHERE stall IS NOT NULL;"
    "CREATE INDEX instruments_by_market ON instruments (market, kind);"
    "CREATE INDEX instruments_by_due ON instruments (due);",

    /* Reference weight sets (砝码) with their OIML R111 class (E1 .. M3),
     * and the nominal weights each holds (count of each; error_ug is the
     * calibration certificate's conventional-mass error, when known). */
    "CREATE TABLE weight_sets ("
    "  code      TEXT PRIMARY KEY,"
    "  name      TEXT NOT NULL DEFAULT '',"
    "  class     TEXT NOT NULL CHECK (class IN ('E1', 'E2', 'F1', 'F2', 'M1', 'M12',"
    "                                           'M2', 'M23', 'M3')),"
    "  market    TEXT REFERENCES markets (code),"
    "  certificate_no TEXT NOT NULL DEFAULT '',"
    "  calibration_due TEXT,"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE TABLE weight_set_items ("
    "  weight_set TEXT NOT NULL REFERENCES weight_sets (code) ON DELETE CASCADE,"
    "  nominal_ug INTEGER NOT NULL CHECK (nominal_ug > 0),"
    "  count      INTEGER NOT NULL DEFAULT 1 CHECK (count > 0),"
    "  error_ug   INTEGER,"
    "  PRIMARY KEY (weight_set, nominal_ug)"
    ") WITHOUT ROWID;",

    /* Officers.  pin_hash: Argon2id string from crypto_pwhash_str.  market:
     * the market a manager belongs to.  failed_pins / locked_until: sign-in
     * lockout after repeated wrong PINs. */
    "CREATE TABLE officers ("
    "  badge     TEXT PRIMARY KEY,"
    "  name      TEXT NOT NULL,"
    "  role      TEXT NOT NULL CHECK (role IN ('officer', 'metrology', 'manager', 'admin')),"
    "  pin_hash  TEXT NOT NULL,"
    "  market    TEXT REFERENCES markets (code),"
    "  failed_pins INTEGER NOT NULL DEFAULT 0,"
    "  locked_until TEXT,"
    "  active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  updated_at TEXT NOT NULL,"
    "  CHECK (role = 'manager' OR market IS NULL)"
    ");"
    /* Conflicts of interest: the draw skips an officer for these markets
     * (双随机: 回避). */
    "CREATE TABLE officer_recusals ("
    "  badge  TEXT NOT NULL REFERENCES officers (badge) ON DELETE CASCADE,"
    "  market TEXT NOT NULL REFERENCES markets (code),"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (badge, market)"
    ") WITHOUT ROWID;",

    /* The random draw (双随机、一公开): seed (hex) and inputs (canonical JSON:
     * market, pool, counts, date) let anyone replay it; result is the
     * canonical JSON of what it drew.  The drawn stalls and officers are
     * also rows, for queries. */
    "CREATE TABLE draws ("
    "  id        TEXT PRIMARY KEY,"
    "  made_at   TEXT NOT NULL,"
    "  made_by   TEXT REFERENCES officers (badge),"
    "  market    TEXT REFERENCES markets (code),"
    "  seed      TEXT NOT NULL,"
    "  inputs    TEXT NOT NULL,"
    "  result    TEXT NOT NULL,"
    "  device    TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE TABLE draw_stalls ("
    "  draw  TEXT NOT NULL REFERENCES draws (id) ON DELETE CASCADE,"
    "  seq   INTEGER NOT NULL,"
    "  stall TEXT NOT NULL REFERENCES stalls (code),"
    "  followup INTEGER NOT NULL DEFAULT 0," /* added for a 限期整改 follow-up */
    "  PRIMARY KEY (draw, seq)"
    ") WITHOUT ROWID;"
    "CREATE TABLE draw_officers ("
    "  draw  TEXT NOT NULL REFERENCES draws (id) ON DELETE CASCADE,"
    "  seq   INTEGER NOT NULL,"
    "  badge TEXT NOT NULL REFERENCES officers (badge),"
    "  PRIMARY KEY (draw, seq)"
    ") WITHOUT ROWID;",

    /* Inspections.  status: draft while the officer works (drafts survive a
     * power cut), committed once confirmed (then immutable and audited).
     * officer2: the second officer 双随机 requires.  place: where it was done
     * (执法全过程记录: start, end, place, who). */
    "CREATE TABLE inspections ("
    "  id        TEXT PRIMARY KEY,"
    "  stall     TEXT NOT NULL REFERENCES stalls (code),"
    "  market    TEXT NOT NULL REFERENCES markets (code),"
    "  officer1  TEXT NOT NULL REFERENCES officers (badge),"
    "  officer2  TEXT REFERENCES officers (badge),"
    "  draw      TEXT REFERENCES draws (id),"
    "  started_at TEXT NOT NULL,"
    "  ended_at  TEXT,"
    "  status    TEXT NOT NULL CHECK (status IN ('draft', 'committed')),"
    "  device    TEXT NOT NULL DEFAULT '',"
    "  place     TEXT NOT NULL DEFAULT '',"
    "  note      TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX inspections_by_stall ON inspections (stall, started_at);"
    "CREATE INDEX inspections_by_market ON inspections (market, started_at);"
    "CREATE INDEX inspections_drafts ON inspections (status) WHERE status = 'draft';",

    /* Findings: one per checklist item answered (item: core/checklist.h id,
     * answer: checklist_answer_id).  deadline: a correction deadline
     * (限期整改) set by this finding; followup: its state, and the
     * inspection that closed it.  Keyed by (inspection, item): unique
     * because the inspection id is a UUID. */
    "CREATE TABLE findings ("
    "  inspection TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,"
    "  item      TEXT NOT NULL,"
    "  answer    TEXT NOT NULL CHECK (answer IN ('pass', 'fail', 'na', 'intact', 'broken',"
    "                                            'missing', 'not-sealable')),"
    "  note      TEXT NOT NULL DEFAULT '',"
    "  deadline  TEXT,"
    "  followup  TEXT NOT NULL DEFAULT 'none' CHECK (followup IN ('none', 'open',"
    "                                 'corrected', 'not-corrected')),"
    "  followup_inspection TEXT REFERENCES inspections (id),"
    "  PRIMARY KEY (inspection, item)"
    ") WITHOUT ROWID;"
    "CREATE INDEX findings_open ON findings (deadline) WHERE followup = 'open';",

    /* Calibrations (verification runs, 检定) by metrology staff.  temperature
     * is a decimal text in °C.  verdict NULL while a draft. */
    "CREATE TABLE calibrations ("
    "  id        TEXT PRIMARY KEY,"
    "  instrument TEXT NOT NULL REFERENCES instruments (code),"
    "  weight_set TEXT REFERENCES weight_sets (code),"
    "  officer   TEXT NOT NULL REFERENCES officers (badge),"
    "  started_at TEXT NOT NULL,"
    "  ended_at  TEXT,"
    "  status    TEXT NOT NULL CHECK (status IN ('draft', 'committed')),"
    "  temperature TEXT NOT NULL DEFAULT '',"
    "  verdict   TEXT CHECK (verdict IN ('pass', 'fail')),"
    "  certificate_no TEXT NOT NULL DEFAULT '',"
    "  next_due  TEXT,"
    "  device    TEXT NOT NULL DEFAULT '',"
    "  note      TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX calibrations_by_instrument ON calibrations (instrument, started_at);"
    /* One step of a verification (R76-1 A.4): test is zero, weighing,
     * eccentricity, repeatability, tare, discrimination; the error-point
     * method's added small weights in added_ug; error and MPE in µg. */
    "CREATE TABLE calibration_steps ("
    "  calibration TEXT NOT NULL REFERENCES calibrations (id) ON DELETE CASCADE,"
    "  seq       INTEGER NOT NULL,"
    "  test      TEXT NOT NULL,"
    "  position  TEXT NOT NULL DEFAULT '',"
    "  load_ug   INTEGER NOT NULL,"
    "  indication_ug INTEGER,"
    "  added_ug  INTEGER NOT NULL DEFAULT 0,"
    "  error_ug  INTEGER,"
    "  mpe_ug    INTEGER,"
    "  pass      INTEGER CHECK (pass IN (0, 1)),"
    "  measurement TEXT,"
    "  PRIMARY KEY (calibration, seq)"
    ") WITHOUT ROWID;",

    /* Readings from a device, with the raw bytes exactly as read (全过程记录:
     * the evidence), the decoded value as exact decimal text and its unit,
     * value_ug when it is a mass.  Belongs to an inspection or a
     * calibration. */
    "CREATE TABLE measurements ("
    "  id        TEXT PRIMARY KEY,"
    "  inspection TEXT REFERENCES inspections (id) ON DELETE CASCADE,"
    "  calibration TEXT REFERENCES calibrations (id) ON DELETE CASCADE,"
    "  instrument TEXT REFERENCES instruments (code),"
    "  taken_at  TEXT NOT NULL,"
    "  driver    TEXT NOT NULL DEFAULT '',"
    "  raw       BLOB,"
    "  value     TEXT NOT NULL,"
    "  unit      TEXT NOT NULL DEFAULT '',"
    "  value_ug  INTEGER,"
    "  stable    INTEGER NOT NULL DEFAULT 0 CHECK (stable IN (0, 1))"
    ");"
    "CREATE INDEX measurements_by_inspection ON measurements (inspection)"
    "  WHERE inspection IS NOT NULL;"
    "CREATE INDEX measurements_by_calibration ON measurements (calibration)"
    "  WHERE calibration IS NOT NULL;",

    /* Re-weighs (复秤) under 《零售商品称重计量监督管理办法》: category is the
     * retail table's id (grain-veg-fruit, meat-egg-aquatic, dried-delicacy,
     * premium, gold, silver); declared = mass charged, measured = re-weighed;
     * allowed = the table's negative deviation; shortfall = declared -
     * measured; money_short in 分.  verdict 'outside' when the mass is
     * outside the table.  method: Art. 6's three ways. */
    "CREATE TABLE reweighs ("
    "  id        TEXT PRIMARY KEY,"
    "  inspection TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,"
    "  seq       INTEGER NOT NULL DEFAULT 0,"
    "  goods     TEXT NOT NULL DEFAULT '',"
    "  category  TEXT NOT NULL,"
    "  declared_ug INTEGER NOT NULL,"
    "  measured_ug INTEGER NOT NULL,"
    "  unit_price_fen INTEGER NOT NULL DEFAULT 0," /* 分 per kg */
    "  allowed_ug INTEGER,"
    "  shortfall_ug INTEGER NOT NULL,"
    "  money_short_fen INTEGER NOT NULL DEFAULT 0,"
    "  verdict   TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'outside')),"
    "  method    TEXT NOT NULL DEFAULT 'reference' CHECK (method IN ('own', 'reference',"
    "                                                  'equal', 'fair')),"
    "  reference_instrument TEXT REFERENCES instruments (code),"
    "  weight_set TEXT REFERENCES weight_sets (code),"
    "  measurement TEXT REFERENCES measurements (id)"
    ");"
    "CREATE INDEX reweighs_by_inspection ON reweighs (inspection, seq);",

    /* A stall's current integrity score (诚信) and list (红黑榜), kept
     * incrementally as inspections commit; list_entries keeps the history. */
    "CREATE TABLE stall_status ("
    "  stall     TEXT PRIMARY KEY REFERENCES stalls (code),"
    "  score     INTEGER NOT NULL,"
    "  list      TEXT NOT NULL DEFAULT 'none' CHECK (list IN ('red', 'black', 'none')),"
    "  since     TEXT,"
    "  until     TEXT,"
    "  last_inspection TEXT REFERENCES inspections (id),"
    "  rules     TEXT NOT NULL DEFAULT '',"   /* hash or name of the rules used */
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX stall_status_by_list ON stall_status (list, score);"
    "CREATE TABLE list_entries ("
    "  id        TEXT PRIMARY KEY,"
    "  stall     TEXT NOT NULL REFERENCES stalls (code),"
    "  list      TEXT NOT NULL CHECK (list IN ('red', 'black', 'none')),"
    "  since     TEXT NOT NULL,"
    "  until     TEXT,"
    "  reason    TEXT NOT NULL DEFAULT '',"
    "  inspection TEXT REFERENCES inspections (id)"
    ");"
    "CREATE INDEX list_entries_by_stall ON list_entries (stall, since);",

    /* The audit chain: one entry per committed record (inspection,
     * calibration, draw, registry change), in the same transaction.
     * content_hash = SHA-256 of the record's canonical content (db/audit.h);
     * hash chains it to prev_hash.  Hex text. */
    "CREATE TABLE audit_log ("
    "  seq       INTEGER PRIMARY KEY,"
    "  id        TEXT NOT NULL UNIQUE,"
    "  at        TEXT NOT NULL,"
    "  device    TEXT NOT NULL,"
    "  kind      TEXT NOT NULL,"
    "  record    TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash      TEXT NOT NULL"
    ");"
    "CREATE INDEX audit_by_record ON audit_log (kind, record);",

    /* Sync bookkeeping: each remote (the district database), how far along
     * the audit log it has been pushed, and when we last pulled. */
    "CREATE TABLE sync_remotes ("
    "  name      TEXT PRIMARY KEY,"
    "  conninfo  TEXT NOT NULL DEFAULT '',"
    "  pushed_seq INTEGER NOT NULL DEFAULT 0,"
    "  pushed_at TEXT,"
    "  pulled_at TEXT"
    ");"
    "CREATE TABLE sync_pushed ("
    "  remote    TEXT NOT NULL REFERENCES sync_remotes (name) ON DELETE CASCADE,"
    "  kind      TEXT NOT NULL,"
    "  record    TEXT NOT NULL,"
    "  pushed_at TEXT NOT NULL,"
    "  PRIMARY KEY (remote, kind, record)"
    ") WITHOUT ROWID;",
    NULL};

/* Version 2 (issue 8, sync): the district's lists as last pulled, computed
 * on the district from every handheld's records (db/sync.h says how);
 * replaced whole at each pull. */
static const char *const migration_2[] = {
    "CREATE TABLE district_lists ("
    "  stall     TEXT PRIMARY KEY,"
    "  market    TEXT NOT NULL,"
    "  score     INTEGER NOT NULL,"
    "  list      TEXT NOT NULL CHECK (list IN ('red', 'black', 'none')),"
    "  as_of     TEXT NOT NULL"
    ");"
    "CREATE INDEX district_lists_by_market ON district_lists (market, list);",
    NULL};

/* Version 3 (issue 6, the TUI): drafts of inspections in progress, saved
 * whole on every answer (db/draft.h) so that kill -9 or a dead battery
 * loses nothing; no foreign keys, so a draft can always be saved. */
static const char *const migration_3[] = {
    "CREATE TABLE drafts ("
    "  id        TEXT PRIMARY KEY,"
    "  officer   TEXT NOT NULL,"
    "  stall     TEXT NOT NULL,"
    "  body      TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX drafts_by_officer ON drafts (officer, updated_at);",
    NULL};

/* Version 4 (issue 7, verification): the procedure engine's saved state
 * (core/procedure.h proc_save text) of a calibration, so an interrupted
 * verification resumes where it stopped; kept after the commit as the
 * record of the declared inputs (instrument as declared, weight set,
 * display interval). */
static const char *const migration_4[] = {
    "ALTER TABLE calibrations ADD COLUMN state TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX calibrations_drafts ON calibrations (officer, status) WHERE status = 'draft';",
    NULL};

/* Version 5: a finding knows its stall, and open follow-ups (限期整改) are
 * indexed by stall, so committing an inspection finds its stall's open
 * findings with one probe instead of reading the stall's whole history. */
static const char *const migration_5[] = {
    "ALTER TABLE findings ADD COLUMN stall TEXT;",
    "UPDATE findings SET stall = (SELECT i.stall FROM inspections i"
    "  WHERE i.id = findings.inspection);",
    "CREATE INDEX findings_open_by_stall ON findings (stall) WHERE followup = 'open';",
    NULL};

/* Version 6: sign-in failures counted per badge text, whether or not an
 * officer has that badge, so the answers (tries left, locked) are the same
 * for a badge that exists and one that does not (db/officer.h).  The
 * counts move out of the officers table. */
static const char *const migration_6[] = {
    "CREATE TABLE signin_failures ("
    "  badge        TEXT PRIMARY KEY,"
    "  failed       INTEGER NOT NULL CHECK (failed >= 0),"
    "  locked_until TEXT"
    ") WITHOUT ROWID;",
    "INSERT INTO signin_failures (badge, failed, locked_until)"
    "  SELECT badge, failed_pins, locked_until FROM officers"
    "  WHERE failed_pins > 0 OR locked_until IS NOT NULL;",
    "ALTER TABLE officers DROP COLUMN failed_pins;",
    "ALTER TABLE officers DROP COLUMN locked_until;",
    NULL};

/* Version 7: every audit entry signed by its device's Ed25519 key
 * (db/device.h); the device's public key is itself an audited record, kept
 * here with the device it replaced when a copied database was given its
 * own identity. */
static const char *const migration_7[] = {
    "ALTER TABLE audit_log ADD COLUMN sig TEXT;"
    "CREATE TABLE device_keys ("
    "  device      TEXT PRIMARY KEY,"
    "  public_key  TEXT NOT NULL,"
    "  predecessor TEXT,"
    "  made_at     TEXT NOT NULL"
    ") WITHOUT ROWID;",
    NULL};

/* Version 8: the draw's kind and day (db/draw.h).  One production draw per
 * market per day (the index holds it even against two draws at once); a
 * later one is a redraw, with its reason; a drill may have a chosen seed.
 * Draws made before this rule are "legacy": their seed may have been
 * chosen, and they are shown so. */
static const char *const migration_8[] = {
    "ALTER TABLE draws ADD COLUMN kind TEXT NOT NULL DEFAULT 'legacy'"
    "  CHECK (kind IN ('production', 'redraw', 'drill', 'legacy'));",
    "ALTER TABLE draws ADD COLUMN day TEXT;",
    "UPDATE draws SET day = substr(made_at, 1, 10);",
    "CREATE UNIQUE INDEX draws_one_production_a_day ON draws (market, day)"
    "  WHERE kind = 'production';",
    "CREATE INDEX draws_by_day ON draws (market, day);",
    NULL};

/* Version 9: the district's key as an admin trusted it here (audited):
 * registry changes pulled must be signed by it; the version of each
 * registry record last pulled (never an older one); what the district
 * refused of this handheld's records, as it said (db/sync.h); the rules in
 * force as adopted (db/rules_file.h). */
static const char *const migration_9[] = {
    "CREATE TABLE district_keys ("
    "  district    TEXT PRIMARY KEY,"
    "  public_key  TEXT NOT NULL,"
    "  trusted_at  TEXT NOT NULL,"
    "  trusted_by  TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE registry_versions ("
    "  kind    TEXT NOT NULL,"
    "  record  TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, record)"
    ") WITHOUT ROWID;"
    "CREATE TABLE sync_refusals ("
    "  remote  TEXT NOT NULL,"
    "  id      INTEGER NOT NULL,"
    "  device  TEXT NOT NULL,"
    "  seq     INTEGER NOT NULL,"
    "  hash    TEXT NOT NULL,"
    "  kind    TEXT NOT NULL,"
    "  record  TEXT NOT NULL,"
    "  reason  TEXT NOT NULL,"
    "  hint    TEXT NOT NULL,"
    "  at      TEXT NOT NULL,"
    "  PRIMARY KEY (remote, id)"
    ");"
    /* The scoring rules in force, as an admin adopted them (audited, kind
     * "rules"): the text itself, so what decides a list is in the chain,
     * not a file a setting points at. */
    "CREATE TABLE rules_in_force ("
    "  key        TEXT PRIMARY KEY CHECK (key = 'in-force'),"
    "  source     TEXT NOT NULL,"
    "  sha256     TEXT NOT NULL,"
    "  text       TEXT NOT NULL,"
    "  adopted_at TEXT NOT NULL,"
    "  adopted_by TEXT NOT NULL"
    ") WITHOUT ROWID;",
    NULL};

/* Version 10: stall_status holds the whole line of the list, so `lists`
 * reads it instead of recomputing history: the black listing's reason
 * (core/score.h's key), inspections in the score window, open follow-ups,
 * the day it was computed for (as_of) and the first day it may change with
 * no new record (valid_until, NULL: never).  since / until are the black
 * listing's (NULL otherwise), as the score engine gives them.  Keyed by the
 * stall alone (WITHOUT ROWID, no index by list: nothing reads by list), so
 * a district's recompute writes one b-tree per line; the old lines are not
 * kept (they are derived, and made again when next read).  list_entries,
 * the history, is numbered in the order written instead of by random ids
 * (appended, not inserted).  The district's lists pulled by sync carry
 * since, until and the reason too. */
static const char *const migration_10[] = {
    "DROP TABLE stall_status;"
    "CREATE TABLE stall_status ("
    "  stall     TEXT PRIMARY KEY REFERENCES stalls (code),"
    "  score     INTEGER NOT NULL,"
    "  list      TEXT NOT NULL DEFAULT 'none' CHECK (list IN ('red', 'black', 'none')),"
    "  since     TEXT,"
    "  until     TEXT,"
    "  last_inspection TEXT REFERENCES inspections (id),"
    "  rules     TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL,"
    "  reason    TEXT NOT NULL DEFAULT '',"
    "  inspections INTEGER NOT NULL DEFAULT 0,"
    "  followups INTEGER NOT NULL DEFAULT 0,"
    "  as_of     TEXT,"
    "  valid_until TEXT"
    ") WITHOUT ROWID;",
    "CREATE TABLE list_history ("
    "  id        INTEGER PRIMARY KEY,"
    "  stall     TEXT NOT NULL REFERENCES stalls (code),"
    "  list      TEXT NOT NULL CHECK (list IN ('red', 'black', 'none')),"
    "  since     TEXT NOT NULL,"
    "  until     TEXT,"
    "  reason    TEXT NOT NULL DEFAULT '',"
    "  inspection TEXT REFERENCES inspections (id)"
    ");"
    "INSERT INTO list_history (stall, list, since, until, reason, inspection)"
    "  SELECT stall, list, since, until, reason, inspection FROM list_entries"
    "  ORDER BY since, rowid;"
    "DROP TABLE list_entries;"
    "ALTER TABLE list_history RENAME TO list_entries;"
    "CREATE INDEX list_entries_by_stall ON list_entries (stall, since);"
    "ALTER TABLE district_lists ADD COLUMN since TEXT;"
    "ALTER TABLE district_lists ADD COLUMN until TEXT;"
    "ALTER TABLE district_lists ADD COLUMN reason TEXT NOT NULL DEFAULT '';",
    NULL};

/* Version 11: what a verification certificate must carry (《计量检定印、证
 * 管理办法》, JJF 1069-2012, JJF 1002-2010 附录G): the kind of verification
 * (首次检定, 后续检定, 使用中检查), the regulation followed, the legal date in
 * the bureau's zone, humidity and place, the original record number, the new
 * verification mark and seal of a passed scale, the reason a run ended
 * without a verdict, and a snapshot ("paper") of the issuing body, the
 * applicant and the reference standard as they were on the day, so a
 * reprint is the same paper.  The checker's and approver's signatures are
 * rows of their own.  canon = 2 marks rows whose audit content has these
 * (db/audit.c, through the two views below); older rows keep their content
 * and hash.  A weight set
 * names the measurement standard it belongs to (计量标准) and that
 * standard's certificate (计量标准考核证书号). */
static const char *const migration_11[] = {
    "ALTER TABLE calibrations ADD COLUMN kind TEXT NOT NULL DEFAULT 'subsequent'"
    "  CHECK (kind IN ('first', 'subsequent', 'in-service'));",
    "ALTER TABLE calibrations ADD COLUMN regulation TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE calibrations ADD COLUMN verified_on TEXT;",
    "ALTER TABLE calibrations ADD COLUMN humidity TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE calibrations ADD COLUMN place TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE calibrations ADD COLUMN record_no TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE calibrations ADD COLUMN mark_no TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE calibrations ADD COLUMN seal_no TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE calibrations ADD COLUMN abandoned TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE calibrations ADD COLUMN paper TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE calibrations ADD COLUMN canon INTEGER NOT NULL DEFAULT 1;",
    "ALTER TABLE calibration_steps ADD COLUMN note TEXT NOT NULL DEFAULT '';",
    "CREATE TABLE calibration_signatures ("
    "  calibration TEXT NOT NULL REFERENCES calibrations (id),"
    "  role      TEXT NOT NULL CHECK (role IN ('checker', 'approver')),"
    "  officer   TEXT NOT NULL REFERENCES officers (badge),"
    "  signed_at TEXT NOT NULL,"
    "  PRIMARY KEY (calibration, role)"
    ") WITHOUT ROWID;",
    "ALTER TABLE weight_sets ADD COLUMN standard_name TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE weight_sets ADD COLUMN standard_cert_no TEXT NOT NULL DEFAULT '';",
    /* The audited sections of a certificate's content (db/audit.c), each a
     * table of its own as the district stores it (db/sync.c): rows
     * committed with canon 2 have them, older rows none. */
    "CREATE VIEW calibration_certificates AS SELECT id AS calibration, kind, regulation, "
    "  verified_on, humidity, place, record_no, mark_no, seal_no, abandoned, paper "
    "  FROM calibrations WHERE canon >= 2;",
    "CREATE VIEW calibration_step_notes AS SELECT calibration, seq, note "
    "  FROM calibration_steps WHERE note != '';",
    NULL};

/* Version 12: calibrations (校准) after EURAMET cg-18 (db/nawical.h): one
 * row per calibration, with the repeatability's standard deviation and the
 * largest eccentricity difference, and one row per reading, the errors of
 * indication with u(E) and U(E) at k.  Audited as kind "nawi_calibration". */
static const char *const migration_12[] = {
    "CREATE TABLE nawi_calibrations ("
    "  id        TEXT PRIMARY KEY,"
    "  instrument TEXT NOT NULL REFERENCES instruments (code),"
    "  weight_set TEXT REFERENCES weight_sets (code),"
    "  officer   TEXT NOT NULL REFERENCES officers (badge),"
    "  started_at TEXT NOT NULL,"
    "  ended_at  TEXT,"
    "  status    TEXT NOT NULL CHECK (status IN ('draft', 'committed')),"
    "  temperature TEXT NOT NULL DEFAULT '',"
    "  humidity  TEXT NOT NULL DEFAULT '',"
    "  place     TEXT NOT NULL DEFAULT '',"
    "  calibrated_on TEXT,"
    "  certificate_no TEXT NOT NULL DEFAULT '',"
    "  record_no TEXT NOT NULL DEFAULT '',"
    "  repeat_s_ug INTEGER,"
    "  ecc_max_ug INTEGER,"
    "  abandoned TEXT NOT NULL DEFAULT '',"
    "  paper     TEXT NOT NULL DEFAULT '',"
    "  state     TEXT NOT NULL DEFAULT '',"
    "  device    TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX nawi_calibrations_by_instrument ON nawi_calibrations (instrument, started_at);"
    "CREATE TABLE nawi_calibration_rows ("
    "  calibration TEXT NOT NULL REFERENCES nawi_calibrations (id) ON DELETE CASCADE,"
    "  seq       INTEGER NOT NULL,"
    "  test      TEXT NOT NULL CHECK (test IN ('repeatability', 'eccentricity', 'error')),"
    "  position  INTEGER NOT NULL DEFAULT 0,"
    "  load_ug   INTEGER NOT NULL,"
    "  indication_ug INTEGER NOT NULL,"
    "  error_ug  INTEGER NOT NULL,"
    "  u_ug      INTEGER,"
    "  expanded_ug INTEGER,"
    "  k         INTEGER,"
    "  PRIMARY KEY (calibration, seq)"
    ") WITHOUT ROWID;",
    NULL};

/* Version 13: a draw's kind and day in its audited content.  Version 8's
 * columns decide the day's rule (one production draw a day) but were not
 * in the draw's canonical content (db/audit.c), so they could be changed
 * unseen.  Draws made from now on (canon = 2) carry them in a section of
 * their own, through the view below (a table of its own on the district);
 * older draws keep their content and hash, and verify holds their columns
 * to their audited inputs (db/chain.c). */
static const char *const migration_13[] = {
    "ALTER TABLE draws ADD COLUMN canon INTEGER NOT NULL DEFAULT 1;",
    "CREATE VIEW draw_days AS SELECT id AS draw, kind, day FROM draws WHERE canon >= 2;",
    NULL};

const char *const *const db_migrations[] = {
    migration_1,
    migration_2,
    migration_3,
    migration_4,
    migration_5,
    migration_6,
    migration_7,
    migration_8,
    migration_9,
    migration_10,
    migration_11,
    migration_12,
    migration_13,
};
const int db_migration_count = (int)(sizeof db_migrations / sizeof db_migrations[0]);
