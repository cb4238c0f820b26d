//! The deterministic sample-data generator (`leaderboard-function generate`).
//!
//! `run` writes `profiles.json` and `scores.json` in the game's format: the same options give
//! the same bytes on every platform and build (our own SplitMix64 PRNG, integer arithmetic
//! only, fixed word lists), and a different seed gives different data. The data looks like a
//! real game's:
//!
//! - players: gamer tags (`novahunter`, `QuasarFox`, `pixelace42`) and first/last-name
//!   styles (`Zoë Martin`, `Jürgen_K`, `anna.schmidt`), a few players sharing a name; about
//!   one in five keeps the game's `images/avatars/default.svg`, the others have one of the
//!   shipped avatars ([`super::avatars`]); achievements from a space-game list, repeated as
//!   the game records them (`"King of the Universe"` three times);
//! - scores: every player has at least one (when there are enough scores) and busy players
//!   many; a per-player skill gives a long tail (most scores in the thousands, a few near
//!   999,999), with exact ties from round numbers and "vanity" scores like 123456; modes Solo,
//!   Duo and Trio and eight regions, each with uneven weights, players favouring a home region.
//!
//! Both files are written record by record (one compact JSON object a line), so a million
//! scores need no document in memory; each goes to a `.partial` file renamed into place when
//! complete, so an interrupted run never leaves a truncated document behind.

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use leaderboard_model::{PlayedAt, Profile, ScoreRecord};
use serde::Serialize;

use super::avatars::{AVATARS, DEFAULT_AVATAR};
use super::load::{PROFILES_FILE, SCORES_FILE};
use super::names::{ACHIEVEMENTS, FIRST_NAMES, LAST_NAMES, MODES, REGIONS, TAG_ENDS, TAG_STARTS};
use super::prng::SplitMix64;

/// What to generate and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    pub scores: usize,
    pub profiles: usize,
    pub seed: u64,
    /// Directory to write `scores.json` and `profiles.json` into (created if missing).
    pub out: PathBuf,
    /// When the scores were played: `None` writes no `playedAt` (as the original's
    /// documents); otherwise spread over a window ([`PlayedOver`]).
    pub played: Option<PlayedOver>,
}

/// Scores played over the `days` days before `until` (each `playedAt` in `[until - days,
/// until)`, uniform, to the millisecond), drawn from a stream of their own: the same options
/// give the same times, and the other fields are those of the same data without times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlayedOver {
    pub days: u32,
    pub until: PlayedAt,
}

impl PlayedOver {
    fn draw(&self, rng: &mut SplitMix64) -> Option<PlayedAt> {
        let span = u64::from(self.days.max(1)) * 86_400_000;
        let end = self.until.unix_millis();
        let ago = 1 + rng.below(span.min(end.max(1)));
        PlayedAt::from_unix_millis(end.saturating_sub(ago))
    }
}

/// What `run` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSummary {
    pub scores: usize,
    pub profiles: usize,
    pub scores_path: PathBuf,
    pub profiles_path: PathBuf,
    /// Size of both files together.
    pub bytes: u64,
}

impl fmt::Display for GenerateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wrote {} scores to {} and {} profiles to {} ({} bytes)",
            thousands(self.scores as u64),
            self.scores_path.display(),
            thousands(self.profiles as u64),
            self.profiles_path.display(),
            thousands(self.bytes)
        )
    }
}

