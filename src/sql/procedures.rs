//! The driver's stored procedures: the OAuth steps a user runs by hand on
//! a connection that is not authorized yet (only the OAuth app's settings),
//! as the manual and headless flows require.
//!
//! One table ([`PROCEDURES`]) defines them; SQLProcedures,
//! SQLProcedureColumns, `sys_procedures` and `sys_procedureparameters` are
//! all generated from it. They are called with
//! `EXEC name p1='..', p2='..'` (or `EXECUTE`, `@p1=`), `CALL name(...)`
//! (positional or `name => value` / `name = value`), or the ODBC escape
//! `{call name(?, ?)}` with bound parameters, and each returns one row.
//!
//! Argument values are never echoed in errors, and [`loggable`] masks the
//! literals of a call before the statement text reaches the log: they are
//! codes and tokens.

use crate::auth::{self, BrowserRequest, OAuthClient, Tokens};
use crate::config::Secret;
use crate::diag::{OdbcError, Result, SqlState};
use crate::session::{network_settings, Session};
use crate::sql::{ResultColumn, RowSource, VecSource};
use crate::types::DataType;
use crate::value::Value;
use std::borrow::Cow;

/// An input parameter of a procedure.
#[derive(Debug)]
pub struct ParameterDef {
    pub name: &'static str,
    pub description: &'static str,
    /// Required in every call (others have a default or depend on a mode).
    pub required: bool,
}

/// A column of a procedure's one-row result.
#[derive(Debug)]
pub struct OutputDef {
    pub name: &'static str,
    pub data_type: DataType,
    pub description: &'static str,
}

#[derive(Debug)]
pub struct ProcedureDef {
    pub name: &'static str,
    pub description: &'static str,
    pub parameters: &'static [ParameterDef],
    pub outputs: &'static [OutputDef],
    run: fn(&Arguments, &Session) -> Result<Vec<Value>>,
}

impl PartialEq for ProcedureDef {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// The type every parameter is passed as.
pub const PARAMETER_TYPE: DataType = DataType::WVarchar(2000);
const TOKEN_TYPE: DataType = DataType::WVarchar(512);

const CALLBACK_URL: ParameterDef = ParameterDef {
    name: "CallbackURL",
    description: "Redirect URL registered for the OAuth app; default: the CallbackURL property.",
    required: false,
};
const STATE: ParameterDef = ParameterDef {
    name: "State",
    description:
        "Value the OAuth server returns unchanged with the redirect; default: a random value.",
    required: false,
};

pub static PROCEDURES: &[ProcedureDef] = &[
    ProcedureDef {
        name: "GetOAuthAuthorizationURL",
        description: "Returns the URL of the OAuth consent page. Open it in a browser, approve the app, and pass the code from the redirect to GetOAuthAccessToken (AuthMode=WEB) or as OAuthVerifier.",
        parameters: &[
            CALLBACK_URL,
            STATE,
            ParameterDef {
                name: "Scope",
                description: "Comma-separated scopes to request; default: the app's registered scopes.",
                required: false,
            },
        ],
        outputs: &[OutputDef {
            name: "URL",
            data_type: DataType::WVarchar(2000),
            description: "The authorization URL.",
        }],
        run: authorization_url,
    },
    ProcedureDef {
        name: "GetOAuthAccessToken",
        description: "Obtains OAuth tokens: APP mode runs the browser flow on CallbackURL; WEB mode exchanges Verifier (the code from the redirect). With InitiateOAuth=REFRESH or GETANDREFRESH the tokens are also saved to OAuthSettingsLocation.",
        parameters: &[
            ParameterDef {
                name: "AuthMode",
                description: "APP (browser on this machine) or WEB (exchange Verifier); default: WEB when Verifier is given, else APP.",
                required: false,
            },
            ParameterDef {
                name: "Verifier",
                description: "Authorization code (or the whole redirect URL) for AuthMode=WEB.",
                required: false,
            },
            CALLBACK_URL,
            STATE,
        ],
        outputs: &[
            OutputDef {
                name: "OAuthAccessToken",
                data_type: TOKEN_TYPE,
                description: "The access token.",
            },
            OutputDef {
                name: "OAuthRefreshToken",
                data_type: TOKEN_TYPE,
                description: "The refresh token (single use: each refresh returns a new one).",
            },
            OutputDef {
                name: "ExpiresIn",
                data_type: DataType::Integer,
                description: "Seconds the access token stays valid.",
            },
            OutputDef {
                name: "APIDomain",
                data_type: DataType::WVarchar(255),
                description: "The company's API URL.",
            },
        ],
        run: access_token,
    },
    ProcedureDef {
        name: "RefreshOAuthAccessToken",
        description: "Trades a refresh token for a new access token and a new refresh token (the old one stops working). With InitiateOAuth=REFRESH or GETANDREFRESH they are also saved to OAuthSettingsLocation.",
        parameters: &[ParameterDef {
            name: "OAuthRefreshToken",
            description: "The refresh token; default: the OAuthRefreshToken property.",
            required: false,
        }],
        outputs: &[
            OutputDef {
                name: "OAuthAccessToken",
                data_type: TOKEN_TYPE,
                description: "The new access token.",
            },
            OutputDef {
                name: "OAuthRefreshToken",
                data_type: TOKEN_TYPE,
                description: "The new refresh token.",
            },
            OutputDef {
                name: "ExpiresIn",
                data_type: DataType::Integer,
                description: "Seconds the access token stays valid.",
            },
        ],
        run: refresh_token,
    },
];

pub fn lookup(name: &str) -> Option<&'static ProcedureDef> {
    PROCEDURES
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

/// How one argument was written.
#[derive(Debug, Clone, PartialEq)]
enum Argument {
    /// A literal; `None` is NULL.
    Literal(Option<String>),
    /// A parameter marker (0-based).
    Marker(usize),
}

/// A parsed call: the procedure and, per parameter, its argument.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcedureCall {
    pub procedure: &'static ProcedureDef,
    arguments: Vec<Option<Argument>>,
}

