//! Stopping a call's work from outside it: SQLCancel from another thread,
//! and the ODBC timeouts (SQL_ATTR_QUERY_TIMEOUT and SQL_ATTR_CONNECTION_TIMEOUT
//! of statement calls, SQL_ATTR_LOGIN_TIMEOUT of connecting).
//!
//! The statement runs each ODBC call that may reach the API inside
//! [`during`], which makes an [`Interruption`] current on its thread. The
//! API client then waits for GET requests, retry back-offs and pacing
//! through [`wait_for`] and [`sleep`], which give up with HY008 (canceled)
//! or HYT00 (query timeout) within [`POLL`] of the signal, even while a
//! request is in flight. Local work (sorts, joins) looks at [`check`]
//! every few thousand rows.
//!
//! A request given up on keeps its own thread until it ends (bounded by
//! `Timeout`), and its answer is dropped. Writes are never given up on
//! mid-request: a POST that may have been applied must be reported as such.

use crate::diag::{OdbcError, Result, SqlState};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a wait looks at the cancel flag and the deadline.
pub const POLL: Duration = Duration::from_millis(20);

/// Which ODBC timeout bounds a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// SQL_ATTR_QUERY_TIMEOUT of the statement.
    Query,
    /// SQL_ATTR_CONNECTION_TIMEOUT of the statement's connection.
    Connection,
    /// SQL_ATTR_LOGIN_TIMEOUT, while connecting.
    Login,
}

impl TimeoutKind {
    fn message(self, timeout: Duration) -> String {
        let seconds = timeout.as_secs();
        match self {
            TimeoutKind::Query => format!(
                "Query timeout expired: the statement ran longer than SQL_ATTR_QUERY_TIMEOUT ({seconds} s)"
            ),
            TimeoutKind::Connection => format!(
                "Connection timeout expired: the request took longer than SQL_ATTR_CONNECTION_TIMEOUT ({seconds} s)"
            ),
            TimeoutKind::Login => format!(
                "Login timeout expired: connecting took longer than SQL_ATTR_LOGIN_TIMEOUT ({seconds} s)"
            ),
        }
    }
}

/// What may stop the current call: a cancel flag, and the moment its
/// timeout expires.
#[derive(Debug, Clone)]
pub struct Interruption {
    cancel: Arc<AtomicBool>,
    deadline: Option<(Instant, Duration, TimeoutKind)>,
}

impl Interruption {
    /// `timeout`, counted from now, and which timeout it is.
    pub fn new(cancel: Arc<AtomicBool>, timeout: Option<(Duration, TimeoutKind)>) -> Interruption {
        Interruption {
            cancel,
            deadline: timeout.map(|(t, kind)| (Instant::now() + t, t, kind)),
        }
    }

    /// Only a timeout (connecting has no statement to cancel).
    pub fn timeout_only(timeout: Duration, kind: TimeoutKind) -> Interruption {
        Interruption::new(Arc::new(AtomicBool::new(false)), Some((timeout, kind)))
    }

    fn check(&self) -> Result<()> {
        if self.cancel.load(Ordering::SeqCst) {
            return Err(canceled());
        }
        match self.deadline {
            Some((deadline, timeout, kind)) if Instant::now() >= deadline => Err(OdbcError::new(
                SqlState::TimeoutExpired,
                kind.message(timeout),
            )),
            _ => Ok(()),
        }
    }
}

pub fn canceled() -> OdbcError {
    OdbcError::new(SqlState::OperationCanceled, "Operation canceled")
}

thread_local! {
    static CURRENT: RefCell<Option<Interruption>> = const { RefCell::new(None) };
}

/// Puts the previous interruption back, also when `f` unwinds.
struct Restore(Option<Interruption>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with(|current| *current.borrow_mut() = previous);
    }
}

/// Runs `f` with `interruption` current on this thread.
pub fn during<T>(interruption: Interruption, f: impl FnOnce() -> T) -> T {
    let previous = CURRENT.with(|current| current.replace(Some(interruption)));
    let _restore = Restore(previous);
    f()
}

