//! ODBC escape sequences and parameter markers.
//!
//! Applications write `{fn UCASE(x)}`, `{d '2025-01-31'}`, `{oj ...}` and `?`
//! markers; sqlparser understands none of the braces reliably, so every
//! statement first passes through this small hand-written scanner. It copies
//! the text verbatim except for escape sequences and `?` markers found outside
//! string literals, quoted identifiers and comments, and it never panics: it
//! only ever slices the input at ASCII delimiters, so multi-byte UTF-8
//! characters pass through untouched.
//!
//! Both the ODBC 3 shorthand `{...}` and the deprecated ODBC 2 long form
//! `--(*vendor(Microsoft),product(ODBC) ... *)--` are recognised (the long
//! form would otherwise vanish silently as a comment).

use crate::diag::OdbcError;

/// A statement with its escape sequences rewritten into plain SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    pub sql: String,
    /// Number of `?` parameter markers (including the return value marker of
    /// `{?= call ...}`), in textual order.
    pub param_count: usize,
}

/// Rewrites ODBC escape sequences into the SQL sqlparser reads. With
/// `number_params`, each `?` marker becomes `$1`, `$2`, ... in textual order
/// (sqlparser parses `$n` as a placeholder); without it (SQLNativeSql) the
/// markers stay as written.
pub fn rewrite_odbc_escapes(sql: &str, number_params: bool) -> Result<Rewritten, OdbcError> {
    let mut scanner = Scanner {
        src: sql,
        bytes: sql.as_bytes(),
        pos: 0,
        number_params,
        param_count: 0,
        depth: 0,
    };
    let mut out = String::with_capacity(sql.len() + 16);
    scanner.copy_until(&mut out, Terminator::End)?;
    Ok(Rewritten {
        sql: out,
        param_count: scanner.param_count,
    })
}

/// Escapes nest (`{fn UCASE({fn LTRIM(x)})}`); the scanner recurses per
/// level, so the depth is bounded to keep hostile input from exhausting the
/// stack.
const MAX_ESCAPE_DEPTH: usize = 64;

/// What ends the text `copy_until` is copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terminator {
    /// The end of the statement.
    End,
    /// The `}` closing a shorthand escape.
    Brace,
    /// The `*)--` closing a long-form escape.
    LongForm,
}

const LONG_FORM_END: &[u8] = b"*)--";

struct Scanner<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    number_params: bool,
    param_count: usize,
    depth: usize,
}

/// Characters that continue an identifier or number token (as GenericDialect
/// sees them); used to keep rewritten tokens from fusing with neighbours.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'#' || b == b'@' || b >= 0x80
}

fn syntax_error(src: &str, pos: usize, what: &str) -> OdbcError {
    // Report a 1-based character position: what an editor shows.
    let position = src.get(..pos).map_or(pos, |prefix| prefix.chars().count()) + 1;
    OdbcError::syntax(format!("Syntax error: {what} at position {position}"))
}

