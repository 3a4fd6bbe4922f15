//! SQLCancel's signal to a statement whose call runs on another thread.
//!
//! ODBC 3.x: SQLCancel stops a function running on the statement; when
//! none runs, it has no effect (it no longer closes the cursor as in 2.x).
//! So the signal is raised only while a call is marked running, and each
//! call starts with it lowered. unixODBC, though, treats every successful
//! SQLCancel on an open cursor as SQLFreeStmt(SQL_CLOSE) in its own state
//! machine; a cancel with nothing running is therefore remembered, so that
//! re-executing the statement may close the cursor unixODBC considers
//! closed (see `Stmt::execute`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct CancelSignal {
    /// Raised by SQLCancel; what the running call's work looks at.
    requested: Arc<AtomicBool>,
    running: AtomicBool,
    /// SQLCancel came while nothing ran.
    idle_cancel: AtomicBool,
}

impl CancelSignal {
    /// SQLCancel.
    pub fn cancel(&self) {
        if self.running.load(Ordering::SeqCst) {
            self.requested.store(true, Ordering::SeqCst);
        } else {
            self.idle_cancel.store(true, Ordering::SeqCst);
        }
    }

    /// Whether SQLCancel came while nothing ran, since the last time this
    /// was asked.
    pub fn take_idle_cancel(&self) -> bool {
        self.idle_cancel.swap(false, Ordering::SeqCst)
    }

    /// Marks a call as running until the guard drops.
    pub fn begin(self: &Arc<Self>) -> RunningCall {
        // Lowered before the call counts as running, so that a cancel
        // once it does is never lost.
        self.requested.store(false, Ordering::SeqCst);
        self.running.store(true, Ordering::SeqCst);
        RunningCall(Arc::clone(self))
    }

    /// The flag the call's work looks at.
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.requested)
    }
}

/// A call in progress on the statement; dropping it ends the call.
pub struct RunningCall(Arc<CancelSignal>);

impl Drop for RunningCall {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancel_stops_only_a_running_call() {
        let signal = Arc::new(CancelSignal::default());
        signal.cancel();
        assert!(
            !signal.flag().load(Ordering::SeqCst),
            "nothing ran: no effect"
        );
        let call = signal.begin();
        signal.cancel();
        assert!(signal.flag().load(Ordering::SeqCst));
        drop(call);
        // The next call starts afresh.
        let _call = signal.begin();
        assert!(!signal.flag().load(Ordering::SeqCst));
    }
}
