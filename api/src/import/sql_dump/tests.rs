use super::*;
use crate::import::source::SourceValue;

const HEAD: &str = "PRAGMA defer_foreign_keys=TRUE;\n";
const TAIL: &str = "CREATE INDEX users_wallet_idx ON users (wallet_address);\n";

#[test]
fn reads_tables_rows_and_literals() {
    let dump = r#"
PRAGMA defer_foreign_keys=TRUE;
CREATE TABLE `users` (
    `id` text PRIMARY KEY NOT NULL,
    `wallet_address` text NOT NULL,
    "display_name" text, -- a comment; with a semicolon
    [onboarded] integer DEFAULT 0,
    score real,
    CONSTRAINT one UNIQUE (wallet_address),
    CHECK (score >= 0 OR score < 0)
);
INSERT INTO "users" VALUES('u1','W1','It''s Made',1,1.5);
INSERT INTO users ("wallet_address","id","onboarded","display_name","score") VALUES('W2','u2',0,'line1
line2;still',-2.5e-3),('W3','u3',NULL,replace('a\nb','\n',char(10)),42);
CREATE TABLE blobs (b blob, t text);
/* block comment; with a semicolon */
INSERT INTO blobs VALUES(X'00ff', 'ünïcødé' || char(33, 63));
CREATE TABLE `crypto_market_history` (`id` integer PRIMARY KEY AUTOINCREMENT, `coin_id` text);
INSERT INTO crypto_market_history VALUES(5,'bitcoin');
DELETE FROM sqlite_sequence;
INSERT INTO "sqlite_sequence" VALUES('crypto_market_history',7);
CREATE INDEX users_wallet_idx ON users (wallet_address);
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN
  UPDATE users SET score = 0 WHERE id = NEW.id;
END;
"#;
    let source = read(dump).unwrap();
    assert_eq!(source.incomplete, None);
    let users = &source.tables["users"];
    assert_eq!(
        users.columns,
        ["id", "wallet_address", "display_name", "onboarded", "score"]
    );
    assert_eq!(users.rows.len(), 3);
    assert_eq!(users.rows[0][2], SourceValue::Text("It's Made".into()));
    assert_eq!(
        users.rows[1][0],
        SourceValue::Text("u2".into()),
        "reordered to the table's columns"
    );
    assert_eq!(users.rows[1][2], SourceValue::Text("line1\nline2;still".into()));
    assert_eq!(users.rows[1][4], SourceValue::Real(-0.0025));
    assert_eq!(users.rows[2][2], SourceValue::Text("a\nb".into()));
    assert_eq!(users.rows[2][3], SourceValue::Null);
    assert_eq!(users.rows[2][4], SourceValue::Real(42.0), "real affinity");
    assert_eq!(
        source.tables["blobs"].rows[0],
        [
            SourceValue::Blob(vec![0, 255]),
            SourceValue::Text("ünïcødé!?".into())
        ]
    );
    assert_eq!(source.sequences["crypto_market_history"], 7);
    assert!(!source.tables.contains_key("sqlite_sequence"));
}

#[test]
fn sqlite3_dump_with_unistr_reads_and_must_end_with_commit() {
    let dump = "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE users(id text, display_name text);\n\
        INSERT INTO users VALUES('u1',unistr('tab\\u0009line\\000aend \\u2600'));\n\
        INSERT INTO users VALUES('u2','plain');\nCOMMIT;\n";
    let source = read(dump).unwrap();
    assert_eq!(source.incomplete, None);
    assert_eq!(
        source.tables["users"].rows[0][1],
        SourceValue::Text("tab\tline\nend ☀".into())
    );
    let cut = dump.trim_end().strip_suffix("COMMIT;").unwrap();
    let source = read(cut).unwrap();
    assert!(source.incomplete.unwrap().contains("COMMIT"));
    assert_eq!(
        source.tables["users"].rows.len(),
        2,
        "what is there is still read"
    );
    let failed = format!("{cut}ROLLBACK; -- due to errors\n");
    assert!(read(&failed).unwrap().incomplete.unwrap().contains("ROLLBACK"));
}

#[test]
fn a_dump_cut_short_is_marked_incomplete() {
    let body = "CREATE TABLE users (id text, wallet_address text);\n\
        INSERT INTO users VALUES('u1','W1');\nINSERT INTO users VALUES('u2','W2');\n";
    let whole = format!("{HEAD}{body}{TAIL}");
    assert_eq!(read(&whole).unwrap().incomplete, None);

    // Cut at a line boundary: complete statements, but not an export's ending.
    let at_line = format!("{HEAD}{body}");
    let source = read(&at_line).unwrap();
    assert!(source.incomplete.unwrap().contains("cut short"));
    // Cut after a row's `)`, before its `;`: that row is not read.
    let at_paren = whole[..whole.find("('u2','W2')").unwrap() + "('u2','W2')".len()].to_owned();
    let source = read(&at_paren).unwrap();
    assert!(source.incomplete.unwrap().contains("line 4"));
    assert_eq!(source.tables["users"].rows.len(), 1);
    // Cut inside a string.
    let in_string = &whole[..whole.find("W2").unwrap()];
    assert!(read(in_string).unwrap().incomplete.is_some());
    // Cut inside the sqlite_sequence section of a D1 export.
    let sequences = format!(
        "{HEAD}CREATE TABLE h (id integer PRIMARY KEY AUTOINCREMENT, v text);\nINSERT INTO h VALUES(3,'x');\nDELETE FROM sqlite_sequence;\n"
    );
    assert!(
        read(&sequences)
            .unwrap()
            .incomplete
            .unwrap()
            .contains("sqlite_sequence has no row for h")
    );
    let with_row = format!("{sequences}INSERT INTO sqlite_sequence VALUES('h',9);\n");
    assert_eq!(read(&with_row).unwrap().incomplete, None);
}

#[test]
fn splitting_respects_quotes_comments_and_triggers() {
    let (statements, cut) = split(
        "-- head; comment\nSELECT ';' , \"a;b\", `c;d`, [e;f];\n/* x; */ SELECT 2 -- ; trailing\n;\n\
         CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2; END;\n-- the end;\n",
    );
    assert_eq!(cut, None);
    let texts: Vec<&str> = statements.iter().map(|s| s.text).collect();
    assert_eq!(
        texts,
        [
            "SELECT ';' , \"a;b\", `c;d`, [e;f]",
            "SELECT 2 -- ; trailing",
            "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2; END",
        ]
    );
    assert_eq!(statements.iter().map(|s| s.line).collect::<Vec<_>>(), [2, 3, 5]);
    assert_eq!(split("SELECT 1;\nSELECT 'open").1, Some(2));
    assert_eq!(split("SELECT 1;\n  /* open comment").1, None);
}

#[test]
fn errors_name_the_line() {
    let err = read("CREATE TABLE t (a);\nINSERT INTO t VALUES(1,2);").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = read("this is not sql").unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
    assert!(err.to_string().contains("syntax error"), "{err}");
}
