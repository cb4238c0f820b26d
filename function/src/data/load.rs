//! Loading the game's documents: `profiles.json` and `scores.json` from a data directory.
//!
//! # Format
//!
//! Each file is a JSON array of objects with exactly the original Space Game's fields:
//! `scores.json` holds `{"id", "profileId", "score", "gameMode", "gameRegion"}` and
//! `profiles.json` holds `{"id", "userName", "avatarUrl", "achievements"}`. Ids are strings,
//! `score` is a whole number, `achievements` is a list of strings (the game repeats one per
//! time it was earned; a missing `achievements` means none). A score may also hold
//! `playedAt`, under the rules of a posted one (`leaderboard_model::PlayedAt`: RFC 3339 in
//! UTC); without it (or with `null`) the score has no time and counts for all time, as the
//! original's documents do. A file's `playedAt` is not checked against the clock: what a
//! load keeps (and its index snapshot) depends on the files alone, never on the moment. Fields the game does not define,
//! such as the `_rid`, `_self`, `_etag`, `_attachments` and `_ts` of a Cosmos DB export, are
//! ignored. A UTF-8 byte order mark at the start of a file is ignored.
//!
//! # Bad data policy
//!
//! - **A file that is not a JSON array is fatal**, in every mode: missing or unreadable
//!   (the error names the file), or not UTF-8, malformed JSON, or a top level that is not an
//!   array (the error names the file, the line and the column), for example
//!   `` data/scores.json: not a JSON array of records (line 3, column 3): expected `,` or `]` ``.
//! - **A bad record is skipped with a warning** naming the file, the record's index in the
//!   array (counting from 0, as `jq '.[17]'` does) and its id when it has one, for example
//!   `data/scores.json: record 17 (id "17"): field "score" must be a whole number (a 64-bit
//!   integer, without a fraction or exponent), found a string "12"`. A record is bad when it
//!   is not an object; a field is missing or has the wrong type; its id is empty; its id
//!   repeats the id of an earlier record kept from the same file (the first kept one wins);
//!   `gameMode` or `gameRegion` is empty or longer than [`MAX_FILTER_LEN`] (100) bytes, so no
//!   query could select it; its `playedAt` is not a time by those rules; or it is a score whose `profileId` is not the id of a profile
//!   kept from `profiles.json` (so a skipped profile's scores are skipped too).
//! - **With `strict`** ([`LoadOptions::strict`], the `--strict` flag) the first bad record
//!   (profiles before scores, in record order) fails the load instead, with that same
//!   message, so a deployment can refuse to start on data it would otherwise serve partially.
//!
//! Every warning is kept in [`Loaded::warnings`], profiles' first, each file's in record
//! order; the caller prints a count and the first few.
//!
//! # Cost
//!
//! Records are parsed one at a time from the file's text (each array element is first
//! delimited as a borrowed [`RawValue`], then decoded into its record), so no JSON tree of
//! the whole file is ever built. Memory peaks at one file's bytes plus the decoded records
//! (profiles are read, checked and freed before scores are read).
//!
//! # Version
//!
//! [`Loaded::version`] is a 128-bit hash of both files' bytes, in hex: the same files give
//! the same version on every machine and run, and any change to either file changes it, so
//! the ETags derived from it change exactly when the data does. It is not cryptographic.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use leaderboard_engine::{ScoreRow, ScoreRows};
use leaderboard_model::{Excerpt, Found, PlayedAt, Profile, ScoreRecord, MAX_FILTER_LEN};
use serde::de::{Deserializer as _, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::prng::mix64;

/// Name of the scores document in a data directory.
pub const SCORES_FILE: &str = "scores.json";
/// Name of the profiles document in a data directory.
pub const PROFILES_FILE: &str = "profiles.json";

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

/// Why the data directory could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// A file is missing or unreadable.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Kept for callers that report other problems with a file; the loader itself reports
    /// [`LoadError::Malformed`] and [`LoadError::BadRecord`].
    Invalid { path: PathBuf, message: String },
    /// The file is not a JSON array: not UTF-8, malformed JSON, or another top level.
    /// `line` and `column` count from 1 (the column in bytes).
    Malformed {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A bad record under [`LoadOptions::strict`]; its `Display` is the warning it would
    /// have been without `strict`.
    BadRecord(BadRecord),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            LoadError::Invalid { path, message } => write!(f, "{}: {message}", path.display()),
            LoadError::Malformed {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{}: not a JSON array of records (line {line}, column {column}): {message}",
                path.display()
            ),
            LoadError::BadRecord(record) => record.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// One record that breaks the policy: which file, which record, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    pub path: PathBuf,
    /// Index in the file's array, counting from 0.
    pub index: usize,
    /// The record's id, when it has a string one.
    pub id: Option<String>,
    pub problem: String,
}

impl fmt::Display for BadRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: record {}", self.path.display(), self.index)?;
        if let Some(id) = &self.id {
            write!(f, " (id {:?})", Excerpt(id))?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// Both files' problems as the warning lines the caller prints, profiles first.
fn warnings_of<P, S>(profiles: &FileRecords<P>, scores: &FileRecords<S>) -> Vec<String> {
    profiles
        .problems
        .iter()
        .chain(&scores.problems)
        .map(ToString::to_string)
        .collect()
}

/// `profiles.json` under the policy (first of each id kept), and the digest of its bytes.
/// Its text is dropped before returning.
fn load_profiles(
    dir: &Path,
    options: LoadOptions,
) -> Result<(FileRecords<Profile>, [u64; 2]), LoadError> {
    let profiles_path = dir.join(PROFILES_FILE);
    let profiles_bytes = read(&profiles_path)?;
    let profiles_digest = digest(&profiles_bytes);
    let mut profiles = parse_file(&profiles_path, &profiles_bytes, parse_profile)?;
    drop(profiles_bytes);
    keep_first_of_each_id(&profiles_path, &mut profiles, |p| p.id.as_str());
    fail_if_strict(options, &profiles.problems)?;
    Ok((profiles, profiles_digest))
}

/// Loads `profiles.json` and `scores.json` from `dir` under the policy in the module docs.
pub fn load_dir(dir: &Path, options: LoadOptions) -> Result<Loaded, LoadError> {
    // Profiles first: the scores are checked against them. Each file's bytes are dropped
    // before the next is read, so the peak holds one file's text, not both.
    let (profiles, profiles_digest) = load_profiles(dir, options)?;

    let known_profiles: HashSet<&str, BuildIdHasher> =
        profiles.records.iter().map(|p| p.id.as_str()).collect();

    let scores_path = dir.join(SCORES_FILE);
    let scores_bytes = read(&scores_path)?;
    let scores_digest = digest(&scores_bytes);
    let mut scores = parse_file(&scores_path, &scores_bytes, |raw| {
        let score = parse_score(raw)?;
        if !known_profiles.contains(score.profile_id.as_str()) {
            return Err(RecordIssue {
                id: Some(score.id),
                problem: format!(
                    "its profile {:?} is not in {PROFILES_FILE} (or was skipped)",
                    Excerpt(&score.profile_id)
                ),
            });
        }
        Ok(score)
    })?;
    drop(scores_bytes);
    drop(known_profiles);
    keep_first_of_each_id(&scores_path, &mut scores, |s| s.id.as_str());
    fail_if_strict(options, &scores.problems)?;

    let warnings = warnings_of(&profiles, &scores);
    Ok(Loaded {
        scores: scores.records,
        profiles: profiles.records,
        warnings,
        version: version_of(scores_digest, profiles_digest),
    })
}

/// What [`load_dir_rows`] loads: exactly [`load_dir`]'s records, warnings and version, with
/// the scores in the compact form [`Engine::build_rows`](leaderboard_engine::Engine::build_rows)
/// takes (row `i`'s `profile` indexes `profiles`).
#[derive(Debug, Default)]
pub struct LoadedRows {
    pub scores: ScoreRows,
    pub profiles: Vec<Profile>,
    pub warnings: Vec<String>,
    pub version: String,
}

/// [`load_dir`] for the server: the same policy, checks, warnings and errors, but
/// each score is decoded borrowing from the file's text and stored as one fixed-size row
/// (its id appended to one buffer, its player, mode and region as small indexes) instead
/// of a record of four `String`s: four allocations fewer per score, and the profile
/// lookups hit a compact table instead of scattered strings (bench/analysis.md,
/// "Function: cold start").
pub fn load_dir_rows(dir: &Path, options: LoadOptions) -> Result<LoadedRows, LoadError> {
    let (profiles, profiles_digest) = load_profiles(dir, options)?;

    // The kept profiles' ids side by side in one buffer, and a table from id to position:
    // a million lookups touch a few MB instead of 100,000 separate heap strings.
    let mut profile_ids = String::new();
    let mut profile_id_ends = Vec::with_capacity(profiles.records.len());
    for profile in &profiles.records {
        profile_ids.push_str(&profile.id);
        profile_id_ends.push(profile_ids.len());
    }
    let mut profile_of_id: HashMap<&str, u32, BuildIdHasher> =
        HashMap::with_capacity_and_hasher(profile_id_ends.len(), BuildIdHasher::default());
    let mut start = 0;
    for (index, &end) in profile_id_ends.iter().enumerate() {
        profile_of_id
            .entry(profile_ids.get(start..end).unwrap_or(""))
            .or_insert(index as u32);
        start = end;
    }

    let scores_path = dir.join(SCORES_FILE);
    let scores_bytes = read(&scores_path)?;
    let scores_digest = digest(&scores_bytes);
    let mut rows = ScoreRows::default();
    // About 10% of a typical scores.json is ids.
    rows.ids.reserve(scores_bytes.len() / 10);
    let mut modes = NameTable::default();
    let mut regions = NameTable::default();
    let mut scores = parse_file(&scores_path, &scores_bytes, |raw| {
        let score: ScoreDoc =
            serde_json::from_str(raw.get()).map_err(|e| diagnose(raw, &e, &SCORE_FIELDS))?;
        // The checks of `parse_score` and then `load_dir`'s profile check, in that order.
        let problem = score_problem(&score.id, &score.game_mode, &score.game_region);
        if let Some(problem) = problem {
            return Err(RecordIssue {
                id: Some(score.id.into_owned()).filter(|id| !id.is_empty()),
                problem,
            });
        }
        let Some(&profile) = profile_of_id.get(score.profile_id.as_ref()) else {
            return Err(RecordIssue {
                problem: format!(
                    "its profile {:?} is not in {PROFILES_FILE} (or was skipped)",
                    Excerpt(&score.profile_id)
                ),
                id: Some(score.id.into_owned()),
            });
        };
        let id_start = rows.ids.len();
        rows.ids.push_str(&score.id);
        Ok(ScoreRow {
            id_start,
            id_end: rows.ids.len(),
            score: score.score,
            profile,
            mode: modes.intern(&score.game_mode),
            region: regions.intern(&score.game_region),
            played_at: score.played_at,
        })
    })?;
    drop(scores_bytes);
    drop(profile_of_id);
    drop(profile_ids);
    let duplicates = duplicate_positions(
        &scores_path,
        &scores.indexes,
        scores
            .records
            .iter()
            .map(|row| rows.ids.get(row.id_start..row.id_end).unwrap_or("")),
        &mut scores.problems,
    );
    drop_positions(&mut scores, duplicates);
    fail_if_strict(options, &scores.problems)?;

    let warnings = warnings_of(&profiles, &scores);
    rows.rows = scores.records;
    rows.modes = modes.names;
    rows.regions = regions.names;
    Ok(LoadedRows {
        scores: rows,
        profiles: profiles.records,
        warnings,
        version: version_of(scores_digest, profiles_digest),
    })
}

/// A score document decoded without copying its strings out of the file's text (they are
/// copied only when they hold escapes). Same fields and rules as [`ScoreRecord`].
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScoreDoc<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    profile_id: Cow<'a, str>,
    score: i64,
    #[serde(borrow)]
    game_mode: Cow<'a, str>,
    #[serde(borrow)]
    game_region: Cow<'a, str>,
    #[serde(default)]
    played_at: Option<PlayedAt>,
}

/// Distinct names (modes or regions) numbered in first-seen order.
#[derive(Default)]
struct NameTable {
    ids: HashMap<String, u32, BuildIdHasher>,
    names: Vec<String>,
    /// Consecutive scores often share a value: skip the hash for them.
    last: Option<u32>,
}

impl NameTable {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(last) = self.last {
            if self.names.get(last as usize).is_some_and(|n| n == name) {
                return last;
            }
        }
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                self.ids.insert(name.to_string(), id);
                self.names.push(name.to_string());
                id
            }
        };
        self.last = Some(id);
        id
    }
}

fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn fail_if_strict(options: LoadOptions, problems: &[BadRecord]) -> Result<(), LoadError> {
    match problems.first() {
        Some(first) if options.strict => Err(LoadError::BadRecord(first.clone())),
        _ => Ok(()),
    }
}

/// The records kept from one file and the ones skipped, each list in file order.
struct FileRecords<T> {
    records: Vec<T>,
    /// Array index of each kept record, parallel to `records`.
    indexes: Vec<usize>,
    problems: Vec<BadRecord>,
}

/// What is wrong with one record, before the file and index are attached.
struct RecordIssue {
    id: Option<String>,
    problem: String,
}

/// Delimits each element of the file's top-level array and hands it to `parse`.
fn parse_file<'text, T>(
    path: &Path,
    bytes: &'text [u8],
    mut parse: impl FnMut(&'text RawValue) -> Result<T, RecordIssue>,
) -> Result<FileRecords<T>, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_and_column(bytes, e.valid_up_to());
        LoadError::Malformed {
            path: path.to_path_buf(),
            line,
            column,
            message: "the file is not UTF-8 text".to_string(),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('[') {
        let (line, column) = line_and_column(text.as_bytes(), start);
        let found = match text[start..].chars().next() {
            None => "nothing".to_string(),
            Some('{') => "an object".to_string(),
            Some(c) => format!("{c:?}"),
        };
        return Err(LoadError::Malformed {
            path: path.to_path_buf(),
            line,
            column,
            message: format!("expected a JSON array of records ('['), found {found}"),
        });
    }

    let mut file = FileRecords {
        records: Vec::new(),
        indexes: Vec::new(),
        problems: Vec::new(),
    };
    let mut on_record = |index: usize, raw: &'text RawValue| match parse(raw) {
        Ok(record) => {
            file.records.push(record);
            file.indexes.push(index);
        }
        Err(issue) => file.problems.push(BadRecord {
            path: path.to_path_buf(),
            index,
            id: issue.id,
            problem: issue.problem,
        }),
    };
    let malformed = |e: serde_json::Error| LoadError::Malformed {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: without_position(&e),
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    (&mut deserializer)
        .deserialize_seq(EachElement {
            on_element: &mut on_record,
        })
        .map_err(malformed)?;
    deserializer.end().map_err(malformed)?;
    Ok(file)
}

