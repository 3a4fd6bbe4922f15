//! Maps handle tokens to live handle objects.

use super::connection::ConnHandle;
use super::descriptor::DescHandle;
use super::environment::EnvHandle;
use super::statement::StmtHandle;
use once_cell::sync::Lazy;
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The opaque value an application holds. Tokens are never reused within a
/// process, so a freed handle can never alias a new one.
pub type HandleToken = usize;

#[derive(Clone)]
pub enum HandleRef {
    Env(Arc<EnvHandle>),
    Conn(Arc<ConnHandle>),
    Stmt(Arc<StmtHandle>),
    Desc(Arc<DescHandle>),
}

static REGISTRY: Lazy<RwLock<HashMap<HandleToken, HandleRef>>> =
    Lazy::new(|| RwLock::new(HashMap::new()));
static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

/// Registers a handle built from its own token and returns the token.
pub fn register(make: impl FnOnce(HandleToken) -> HandleRef) -> HandleToken {
    // Shifted so tokens look like aligned pointers to tools that check, and
    // are never 0 (SQL_NULL_HANDLE).
    let token = NEXT_ID.fetch_add(1, Ordering::Relaxed) << 4;
    let handle = make(token);
    REGISTRY.write().insert(token, handle);
    token
}

pub fn lookup(token: HandleToken) -> Option<HandleRef> {
    if token == 0 {
        return None;
    }
    REGISTRY.read().get(&token).cloned()
}

pub fn unregister(token: HandleToken) -> Option<HandleRef> {
    REGISTRY.write().remove(&token)
}