/// Why `run` could not generate.
#[derive(Debug)]
pub enum GenerateError {
    /// Scores were asked for but no profiles to own them.
    NoProfiles { scores: usize },
    /// More profiles than the generator keeps in memory at once.
    TooManyProfiles { profiles: usize },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::NoProfiles { scores } => write!(
                f,
                "{scores} scores need at least one profile to belong to (--profiles)"
            ),
            GenerateError::TooManyProfiles { profiles } => write!(
                f,
                "{} profiles is more than the generator supports ({})",
                thousands(*profiles as u64),
                thousands(MAX_PROFILES as u64)
            ),
            GenerateError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for GenerateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GenerateError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The generator keeps a few bytes per profile (skill, activity, a shuffled order).
pub const MAX_PROFILES: usize = 50_000_000;

/// Independent random streams, so that each part of the data depends only on the seed and
/// its own index (changing how names are made does not reshuffle every score).
const STREAM_PLAYER: u64 = 1;
const STREAM_NAME: u64 = 2;
const STREAM_SCORES: u64 = 3;
const STREAM_TIMES: u64 = 4;

/// One in this many players takes the name of an earlier player.
const SHARED_NAME_ONE_IN: u64 = 60;
/// Earned only by the best players.
const TOP_ACHIEVEMENT: &str = "King of the Universe";
/// Scores live in octaves: level `L` spans `[BASE << L, 2 * BASE << L)`.
const SCORE_BASE: u64 = 2_000;
const TOP_LEVEL: i64 = 8;
/// The game's highest possible score, as in the original data.
const MAX_SCORE: u64 = 999_999;
/// Scores players aim for (or that look like test entries), as the original data has.
const VANITY_SCORES: &[u64] = &[
    100_000, 111_111, 123_456, 200_000, 250_000, 333_333, 500_000, 555_555, 654_321, 777_777,
    999_999,
];

/// Generates `options.profiles` profiles and `options.scores` scores into `options.out`.
pub fn run(options: &GenerateOptions) -> Result<GenerateSummary, GenerateError> {
    if options.scores > 0 && options.profiles == 0 {
        return Err(GenerateError::NoProfiles {
            scores: options.scores,
        });
    }
    if options.profiles > MAX_PROFILES {
        return Err(GenerateError::TooManyProfiles {
            profiles: options.profiles,
        });
    }
    std::fs::create_dir_all(&options.out).map_err(|source| GenerateError::Io {
        path: options.out.clone(),
        source,
    })?;
    let progress_enabled = std::io::stderr().is_terminal();

    let players: Vec<Player> = (0..options.profiles)
        .map(|index| Player::new(options.seed, index as u64))
        .collect();

    let profiles_path = options.out.join(PROFILES_FILE);
    let mut profiles_out = JsonArrayWriter::create(&profiles_path)?;
    let mut progress = Progress::new("profiles", options.profiles, progress_enabled);
    for (index, player) in players.iter().enumerate() {
        profiles_out.push(&player.profile(options.seed, index as u64))?;
        progress.advance(index + 1);
    }
    progress.finish();
    let profiles_bytes = profiles_out.finish()?;

    let scores_path = options.out.join(SCORES_FILE);
    let mut scores_out = JsonArrayWriter::create(&scores_path)?;
    let mut progress = Progress::new("scores", options.scores, progress_enabled);
    let mut owners = ScoreOwners::new(&players, options.seed);
    let mut rng = SplitMix64::stream(options.seed, STREAM_SCORES, 0);
    let mut times = SplitMix64::stream(options.seed, STREAM_TIMES, 0);
    for index in 0..options.scores {
        let owner = owners.next(&mut rng);
        let score = players[owner].score(&mut rng);
        scores_out.push(&ScoreRecord {
            id: (index + 1).to_string(),
            profile_id: (owner + 1).to_string(),
            score: score.points as i64,
            game_mode: score.mode.to_string(),
            game_region: score.region.to_string(),
            // The original's documents have no time; the sample stays like them.
            played_at: options.played.and_then(|played| played.draw(&mut times)),
        })?;
        progress.advance(index + 1);
    }
    progress.finish();
    let scores_bytes = scores_out.finish()?;

    Ok(GenerateSummary {
        scores: options.scores,
        profiles: options.profiles,
        scores_path,
        profiles_path,
        bytes: scores_bytes + profiles_bytes,
    })
}

/// What the scores need to know about a player, drawn from the player's own stream.
struct Player {
    /// 0 (most players) to 7 (a handful): the octave their scores centre on.
    skill: u32,
    /// 0 to 5: busy players play exponentially more.
    activity: u32,
    home_region: &'static str,
    /// The player's stream after the draws above: the profile's draws continue it.
    profile_rng: SplitMix64,
}

struct GeneratedScore {
    points: u64,
    mode: &'static str,
    region: &'static str,
}

impl Player {
    fn new(seed: u64, index: u64) -> Player {
        let mut rng = SplitMix64::stream(seed, STREAM_PLAYER, index);
        Player {
            skill: rng.halving(7),
            activity: rng.halving(5),
            home_region: rng.weighted(REGIONS),
            profile_rng: rng,
        }
    }