/// Visits a JSON array element by element without collecting it.
struct EachElement<'f, F> {
    on_element: &'f mut F,
}

impl<'de, F: FnMut(usize, &'de RawValue)> Visitor<'de> for EachElement<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            (self.on_element)(index, raw);
            index += 1;
        }
        Ok(())
    }
}

/// Drops every record whose id an earlier kept record of the same file already has, with
/// a warning, and puts the file's problems back in record order.
fn keep_first_of_each_id<T>(path: &Path, file: &mut FileRecords<T>, id_of: impl Fn(&T) -> &str) {
    let duplicates = duplicate_positions(
        path,
        &file.indexes,
        file.records.iter().map(id_of),
        &mut file.problems,
    );
    drop_positions(file, duplicates);
}

/// Positions (in `ids`, parallel to `indexes`) whose id an earlier one already has; each
/// gets a warning in `problems`.
///
/// Sorting (hash of id, position) brings equal ids together, first occurrence first; only
/// ids whose hashes collide compare their text. At a million ids this is several times
/// faster than a hash map, whose every insert is a cache miss in a table of tens of MB.
fn duplicate_positions<'a>(
    path: &Path,
    indexes: &[usize],
    ids: impl Iterator<Item = &'a str>,
    problems: &mut Vec<BadRecord>,
) -> Vec<usize> {
    let ids: Vec<&str> = ids.collect();
    let mut keyed: Vec<(u64, usize)> = ids
        .iter()
        .enumerate()
        .map(|(position, id)| {
            (
                std::hash::BuildHasher::hash_one(&BuildIdHasher::default(), id),
                position,
            )
        })
        .collect();
    keyed.sort_unstable();
    let mut duplicates = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        // In file order; the first of each distinct id is kept (distinct ids in one run
        // are hash collisions, so `kept` stays tiny).
        let mut kept: Vec<(&str, usize)> = Vec::new();
        for &(_, position) in run {
            let id = ids[position];
            match kept.iter().find(|(kept_id, _)| *kept_id == id) {
                Some(&(_, first)) => {
                    duplicates.push(position);
                    problems.push(BadRecord {
                        path: path.to_path_buf(),
                        index: indexes[position],
                        id: Some(id.to_string()),
                        problem: format!("duplicate id: record {} already has it", indexes[first]),
                    });
                }
                None => kept.push((id, position)),
            }
        }
    }
    duplicates
}