impl ProcedureCall {
    /// The declared type of each parameter marker.
    pub fn param_types(&self, count: usize) -> Vec<Option<DataType>> {
        let mut types = vec![None; count];
        for argument in self.arguments.iter().flatten() {
            if let Argument::Marker(i) = argument {
                if let Some(slot) = types.get_mut(*i) {
                    *slot = Some(PARAMETER_TYPE);
                }
            }
        }
        types
    }

    pub fn columns(&self) -> Vec<ResultColumn> {
        self.procedure
            .outputs
            .iter()
            .map(|o| ResultColumn::computed(o.name, o.data_type, true))
            .collect()
    }
}

/// Whether a statement (escapes already rewritten) calls a procedure.
pub fn is_call(sql: &str) -> bool {
    let word: String = sql
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    ["EXEC", "EXECUTE", "CALL"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&word))
}

// ----- parsing -----------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    /// A quoted identifier.
    Quoted(String),
    Text(String),
    Marker(usize),
    Equals,
    Comma,
    Open,
    Close,
    Semicolon,
}

fn syntax(message: impl Into<String>) -> OdbcError {
    OdbcError::syntax(message)
}

fn tokenize(sql: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut unnumbered = 0;
    let at = |i: usize| chars.get(i).copied();
    while let Some(c) = at(i) {
        match c {
            c if c.is_whitespace() => i += 1,
            '-' if at(i + 1) == Some('-') => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
            }
            '\'' => {
                let (text, next) = quoted(&chars, i, '\'')?;
                tokens.push(Token::Text(text));
                i = next;
            }
            'N' | 'n' if at(i + 1) == Some('\'') => {
                let (text, next) = quoted(&chars, i + 1, '\'')?;
                tokens.push(Token::Text(text));
                i = next;
            }
            '"' => {
                let (text, next) = quoted(&chars, i, '"')?;
                tokens.push(Token::Quoted(text));
                i = next;
            }
            '[' => {
                let end = (i..chars.len())
                    .find(|&j| chars.get(j) == Some(&']'))
                    .ok_or_else(|| syntax("Unterminated [identifier] in the procedure call"))?;
                tokens.push(Token::Quoted(
                    chars.get(i + 1..end).unwrap_or_default().iter().collect(),
                ));
                i = end + 1;
            }
            '$' if at(i + 1).is_some_and(|c| c.is_ascii_digit()) => {
                let start = i + 1;
                i = start;
                while at(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
                let digits: String = chars.get(start..i).unwrap_or_default().iter().collect();
                let n: usize = digits
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| syntax("Invalid parameter marker in the procedure call"))?;
                tokens.push(Token::Marker(n - 1));
            }
            '?' => {
                tokens.push(Token::Marker(unnumbered));
                unnumbered += 1;
                i += 1;
            }
            '=' if at(i + 1) == Some('>') => {
                tokens.push(Token::Equals);
                i += 2;
            }
            '=' => {
                tokens.push(Token::Equals);
                i += 1;
            }
            ',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            ';' => {
                tokens.push(Token::Semicolon);
                i += 1;
            }
            c if c.is_alphanumeric() || matches!(c, '_' | '@' | '.' | '-' | '+') => {
                let start = i;
                while at(i).is_some_and(|c| {
                    c.is_alphanumeric() || matches!(c, '_' | '@' | '.' | '-' | '+' | ':')
                }) {
                    i += 1;
                }
                tokens.push(Token::Word(
                    chars.get(start..i).unwrap_or_default().iter().collect(),
                ));
            }
            other => {
                return Err(syntax(format!(
                    "Unexpected character '{other}' in the procedure call"
                )))
            }
        }
    }
    Ok(tokens)
}

