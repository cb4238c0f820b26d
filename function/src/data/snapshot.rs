//! The index snapshot on disk: where it lives, when it may be served, and writing it.
//!
//! The engine owns the format (`leaderboard_engine`'s snapshot module: header, checksum,
//! checks on read). This module decides the rest:
//!
//! - **Where.** `leaderboard.snapshot` in the data directory unless `--snapshot PATH` says
//!   otherwise (`--snapshot off`: none is read or written).
//! - **When it is served.** Only when it reads back whole (the engine's checks) *and* the
//!   data version stored in it equals [`data_version`] of the files now in the data
//!   directory (a hash of their bytes, the same version the ETags carry). Anything else
//!   (missing, unreadable, truncated, corrupt, another format, another kind of file, built
//!   from other data) is [`Unusable`]: the caller says why on stderr, builds from the files
//!   and writes a fresh snapshot. A stale or damaged snapshot is never served.
//! - **What it holds besides the index.** The loader's warnings (as the snapshot's notes),
//!   so a start from it reports, and under `--strict` refuses, exactly what a start from
//!   the files would.
//! - **Writing.** Into a temporary file beside the target, synced, then renamed over it: a
//!   reader (another replica starting) sees the old file or the new one, never half of one,
//!   and a crash mid-write leaves the old file in place. The temporary of a writer stopped
//!   mid-write is removed by a later writer once it is clearly abandoned (10 minutes old),
//!   so recycled instances do not pile them up.
//!
//! Posted scores never go into a snapshot: it is the data files' index, and posts live in
//! memory on top of it (see `store::embedded`).

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use leaderboard_engine::{Engine, SnapshotError, SnapshotInfo};

use super::load::{data_version, LoadError};

/// The snapshot's file name in the data directory, unless `--snapshot` names another path.
pub const SNAPSHOT_FILE: &str = "leaderboard.snapshot";

/// A snapshot that may be served: its engine, and the warnings of the load it was built
/// from.
pub struct Fresh {
    pub engine: Engine,
    pub version: String,
    pub warnings: Vec<String>,
}

/// Why the snapshot cannot be served, so the engine is built from the files instead.
#[derive(Debug)]
pub enum Unusable {
    Missing,
    Unreadable(std::io::Error),
    Invalid(SnapshotError),
    /// Built from other data than the files hold now.
    Stale {
        snapshot_version: String,
        data_version: String,
    },
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::Missing => f.write_str("there is none yet"),
            Unusable::Unreadable(e) => write!(f, "it cannot be read ({e})"),
            Unusable::Invalid(e) => write!(f, "it is not usable: {e}"),
            Unusable::Stale {
                snapshot_version,
                data_version,
            } => write!(
                f,
                "it is stale: built from data version {snapshot_version}, the files are now \
                 version {data_version}"
            ),
        }
    }
}

/// The snapshot at `path` if it may be served for the files in `data_dir` (module docs).
/// The files are hashed on a second thread while the snapshot is read. `Err(Err(_))`: the
/// data files themselves cannot be read, which is fatal as it is for a load.
pub fn open(path: &Path, data_dir: &Path) -> Result<Result<Fresh, Unusable>, LoadError> {
    if !path.exists() {
        // Nothing to check: the caller builds from the files (which it hashes anyway).
        return Ok(Err(Unusable::Missing));
    }
    let (version, snapshot) = std::thread::scope(|scope| {
        let version = scope.spawn(|| data_version(data_dir));
        let snapshot = read(path);
        let version = version
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (version, snapshot)
    });
    let version = version?;
    Ok(snapshot.and_then(|(engine, info)| {
        if info.data_version == version {
            Ok(Fresh {
                engine,
                version,
                warnings: info.notes,
            })
        } else {
            Err(Unusable::Stale {
                snapshot_version: info.data_version,
                data_version: version,
            })
        }
    }))
}

fn read(path: &Path) -> Result<(Engine, SnapshotInfo), Unusable> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Unreadable(e)),
    };
    let length = file.metadata().map_err(Unusable::Unreadable)?.len();
    Engine::read_snapshot(file, length).map_err(Unusable::Invalid)
}

/// Writes `engine` as the snapshot of data `version` (with the load's `warnings`) at
/// `path`, atomically (module docs). Returns the bytes written.
pub fn write(
    path: &Path,
    engine: &Engine,
    version: &str,
    warnings: &[String],
) -> Result<u64, WriteError> {
    remove_abandoned_temporaries(path);
    let temporary = temporary_path(path);
    let written = write_file(&temporary, engine, version, warnings).and_then(|bytes| {
        std::fs::rename(&temporary, path)
            .map(|()| bytes)
            .map_err(SnapshotError::Io)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(|source| WriteError {
        path: path.to_path_buf(),
        source,
    })
}

fn write_file(
    path: &Path,
    engine: &Engine,
    version: &str,
    warnings: &[String],
) -> Result<u64, SnapshotError> {
    let info = SnapshotInfo {
        data_version: version.to_string(),
        notes: warnings.to_vec(),
    };
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let bytes = engine.write_snapshot(&mut out, &info)?;
    out.flush()?;
    let file = out
        .into_inner()
        .map_err(|e| SnapshotError::Io(e.into_error()))?;
    file.sync_all()?;
    Ok(bytes)
}

/// A name beside `path` no other process uses at the same time.
fn temporary_path(path: &Path) -> PathBuf {
    path.with_file_name(format!(
        "{}{}.{:016x}{TEMPORARY_SUFFIX}",
        temporary_prefix(path),
        std::process::id(),
        crate::unique::random_u64()
    ))
}

fn temporary_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| SNAPSHOT_FILE.to_string());
    format!(".{name}.")
}

const TEMPORARY_SUFFIX: &str = ".tmp";

/// A writer lives well under this (writing takes about as long as reading); a temporary
/// older than this was left by a process stopped mid-write (a serverless instance recycled
/// during its first start, say), and each is as large as the snapshot.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes temporaries of `path` that their writer abandoned. Best effort: whatever cannot
/// be listed or removed stays.
fn remove_abandoned_temporaries(path: &Path) {
    let prefix = temporary_prefix(path);
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !name.starts_with(&prefix) || !name.ends_with(TEMPORARY_SUFFIX) {
            continue;
        }
        let abandoned = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > ABANDONED_AFTER);
        if abandoned {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The snapshot could not be written at `path`.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub source: SnapshotError,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot write the index snapshot {}: {}",
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for WriteError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_abandoned_temporaries_of_this_snapshot_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SNAPSHOT_FILE);
        let old = dir.path().join(".leaderboard.snapshot.1.00.tmp");
        let fresh = temporary_path(&path);
        let other = dir.path().join(".other.snapshot.1.00.tmp");
        for file in [&old, &fresh, &other] {
            std::fs::write(file, b"partial").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - ABANDONED_AFTER * 2;
        for file in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(file)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        remove_abandoned_temporaries(&path);
        assert!(!old.exists(), "abandoned: removed");
        assert!(fresh.exists(), "a writer may still be at it: kept");
        assert!(other.exists(), "another snapshot's: kept");
    }
}
