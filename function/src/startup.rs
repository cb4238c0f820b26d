//! What a start loads for the embedded store: the index snapshot when it matches the data
//! files, else the files themselves (and then the snapshot is due to be written again).
//! Reports on stderr what it loaded and from where. The rules of when a snapshot is served
//! are `data::snapshot`'s.

use std::path::{Path, PathBuf};
use std::time::Instant;

use leaderboard_engine::Engine;

use crate::data::load::load_dir_rows;
use crate::data::snapshot::{self, WriteError};
use crate::data::{LoadError, LoadOptions};

/// How many load warnings are printed before the rest are counted.
const WARNINGS_SHOWN: usize = 5;

/// The engine a start serves, and what it was built from.
pub struct Started {
    pub engine: Engine,
    pub version: String,
    pub warnings: Vec<String>,
    /// Where the snapshot should be written: it was missing, stale or unusable, and the
    /// engine was built from the files. `None` when it was read from the snapshot or
    /// snapshots are off.
    pub write_snapshot_to: Option<PathBuf>,
}

/// Why a start cannot serve.
#[derive(Debug)]
pub enum StartError {
    Load(LoadError),
    /// `--strict`, and the snapshot's load skipped records: this is the first one's warning.
    BadRecordInSnapshot(String),
}

/// Loads the engine for `data_dir`: from the snapshot at `snapshot_path` when it may be
/// served, else from the files. Under `strict` any skipped record refuses the start, from
/// the snapshot as from the files.
pub fn load(
    data_dir: &Path,
    snapshot_path: Option<&Path>,
    options: LoadOptions,
) -> Result<Started, StartError> {
    let started = Instant::now();
    if let Some(path) = snapshot_path {
        match snapshot::open(path, data_dir).map_err(StartError::Load)? {
            Ok(fresh) => {
                if let Some(first) = fresh.warnings.first().filter(|_| options.strict) {
                    return Err(StartError::BadRecordInSnapshot(first.clone()));
                }
                let from = format!("the index snapshot {}", path.display());
                report(
                    data_dir,
                    &fresh.engine,
                    &fresh.version,
                    &fresh.warnings,
                    started,
                    &from,
                );
                return Ok(Started {
                    engine: fresh.engine,
                    version: fresh.version,
                    warnings: fresh.warnings,
                    write_snapshot_to: None,
                });
            }
            Err(unusable) => eprintln!(
                "index snapshot {}: {unusable}; building the index from the data files \
                 (the snapshot is written again)",
                path.display()
            ),
        }
    }
    let loaded = load_dir_rows(data_dir, options).map_err(StartError::Load)?;
    let engine = Engine::build_rows(loaded.scores, loaded.profiles);
    report(
        data_dir,
        &engine,
        &loaded.version,
        &loaded.warnings,
        started,
        "the data files",
    );
    Ok(Started {
        engine,
        version: loaded.version,
        warnings: loaded.warnings,
        write_snapshot_to: snapshot_path.map(Path::to_path_buf),
    })
}

/// Writes the snapshot of a start that built from the files, and says so on stderr.
pub fn write_snapshot(
    path: &Path,
    engine: &Engine,
    version: &str,
    warnings: &[String],
) -> Result<u64, WriteError> {
    let started = Instant::now();
    let bytes = snapshot::write(path, engine, version, warnings)?;
    eprintln!(
        "wrote the index snapshot {} ({bytes} bytes, data version {version}) in {:.2}s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(bytes)
}

fn report(
    data_dir: &Path,
    engine: &Engine,
    version: &str,
    warnings: &[String],
    started: Instant,
    from: &str,
) {
    eprintln!(
        "loaded {} scores and {} profiles from {} in {:.2}s \
         ({} bad records skipped; data version {version}; from {from})",
        engine.len(),
        engine.profile_count(),
        data_dir.display(),
        started.elapsed().as_secs_f64(),
        warnings.len(),
    );
    for warning in warnings.iter().take(WARNINGS_SHOWN) {
        eprintln!("warning: {warning}");
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "warning: ... and {} more (use --strict to refuse bad data)",
            warnings.len() - WARNINGS_SHOWN
        );
    }
}