fn current() -> Option<Interruption> {
    CURRENT.with(|current| current.borrow().clone())
}

/// HY008 once the current call is canceled, HYT00 once its query timeout
/// has expired; Ok outside an interruptible call.
pub fn check() -> Result<()> {
    current().map_or(Ok(()), |i| i.check())
}

/// Sleeps for `wait`, or less when the current call is stopped meanwhile.
pub fn sleep(wait: Duration) -> Result<()> {
    let Some(interruption) = current() else {
        std::thread::sleep(wait);
        return Ok(());
    };
    let until = Instant::now() + wait;
    loop {
        interruption.check()?;
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        std::thread::sleep(left.min(POLL));
    }
}

/// Runs `work` (a blocking request) and returns its result, unless the
/// current call is stopped first. Outside an interruptible call it runs on
/// this thread; inside one, on a thread of its own, so that this one can
/// stop waiting for it.
pub fn wait_for<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let Some(interruption) = current() else {
        return Ok(work());
    };
    interruption.check()?;
    let (sender, receiver) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("pipedrive-odbc-request".into())
        .spawn(move || {
            // The receiver is gone when the call was stopped: nobody
            // wants the answer any more.
            let _ = sender.send(work());
        });
    if let Err(e) = spawned {
        return Err(OdbcError::new(
            SqlState::MemoryAllocation,
            format!("Could not start a thread for the request: {e}"),
        ));
    }
    loop {
        match receiver.recv_timeout(POLL) {
            Ok(answer) => return Ok(answer),
            Err(RecvTimeoutError::Timeout) => interruption.check()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(OdbcError::general("The request failed unexpectedly"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn flag() -> Arc<AtomicBool> {
        Arc::new(AtomicBool::new(false))
    }

    #[test]
    fn outside_a_call_nothing_is_stopped() {
        assert!(check().is_ok());
        assert_eq!(wait_for(|| 7).unwrap(), 7);
        assert!(sleep(Duration::ZERO).is_ok());
    }

    #[test]
    fn a_canceled_call_stops_waiting_for_work_in_flight() {
        let cancel = flag();
        let (release, held) = channel::<()>();
        let canceler = {
            let cancel = cancel.clone();
            std::thread::spawn(move || cancel.store(true, Ordering::SeqCst))
        };
        let result = during(Interruption::new(cancel, None), || {
            // The work blocks until released, i.e. longer than the call.
            wait_for(move || held.recv().is_ok())
        });
        canceler.join().unwrap();
        assert_eq!(result.unwrap_err().state, SqlState::OperationCanceled);
        drop(release);
    }

    #[test]
    fn a_query_timeout_stops_waits_and_sleeps() {
        let (release, held) = channel::<()>();
        let timeout = Some((Duration::from_millis(50), TimeoutKind::Query));
        let result = during(Interruption::new(flag(), timeout), || {
            wait_for(move || held.recv().is_ok())
        });
        let error = result.unwrap_err();
        assert_eq!(error.state, SqlState::TimeoutExpired);
        assert!(error.message.contains("SQL_ATTR_QUERY_TIMEOUT"), "{error}");
        drop(release);
        let slept = during(
            Interruption::timeout_only(Duration::from_millis(50), TimeoutKind::Login),
            || sleep(Duration::from_secs(3600)),
        );
        let error = slept.unwrap_err();
        assert_eq!(error.state, SqlState::TimeoutExpired);
        assert!(error.message.contains("SQL_ATTR_LOGIN_TIMEOUT"), "{error}");
    }

    #[test]
    fn finished_work_is_returned_and_the_previous_interruption_restored() {
        let outer = flag();
        during(Interruption::new(outer.clone(), None), || {
            let inner = during(Interruption::new(flag(), None), || wait_for(|| "done"));
            assert_eq!(inner.unwrap(), "done");
            outer.store(true, Ordering::SeqCst);
            assert_eq!(check().unwrap_err().state, SqlState::OperationCanceled);
        });
        assert!(check().is_ok());
    }
}
