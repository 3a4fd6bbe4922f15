//! ODBC connection strings: parsing what SQLDriverConnect receives and
//! quoting values for the completed string it returns.
//!
//! Grammar (SQLDriverConnect, "Comments"):
//!
//! ```text
//! connection-string ::= empty-string[;] | attribute[;] | attribute; connection-string
//! attribute         ::= attribute-keyword=attribute-value | DRIVER=[{]attribute-value[}]
//! ```
//!
//! Keywords are case-insensitive and trimmed. Values are trimmed unless
//! enclosed in braces; a braced value may contain `;` and `=`, and `}}` inside
//! it stands for one `}` (the escape every Microsoft driver and .NET use).
//! Empty attributes (`;;`, a trailing `;`) are allowed.
//!
//! Repeated keywords: the specification says "If any keywords are repeated in
//! the connection string, the driver uses the value associated with the first
//! occurrence of the keyword. If the DSN and DRIVER keywords are included in
//! the same connection string, the Driver Manager and the driver use
//! whichever keyword appears first." [`parse`] applies both rules, so its
//! result holds each keyword once and at most one of DSN / DRIVER.
//!
//! Malformed strings (an attribute without `=`, an empty keyword, an
//! unterminated brace, text after a closing brace) fail with SQLSTATE 08001.
//! SQLDriverConnect defines no state for a malformed string: 01S00 is a
//! warning for keywords the driver ignored while still connecting, and HY000
//! is for errors no specific state covers; 08001 ("client unable to establish
//! connection") is the function's specific state for a connection that cannot
//! be made, and applications route class 08 to their "connection failed"
//! handling. Messages give the character position, never the text, since the
//! text around a syntax error may be a token.

use crate::diag::{OdbcError, SqlState};

/// Parses a connection string into its effective `(keyword, value)` pairs, in
/// order of first occurrence; keywords keep the caller's spelling, trimmed.
pub fn parse(input: &str) -> Result<Vec<(String, String)>, OdbcError> {
    let mut pairs = Vec::new();
    let mut cursor = Cursor {
        chars: input.chars().collect(),
        position: 0,
    };
    while !cursor.at_end() {
        let attribute_start = cursor.position;
        let keyword = cursor.take_until(|c| c == '=' || c == ';');
        let keyword = keyword.trim();
        match cursor.next() {
            // An empty attribute (`;;`, `; ;`, a trailing `;`) or the end.
            Some(';') | None if keyword.is_empty() => continue,
            Some(';') | None => {
                return Err(malformed(format!(
                    "the attribute at character {} has no '=' between keyword and value",
                    attribute_start + 1
                )))
            }
            _ => {}
        }
        if keyword.is_empty() {
            return Err(malformed(format!(
                "the attribute at character {} has an empty keyword",
                attribute_start + 1
            )));
        }
        cursor.skip_whitespace();
        let value = if cursor.peek() == Some('{') {
            cursor.read_braced_value()?
        } else {
            cursor.take_until(|c| c == ';').trim().to_string()
        };
        // Consume the separator (if not at the end).
        cursor.next();
        pairs.push((keyword.to_string(), value));
    }
    Ok(first_occurrences(pairs))
}

/// Applies the specification's rules for repeated keywords: the first
/// occurrence of a keyword wins, and of DSN and DRIVER only whichever comes
/// first is kept.
pub fn first_occurrences(
    pairs: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    let mut kept: Vec<(String, String)> = Vec::new();
    let is_target =
        |key: &str| key.eq_ignore_ascii_case("DSN") || key.eq_ignore_ascii_case("DRIVER");
    for (key, value) in pairs {
        let key_trimmed = key.trim();
        let repeated = kept
            .iter()
            .any(|(seen, _)| seen.trim().eq_ignore_ascii_case(key_trimmed));
        let second_target =
            is_target(key_trimmed) && kept.iter().any(|(seen, _)| is_target(seen.trim()));
        if !repeated && !second_target {
            kept.push((key, value));
        }
    }
    kept
}

/// Writes a value so that [`parse`] reads it back unchanged: in braces (with
/// `}` doubled) when it contains `;`, `{`, `}`, `=` or leading or trailing
/// whitespace, as is otherwise.
pub fn quote_value(value: &str) -> String {
    let needs_braces = value.contains([';', '{', '}', '='])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace);
    if needs_braces {
        brace(value)
    } else {
        value.to_string()
    }
}

/// Always braces a value (the DRIVER keyword's conventional form).
pub fn brace(value: &str) -> String {
    format!("{{{}}}", value.replace('}', "}}"))
}

/// Formats pairs as a connection string: `KEY=value;KEY2={v;2}`.
pub fn format_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(key, value)| format!("{key}={}", quote_value(value)))
        .collect::<Vec<_>>()
        .join(";")
}

fn malformed(detail: String) -> OdbcError {
    OdbcError::new(
        SqlState::UnableToConnect,
        format!("Malformed connection string: {detail}"),
    )
}

/// Reads characters of the connection string; positions are character
/// indexes (what a user counts), not byte offsets.
struct Cursor {
    chars: Vec<char>,
    position: usize,
}