/// Removes the records at `duplicates` and sorts the problems back into record order.
fn drop_positions<T>(file: &mut FileRecords<T>, duplicates: Vec<usize>) {
    if duplicates.is_empty() {
        return;
    }
    let mut is_duplicate = vec![false; file.records.len()];
    for position in duplicates {
        is_duplicate[position] = true;
    }
    let mut position = 0;
    file.records.retain(|_| {
        position += 1;
        !is_duplicate[position - 1]
    });
    let mut position = 0;
    file.indexes.retain(|_| {
        position += 1;
        !is_duplicate[position - 1]
    });
    file.problems.sort_by_key(|p| p.index);
}

/// The loader's maps are keyed by ids from the operator's own files: a fast hash (foldhash,
/// hashbrown's own default), not SipHash, whose flood resistance buys nothing here and
/// costs at a million keys. Fixed-seeded, so a load does the same work every run.
type BuildIdHasher = foldhash::fast::FixedState;

// ---------------------------------------------------------------------------------------
// Records

/// What makes a well-typed score record bad, if anything: an empty id, or an empty or
/// over-long mode or region.
fn score_problem(id: &str, game_mode: &str, game_region: &str) -> Option<String> {
    if id.is_empty() {
        Some("id is empty".to_string())
    } else {
        filter_problem("gameMode", game_mode).or_else(|| filter_problem("gameRegion", game_region))
    }
}

