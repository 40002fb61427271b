use super::*;

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
    CHECK (score >= 0)
);
INSERT INTO "users" VALUES('u1','W1','It''s Made',1,1.5);
INSERT INTO users ("wallet_address","id","onboarded","display_name","score") VALUES('W2','u2',0,'line1
line2;still',-2.5e-3),('W3','u3',NULL,replace('a\nb','\n',char(10)),42);
CREATE INDEX users_wallet_idx ON users (wallet_address);
INSERT INTO "sqlite_sequence" VALUES('crypto_market_history',7);
/* block comment */
INSERT INTO blobs VALUES(X'00ff', 'ünïcødé' || char(33, 63));
"#;
    let source = parse(dump).unwrap();
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
    assert_eq!(users.rows[2][4], SourceValue::Integer(42));
    let blobs = &source.tables["blobs"];
    assert_eq!(
        blobs.rows[0],
        [
            SourceValue::Blob(vec![0, 255]),
            SourceValue::Text("ünïcødé!?".into())
        ]
    );
}

#[test]
fn errors_name_the_line() {
    let err = parse("CREATE TABLE t (a);\nINSERT INTO t VALUES('open").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = parse("CREATE TABLE t (a, b);\nINSERT INTO t VALUES(1);").unwrap_err();
    assert!(err.to_string().contains("1 values for 2 columns"), "{err}");
}