impl Cursor {
    fn at_end(&self) -> bool {
        self.position >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.position += 1;
        }
        c
    }

    /// Takes characters up to (not including) the first one matching `stop`.
    fn take_until(&mut self, stop: impl Fn(char) -> bool) -> String {
        let mut taken = String::new();
        while let Some(c) = self.peek() {
            if stop(c) {
                break;
            }
            taken.push(c);
            self.position += 1;
        }
        taken
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.position += 1;
        }
    }

    /// Reads `{...}` with `}}` as an escaped `}`; only whitespace may follow
    /// the closing brace before `;` or the end.
    fn read_braced_value(&mut self) -> Result<String, OdbcError> {
        let open_position = self.position;
        self.next();
        let mut value = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(malformed(format!(
                        "the brace at character {} is not closed",
                        open_position + 1
                    )))
                }
                Some('}') if self.peek() == Some('}') => {
                    self.next();
                    value.push('}');
                }
                Some('}') => break,
                Some(c) => value.push(c),
            }
        }
        self.skip_whitespace();
        match self.peek() {
            None | Some(';') => Ok(value),
            Some(_) => Err(malformed(format!(
                "unexpected text at character {} after the braced value that starts at character {}",
                self.position + 1,
                open_position + 1
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn plain_pairs_are_trimmed() {
        let parsed = parse(" DSN = Pipedrive ; APIToken= abc ").unwrap();
        assert_eq!(parsed, pairs(&[("DSN", "Pipedrive"), ("APIToken", "abc")]));
    }

    #[test]
    fn empty_attributes_and_trailing_separator_are_allowed() {
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(parse(";").unwrap(), vec![]);
        assert_eq!(parse("  ").unwrap(), vec![]);
        assert_eq!(
            parse(";;A=1;; ;B=2;").unwrap(),
            pairs(&[("A", "1"), ("B", "2")])
        );
    }

    #[test]
    fn empty_values_are_values() {
        assert_eq!(
            parse("A=;B=  ;C={}").unwrap(),
            pairs(&[("A", ""), ("B", ""), ("C", "")])
        );
    }

    #[test]
    fn braced_values_keep_separators_spaces_and_escaped_braces() {
        let parsed = parse("DRIVER={Pipedrive ODBC};PWD={ a;b=c }}d };X=1").unwrap();
        assert_eq!(
            parsed,
            pairs(&[
                ("DRIVER", "Pipedrive ODBC"),
                ("PWD", " a;b=c }d "),
                ("X", "1")
            ])
        );
        assert_eq!(
            parse("K = {v} ; L=2").unwrap(),
            pairs(&[("K", "v"), ("L", "2")])
        );
        assert_eq!(parse("K={}}}").unwrap(), pairs(&[("K", "}")]));
        assert_eq!(parse("K={{}").unwrap(), pairs(&[("K", "{")]));
    }

    #[test]
    fn braces_inside_an_unbraced_value_are_literal() {
        assert_eq!(parse("K=a{b}c").unwrap(), pairs(&[("K", "a{b}c")]));
        assert_eq!(parse("K=a=b").unwrap(), pairs(&[("K", "a=b")]));
    }

    #[test]
    fn the_first_occurrence_of_a_keyword_wins_case_insensitively() {
        let parsed = parse("Timeout=5;TIMEOUT=10;timeout=20").unwrap();
        assert_eq!(parsed, pairs(&[("Timeout", "5")]));
    }

    #[test]
    fn of_dsn_and_driver_the_first_wins() {
        assert_eq!(
            parse("DRIVER={X};DSN=y").unwrap(),
            pairs(&[("DRIVER", "X")])
        );
        assert_eq!(
            parse("dsn=y;Driver=X;A=1").unwrap(),
            pairs(&[("dsn", "y"), ("A", "1")])
        );
    }

    #[test]
    fn malformed_strings_fail_with_08001_without_echoing_text() {
        for input in [
            "secrettoken",
            "A=1;secrettoken",
            "A=1;=secrettoken",
            "K={secrettoken",
            "K={secret}token",
        ] {
            let err = parse(input).unwrap_err();
            assert_eq!(err.state, SqlState::UnableToConnect, "{input}");
            assert!(!err.message.contains("secret"), "{input}: {}", err.message);
            assert!(!err.message.contains("token"), "{input}: {}", err.message);
        }
        assert!(parse("A=1;B").unwrap_err().message.contains("character 5"));
        assert!(parse("K={x").unwrap_err().message.contains("not closed"));
    }

    #[test]
    fn quote_value_round_trips_through_parse() {
        for value in [
            "plain",
            "",
            "a;b",
            "x=y",
            "{braced}",
            "}}",
            " lead",
            "trail ",
            "with space",
            "ünïcode",
        ] {
            let text = format!("K={}", quote_value(value));
            assert_eq!(parse(&text).unwrap(), pairs(&[("K", value)]), "{text}");
        }
        assert_eq!(quote_value("plain"), "plain");
        assert_eq!(quote_value("a}b;"), "{a}}b;}");
        assert_eq!(brace("Pipedrive"), "{Pipedrive}");
    }

    #[test]
    fn format_pairs_joins_with_semicolons() {
        assert_eq!(format_pairs([("DSN", "x"), ("A", "b;c")]), "DSN=x;A={b;c}");
    }

    #[test]
    fn first_occurrences_also_applies_to_sqlconnect_pairs() {
        let kept = first_occurrences(pairs(&[
            ("DSN", "a"),
            ("UID", ""),
            ("dsn", "b"),
            ("PWD", "p"),
        ]));
        assert_eq!(kept, pairs(&[("DSN", "a"), ("UID", ""), ("PWD", "p")]));
    }
}