fn parse_score(raw: &RawValue) -> Result<ScoreRecord, RecordIssue> {
    // The typed parse is the fast path; only a record it rejects is looked at field by
    // field, to say which field is wrong.
    let score: ScoreRecord =
        serde_json::from_str(raw.get()).map_err(|e| diagnose(raw, &e, &SCORE_FIELDS))?;
    match score_problem(&score.id, &score.game_mode, &score.game_region) {
        Some(problem) => Err(RecordIssue {
            id: Some(score.id).filter(|id| !id.is_empty()),
            problem,
        }),
        None => Ok(score),
    }
}

fn parse_profile(raw: &RawValue) -> Result<Profile, RecordIssue> {
    let profile: Profile =
        serde_json::from_str(raw.get()).map_err(|e| diagnose(raw, &e, &PROFILE_FIELDS))?;
    if profile.id.is_empty() {
        return Err(RecordIssue {
            id: None,
            problem: "id is empty".to_string(),
        });
    }
    Ok(profile)
}

/// A mode or region that no query could select: the API treats an empty filter as "all"
/// and refuses one longer than `MAX_FILTER_LEN`.
fn filter_problem(field: &str, value: &str) -> Option<String> {
    if value.is_empty() {
        Some(format!("{field} is empty"))
    } else if value.len() > MAX_FILTER_LEN {
        Some(format!(
            "{field} is {} bytes long (at most {MAX_FILTER_LEN})",
            value.len()
        ))
    } else {
        None
    }
}

#[derive(Clone, Copy)]
enum FieldKind {
    Text,
    WholeNumber,
    ListOfText,
    /// A `playedAt`: a string under the model's rules (`PlayedAt::parse`), or `null`.
    Time,
}

struct Field {
    name: &'static str,
    kind: FieldKind,
    required: bool,
}

