//! The connection handle: attributes and the session once connected.

use super::attrs::conn as attr;
use super::{HandleState, HandleToken};
use crate::api::interrupt::{self, Interruption, TimeoutKind};
use crate::config::{connection_string, Config, DsnSource};
use crate::diag::{DiagArea, OdbcError, Result, SqlState};
use crate::session::Session;
use parking_lot::Mutex;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ConnAttrs {
    pub access_mode: usize,
    pub autocommit: usize,
    pub login_timeout: usize,
    pub connection_timeout: usize,
    pub txn_isolation: usize,
    pub current_catalog: String,
    pub quiet_mode: usize,
    pub packet_size: usize,
    pub metadata_id: usize,
    pub async_enable: usize,
    pub odbc_cursors: usize,
    pub trace: usize,
    pub tracefile: String,
    pub translate_lib: String,
    pub translate_option: usize,
    pub ansi_app: usize,
}

impl Default for ConnAttrs {
    fn default() -> Self {
        ConnAttrs {
            access_mode: 0,
            autocommit: 1,
            login_timeout: 0,
            connection_timeout: 0,
            txn_isolation: 0,
            current_catalog: String::new(),
            quiet_mode: 0,
            packet_size: 0,
            metadata_id: 0,
            async_enable: 0,
            odbc_cursors: 0,
            trace: 0,
            tracefile: String::new(),
            translate_lib: String::new(),
            translate_option: 0,
            ansi_app: 0,
        }
    }
}

pub struct Conn {
    pub diag: DiagArea,
    pub odbc_version: i32,
    pub attrs: ConnAttrs,
    pub session: Option<Arc<Session>>,
    pub statements: Vec<HandleToken>,
    /// Counter for default cursor names (SQL_CUR1, ...).
    pub cursor_counter: u64,
}

pub struct ConnHandle {
    pub token: HandleToken,
    pub env: HandleToken,
    pub state: Mutex<Conn>,
}

impl HandleState for Conn {
    fn diag(&mut self) -> &mut DiagArea {
        &mut self.diag
    }
    fn odbc_version(&self) -> i32 {
        self.odbc_version
    }
    fn log_error(&self, error: &OdbcError) {
        if let Some(session) = &self.session {
            session
                .log
                .log(crate::logging::ERRORS, None, || error.to_string());
        }
    }
}

/// An integer or string attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnAttrValue {
    Int(usize),
    Str(String),
}

impl Conn {
    pub fn new(odbc_version: i32) -> Conn {
        Conn {
            diag: DiagArea::default(),
            odbc_version,
            attrs: ConnAttrs::default(),
            session: None,
            statements: Vec::new(),
            cursor_counter: 0,
        }
    }

    /// SQLConnect / SQLDriverConnect: resolves the configuration, opens the
    /// session and returns the completed connection string. Warnings (01S00)
    /// go to the diagnostic area.
    pub fn connect(
        &mut self,
        connection_id: u64,
        attrs: &[(String, String)],
        dsns: &dyn DsnSource,
    ) -> Result<String> {
        if self.session.is_some() {
            return Err(OdbcError::new(
                SqlState::ConnectionInUse,
                "The connection is already open",
            ));
        }
        let (config, warnings) = Config::resolve(attrs, dsns)?;
        let completed = config.completed_connection_string();
        // SQL_ATTR_LOGIN_TIMEOUT bounds connecting only (HYT00 when it
        // expires); the requests of statements keep the whole Timeout.
        let (session, log_warnings) = match self.attrs.login_timeout {
            0 => Session::open(config, connection_id)?,
            seconds => {
                let login = Interruption::timeout_only(
                    Duration::from_secs(seconds as u64),
                    TimeoutKind::Login,
                );
                interrupt::during(login, || Session::open(config, connection_id))?
            }
        };
        session.set_connection_timeout(self.attrs.connection_timeout);
        for w in warnings.iter().chain(&log_warnings) {
            self.diag.push(w);
        }
        self.session = Some(Arc::new(session));
        Ok(completed)
    }

    pub fn session(&self) -> Result<&Arc<Session>> {
        self.session.as_ref().ok_or_else(|| {
            OdbcError::new(SqlState::ConnectionNotOpen, "The connection is not open")
        })
    }

