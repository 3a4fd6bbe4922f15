//! LIKE patterns: `%` matches any run of characters, `_` exactly one, an
//! optional ESCAPE character makes the next `%`, `_` or itself literal.
//! Matching is case-sensitive and by code point (a multi-byte character is
//! one `_`). The matcher is the classic greedy wildcard algorithm that only
//! ever backtracks to the most recent `%`: O(text x pattern) in the worst
//! case, never exponential, and no regex engine.

use crate::diag::{OdbcError, SqlState};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `_`
    AnyChar,
    /// `%` (a run of them collapses into one)
    AnyRun,
}

/// A compiled LIKE pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikePattern {
    tokens: Vec<Token>,
}

/// Validates an ESCAPE operand: exactly one character (SQLSTATE 22019
/// otherwise, as ISO SQL requires).
pub fn escape_character(text: &str) -> Result<char, OdbcError> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(OdbcError::new(
            SqlState::InvalidEscapeCharacter,
            format!("Invalid escape character: the LIKE escape must be exactly one character, not '{text}'"),
        )),
    }
}

impl LikePattern {
    /// Compiles `pattern`; with an escape character, the escape must be
    /// followed by `%`, `_` or itself (SQLSTATE 22025 otherwise).
    pub fn compile(pattern: &str, escape: Option<char>) -> Result<LikePattern, OdbcError> {
        let mut tokens = Vec::with_capacity(pattern.len());
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if Some(c) == escape {
                match chars.next() {
                    Some(next) if next == c || next == '%' || next == '_' => tokens.push(Token::Literal(next)),
                    _ => {
                        return Err(OdbcError::new(
                            SqlState::InvalidEscapeSequence,
                            format!("Invalid escape sequence in LIKE pattern '{pattern}': '{c}' must be followed by '%', '_' or '{c}'"),
                        ))
                    }
                }
            } else if c == '%' {
                if tokens.last() != Some(&Token::AnyRun) {
                    tokens.push(Token::AnyRun);
                }
            } else if c == '_' {
                tokens.push(Token::AnyChar);
            } else {
                tokens.push(Token::Literal(c));
            }
        }
        Ok(LikePattern { tokens })
    }

    pub fn matches(&self, text: &str) -> bool {
        let tokens = &self.tokens;
        let next_char = |at: usize| text.get(at..).and_then(|rest| rest.chars().next());
        let mut token = 0;
        let mut at = 0;
        // Where to resume after a mismatch: the token after the latest `%`
        // and the text position that `%` has consumed up to.
        let mut resume: Option<(usize, usize)> = None;
        loop {
            if let Some(current) = tokens.get(token) {
                match current {
                    Token::AnyRun => {
                        token += 1;
                        resume = Some((token, at));
                        continue;
                    }
                    Token::AnyChar => {
                        if let Some(c) = next_char(at) {
                            token += 1;
                            at += c.len_utf8();
                            continue;
                        }
                    }
                    Token::Literal(expected) => {
                        if let Some(c) = next_char(at).filter(|c| c == expected) {
                            token += 1;
                            at += c.len_utf8();
                            continue;
                        }
                    }
                }
            } else if at == text.len() {
                return true;
            }
            // Mismatch: let the latest `%` swallow one more character.
            let Some((resume_token, resume_at)) = resume else {
                return false;
            };
            let Some(c) = next_char(resume_at) else {
                return false;
            };
            at = resume_at + c.len_utf8();
            token = resume_token;
            resume = Some((resume_token, at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn like(text: &str, pattern: &str) -> bool {
        LikePattern::compile(pattern, None).unwrap().matches(text)
    }

    fn like_escaped(text: &str, pattern: &str, escape: char) -> bool {
        LikePattern::compile(pattern, Some(escape))
            .unwrap()
            .matches(text)
    }

    #[test]
    fn literal_patterns_match_exactly() {
        assert!(like("abc", "abc"));
        assert!(!like("abc", "abd"));
        assert!(!like("abc", "ab"));
        assert!(!like("ab", "abc"));
        assert!(like("", ""));
        assert!(!like("a", ""));
    }

    #[test]
    fn matching_is_case_sensitive() {
        assert!(!like("ABC", "abc"));
        assert!(like("ABC", "A%"));
        assert!(!like("abc", "A%"));
    }

    #[test]
    fn percent_matches_any_run_including_empty() {
        assert!(like("abc", "%"));
        assert!(like("", "%"));
        assert!(like("", "%%%"));
        assert!(like("abc", "a%"));
        assert!(like("abc", "%c"));
        assert!(like("abc", "%b%"));
        assert!(like("abc", "a%%%c"));
        assert!(like("ac", "a%c"));
        assert!(!like("abd", "a%c"));
        assert!(like("mississippi", "%iss%ppi"));
        assert!(like("aaa", "%a%a%a%"));
        assert!(!like("aa", "%a%a%a%"));
    }

    #[test]
    fn underscore_matches_exactly_one_character() {
        assert!(like("abc", "a_c"));
        assert!(!like("ac", "a_c"));
        assert!(!like("abbc", "a_c"));
        assert!(like("abc", "___"));
        assert!(!like("abc", "____"));
        assert!(!like("", "_"));
        assert!(like("abc", "_%"));
        assert!(!like("", "_%"));
    }

    #[test]
    fn multibyte_characters_count_as_one() {
        assert!(like("é", "_"));
        assert!(like("zürich", "z_rich"));
        assert!(like("😀x", "_x"));
        assert!(!like("😀", "__"));
        assert!(like("日本語", "%本%"));
        assert!(like("日本語", "日__"));
        assert!(!like("日本語", "日_"));
    }

    #[test]
    fn escape_makes_wildcards_literal() {
        assert!(like_escaped("50%", "50!%", '!'));
        assert!(!like_escaped("500", "50!%", '!'));
        assert!(like_escaped("a_b", "a!_b", '!'));
        assert!(!like_escaped("axb", "a!_b", '!'));
        assert!(like_escaped("a!b", "a!!b", '!'));
        assert!(like_escaped("100% sure", "%!%%", '!'));
        assert!(like_escaped("x\\y", "x\\\\y", '\\'));
        // The escape may itself be a wildcard character.
        assert!(like_escaped("a%", "a%%", '%'));
        assert!(!like_escaped("ab", "a%%", '%'));
    }

    #[test]
    fn bad_escapes_report_the_iso_states() {
        let e = LikePattern::compile("a!b", Some('!')).unwrap_err();
        assert_eq!(e.state, SqlState::InvalidEscapeSequence);
        let e = LikePattern::compile("ab!", Some('!')).unwrap_err();
        assert_eq!(e.state, SqlState::InvalidEscapeSequence);
        assert_eq!(
            escape_character("").unwrap_err().state,
            SqlState::InvalidEscapeCharacter
        );
        assert_eq!(
            escape_character("ab").unwrap_err().state,
            SqlState::InvalidEscapeCharacter
        );
        assert_eq!(escape_character("é").unwrap(), 'é');
    }

    /// The definition, by brute-force recursion (exponential, fine for
    /// short strings).
    fn reference(text: &[char], pattern: &[char], escape: Option<char>) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some((&e, rest)) if Some(e) == escape => match (rest.split_first(), text.split_first())
            {
                (Some((&literal, rest)), Some((&c, text))) => {
                    c == literal && reference(text, rest, escape)
                }
                _ => false,
            },
            Some(('%', rest)) => {
                (0..=text.len()).any(|skip| reference(&text[skip..], rest, escape))
            }
            Some(('_', rest)) => !text.is_empty() && reference(&text[1..], rest, escape),
            Some((&p, rest)) => text.first() == Some(&p) && reference(&text[1..], rest, escape),
        }
    }

    #[test]
    fn agrees_with_the_definition_on_random_inputs() {
        let alphabet = ['a', 'b', 'é', '%', '_', '!'];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..20_000 {
            let text: String = (0..next(8)).map(|_| alphabet[next(3)]).collect();
            let pattern: String = (0..next(7))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let escape = if next(2) == 0 { Some('!') } else { None };
            let chars = |s: &str| s.chars().collect::<Vec<_>>();
            match LikePattern::compile(&pattern, escape) {
                Ok(compiled) => assert_eq!(
                    compiled.matches(&text),
                    reference(&chars(&text), &chars(&pattern), escape),
                    "{text:?} LIKE {pattern:?} ESCAPE {escape:?}"
                ),
                Err(_) => assert!(escape.is_some(), "{pattern:?} without escape must compile"),
            }
        }
    }

    #[test]
    fn pathological_patterns_finish_quickly() {
        let text = "a".repeat(5_000);
        let pattern = "%a".repeat(50) + "b";
        let start = std::time::Instant::now();
        assert!(!like(&text, &pattern));
        assert!(like(&text, &("%a".repeat(50) + "%")));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }
}