const SCORE_FIELDS: [Field; 6] = [
    Field::required("id", FieldKind::Text),
    Field::required("profileId", FieldKind::Text),
    Field::required("score", FieldKind::WholeNumber),
    Field::required("gameMode", FieldKind::Text),
    Field::required("gameRegion", FieldKind::Text),
    Field {
        name: "playedAt",
        kind: FieldKind::Time,
        required: false,
    },
];

const PROFILE_FIELDS: [Field; 4] = [
    Field::required("id", FieldKind::Text),
    Field::required("userName", FieldKind::Text),
    Field::required("avatarUrl", FieldKind::Text),
    Field {
        name: "achievements",
        kind: FieldKind::ListOfText,
        required: false,
    },
];

impl Field {
    const fn required(name: &'static str, kind: FieldKind) -> Field {
        Field {
            name,
            kind,
            required: true,
        }
    }
}

/// Explains why a record failed the typed parse, naming the field at fault.
fn diagnose(raw: &RawValue, error: &serde_json::Error, fields: &[Field]) -> RecordIssue {
    let object: Map<String, Value> = match serde_json::from_str::<Value>(raw.get()) {
        Ok(Value::Object(object)) => object,
        Ok(other) => {
            return RecordIssue {
                id: None,
                problem: format!("expected an object, found {}", found(&other)),
            }
        }
        Err(_) => {
            return RecordIssue {
                id: None,
                problem: without_position(error),
            }
        }
    };
    let id = match object.get("id") {
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        _ => None,
    };
    let field_problem = fields
        .iter()
        .find_map(|field| match object.get(field.name) {
            None if field.required => Some(format!("missing field {:?}", field.name)),
            None => None,
            Some(Value::String(text)) if matches!(field.kind, FieldKind::Time) => {
                PlayedAt::parse(text)
                    .err()
                    .map(|e| format!("field {:?} {e}", field.name))
            }
            Some(value) => {
                let (fits, wanted) = match field.kind {
                    FieldKind::Time => (value.is_null(), "an RFC 3339 time in UTC (a string)"),
                    FieldKind::Text => (value.is_string(), "a string"),
                    FieldKind::WholeNumber => (
                        value.is_i64(),
                        "a whole number (a 64-bit integer, without a fraction or exponent)",
                    ),
                    FieldKind::ListOfText => (
                        value
                            .as_array()
                            .is_some_and(|items| items.iter().all(Value::is_string)),
                        "a list of strings",
                    ),
                };
                (!fits).then(|| {
                    format!(
                        "field {:?} must be {wanted}, found {}",
                        field.name,
                        found(value)
                    )
                })
            }
        });
    RecordIssue {
        id,
        // Every field looks right on its own, so the typed parse failed for another reason
        // (a field given twice, say): its own message says which.
        problem: field_problem.unwrap_or_else(|| without_position(error)),
    }
}

/// What a JSON value is, as every message of the API describes it.
fn found(value: &Value) -> Found {
    match value {
        Value::Null => Found::Null,
        Value::Bool(b) => Found::Bool(*b),
        Value::Number(n) => Found::Number(n.to_string()),
        Value::String(s) => Found::Text(s.clone()),
        Value::Array(_) => Found::List,
        Value::Object(_) => Found::Object,
    }
}

/// serde_json's message without its " at line L column C" (the caller reports the position
/// in the file, not within a record).
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&suffix) {
        Some(stripped) => stripped.to_string(),
        None => message,
    }
}

/// 1-based line and byte column of a byte offset.
fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    (line, before.len() - line_start + 1)
}

// ---------------------------------------------------------------------------------------
// Version

/// A 128-bit non-cryptographic hash of a file's bytes, eight bytes at a time so that a
/// 100 MB file costs tens of milliseconds. Fixed here (not a library's hasher, whose output
/// may change between releases) so versions are stable across builds and machines.
fn digest(bytes: &[u8]) -> [u64; 2] {
    let mut digest = Digest::default();
    digest.update(bytes);
    digest.finish()
}

/// [`digest`] fed piece by piece (the same value for the same bytes however they are
/// split), so a file can be hashed without holding it whole.
struct Digest {
    a: u64,
    b: u64,
    length: u64,
    /// Bytes of an unfinished word.
    pending: [u8; 8],
    pending_len: usize,
}

