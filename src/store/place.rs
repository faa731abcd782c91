//! Where the database file lives, looked at before SQLite opens it: SQLite
//! itself only says "unable to open database file" (code 14), naming neither
//! the path nor the cause.

use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    #[error("the folder {} does not exist; create it, or point the database URL elsewhere", .0.display())]
    NoFolder(PathBuf),
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error(
        "steady cannot create files in the folder {} ({source}); SQLite needs to, \
         for the database and its -wal and -shm files",
        folder.display()
    )]
    FolderNotWritable { folder: PathBuf, source: io::Error },
    #[error("it is a folder, not a database file")]
    NotAFile,
    #[error("steady cannot write to it ({0})")]
    FileNotWritable(io::Error),
}

/// Whether SQLite can create or write the database `file` and its journal
/// files beside it. The folder is tested by creating and removing an empty
/// file in it, because only trying tells (ownership, ACLs, read-only mounts,
/// running as root); nothing else is changed.
pub(super) fn check(file: &Path) -> Result<(), PlaceError> {
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match std::fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(PlaceError::NotAFolder(folder.to_owned())),
        Err(error) if error.kind() == ErrorKind::NotFound => {
            return Err(PlaceError::NoFolder(folder.to_owned()))
        }
        Err(error) if error.kind() == ErrorKind::NotADirectory => {
            return Err(PlaceError::NotAFolder(folder.to_owned()))
        }
        Err(source) => {
            return Err(PlaceError::FolderNotWritable {
                folder: folder.to_owned(),
                source,
            })
        }
    }
    // Unique within the process too: stores opened at once must not take
    // each other's probe for a folder they cannot write.
    static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let probe = folder.join(format!(".steady-probe-{}-{n}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
        }
        Err(source) => {
            return Err(PlaceError::FolderNotWritable {
                folder: folder.to_owned(),
                source,
            })
        }
    }
    match std::fs::metadata(file) {
        Ok(meta) if meta.is_dir() => Err(PlaceError::NotAFile),
        // Opened for writing, neither truncated nor changed.
        Ok(_) => std::fs::OpenOptions::new()
            .write(true)
            .open(file)
            .map(drop)
            .map_err(PlaceError::FileNotWritable),
        Err(_) => Ok(()),
    }
}
