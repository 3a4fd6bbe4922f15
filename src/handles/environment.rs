//! The environment handle.

use super::{HandleState, HandleToken, SQL_OV_ODBC3};
use crate::diag::DiagArea;
use parking_lot::Mutex;

pub struct Env {
    pub diag: DiagArea,
    /// SQL_ATTR_ODBC_VERSION; 0 until the application sets it (HY010 on
    /// SQLAllocHandle(DBC) then, per spec).
    pub odbc_version: i32,
    pub connection_pooling: u32,
    pub cp_match: u32,
    pub connections: Vec<HandleToken>,
}

pub struct EnvHandle {
    pub token: HandleToken,
    pub state: Mutex<Env>,
}

impl EnvHandle {
    pub fn new(token: HandleToken) -> EnvHandle {
        EnvHandle {
            token,
            state: Mutex::new(Env {
                diag: DiagArea::default(),
                odbc_version: 0,
                connection_pooling: 0,
                cp_match: 0,
                connections: Vec::new(),
            }),
        }
    }
}

impl HandleState for Env {
    fn diag(&mut self) -> &mut DiagArea {
        &mut self.diag
    }
    fn odbc_version(&self) -> i32 {
        if self.odbc_version == 0 {
            SQL_OV_ODBC3
        } else {
            self.odbc_version
        }
    }
}