/// The position just past a quoted token opened at `start` and closed by
/// `close` (a doubled `close` is an escaped one); `None` when unterminated.
/// `backslash` enables `\x` escapes (E'...' strings).
fn end_of_quoted(bytes: &[u8], start: usize, close: u8, backslash: bool) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        if backslash && b == b'\\' {
            i += 2;
        } else if b == close {
            if bytes.get(i + 1) == Some(&close) {
                i += 2;
            } else {
                return Some(i + 1);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The position just past a `--` comment's line (or the end of input).
fn end_of_line_comment(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| start + n + 1)
}

/// The position just past a `/* */` comment, which nests as it does in
/// GenericDialect; `None` when unterminated.
fn end_of_block_comment(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The position just past a dollar-quoted string (`$$...$$`, `$tag$...$tag$`)
/// starting at `start`, `Ok(None)` when the `$` does not open one (a `$1`
/// placeholder), `Err(())` when it is unterminated.
fn end_of_dollar_quoted(bytes: &[u8], start: usize) -> Result<Option<usize>, ()> {
    let tag_end = start
        + 1
        + bytes[start + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
    if bytes.get(tag_end) != Some(&b'$') {
        return Ok(None);
    }
    let delimiter = &bytes[start..=tag_end];
    let body = tag_end + 1;
    bytes[body..]
        .windows(delimiter.len())
        .position(|w| w == delimiter)
        .map(|n| Some(body + n + delimiter.len()))
        .ok_or(())
}

impl Scanner<'_> {
    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn error(&self, pos: usize, what: &str) -> OdbcError {
        syntax_error(self.src, pos, what)
    }

    /// Appends `src[from..to]`; the bounds are always ASCII delimiters, so
    /// the slice never splits a character (checked anyway, never panics).
    fn flush(&self, out: &mut String, from: usize, to: usize) -> Result<(), OdbcError> {
        match self.src.get(from..to) {
            Some(text) => {
                out.push_str(text);
                Ok(())
            }
            None => Err(OdbcError::general(
                "internal error: escape scanner split a character",
            )),
        }
    }

    fn skip_whitespace(&mut self) {
        while self.peek(0).is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// Whether the input at the cursor starts with `word` (ASCII,
    /// case-insensitive) not followed by another word character.
    fn at_keyword(&self, word: &str) -> bool {
        let end = self.pos + word.len();
        self.bytes
            .get(self.pos..end)
            .is_some_and(|b| b.eq_ignore_ascii_case(word.as_bytes()))
            && !self.bytes.get(end).is_some_and(|&b| is_word_byte(b))
    }

    /// Copies text to `out` until `terminator`, rewriting escapes and markers
    /// on the way; leaves the cursor just past the terminator.
    fn copy_until(&mut self, out: &mut String, terminator: Terminator) -> Result<(), OdbcError> {
        let mut run_start = self.pos;
        loop {
            let Some(b) = self.peek(0) else {
                self.flush(out, run_start, self.pos)?;
                return match terminator {
                    Terminator::End => Ok(()),
                    Terminator::Brace => {
                        Err(self.error(self.pos, "escape sequence is missing its closing '}'"))
                    }
                    Terminator::LongForm => Err(self.error(
                        self.pos,
                        "long-form escape sequence is missing its closing '*)--'",
                    )),
                };
            };
            match b {
                b'\'' => {
                    // E'...' strings take backslash escapes (GenericDialect).
                    let escaped = self.pos > 0
                        && matches!(self.bytes[self.pos - 1], b'E' | b'e')
                        && (self.pos < 2 || !is_word_byte(self.bytes[self.pos - 2]));
                    self.pos = end_of_quoted(self.bytes, self.pos, b'\'', escaped)
                        .ok_or_else(|| self.error(self.pos, "unterminated string literal"))?;
                }
                b'"' | b'`' | b'[' => {
                    let close = if b == b'[' { b']' } else { b };
                    self.pos = end_of_quoted(self.bytes, self.pos, close, false)
                        .ok_or_else(|| self.error(self.pos, "unterminated quoted identifier"))?;
                }
                b'-' if self.peek(1) == Some(b'-') => {
                    if self.at_long_form_start() {
                        self.flush(out, run_start, self.pos)?;
                        self.long_form_escape(out)?;
                        run_start = self.pos;
                    } else {
                        self.pos = end_of_line_comment(self.bytes, self.pos);
                    }
                }
                b'/' if self.peek(1) == Some(b'*') => {
                    self.pos = end_of_block_comment(self.bytes, self.pos)
                        .ok_or_else(|| self.error(self.pos, "unterminated comment"))?;
                }
                b'$' if self.pos == 0 || !is_word_byte(self.bytes[self.pos - 1]) => {
                    match end_of_dollar_quoted(self.bytes, self.pos) {
                        Ok(Some(end)) => self.pos = end,
                        Ok(None) => self.pos += 1,
                        Err(()) => {
                            return Err(self.error(self.pos, "unterminated dollar-quoted string"))
                        }
                    }
                }
                b'?' => {
                    self.flush(out, run_start, self.pos)?;
                    self.pos += 1;
                    self.parameter_marker(out);
                    run_start = self.pos;
                }
                b'{' => {
                    self.flush(out, run_start, self.pos)?;
                    self.shorthand_escape(out)?;
                    run_start = self.pos;
                }
                b'}' => {
                    if terminator != Terminator::Brace {
                        return Err(self.error(self.pos, "'}' without a matching '{'"));
                    }
                    self.flush(out, run_start, self.pos)?;
                    self.pos += 1;
                    return Ok(());
                }
                b'*' if terminator == Terminator::LongForm
                    && self.bytes[self.pos..].starts_with(LONG_FORM_END) =>
                {
                    self.flush(out, run_start, self.pos)?;
                    self.pos += LONG_FORM_END.len();
                    return Ok(());
                }
                _ => self.pos += 1,
            }
        }
    }

    fn parameter_marker(&mut self, out: &mut String) {
        self.param_count += 1;
        if !self.number_params {
            out.push('?');
            return;
        }
        // `a?` or `?b` must not fuse into one token once `?` becomes `$n`.
        separate_from_previous(out);
        out.push('$');
        out.push_str(&self.param_count.to_string());
        if self.peek(0).is_some_and(is_word_byte) {
            out.push(' ');
        }
    }

    fn enter(&mut self, open: usize) -> Result<(), OdbcError> {
        self.depth += 1;
        if self.depth > MAX_ESCAPE_DEPTH {
            return Err(self.error(open, "escape sequences nested too deeply"));
        }
        Ok(())
    }

    /// `{...}` at the cursor.
    fn shorthand_escape(&mut self, out: &mut String) -> Result<(), OdbcError> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        self.escape_body(out, open, Terminator::Brace)?;
        self.depth -= 1;
        // `{oj ...}WHERE` must not fuse the join's last word with WHERE.
        if self.peek(0).is_some_and(is_word_byte) {
            out.push(' ');
        }
        Ok(())
    }

    /// `--(*vendor(Microsoft),product(ODBC) ` at the cursor (ODBC 2 form).
    fn at_long_form_start(&self) -> bool {
        let mut probe = Scanner {
            src: self.src,
            bytes: self.bytes,
            pos: self.pos + 2,
            number_params: false,
            param_count: 0,
            depth: 0,
        };
        if probe.peek(0) != Some(b'(') || probe.peek(1) != Some(b'*') {
            return false;
        }
        probe.pos += 2;
        probe.skip_whitespace();
        probe.at_keyword("vendor")
    }

    fn long_form_escape(&mut self, out: &mut String) -> Result<(), OdbcError> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 4; // --(*
        for (i, label) in ["vendor", "product"].into_iter().enumerate() {
            self.skip_whitespace();
            if i == 1 {
                if self.peek(0) != Some(b',') {
                    return Err(self.error(self.pos, "long-form escape expects ',product(...)'"));
                }
                self.pos += 1;
                self.skip_whitespace();
            }
            if !self.at_keyword(label) {
                return Err(self.error(self.pos, "malformed long-form escape prefix"));
            }
            self.pos += label.len();
            self.skip_whitespace();
            if self.peek(0) != Some(b'(') {
                return Err(self.error(self.pos, "malformed long-form escape prefix"));
            }
            let close = self.bytes[self.pos..].iter().position(|&b| b == b')');
            match close {
                Some(n) => self.pos += n + 1,
                None => return Err(self.error(self.pos, "malformed long-form escape prefix")),
            }
        }
        self.escape_body(out, open, Terminator::LongForm)?;
        self.depth -= 1;
        if self.peek(0).is_some_and(is_word_byte) {
            out.push(' ');
        }
        Ok(())
    }

    /// The escape's keyword and contents, through its terminator.
    fn escape_body(
        &mut self,
        out: &mut String,
        open: usize,
        terminator: Terminator,
    ) -> Result<(), OdbcError> {
        self.skip_whitespace();
        if self.peek(0) == Some(b'?') {
            // {?= call proc(...)}: the return value is parameter 1.
            self.pos += 1;
            self.skip_whitespace();
            if self.peek(0) != Some(b'=') {
                return Err(self.error(
                    self.pos,
                    "expected '=' after '?' in a procedure call escape",
                ));
            }
            self.pos += 1;
            self.skip_whitespace();
            if !self.at_keyword("call") {
                return Err(self.error(self.pos, "expected CALL in a procedure call escape"));
            }
            self.param_count += 1;
            self.pos += 4;
            push_keyword(out, "CALL");
            return self.copy_until(out, terminator);
        }
        let keyword_start = self.pos;
        while self.peek(0).is_some_and(|b| b.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        let keyword = &self.src[keyword_start..self.pos];
        match keyword.to_ascii_lowercase().as_str() {
            "fn" => {
                let mut inner = String::new();
                self.copy_until(&mut inner, terminator)?;
                let function = match rewrite_convert(&inner, self.src, open)? {
                    Some(cast) => cast,
                    None => without_keyword_parens(&inner).unwrap_or(inner),
                };
                separate_from_previous(out);
                out.push_str(function.trim_start());
                Ok(())
            }
            "d" => self.typed_literal(out, "DATE", open, terminator),
            "t" => self.typed_literal(out, "TIME", open, terminator),
            "ts" => self.typed_literal(out, "TIMESTAMP", open, terminator),
            "oj" => self.copy_until(out, terminator),
            "escape" => {
                push_keyword(out, "ESCAPE");
                self.copy_until(out, terminator)
            }
            "call" => {
                push_keyword(out, "CALL");
                self.copy_until(out, terminator)
            }
            "interval" => Err(OdbcError::not_implemented(
                "ODBC interval literals ({INTERVAL ...})",
            )),
            "guid" => Err(OdbcError::not_implemented(
                "ODBC GUID literals ({guid ...})",
            )),
            "" => Err(self.error(open, "empty or malformed escape sequence")),
            _ => Err(self.error(open, &format!("unknown ODBC escape sequence '{keyword}'"))),
        }
    }

    /// `{d '...'}`, `{t '...'}`, `{ts '...'}`: exactly one string literal.
    fn typed_literal(
        &mut self,
        out: &mut String,
        type_name: &str,
        open: usize,
        terminator: Terminator,
    ) -> Result<(), OdbcError> {
        self.skip_whitespace();
        if self.peek(0) != Some(b'\'') {
            return Err(self.error(
                open,
                &format!("{type_name} escape expects a quoted literal"),
            ));
        }
        let start = self.pos;
        self.pos = end_of_quoted(self.bytes, start, b'\'', false)
            .ok_or_else(|| self.error(start, "unterminated string literal"))?;
        let end = self.pos;
        self.skip_whitespace();
        let closed = match terminator {
            Terminator::Brace => self.peek(0) == Some(b'}'),
            Terminator::LongForm => self.bytes[self.pos..].starts_with(LONG_FORM_END),
            Terminator::End => false,
        };
        if !closed {
            return Err(self.error(
                self.pos,
                &format!("{type_name} escape must end after its literal"),
            ));
        }
        self.pos += if terminator == Terminator::Brace {
            1
        } else {
            LONG_FORM_END.len()
        };
        push_keyword(out, type_name);
        out.push(' ');
        self.flush(out, start, end)
    }
}

/// Separates a keyword about to be written from a preceding word.
fn separate_from_previous(out: &mut String) {
    if out.as_bytes().last().is_some_and(|&b| is_word_byte(b)) {
        out.push(' ');
    }
}

fn push_keyword(out: &mut String, keyword: &str) {
    separate_from_previous(out);
    out.push_str(keyword);
}

/// sqlparser reads USER (and its relatives) as keywords that take no
/// parentheses, so the ODBC form `{fn USER()}` becomes plain `USER`.
fn without_keyword_parens(body: &str) -> Option<String> {
    const KEYWORDS: [&str; 4] = ["USER", "CURRENT_USER", "SESSION_USER", "CURRENT_CATALOG"];
    let (name, rest) = body.trim().split_once('(')?;
    let name = name.trim_end();
    let is_keyword = KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(name));
    (is_keyword && rest.trim() == ")").then(|| name.to_string())
}

/// The SQL type a `{fn CONVERT(value, SQL_xxx)}` target names. Character
/// targets carry no length (ODBC's CONVERT has none), so they map to the
/// unbounded forms rather than CHAR, which SQL reads as CHAR(1).
fn convert_target(odbc_type: &str) -> Option<&'static str> {
    Some(match odbc_type.to_ascii_uppercase().as_str() {
        "SQL_BIGINT" => "BIGINT",
        "SQL_BIT" => "BIT",
        "SQL_CHAR" | "SQL_VARCHAR" => "VARCHAR",
        "SQL_WCHAR" | "SQL_WVARCHAR" => "NVARCHAR",
        "SQL_LONGVARCHAR" | "SQL_WLONGVARCHAR" => "TEXT",
        "SQL_DOUBLE" => "DOUBLE",
        "SQL_FLOAT" => "FLOAT",
        "SQL_REAL" => "REAL",
        "SQL_DECIMAL" => "DECIMAL",
        "SQL_NUMERIC" => "NUMERIC",
        "SQL_INTEGER" => "INTEGER",
        "SQL_SMALLINT" => "SMALLINT",
        "SQL_TINYINT" => "TINYINT",
        "SQL_DATE" | "SQL_TYPE_DATE" => "DATE",
        "SQL_TIME" | "SQL_TYPE_TIME" => "TIME",
        "SQL_TIMESTAMP" | "SQL_TYPE_TIMESTAMP" => "TIMESTAMP",
        _ => return None,
    })
}