    fn profile(&self, seed: u64, index: u64) -> Profile {
        let mut rng = self.profile_rng.clone();
        let avatar = if rng.chance(1, 5) {
            DEFAULT_AVATAR
        } else {
            rng.pick(&AVATARS[1..]).0
        };
        // Players earn the same few achievements again and again (the game lists each time),
        // and the best players earn the rarest.
        let mut favourites: Vec<&str> = (0..rng.between(1, 4))
            .map(|_| rng.weighted(ACHIEVEMENTS))
            .collect();
        if self.skill >= 5 {
            favourites.push(TOP_ACHIEVEMENT);
        }
        let earned = if rng.chance(1, 20) {
            0
        } else {
            1 + rng.below(u64::from(2 + 2 * self.skill + self.activity))
        };
        let achievements = (0..earned)
            .map(|_| {
                let achievement = if rng.chance(3, 4) {
                    *rng.pick(&favourites)
                } else {
                    rng.weighted(ACHIEVEMENTS)
                };
                achievement.to_string()
            })
            .collect();
        Profile {
            id: (index + 1).to_string(),
            user_name: player_name(seed, index),
            avatar_url: format!("images/avatars/{avatar}"),
            achievements,
        }
    }

    fn score(&self, rng: &mut SplitMix64) -> GeneratedScore {
        let jitter = match rng.below(16) {
            0..=7 => 0,
            8..=11 => 1,
            12..=14 => -1,
            _ => 2,
        };
        let level = (i64::from(self.skill) + jitter).clamp(0, TOP_LEVEL) as u32;
        let low = SCORE_BASE << level;
        let mut points = (low + rng.below(low)).min(MAX_SCORE);
        if rng.chance(1, 500) {
            points = *rng.pick(VANITY_SCORES);
        } else if rng.chance(1, 30) {
            let step = if points >= 20_000 { 1_000 } else { 100 };
            points -= points % step;
        }
        let region = if rng.chance(1, 2) {
            self.home_region
        } else {
            rng.weighted(REGIONS)
        };
        GeneratedScore {
            points,
            mode: rng.weighted(MODES),
            region,
        }
    }
}

/// Chooses whose score comes next: first every player once, in a shuffled order (so no
/// profile is without a score when there are enough scores), then players in proportion to
/// their activity.
struct ScoreOwners {
    first_round: Vec<u32>,
    /// Running totals of `1 << activity`, for a binary search by ticket.
    cumulative_activity: Vec<u64>,
}

impl ScoreOwners {
    fn new(players: &[Player], seed: u64) -> ScoreOwners {
        let mut first_round: Vec<u32> = (0..players.len() as u32).collect();
        let mut rng = SplitMix64::stream(seed, STREAM_SCORES, 1);
        for i in (1..first_round.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            first_round.swap(i, j);
        }
        // Taken from the back, so reverse to hand them out front to back.
        first_round.reverse();
        let mut total = 0u64;
        let cumulative_activity = players
            .iter()
            .map(|player| {
                total += 1 << player.activity;
                total
            })
            .collect();
        ScoreOwners {
            first_round,
            cumulative_activity,
        }
    }