impl Default for Digest {
    fn default() -> Self {
        Digest {
            a: 0x243F_6A88_85A3_08D3,
            b: 0x1319_8A2E_0370_7344,
            length: 0,
            pending: [0; 8],
            pending_len: 0,
        }
    }
}

const DIGEST_K1: u64 = 0x9E37_79B9_7F4A_7C15;
const DIGEST_K2: u64 = 0xC2B2_AE3D_27D4_EB4F;

impl Digest {
    #[inline]
    fn word(&mut self, w: u64) {
        self.a = (self.a ^ w).wrapping_mul(DIGEST_K1).rotate_left(31);
        self.b = (self.b ^ w.rotate_left(17))
            .wrapping_mul(DIGEST_K2)
            .rotate_left(27);
    }

    fn update(&mut self, mut bytes: &[u8]) {
        self.length += bytes.len() as u64;
        if self.pending_len > 0 {
            let take = (8 - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.pending));
            self.pending_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for chunk in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(word));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    fn finish(mut self) -> [u64; 2] {
        let mut tail = [0u8; 8];
        tail[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
        let w = u64::from_le_bytes(tail);
        let length = self.length;
        self.a = mix64((self.a ^ w).wrapping_mul(DIGEST_K1) ^ length);
        self.b = mix64(
            (self.b ^ w.rotate_left(17)).wrapping_mul(DIGEST_K2) ^ length.rotate_left(32) ^ self.a,
        );
        [self.a, self.b]
    }
}

/// The digest of a file, read a piece at a time.
fn digest_file(path: &Path) -> Result<[u64; 2], LoadError> {
    use std::io::Read;
    let io_error = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io_error)?;
    let mut digest = Digest::default();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => digest.update(&buffer[..read]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(e)),
        }
    }
    Ok(digest.finish())
}

/// The version [`load_dir`] would report for `dir` ([`Loaded::version`]), from the files'
/// bytes alone: nothing is parsed. What an index snapshot is checked against.
pub fn data_version(dir: &Path) -> Result<String, LoadError> {
    let profiles = digest_file(&dir.join(PROFILES_FILE))?;
    let scores = digest_file(&dir.join(SCORES_FILE))?;
    Ok(version_of(scores, profiles))
}

fn version_of(scores: [u64; 2], profiles: [u64; 2]) -> String {
    let high = mix64(scores[0] ^ mix64(profiles[0]));
    let low = mix64(scores[1] ^ mix64(profiles[1] ^ high));
    format!("{high:016x}{low:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_depends_on_every_byte_and_the_length() {
        let base = b"[{\"id\":\"1\",\"score\":10}]".to_vec();
        let mut changed_last = base.clone();
        *changed_last.last_mut().unwrap() = b'}';
        let mut longer = base.clone();
        longer.push(b'\n');
        assert_ne!(digest(&base), digest(&changed_last));
        assert_ne!(digest(&base), digest(&longer));
        assert_ne!(digest(b""), digest(b"\0"));
        assert_eq!(digest(&base), digest(&base.clone()));
    }

    #[test]
    fn digest_is_pinned_so_versions_survive_rebuilds() {
        // A change to `digest` changes every deployment's ETags: make it on purpose only.
        let version = version_of(
            digest(b"[{\"id\":\"1\",\"profileId\":\"1\",\"score\":999999}]\n"),
            digest(b"[]"),
        );
        assert_eq!(version, "d6ec2618c23957e775f1172782f9fcd9");
    }

    #[test]
    fn the_digest_fed_in_pieces_is_the_digest_of_the_whole() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            for piece in [1, 3, 8, 13, 64] {
                let mut digest = Digest::default();
                digest.update(&bytes[..split]);
                for chunk in bytes[split..].chunks(piece) {
                    digest.update(chunk);
                }
                assert_eq!(digest.finish(), super::digest(&bytes), "{split} {piece}");
            }
        }
    }

    #[test]
    fn swapping_the_files_changes_the_version() {
        let a = digest(b"[1]");
        let b = digest(b"[2]");
        assert_ne!(version_of(a, b), version_of(b, a));
    }

    #[test]
    fn line_and_column_count_from_one() {
        assert_eq!(line_and_column(b"ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column(b"ab\ncd", 99), (2, 3));
    }
}