    pub fn set_attr(&mut self, id: i32, value: ConnAttrValue) -> Result<()> {
        let int = || match &value {
            ConnAttrValue::Int(v) => Ok(*v),
            ConnAttrValue::Str(_) => Err(OdbcError::new(
                SqlState::InvalidAttributeValue,
                "Integer attribute value expected",
            )),
        };
        let text = || match &value {
            ConnAttrValue::Str(s) => s.clone(),
            ConnAttrValue::Int(_) => String::new(),
        };
        let a = &mut self.attrs;
        match id {
            attr::ACCESS_MODE => a.access_mode = int()?,
            attr::AUTOCOMMIT => a.autocommit = int()?,
            attr::LOGIN_TIMEOUT => a.login_timeout = int()?,
            attr::CONNECTION_TIMEOUT => {
                a.connection_timeout = int()?;
                if let Some(session) = &self.session {
                    session.set_connection_timeout(a.connection_timeout);
                }
            }
            attr::TXN_ISOLATION => a.txn_isolation = int()?,
            attr::CURRENT_CATALOG => {
                let catalog = text();
                if !catalog.is_empty() {
                    return Err(OdbcError::new(
                        SqlState::InvalidCatalogName,
                        "This driver has no catalogs",
                    ));
                }
            }
            attr::QUIET_MODE => a.quiet_mode = int()?,
            attr::PACKET_SIZE => a.packet_size = int()?,
            attr::METADATA_ID => a.metadata_id = int()?,
            attr::ASYNC_ENABLE => {
                if int()? != 0 {
                    return Err(OdbcError::not_implemented("asynchronous execution"));
                }
            }
            attr::ODBC_CURSORS => a.odbc_cursors = int()?,
            attr::TRACE => a.trace = int()?,
            attr::TRACEFILE => a.tracefile = text(),
            attr::TRANSLATE_LIB => a.translate_lib = text(),
            attr::TRANSLATE_OPTION => a.translate_option = int()?,
            attr::ANSI_APP => a.ansi_app = int()?,
            attr::AUTO_IPD | attr::CONNECTION_DEAD => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Connection attribute {id} is read-only"),
                ));
            }
            attr::RESET_CONNECTION
            | attr::ASYNC_DBC_FUNCTIONS_ENABLE
            | attr::ENLIST_IN_DTC
            | attr::ENLIST_IN_XA
            | attr::DISCONNECT_BEHAVIOR => {
                return Err(OdbcError::not_implemented(format!(
                    "connection attribute {id}"
                )));
            }
            other => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Unknown connection attribute {other}"),
                ))
            }
        }
        Ok(())
    }

    pub fn get_attr(&self, id: i32) -> Result<ConnAttrValue> {
        let a = &self.attrs;
        Ok(match id {
            attr::ACCESS_MODE => ConnAttrValue::Int(a.access_mode),
            attr::AUTOCOMMIT => ConnAttrValue::Int(a.autocommit),
            attr::LOGIN_TIMEOUT => ConnAttrValue::Int(a.login_timeout),
            attr::CONNECTION_TIMEOUT => ConnAttrValue::Int(a.connection_timeout),
            attr::TXN_ISOLATION => ConnAttrValue::Int(a.txn_isolation),
            attr::CURRENT_CATALOG => ConnAttrValue::Str(String::new()),
            attr::QUIET_MODE => ConnAttrValue::Int(a.quiet_mode),
            attr::PACKET_SIZE => ConnAttrValue::Int(a.packet_size),
            attr::METADATA_ID => ConnAttrValue::Int(a.metadata_id),
            attr::ASYNC_ENABLE => ConnAttrValue::Int(a.async_enable),
            attr::ODBC_CURSORS => ConnAttrValue::Int(a.odbc_cursors),
            attr::TRACE => ConnAttrValue::Int(a.trace),
            attr::TRACEFILE => ConnAttrValue::Str(a.tracefile.clone()),
            attr::TRANSLATE_LIB => ConnAttrValue::Str(a.translate_lib.clone()),
            attr::TRANSLATE_OPTION => ConnAttrValue::Int(a.translate_option),
            attr::AUTO_IPD => ConnAttrValue::Int(0),
            // SQL_CD_TRUE (1) when no session is open.
            attr::CONNECTION_DEAD => ConnAttrValue::Int(usize::from(self.session.is_none())),
            other => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Unknown connection attribute {other}"),
                ))
            }
        })
    }
}

/// Parses a connection string into key/value pairs (SQLDriverConnect).
pub fn parse_connection_string(text: &str) -> Result<Vec<(String, String)>> {
    connection_string::parse(text)
}
