//! Reads the SQL text of a `wrangler d1 export` (the same dialect as SQLite's `.dump`):
//! `CREATE TABLE` gives each table's column order, `INSERT INTO … VALUES (…)` the rows.
//! Values are SQLite literals — strings with `''` escapes (newlines inside), numbers, `NULL`,
//! `X'…'` blobs — and the expressions `.dump` writes for awkward strings: `replace(…)`,
//! `char(…)` and `||`. Every other statement (PRAGMA, indexes, transactions) is skipped.

use super::source::{Source, SourceTable, SourceValue};

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    /// A quoted identifier ("…", `…` or […]): never a keyword.
    Quoted(String),
    Str(String),
    Number(String),
    Blob(Vec<u8>),
    Punct(char),
    Concat,
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn error(&self, what: &str) -> anyhow::Error {
        let line = self.text[..self.at.min(self.text.len())].matches('\n').count() + 1;
        anyhow::anyhow!("SQL dump, line {line}: {what}")
    }

    fn next(&mut self) -> anyhow::Result<Option<Token>> {
        loop {
            let Some(&b) = self.bytes.get(self.at) else {
                return Ok(None);
            };
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.at += 1,
                b'-' if self.bytes.get(self.at + 1) == Some(&b'-') => {
                    while self.bytes.get(self.at).is_some_and(|&c| c != b'\n') {
                        self.at += 1;
                    }
                }
                b'/' if self.bytes.get(self.at + 1) == Some(&b'*') => {
                    let end = self.text[self.at + 2..]
                        .find("*/")
                        .ok_or_else(|| self.error("unterminated comment"))?;
                    self.at += end + 4;
                }
                b'\'' => return Ok(Some(Token::Str(self.quoted(b'\'')?))),
                b'"' => return Ok(Some(Token::Quoted(self.quoted(b'"')?))),
                b'`' => return Ok(Some(Token::Quoted(self.quoted(b'`')?))),
                b'[' => {
                    let end = self.text[self.at..]
                        .find(']')
                        .ok_or_else(|| self.error("unterminated [identifier]"))?;
                    let name = self.text[self.at + 1..self.at + end].to_owned();
                    self.at += end + 1;
                    return Ok(Some(Token::Quoted(name)));
                }
                b'|' if self.bytes.get(self.at + 1) == Some(&b'|') => {
                    self.at += 2;
                    return Ok(Some(Token::Concat));
                }
                b'x' | b'X' if self.bytes.get(self.at + 1) == Some(&b'\'') => {
                    self.at += 1;
                    let hex = self.quoted(b'\'')?;
                    return decode_hex(&hex)
                        .map(|b| Some(Token::Blob(b)))
                        .ok_or_else(|| self.error("bad blob literal"));
                }
                b'0'..=b'9' | b'.' => return Ok(Some(Token::Number(self.number()))),
                b'(' | b')' | b',' | b';' | b'-' | b'+' | b'=' | b'*' => {
                    self.at += 1;
                    return Ok(Some(Token::Punct(b as char)));
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = self.at;
                    while self
                        .bytes
                        .get(self.at)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    {
                        self.at += 1;
                    }
                    return Ok(Some(Token::Word(self.text[start..self.at].to_owned())));
                }
                _ => {
                    // Anything else (operators in CHECK clauses…) only matters inside statements we skip.
                    let ch = self.text[self.at..].chars().next().unwrap_or(' ');
                    self.at += ch.len_utf8();
                    return Ok(Some(Token::Punct(ch)));
                }
            }
        }
    }

    /// A quoted run with doubled quotes as escapes; `self.at` is on the opening quote.
    fn quoted(&mut self, quote: u8) -> anyhow::Result<String> {
        let mut out = String::new();
        let mut start = self.at + 1;
        let mut i = start;
        loop {
            match self.bytes.get(i) {
                None => return Err(self.error("unterminated quoted text")),
                Some(&c) if c == quote => {
                    out.push_str(&self.text[start..i]);
                    if self.bytes.get(i + 1) == Some(&quote) {
                        out.push(quote as char);
                        i += 2;
                        start = i;
                    } else {
                        self.at = i + 1;
                        return Ok(out);
                    }
                }
                Some(_) => i += 1,
            }
        }
    }

    fn number(&mut self) -> String {
        let start = self.at;
        while let Some(&c) = self.bytes.get(self.at) {
            let exponent_sign =
                (c == b'-' || c == b'+') && matches!(self.bytes.get(self.at - 1), Some(b'e' | b'E'));
            if c.is_ascii_digit() || c == b'.' || c == b'e' || c == b'E' || exponent_sign {
                self.at += 1;
            } else {
                break;
            }
        }
        self.text[start..self.at].to_owned()
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Tokens of one statement, then a cursor over them.
struct Statement {
    tokens: Vec<Token>,
    at: usize,
}

impl Statement {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn punct(&mut self, p: char) -> bool {
        if self.peek() == Some(&Token::Punct(p)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn name(&mut self) -> Option<String> {
        match self.bump()? {
            Token::Word(w) | Token::Quoted(w) | Token::Str(w) => Some(w),
            _ => None,
        }
    }
}

/// Parses a whole dump.
pub fn parse(text: &str) -> anyhow::Result<Source> {
    let mut lexer = Lexer::new(text);
    let mut source = Source::default();
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next()? {
        if token == Token::Punct(';') {
            let statement = Statement {
                tokens: std::mem::take(&mut tokens),
                at: 0,
            };
            apply(statement, &mut source).map_err(|e| lexer.error(&e.to_string()))?;
        } else {
            tokens.push(token);
        }
    }
    if !tokens.is_empty() {
        apply(Statement { tokens, at: 0 }, &mut source).map_err(|e| lexer.error(&e.to_string()))?;
    }
    Ok(source)
}

fn apply(mut s: Statement, source: &mut Source) -> anyhow::Result<()> {
    if s.keyword("CREATE") && s.keyword("TABLE") {
        if s.keyword("IF") {
            s.keyword("NOT");
            s.keyword("EXISTS");
        }
        let name = s
            .name()
            .ok_or_else(|| anyhow::anyhow!("CREATE TABLE without a name"))?;
        let columns = table_columns(&mut s);
        source.tables.entry(name).or_default().columns = columns;
    } else if s.at == 0 && s.keyword("INSERT") {
        s.keyword("OR");
        s.keyword("REPLACE");
        if !s.keyword("INTO") {
            return Ok(());
        }
        let name = s
            .name()
            .ok_or_else(|| anyhow::anyhow!("INSERT without a table"))?;
        insert(&mut s, source.tables.entry(name.clone()).or_default())
            .map_err(|e| anyhow::anyhow!("INSERT INTO {name}: {e}"))?;
    }
    Ok(())
}

/// The column names of a `CREATE TABLE (…)` body, skipping table constraints.
fn table_columns(s: &mut Statement) -> Vec<String> {
    let mut columns = Vec::new();
    if !s.punct('(') {
        return columns;
    }
    let mut depth = 0;
    let mut at_item_start = true;
    while let Some(token) = s.bump() {
        match token {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') if depth == 0 => break,
            Token::Punct(')') => depth -= 1,
            Token::Punct(',') if depth == 0 => {
                at_item_start = true;
                continue;
            }
            Token::Word(ref w) | Token::Quoted(ref w) if at_item_start => {
                let constraint = matches!(token, Token::Word(_))
                    && ["CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k));
                if !constraint {
                    columns.push(w.clone());
                }
            }
            _ => {}
        }
        at_item_start = false;
    }
    columns
}

fn insert(s: &mut Statement, table: &mut SourceTable) -> anyhow::Result<()> {
    let mut listed = Vec::new();
    if s.punct('(') {
        loop {
            listed.push(s.name().ok_or_else(|| anyhow::anyhow!("bad column list"))?);
            if s.punct(')') {
                break;
            }
            if !s.punct(',') {
                anyhow::bail!("bad column list");
            }
        }
    }
    if table.columns.is_empty() {
        table.columns = listed.clone();
    }
    if !s.keyword("VALUES") {
        anyhow::bail!("only INSERT … VALUES is supported");
    }
    let mut values = row(s)?;
    if table.columns.is_empty() {
        // No CREATE TABLE and no column list (e.g. sqlite_sequence): positional names, so the
        // rows are still counted and reported.
        table.columns = (1..=values.len()).map(|i| format!("column{i}")).collect();
    }
    // Rows are kept in the table's column order, whatever order the INSERT named them in.
    let order: Vec<usize> = if listed.is_empty() {
        (0..table.columns.len()).collect()
    } else {
        listed
            .iter()
            .map(|c| {
                table
                    .column(c)
                    .ok_or_else(|| anyhow::anyhow!("column {c} is not in the table"))
            })
            .collect::<anyhow::Result<_>>()?
    };
    loop {
        if values.len() != order.len() {
            anyhow::bail!("a row has {} values for {} columns", values.len(), order.len());
        }
        let mut ordered = vec![SourceValue::Null; table.columns.len()];
        for (value, &index) in values.into_iter().zip(&order) {
            ordered[index] = value;
        }
        table.rows.push(ordered);
        if !s.punct(',') {
            return Ok(());
        }
        values = row(s)?;
    }
}

/// `( value, … )`
fn row(s: &mut Statement) -> anyhow::Result<Vec<SourceValue>> {
    if !s.punct('(') {
        anyhow::bail!("expected ( before a row");
    }
    let mut values = Vec::new();
    loop {
        values.push(expression(s)?);
        if s.punct(')') {
            return Ok(values);
        }
        if !s.punct(',') {
            anyhow::bail!("expected , or ) in a row");
        }
    }
}

/// A value: a literal, or `replace`/`char` calls joined with `||`.
fn expression(s: &mut Statement) -> anyhow::Result<SourceValue> {
    let mut value = primary(s)?;
    while s.peek() == Some(&Token::Concat) {
        s.bump();
        let right = primary(s)?;
        value = SourceValue::Text(format!("{}{}", text_of(&value), text_of(&right)));
    }
    Ok(value)
}

fn text_of(value: &SourceValue) -> String {
    match value {
        SourceValue::Null => String::new(),
        SourceValue::Integer(i) => i.to_string(),
        SourceValue::Real(r) => r.to_string(),
        SourceValue::Text(t) => t.clone(),
        SourceValue::Blob(b) => String::from_utf8_lossy(b).into_owned(),
    }
}

fn primary(s: &mut Statement) -> anyhow::Result<SourceValue> {
    let negative = s.punct('-');
    let token = s.bump().ok_or_else(|| anyhow::anyhow!("missing value"))?;
    Ok(match token {
        Token::Number(n) => number(&n, negative)?,
        Token::Str(text) => SourceValue::Text(text),
        Token::Blob(bytes) => SourceValue::Blob(bytes),
        Token::Word(w) if w.eq_ignore_ascii_case("NULL") => SourceValue::Null,
        Token::Word(w) if w.eq_ignore_ascii_case("TRUE") => SourceValue::Integer(1),
        Token::Word(w) if w.eq_ignore_ascii_case("FALSE") => SourceValue::Integer(0),
        Token::Word(w) if w.eq_ignore_ascii_case("char") => {
            let codes = arguments(s)?;
            let mut text = String::new();
            for code in codes {
                let SourceValue::Integer(c) = code else {
                    anyhow::bail!("char() takes code points")
                };
                text.push(
                    u32::try_from(c)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| anyhow::anyhow!("bad code point"))?,
                );
            }
            SourceValue::Text(text)
        }
        Token::Word(w) if w.eq_ignore_ascii_case("replace") => {
            let args = arguments(s)?;
            let [subject, from, to] = args.as_slice() else {
                anyhow::bail!("replace() takes three arguments")
            };
            SourceValue::Text(text_of(subject).replace(&text_of(from), &text_of(to)))
        }
        other => anyhow::bail!("unsupported value {other:?}"),
    })
}

fn arguments(s: &mut Statement) -> anyhow::Result<Vec<SourceValue>> {
    if !s.punct('(') {
        anyhow::bail!("expected ( after a function name");
    }
    let mut args = Vec::new();
    if s.punct(')') {
        return Ok(args);
    }
    loop {
        args.push(expression(s)?);
        if s.punct(')') {
            return Ok(args);
        }
        if !s.punct(',') {
            anyhow::bail!("expected , or ) in arguments");
        }
    }
}

fn number(text: &str, negative: bool) -> anyhow::Result<SourceValue> {
    let signed = if negative {
        format!("-{text}")
    } else {
        text.to_owned()
    };
    if let Ok(i) = signed.parse::<i64>() {
        return Ok(SourceValue::Integer(i));
    }
    signed
        .parse::<f64>()
        .map(SourceValue::Real)
        .map_err(|_| anyhow::anyhow!("bad number {signed}"))
}

#[cfg(test)]
mod tests;