/// Rewrites the body of a `{fn ...}` escape that is `CONVERT(value, SQL_xxx)`
/// into `CAST(value AS type)`; `None` when the body is anything else (a
/// CONVERT naming a plain SQL type is left for the parser).
fn rewrite_convert(body: &str, src: &str, open: usize) -> Result<Option<String>, OdbcError> {
    let trimmed = body.trim_start();
    let bytes = trimmed.as_bytes();
    const NAME: &[u8] = b"CONVERT";
    if !bytes
        .get(..NAME.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(NAME))
    {
        return Ok(None);
    }
    let mut i = NAME.len();
    while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    if bytes.get(i) != Some(&b'(') {
        return Ok(None);
    }
    let args_start = i + 1;
    let mut depth = 0usize;
    let mut last_comma = None;
    let mut close = None;
    i = args_start;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => i = end_of_quoted(bytes, i, b'\'', false).unwrap_or(bytes.len()),
            b'"' | b'`' => i = end_of_quoted(bytes, i, bytes[i], false).unwrap_or(bytes.len()),
            b'[' => i = end_of_quoted(bytes, i, b']', false).unwrap_or(bytes.len()),
            b'-' if bytes.get(i + 1) == Some(&b'-') => i = end_of_line_comment(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = end_of_block_comment(bytes, i).unwrap_or(bytes.len())
            }
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' if depth == 0 => {
                close = Some(i);
                break;
            }
            b')' => {
                depth -= 1;
                i += 1;
            }
            b',' if depth == 0 => {
                last_comma = Some(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    let (Some(close), Some(comma)) = (close, last_comma) else {
        return Ok(None);
    };
    if !trimmed[close + 1..].trim().is_empty() {
        return Ok(None);
    }
    let value = &trimmed[args_start..comma];
    let target = trimmed[comma + 1..close].trim();
    if !target
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("SQL_"))
    {
        return Ok(None);
    }
    match convert_target(target) {
        Some(sql_type) => Ok(Some(format!("CAST({} AS {sql_type})", value.trim()))),
        None if target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            Err(OdbcError::not_implemented(format!("CONVERT to {target}")))
        }
        None => Err(syntax_error(
            src,
            open,
            &format!("invalid CONVERT target '{target}'"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SqlState;

    fn rewrite(sql: &str) -> String {
        match rewrite_odbc_escapes(sql, true) {
            Ok(r) => r.sql,
            Err(e) => panic!("{sql}: {e}"),
        }
    }

    fn native(sql: &str) -> String {
        rewrite_odbc_escapes(sql, false)
            .map(|r| r.sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn error(sql: &str) -> OdbcError {
        match rewrite_odbc_escapes(sql, true) {
            Ok(r) => panic!("{sql} unexpectedly rewrote to {}", r.sql),
            Err(e) => e,
        }
    }

    #[test]
    fn plain_sql_is_copied_verbatim() {
        let sql = "SELECT a, \"b c\" FROM t WHERE x = 'y' -- done\n";
        assert_eq!(rewrite(sql), sql);
    }

    #[test]
    fn scalar_function_escapes_unwrap() {
        assert_eq!(
            rewrite("SELECT {fn UCASE(name)} FROM t"),
            "SELECT UCASE(name) FROM t"
        );
        assert_eq!(rewrite("SELECT {FN ucase(name)}"), "SELECT ucase(name)");
        assert_eq!(rewrite("SELECT { fn  LEFT(a, 2) }"), "SELECT LEFT(a, 2) ");
    }

    #[test]
    fn nested_function_escapes_unwrap() {
        assert_eq!(
            rewrite("SELECT {fn UCASE({fn LTRIM(name)})}"),
            "SELECT UCASE(LTRIM(name))"
        );
        assert_eq!(
            rewrite("SELECT {fn CONCAT({fn CONCAT(a, 'x')}, {fn CURDATE()})} FROM t"),
            "SELECT CONCAT(CONCAT(a, 'x'), CURDATE()) FROM t"
        );
    }

    #[test]
    fn datetime_literal_escapes_become_typed_literals() {
        assert_eq!(
            rewrite("WHERE d = {d '2025-01-31'}"),
            "WHERE d = DATE '2025-01-31'"
        );
        assert_eq!(
            rewrite("WHERE t = {t '10:20:30'}"),
            "WHERE t = TIME '10:20:30'"
        );
        assert_eq!(
            rewrite("WHERE ts > {ts '2025-01-31 10:20:30.5'}"),
            "WHERE ts > TIMESTAMP '2025-01-31 10:20:30.5'"
        );
        assert_eq!(rewrite("SELECT{d'2025-01-31'}"), "SELECT DATE '2025-01-31'");
        assert_eq!(rewrite("{D '2025-01-31'}"), "DATE '2025-01-31'");
    }

    #[test]
    fn outer_join_escape_unwraps() {
        assert_eq!(
            rewrite("SELECT * FROM {oj a LEFT OUTER JOIN b ON a.id = b.aid}WHERE a.x = 1"),
            "SELECT * FROM  a LEFT OUTER JOIN b ON a.id = b.aid WHERE a.x = 1"
        );
    }

    #[test]
    fn like_escape_clause_unwraps() {
        assert_eq!(
            rewrite("WHERE n LIKE 'a\\_%' {escape '\\'}"),
            "WHERE n LIKE 'a\\_%' ESCAPE '\\'"
        );
    }

    #[test]
    fn procedure_calls_unwrap_and_count_the_return_marker() {
        assert_eq!(rewrite("{call p(1, 2)}"), "CALL p(1, 2)");
        let r = rewrite_odbc_escapes("{?= call p(?, ?)}", true).unwrap();
        assert_eq!(r.sql, "CALL p($2, $3)");
        assert_eq!(r.param_count, 3);
        let r = rewrite_odbc_escapes("{ ? = CALL p}", false).unwrap();
        assert_eq!(r.sql, "CALL p");
        assert_eq!(r.param_count, 1);
    }

    #[test]
    fn convert_maps_odbc_type_names() {
        assert_eq!(
            rewrite("SELECT {fn CONVERT(x, SQL_INTEGER)}"),
            "SELECT CAST(x AS INTEGER)"
        );
        assert_eq!(
            rewrite("SELECT {fn convert( a + 1 , sql_bigint )}"),
            "SELECT CAST(a + 1 AS BIGINT)"
        );
        assert_eq!(
            rewrite("{fn CONVERT(f(a, b), SQL_VARCHAR)}"),
            "CAST(f(a, b) AS VARCHAR)"
        );
        assert_eq!(
            rewrite("{fn CONVERT('a,b', SQL_WCHAR)}"),
            "CAST('a,b' AS NVARCHAR)"
        );
        assert_eq!(
            rewrite("{fn CONVERT({fn CURDATE()}, SQL_TYPE_TIMESTAMP)}"),
            "CAST(CURDATE() AS TIMESTAMP)"
        );
        assert_eq!(
            rewrite("{fn CONVERT({fn CONVERT(x, SQL_CHAR)}, SQL_DOUBLE)}"),
            "CAST(CAST(x AS VARCHAR) AS DOUBLE)"
        );
        let all = [
            ("SQL_BIT", "BIT"),
            ("SQL_LONGVARCHAR", "TEXT"),
            ("SQL_WLONGVARCHAR", "TEXT"),
            ("SQL_WVARCHAR", "NVARCHAR"),
            ("SQL_FLOAT", "FLOAT"),
            ("SQL_REAL", "REAL"),
            ("SQL_DECIMAL", "DECIMAL"),
            ("SQL_NUMERIC", "NUMERIC"),
            ("SQL_SMALLINT", "SMALLINT"),
            ("SQL_TINYINT", "TINYINT"),
            ("SQL_DATE", "DATE"),
            ("SQL_TYPE_DATE", "DATE"),
            ("SQL_TIME", "TIME"),
            ("SQL_TYPE_TIME", "TIME"),
            ("SQL_TIMESTAMP", "TIMESTAMP"),
        ];
        for (odbc, sql) in all {
            assert_eq!(
                rewrite(&format!("{{fn CONVERT(x, {odbc})}}")),
                format!("CAST(x AS {sql})")
            );
        }
    }

    #[test]
    fn keyword_functions_lose_their_empty_parentheses() {
        assert_eq!(rewrite("SELECT {fn USER()} FROM t"), "SELECT USER FROM t");
        assert_eq!(rewrite("SELECT {fn user ( )}"), "SELECT user");
        assert_eq!(rewrite("SELECT {fn DATABASE()}"), "SELECT DATABASE()");
        assert_eq!(rewrite("SELECT {fn USERNAME()}"), "SELECT USERNAME()");
    }

    #[test]
    fn convert_to_plain_types_is_left_for_the_parser() {
        assert_eq!(rewrite("{fn CONVERT(x, INTEGER)}"), "CONVERT(x, INTEGER)");
    }

    #[test]
    fn convert_to_unsupported_odbc_types_is_not_implemented() {
        assert_eq!(
            error("{fn CONVERT(x, SQL_GUID)}").state,
            SqlState::OptionalFeatureNotImplemented
        );
        assert_eq!(
            error("{fn CONVERT(x, SQL_VARBINARY)}").state,
            SqlState::OptionalFeatureNotImplemented
        );
    }

    #[test]
    fn parameter_markers_are_numbered_in_textual_order() {
        let r = rewrite_odbc_escapes("SELECT ? FROM t WHERE a = ? AND b IN (?,?)", true).unwrap();
        assert_eq!(r.sql, "SELECT $1 FROM t WHERE a = $2 AND b IN ($3,$4)");
        assert_eq!(r.param_count, 4);
        let r = rewrite_odbc_escapes("WHERE {fn UCASE(?)} = ?", true).unwrap();
        assert_eq!(r.sql, "WHERE UCASE($1) = $2");
    }

    #[test]
    fn parameter_markers_do_not_fuse_with_neighbouring_words() {
        assert_eq!(rewrite("a=?AND b"), "a=$1 AND b");
        assert_eq!(rewrite("x??"), "x $1 $2");
    }

    #[test]
    fn native_sql_keeps_markers() {
        let r = rewrite_odbc_escapes("SELECT {fn UCASE(?)} WHERE a = ?", false).unwrap();
        assert_eq!(r.sql, "SELECT UCASE(?) WHERE a = ?");
        assert_eq!(r.param_count, 2);
        assert_eq!(native("{fn CONVERT(?, SQL_BIGINT)}"), "CAST(? AS BIGINT)");
        assert_eq!(native("x=?AND y"), "x=?AND y");
    }

    #[test]
    fn literals_identifiers_and_comments_are_untouched() {
        let sql = "SELECT '{fn x} ?', 'it''s {d ?}', \"col {?}\", `a?`, [b ? {]] c], $$ ? {x $$ -- {fn} ?\n/* ? {oj /* ? */ } */ ?";
        let r = rewrite_odbc_escapes(sql, true).unwrap();
        assert_eq!(r.param_count, 1);
        assert!(r.sql.ends_with("*/ $1"), "{}", r.sql);
        assert!(r.sql.starts_with("SELECT '{fn x} ?', 'it''s {d ?}', \"col {?}\", `a?`, [b ? {]] c], $$ ? {x $$ -- {fn} ?\n"));
    }

    #[test]
    fn backslash_strings_are_respected() {
        let r = rewrite_odbc_escapes(r"SELECT E'a\'?' , ?", true).unwrap();
        assert_eq!(r.sql, r"SELECT E'a\'?' , $1");
    }

    #[test]
    fn multibyte_text_passes_through() {
        let sql = "SELECT 'Zürich ✓ {fn 😀}' AS \"ñ?\" WHERE x = {fn UCASE('é')} AND y = ?";
        assert_eq!(
            rewrite(sql),
            "SELECT 'Zürich ✓ {fn 😀}' AS \"ñ?\" WHERE x = UCASE('é') AND y = $1"
        );
        assert_eq!(rewrite("SELECT ünïcode?"), "SELECT ünïcode $1");
    }

    #[test]
    fn long_form_escapes_are_rewritten() {
        assert_eq!(
            rewrite("SELECT --(*vendor(Microsoft),product(ODBC) fn UCASE(x)*)-- FROM t"),
            "SELECT UCASE(x) FROM t"
        );
        assert_eq!(
            rewrite("WHERE d = --(* VENDOR(Microsoft), PRODUCT(ODBC) d '2025-01-31' *)--"),
            "WHERE d = DATE '2025-01-31'"
        );
        // An ordinary comment that happens to start with a parenthesis stays.
        assert_eq!(
            rewrite("SELECT 1 --(* note *)--\n"),
            "SELECT 1 --(* note *)--\n"
        );
    }

    #[test]
    fn unbalanced_braces_are_syntax_errors_with_positions() {
        let e = error("SELECT {fn UCASE(x)");
        assert_eq!(e.state, SqlState::SyntaxError);
        assert!(e.message.contains("position 20"), "{}", e.message);
        let e = error("SELECT x}");
        assert_eq!(e.state, SqlState::SyntaxError);
        assert!(e.message.contains("position 9"), "{}", e.message);
    }

    #[test]
    fn unterminated_tokens_are_syntax_errors() {
        for sql in [
            "SELECT 'abc",
            "SELECT \"abc",
            "SELECT [abc",
            "SELECT /* x",
            "SELECT 'é",
            "SELECT $$ x",
            "{fn x('a)}",
        ] {
            assert_eq!(error(sql).state, SqlState::SyntaxError, "{sql}");
        }
        let e = error("SELECT 'ü ");
        assert!(e.message.contains("position 8"), "{}", e.message);
    }

    #[test]
    fn malformed_escapes_are_rejected() {
        assert_eq!(error("{foo bar}").state, SqlState::SyntaxError);
        assert!(error("{foo bar}").message.contains("foo"));
        assert_eq!(error("{}").state, SqlState::SyntaxError);
        assert_eq!(error("{d 2025}").state, SqlState::SyntaxError);
        assert_eq!(error("{d '2025-01-01' x}").state, SqlState::SyntaxError);
        assert_eq!(error("{?call p}").state, SqlState::SyntaxError);
        assert_eq!(
            error("{INTERVAL '1' DAY}").state,
            SqlState::OptionalFeatureNotImplemented
        );
        assert_eq!(
            error("{guid '1234'}").state,
            SqlState::OptionalFeatureNotImplemented
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let sql = "{fn ".repeat(10_000) + &"}".repeat(10_000);
        assert_eq!(error(&sql).state, SqlState::SyntaxError);
        let sql = "{fn f(".repeat(40) + &")}".repeat(40);
        assert!(rewrite_odbc_escapes(&sql, true).is_ok());
    }

    #[test]
    fn never_panics_on_arbitrary_prefixes() {
        let samples = [
            "SELECT {fn CONVERT('ü', SQL_CHAR)}, ?, 'x''y', \"a\"\"b\", [c]]d], `e``f`, $t$ ? $t$, E'\\'' --(*vendor(a),product(b) d '2025-01-01'*)-- /* /* */ */ -- z",
            "{?=call p(?)} {oj a LEFT JOIN b ON {fn LCASE(a.x)} = b.y} {escape '!'} -- trailing --(*vendor",
        ];
        for sample in samples {
            let mut cut = 0;
            while cut <= sample.len() {
                if let Some(prefix) = sample.get(..cut) {
                    let _ = rewrite_odbc_escapes(prefix, true);
                    let _ = rewrite_odbc_escapes(prefix, false);
                }
                cut += 1;
            }
            // The whole sample must rewrite.
            assert!(rewrite_odbc_escapes(sample, true).is_ok(), "{sample}");
        }
    }

    #[test]
    fn random_input_never_panics_and_numbers_every_marker() {
        let pieces = [
            "{",
            "}",
            "'",
            "\"",
            "[",
            "]",
            "`",
            "-",
            "--",
            "/*",
            "*/",
            "?",
            "$",
            "$$",
            "fn ",
            "d ",
            "oj ",
            "escape ",
            "call ",
            "?=",
            "CONVERT(",
            "SQL_INTEGER",
            ",",
            ")",
            "(",
            " ",
            "\n",
            "é",
            "😀",
            "E'",
            "\\",
            "x",
            "1",
            "--(*vendor(a),product(b) ",
            "*)--",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut rewritten_ok = 0;
        for _ in 0..50_000 {
            let sql: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            let native = rewrite_odbc_escapes(&sql, false);
            if let Ok(r) = rewrite_odbc_escapes(&sql, true) {
                rewritten_ok += 1;
                let native = native.expect("numbering must not change what is accepted");
                assert_eq!(r.param_count, native.param_count, "{sql:?}");
                // Each marker outside literals became $n, in order.
                let last = format!("${}", r.param_count);
                assert!(
                    r.param_count == 0 || r.sql.contains(&last) || sql.contains("?="),
                    "{sql:?} -> {:?}",
                    r.sql
                );
            }
        }
        assert!(
            rewritten_ok > 5_000,
            "only {rewritten_ok} inputs were accepted"
        );
    }

    #[test]
    fn rewritten_placeholders_parse_in_sqlparser() {
        use sqlparser::dialect::GenericDialect;
        use sqlparser::parser::Parser;
        let sql = rewrite("SELECT {fn UCASE(name)} FROM t WHERE id = ? AND d > {d '2025-01-01'}");
        let parsed = Parser::parse_sql(&GenericDialect {}, &sql);
        assert!(parsed.is_ok(), "{sql}: {parsed:?}");
        assert!(format!("{parsed:?}").contains("Placeholder(\"$1\")"));
    }
}