/// A quoted run starting at `open` (the quote), with doubled quotes as
/// escapes: the text and the index after the closing quote.
fn quoted(chars: &[char], open: usize, quote: char) -> Result<(String, usize)> {
    let mut text = String::new();
    let mut i = open + 1;
    loop {
        match chars.get(i) {
            None => return Err(syntax("Unterminated string in the procedure call")),
            Some(&c) if c == quote && chars.get(i + 1) == Some(&quote) => {
                text.push(quote);
                i += 2;
            }
            Some(&c) if c == quote => return Ok((text, i + 1)),
            Some(&c) => {
                text.push(c);
                i += 1;
            }
        }
    }
}

/// Parses `EXEC|EXECUTE name args` or `CALL name[(args)]`. `param_count` is
/// the number of markers the escape scanner counted; one more than the
/// markers present means `{?= call ...}`, which these procedures do not
/// support (they return a result set, not a value).
pub fn parse_call(sql: &str, param_count: usize) -> Result<ProcedureCall> {
    let mut tokens = tokenize(sql)?;
    while tokens.last() == Some(&Token::Semicolon) {
        tokens.pop();
    }
    let mut rest = tokens.into_iter().peekable();
    let keyword = match rest.next() {
        Some(Token::Word(word)) => word.to_ascii_uppercase(),
        _ => return Err(syntax("Expected EXEC, EXECUTE or CALL")),
    };
    let name = match rest.next() {
        Some(Token::Word(word)) | Some(Token::Quoted(word)) => word,
        _ => return Err(syntax(format!("{keyword} needs a procedure name"))),
    };
    let procedure = lookup(&name).ok_or_else(|| {
        OdbcError::new(
            SqlState::SyntaxError,
            format!(
                "Unknown procedure '{}'; the driver's procedures are {}",
                name.chars().take(64).collect::<String>(),
                PROCEDURES
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    let parenthesized = keyword == "CALL" && rest.peek() == Some(&Token::Open);
    if parenthesized {
        rest.next();
    }
    let mut raw: Vec<(Option<String>, Argument)> = Vec::new();
    let mut expect_argument = !(parenthesized && rest.peek() == Some(&Token::Close));
    while expect_argument {
        let Some(first) = rest.next() else {
            if raw.is_empty() && !parenthesized {
                break;
            }
            return Err(syntax(format!(
                "{}: an argument is missing",
                procedure.name
            )));
        };
        let (label, value) = if rest.peek() == Some(&Token::Equals) {
            let label = match first {
                Token::Word(w) | Token::Quoted(w) => w.trim_start_matches('@').to_string(),
                _ => {
                    return Err(syntax(format!(
                        "{}: a parameter name must come before '='",
                        procedure.name
                    )))
                }
            };
            rest.next();
            let value = rest.next().ok_or_else(|| {
                syntax(format!(
                    "{}: parameter {label} has no value",
                    procedure.name
                ))
            })?;
            (Some(label), value)
        } else {
            (None, first)
        };
        let argument = match value {
            Token::Text(text) => Argument::Literal(Some(text)),
            Token::Marker(i) => Argument::Marker(i),
            Token::Word(word) if word.eq_ignore_ascii_case("NULL") => Argument::Literal(None),
            Token::Word(word) => Argument::Literal(Some(word)),
            _ => return Err(syntax(format!("{}: expected a value", procedure.name))),
        };
        raw.push((label, argument));
        match rest.next() {
            Some(Token::Comma) => {}
            Some(Token::Close) if parenthesized => {
                expect_argument = false;
                parenthesized_closed(&mut rest, procedure)?;
                continue;
            }
            None if !parenthesized => expect_argument = false,
            None => return Err(syntax(format!("{}: missing ')'", procedure.name))),
            Some(_) => {
                return Err(syntax(format!(
                    "{}: expected ',' between arguments",
                    procedure.name
                )))
            }
        }
    }
    if parenthesized && raw.is_empty() {
        rest.next();
        parenthesized_closed(&mut rest, procedure)?;
    }
    if rest.next().is_some() {
        return Err(syntax(format!(
            "{}: unexpected text after the arguments",
            procedure.name
        )));
    }
    let call = bind_arguments(procedure, raw)?;
    let markers = call
        .arguments
        .iter()
        .flatten()
        .filter(|a| matches!(a, Argument::Marker(_)))
        .count();
    if markers != param_count {
        return Err(syntax(format!(
            "{} returns a result set, not a return value: call it as {{call {}(...)}}, not {{?= call ...}}",
            procedure.name, procedure.name
        )));
    }
    Ok(call)
}

fn parenthesized_closed(
    rest: &mut std::iter::Peekable<std::vec::IntoIter<Token>>,
    procedure: &ProcedureDef,
) -> Result<()> {
    match rest.peek() {
        None => Ok(()),
        Some(_) => Err(syntax(format!(
            "{}: unexpected text after ')'",
            procedure.name
        ))),
    }
}

/// Places positional and named arguments on the procedure's parameters.
fn bind_arguments(
    procedure: &'static ProcedureDef,
    raw: Vec<(Option<String>, Argument)>,
) -> Result<ProcedureCall> {
    let mut arguments: Vec<Option<Argument>> = vec![None; procedure.parameters.len()];
    let mut named_seen = false;
    for (position, (label, argument)) in raw.into_iter().enumerate() {
        let index = match label {
            Some(label) => {
                named_seen = true;
                procedure
                    .parameters
                    .iter()
                    .position(|p| p.name.eq_ignore_ascii_case(&label))
                    .ok_or_else(|| {
                        syntax(format!(
                            "{} has no parameter '{}'; its parameters are {}",
                            procedure.name,
                            label.chars().take(64).collect::<String>(),
                            parameter_names(procedure)
                        ))
                    })?
            }
            None if named_seen => {
                return Err(syntax(format!(
                    "{}: positional arguments must come before named ones",
                    procedure.name
                )))
            }
            None => position,
        };
        let slot = arguments.get_mut(index).ok_or_else(|| {
            OdbcError::new(
                SqlState::WrongParameterCount,
                format!(
                    "{} takes at most {} arguments ({})",
                    procedure.name,
                    procedure.parameters.len(),
                    parameter_names(procedure)
                ),
            )
        })?;
        if slot.is_some() {
            let name = procedure.parameters.get(index).map_or("", |p| p.name);
            return Err(syntax(format!("{}: {name} is given twice", procedure.name)));
        }
        *slot = Some(argument);
    }
    for (parameter, argument) in procedure.parameters.iter().zip(&arguments) {
        if parameter.required && argument.is_none() {
            return Err(OdbcError::new(
                SqlState::WrongParameterCount,
                format!("{} needs {}", procedure.name, parameter.name),
            ));
        }
    }
    Ok(ProcedureCall {
        procedure,
        arguments,
    })
}

fn parameter_names(procedure: &ProcedureDef) -> String {
    procedure
        .parameters
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

// ----- execution -----------------------------------------------------------

/// The argument values of one execution, by parameter name. Empty text
/// counts as not given.
pub struct Arguments {
    values: Vec<(&'static str, Option<String>)>,
}

impl Arguments {
    fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_deref())
            .filter(|v| !v.trim().is_empty())
    }
}

/// Runs the call with the bound parameter values: one row.
pub fn execute(
    call: &ProcedureCall,
    session: &Session,
    params: &[(Value, DataType)],
) -> Result<Box<dyn RowSource>> {
    let values = call
        .procedure
        .parameters
        .iter()
        .zip(&call.arguments)
        .map(|(parameter, argument)| {
            let value = match argument {
                None | Some(Argument::Literal(None)) => None,
                Some(Argument::Literal(Some(text))) => Some(text.clone()),
                Some(Argument::Marker(i)) => params
                    .get(*i)
                    .ok_or_else(|| {
                        OdbcError::new(
                            SqlState::WrongParameterCount,
                            format!(
                                "Parameter {} of {} is not bound",
                                i + 1,
                                call.procedure.name
                            ),
                        )
                    })?
                    .0
                    .to_text(),
            };
            Ok((parameter.name, value))
        })
        .collect::<Result<Vec<_>>>()?;
    let row = (call.procedure.run)(&Arguments { values }, session)?;
    Ok(Box::new(VecSource::new(vec![row])))
}

/// The connection's OAuth client: the token source's, else one built from
/// the OAuth app settings (a Basic connection may run the procedures too).
fn client(session: &Session) -> Result<Cow<'_, OAuthClient>> {
    match &session.oauth {
        Some(source) => Ok(Cow::Borrowed(source.client())),
        None => {
            let network = network_settings(&session.config)?;
            auth::oauth_client(&session.config, &network).map(Cow::Owned)
        }
    }
}

fn invalid_argument(procedure: &str, message: impl std::fmt::Display) -> OdbcError {
    OdbcError::new(
        SqlState::InvalidAttributeValue,
        format!("{procedure}: {message}"),
    )
}

/// CallbackURL argument (validated like the property), else the property.
fn callback_url(procedure: &str, arguments: &Arguments, session: &Session) -> Result<String> {
    match arguments.get("CallbackURL") {
        Some(url) => crate::config::validate_base_url("CallbackURL", url)
            .map_err(|e| invalid_argument(procedure, e.message)),
        None => Ok(session.config.callback_url.clone()),
    }
}

fn authorization_url(arguments: &Arguments, session: &Session) -> Result<Vec<Value>> {
    let name = "GetOAuthAuthorizationURL";
    let client = client(session)?;
    let callback = callback_url(name, arguments, session)?;
    let state = arguments
        .get("State")
        .map(str::to_string)
        .unwrap_or_else(auth::random_state);
    let url = client.authorization_url(&callback, &state, arguments.get("Scope"));
    Ok(vec![Value::Text(url)])
}

fn access_token(arguments: &Arguments, session: &Session) -> Result<Vec<Value>> {
    let name = "GetOAuthAccessToken";
    let client = client(session)?;
    let callback = callback_url(name, arguments, session)?;
    let verifier = arguments.get("Verifier");
    let web = match arguments.get("AuthMode") {
        None => verifier.is_some(),
        Some(mode) if mode.trim().eq_ignore_ascii_case("WEB") => true,
        Some(mode) if mode.trim().eq_ignore_ascii_case("APP") => false,
        Some(_) => return Err(invalid_argument(name, "AuthMode must be APP or WEB")),
    };
    let tokens = if web {
        let pasted = verifier.ok_or_else(|| {
            OdbcError::new(
                SqlState::WrongParameterCount,
                format!("{name} with AuthMode=WEB needs Verifier: the code from the redirect after consent"),
            )
        })?;
        let code = auth::code_from_pasted(pasted)
            .ok_or_else(|| invalid_argument(name, "Verifier holds no authorization code"))?;
        client.exchange_code(&Secret::new(code), &callback)?
    } else {
        auth::authorize_in_browser(
            &client,
            &BrowserRequest {
                callback_url: &callback,
                state: arguments.get("State"),
                scope: None,
            },
            &session.log,
        )?
    };
    let row = vec![
        Value::Text(tokens.access_token.expose().to_string()),
        optional_secret(&tokens.refresh_token),
        optional_int(tokens.expires_in),
        tokens.api_domain.clone().map_or(Value::Null, Value::Text),
    ];
    adopt(session, tokens)?;
    Ok(row)
}

fn refresh_token(arguments: &Arguments, session: &Session) -> Result<Vec<Value>> {
    let name = "RefreshOAuthAccessToken";
    let client = client(session)?;
    let refresh = arguments
        .get("OAuthRefreshToken")
        .map(Secret::new)
        .or_else(|| session.config.oauth_refresh_token.clone())
        .ok_or_else(|| {
            OdbcError::new(
                SqlState::WrongParameterCount,
                format!("{name} needs OAuthRefreshToken (as an argument or a connection property)"),
            )
        })?;
    let mut tokens = client.refresh(&refresh)?;
    if tokens.refresh_token.is_none() {
        tokens.refresh_token = Some(refresh);
    }
    let row = vec![
        Value::Text(tokens.access_token.expose().to_string()),
        optional_secret(&tokens.refresh_token),
        optional_int(tokens.expires_in),
    ];
    adopt(session, tokens)?;
    Ok(row)
}

/// New tokens become the connection's (and are saved unless
/// InitiateOAuth=OFF), so the connection is authorized from then on.
fn adopt(session: &Session, tokens: Tokens) -> Result<()> {
    match &session.oauth {
        Some(source) => source.adopt(tokens),
        None => Ok(()),
    }
}

fn optional_secret(secret: &Option<Secret>) -> Value {
    secret
        .as_ref()
        .map_or(Value::Null, |s| Value::Text(s.expose().to_string()))
}

fn optional_int(n: Option<u64>) -> Value {
    n.and_then(|n| i64::try_from(n).ok())
        .map_or(Value::Null, Value::Int)
}

// ----- logging -----------------------------------------------------------

/// The statement as it may be logged: for procedure calls, every quoted
/// literal is masked (they are codes, tokens and secrets).
pub fn loggable(text: &str) -> Cow<'_, str> {
    let unescaped = text.trim_start().trim_start_matches('{').trim_start();
    let is_procedure = is_call(unescaped)
        || unescaped
            .strip_prefix('?')
            .is_some_and(|rest| is_call(rest.trim_start().trim_start_matches('=')));
    if !is_procedure {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_literal = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (in_literal, c) {
            (false, '\'') => {
                in_literal = true;
                out.push_str("'********");
            }
            (true, '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
            }
            (true, '\'') => {
                in_literal = false;
                out.push('\'');
            }
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::escape::rewrite_odbc_escapes;

    fn parse(sql: &str) -> Result<ProcedureCall> {
        let rewritten = rewrite_odbc_escapes(sql, true)?;
        parse_call(&rewritten.sql, rewritten.param_count)
    }

    fn literal(text: &str) -> Option<Argument> {
        Some(Argument::Literal(Some(text.to_string())))
    }

    #[test]
    fn every_call_form_parses_to_the_same_arguments() {
        let forms = [
            "EXEC GetOAuthAuthorizationURL CallbackURL='http://localhost:1/cb', State='it''s'",
            "execute getoauthauthorizationurl @CallbackURL = 'http://localhost:1/cb', @State = N'it''s';",
            "CALL GetOAuthAuthorizationURL('http://localhost:1/cb', 'it''s')",
            "CALL GetOAuthAuthorizationURL(State => 'it''s', CallbackURL => 'http://localhost:1/cb')",
            "{call GetOAuthAuthorizationURL('http://localhost:1/cb', State='it''s')}",
        ];
        for sql in forms {
            let call = parse(sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
            assert_eq!(call.procedure.name, "GetOAuthAuthorizationURL");
            assert_eq!(
                call.arguments,
                vec![literal("http://localhost:1/cb"), literal("it's"), None],
                "{sql}"
            );
        }
    }

    #[test]
    fn markers_null_and_no_arguments() {
        let call = parse("{call GetOAuthAccessToken(?, ?)}").unwrap();
        assert_eq!(
            call.arguments,
            vec![
                Some(Argument::Marker(0)),
                Some(Argument::Marker(1)),
                None,
                None
            ]
        );
        assert_eq!(
            call.param_types(2),
            vec![Some(PARAMETER_TYPE), Some(PARAMETER_TYPE)]
        );
        let call = parse("EXEC GetOAuthAccessToken AuthMode=WEB, Verifier=?").unwrap();
        assert_eq!(call.arguments[0], literal("WEB"));
        assert_eq!(call.arguments[1], Some(Argument::Marker(0)));
        let call = parse("EXEC RefreshOAuthAccessToken NULL").unwrap();
        assert_eq!(call.arguments, vec![Some(Argument::Literal(None))]);
        for sql in [
            "EXEC GetOAuthAuthorizationURL",
            "CALL GetOAuthAuthorizationURL()",
            "{call GetOAuthAuthorizationURL}",
        ] {
            assert_eq!(
                parse(sql).unwrap().arguments,
                vec![None, None, None],
                "{sql}"
            );
        }
        assert_eq!(
            parse("CALL RefreshOAuthAccessToken")
                .unwrap()
                .columns()
                .len(),
            3
        );
    }

    #[test]
    fn bad_calls_are_clear_errors_that_never_echo_values() {
        let cases = [
            (
                "EXEC NoSuchProc 'x'",
                SqlState::SyntaxError,
                "Unknown procedure 'NoSuchProc'",
            ),
            (
                "EXEC RefreshOAuthAccessToken Token='sekrit'",
                SqlState::SyntaxError,
                "has no parameter 'Token'",
            ),
            (
                "EXEC RefreshOAuthAccessToken 'sekrit', 'sekrit'",
                SqlState::WrongParameterCount,
                "at most 1",
            ),
            (
                "EXEC GetOAuthAccessToken Verifier='sekrit', Verifier='sekrit'",
                SqlState::SyntaxError,
                "given twice",
            ),
            (
                "EXEC GetOAuthAccessToken Verifier='sekrit', 'APP'",
                SqlState::SyntaxError,
                "positional arguments",
            ),
            (
                "CALL GetOAuthAccessToken('sekrit'",
                SqlState::SyntaxError,
                "missing ')'",
            ),
            (
                "EXEC GetOAuthAccessToken 'sekrit",
                SqlState::SyntaxError,
                "nterminated",
            ),
            (
                "{?= call GetOAuthAuthorizationURL}",
                SqlState::SyntaxError,
                "not a return value",
            ),
            ("EXEC", SqlState::SyntaxError, "needs a procedure name"),
        ];
        for (sql, state, expected) in cases {
            let err = parse(sql).unwrap_err();
            assert_eq!(err.state, state, "{sql}: {}", err.message);
            assert!(err.message.contains(expected), "{sql}: {}", err.message);
            assert!(!err.message.contains("sekrit"), "{sql}: {}", err.message);
        }
    }

    #[test]
    fn only_procedure_calls_are_recognised() {
        assert!(is_call("  exec x"));
        assert!(is_call("CALL x()"));
        assert!(is_call("Execute x"));
        assert!(!is_call("SELECT 1"));
        assert!(!is_call("EXECUTIONS"));
        assert!(!is_call("callx"));
    }

    #[test]
    fn logged_calls_mask_their_literals() {
        assert_eq!(
            loggable("EXEC RefreshOAuthAccessToken OAuthRefreshToken='1:1:ab''c'"),
            "EXEC RefreshOAuthAccessToken OAuthRefreshToken='********'"
        );
        assert_eq!(
            loggable("{call GetOAuthAccessToken('WEB', 'code-1')}"),
            "{call GetOAuthAccessToken('********', '********')}"
        );
        assert_eq!(loggable("SELECT 'x'"), "SELECT 'x'");
    }

    #[test]
    fn every_definition_is_consistent() {
        for procedure in PROCEDURES {
            assert_eq!(lookup(&procedure.name.to_uppercase()), Some(procedure));
            assert!(!procedure.outputs.is_empty());
        }
    }
}
