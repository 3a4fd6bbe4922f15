//! Saving the dataset after writes (`--save-to`), so they outlive the
//! process.

use crate::data::snapshot::{self, SaveMode};
use crate::data::Dataset;
use std::io;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

pub(crate) struct Persist {
    path: PathBuf,
    /// One save at a time: each save starts after the write it follows, so
    /// the save that renames last has seen every write before it.
    saving: Mutex<()>,
}

impl Persist {
    pub(crate) fn new(path: PathBuf) -> Persist {
        Persist {
            path,
            saving: Mutex::new(()),
        }
    }

    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn exclusive(&self) -> MutexGuard<'_, ()> {
        self.saving.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn save(&self, ds: &Dataset) -> io::Result<()> {
        let _one_at_a_time = self.exclusive();
        snapshot::save(ds, SaveMode::Changes, &self.path)
    }

    /// Saves after a successful write. The write itself has succeeded, so
    /// a failure to save is reported on stderr rather than to the client.
    pub(crate) fn save_after_write(&self, ds: &Dataset) {
        if let Err(e) = self.save(ds) {
            eprintln!(
                "pipedrive-sim: cannot save the dataset to {}: {e}",
                self.path.display()
            );
        }
    }
}