    /// Index of the next score's player. There is at least one player.
    fn next(&mut self, rng: &mut SplitMix64) -> usize {
        if let Some(player) = self.first_round.pop() {
            return player as usize;
        }
        let total = self.cumulative_activity.last().copied().unwrap_or(0);
        let ticket = rng.below(total);
        self.cumulative_activity
            .partition_point(|&running| running <= ticket)
    }
}

/// The name of player `index`. A few players share an earlier player's name, as people do.
fn player_name(seed: u64, index: u64) -> String {
    let mut index = index;
    loop {
        let mut rng = SplitMix64::stream(seed, STREAM_NAME, index);
        if index > 0 && rng.chance(1, SHARED_NAME_ONE_IN) {
            index = rng.below(index);
            continue;
        }
        return fresh_name(&mut rng);
    }
}

fn fresh_name(rng: &mut SplitMix64) -> String {
    #[derive(Clone, Copy)]
    enum Style {
        LowerTag,
        CamelTag,
        TagWithDigits,
        FirstAndLast,
        FirstAndInitial,
        FirstWithDigits,
        DottedName,
        Decorated,
    }
    const STYLES: &[(Style, u32)] = &[
        (Style::LowerTag, 24),
        (Style::CamelTag, 18),
        (Style::TagWithDigits, 18),
        (Style::FirstAndLast, 12),
        (Style::FirstAndInitial, 10),
        (Style::FirstWithDigits, 9),
        (Style::DottedName, 6),
        (Style::Decorated, 3),
    ];
    let start = *rng.pick(TAG_STARTS);
    let end = *rng.pick(TAG_ENDS);
    let first = *rng.pick(FIRST_NAMES);
    let last = *rng.pick(LAST_NAMES);
    match rng.weighted(STYLES) {
        Style::LowerTag => format!("{start}{end}"),
        Style::CamelTag if rng.chance(1, 3) => format!("{}_{}", capitalize(start), end),
        Style::CamelTag => format!("{}{}", capitalize(start), capitalize(end)),
        Style::TagWithDigits if rng.chance(1, 3) => {
            format!("{start}{}", rng.between(1990, 2012))
        }
        Style::TagWithDigits => format!("{start}{end}{}", rng.between(1, 99)),
        Style::FirstAndLast => format!("{first} {last}"),
        Style::FirstAndInitial => {
            let initial: String = last.chars().take(1).collect();
            if rng.chance(1, 2) {
                format!("{first}{initial}")
            } else {
                format!("{first}_{initial}")
            }
        }
        Style::FirstWithDigits => format!("{}{}", first.to_lowercase(), rng.between(1, 999)),
        Style::DottedName => format!("{}.{}", first.to_lowercase(), last.to_lowercase()),
        Style::Decorated => format!("xX{}{}Xx", capitalize(start), capitalize(end)),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Writes a JSON array one compact record a line, to `<path>.partial`, renamed to `path`
/// by `finish`.
struct JsonArrayWriter {
    path: PathBuf,
    partial_path: PathBuf,
    out: BufWriter<File>,
    records: u64,
}

impl JsonArrayWriter {
    fn create(path: &Path) -> Result<JsonArrayWriter, GenerateError> {
        let mut partial_path = path.as_os_str().to_owned();
        partial_path.push(".partial");
        let partial_path = PathBuf::from(partial_path);
        let file = File::create(&partial_path).map_err(|source| GenerateError::Io {
            path: partial_path.clone(),
            source,
        })?;
        let mut writer = JsonArrayWriter {
            path: path.to_path_buf(),
            partial_path,
            out: BufWriter::with_capacity(1 << 16, file),
            records: 0,
        };
        writer.write(b"[")?;
        Ok(writer)
    }

    fn push(&mut self, record: &impl Serialize) -> Result<(), GenerateError> {
        let separator: &[u8] = if self.records == 0 { b"\n  " } else { b",\n  " };
        self.write(separator)?;
        serde_json::to_writer(&mut self.out, record).map_err(|e| self.io_error(e.into()))?;
        self.records += 1;
        Ok(())
    }

    /// Closes the array, flushes, and moves the file into place; returns its size.
    fn finish(mut self) -> Result<u64, GenerateError> {
        self.write(b"\n]\n")?;
        let file = self.out.into_inner().map_err(|e| GenerateError::Io {
            path: self.partial_path.clone(),
            source: e.into_error(),
        })?;
        let io_error = |source| GenerateError::Io {
            path: self.partial_path.clone(),
            source,
        };
        file.sync_all().map_err(io_error)?;
        let bytes = file.metadata().map_err(io_error)?.len();
        drop(file);
        std::fs::rename(&self.partial_path, &self.path).map_err(|source| GenerateError::Io {
            path: self.path.clone(),
            source,
        })?;
        Ok(bytes)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), GenerateError> {
        self.out.write_all(bytes).map_err(|e| self.io_error(e))
    }

    fn io_error(&self, source: std::io::Error) -> GenerateError {
        GenerateError::Io {
            path: self.partial_path.clone(),
            source,
        }
    }
}

/// "scores 420,000 / 1,000,000", updated in place on a terminal; nothing otherwise (logs
/// and CI output stay clean).
struct Progress {
    label: &'static str,
    total: usize,
    enabled: bool,
    step: usize,
    next_report: usize,
    last_printed: Option<usize>,
}

impl Progress {
    fn new(label: &'static str, total: usize, enabled: bool) -> Progress {
        let step = (total / 200).max(1_000);
        Progress {
            label,
            total,
            enabled,
            step,
            next_report: step,
            last_printed: None,
        }
    }

    fn advance(&mut self, done: usize) {
        if self.enabled && done >= self.next_report {
            self.next_report = done + self.step;
            self.print(done);
        }
    }

    fn finish(&mut self) {
        if self.enabled {
            if self.last_printed != Some(self.total) {
                self.print(self.total);
            }
            eprintln!();
        }
    }

    fn print(&mut self, done: usize) {
        self.last_printed = Some(done);
        let mut stderr = std::io::stderr().lock();
        // Progress is a courtesy: a closed stderr must not fail the generation.
        let _ = write!(
            stderr,
            "\r{} {} / {}",
            self.label,
            thousands(done as u64),
            thousands(self.total as u64)
        );
        let _ = stderr.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn word_lists_are_not_empty_and_weights_are_positive() {
        for list in [MODES, REGIONS, ACHIEVEMENTS] {
            assert!(!list.is_empty());
            assert!(list.iter().all(|(_, weight)| *weight > 0));
        }
        for list in [TAG_STARTS, TAG_ENDS, FIRST_NAMES, LAST_NAMES] {
            assert!(list.iter().all(|word| !word.is_empty()));
        }
    }

    #[test]
    fn names_mix_styles_and_include_non_ascii_and_shared_names() {
        let names: Vec<String> = (0..2_000).map(|i| player_name(42, i)).collect();
        assert!(names.iter().any(|n| !n.is_ascii()), "some non-ASCII names");
        assert!(
            names.iter().any(|n| n.contains(' ')),
            "some first/last names"
        );
        assert!(names.iter().any(|n| n.chars().any(char::is_uppercase)));
        assert!(names.iter().any(|n| n.chars().all(|c| !c.is_uppercase())));
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        let shared = names.len() - sorted.len();
        assert!(
            (10..200).contains(&shared),
            "a few players share a name ({shared} of 2,000)"
        );
        assert!(names.iter().all(|n| !n.is_empty() && n.len() < 40));
    }

    #[test]
    fn every_player_has_a_score_when_there_are_enough() {
        let players: Vec<Player> = (0..50).map(|i| Player::new(9, i)).collect();
        let mut owners = ScoreOwners::new(&players, 9);
        let mut rng = SplitMix64::new(9);
        let mut seen: Vec<usize> = (0..50).map(|_| owners.next(&mut rng)).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..50).collect::<Vec<_>>());
        assert!((0..1_000).all(|_| owners.next(&mut rng) < 50));
    }

    #[test]
    fn scores_stay_within_the_games_range() {
        let mut rng = SplitMix64::new(5);
        for skill in 0..=7 {
            let player = Player {
                skill,
                activity: 0,
                home_region: "Milky Way",
                profile_rng: SplitMix64::new(0),
            };
            for _ in 0..2_000 {
                let score = player.score(&mut rng);
                assert!((1..=MAX_SCORE).contains(&score.points), "{}", score.points);
            }
        }
    }

    #[test]
    fn no_scores_without_profiles_is_refused() {
        let options = GenerateOptions {
            scores: 10,
            profiles: 0,
            seed: 1,
            out: PathBuf::from("unused"),
            played: None,
        };
        let error = run(&options).unwrap_err();
        assert!(matches!(error, GenerateError::NoProfiles { scores: 10 }));
        assert!(error.to_string().contains("profile"));
    }
}
