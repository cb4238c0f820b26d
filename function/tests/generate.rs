//! The sample-data generator: determinism, realism, and the shipped sample in `data/sample`.
//!
//! `data/sample` is exactly what the generator writes for [`SAMPLE`]'s arguments, and the
//! first test keeps it so. After a deliberate change to the generator (or its word lists or
//! the avatar set), rewrite the sample with
//!
//! ```text
//! UPDATE_SAMPLE=1 cargo test -p leaderboard-function --test generate
//! ```
//!
//! and commit the new files with the change.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use leaderboard_function::data::avatars::avatar;
use leaderboard_function::data::generate::{run, GenerateOptions};
use leaderboard_function::data::{load_dir, LoadOptions, Loaded};

/// The shipped sample's arguments:
/// `leaderboard-function generate --scores 5000 --profiles 800 --seed 42 --out data/sample`.
const SAMPLE_SCORES: usize = 5_000;
const SAMPLE_PROFILES: usize = 800;
const SAMPLE_SEED: u64 = 42;

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/sample")
}

fn generate(scores: usize, profiles: usize, seed: u64) -> (tempfile::TempDir, Loaded) {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = run(&GenerateOptions {
        scores,
        profiles,
        seed,
        out: dir.path().to_path_buf(),
        played: None,
    })
    .expect("generate");
    assert_eq!((summary.scores, summary.profiles), (scores, profiles));
    let loaded = load_dir(dir.path(), LoadOptions { strict: true }).expect("generated data loads");
    (dir, loaded)
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

#[test]
fn shipped_sample_is_what_the_generator_writes_for_its_documented_arguments() {
    let sample = sample_dir();
    if std::env::var_os("UPDATE_SAMPLE").is_some_and(|v| v == "1") {
        run(&GenerateOptions {
            scores: SAMPLE_SCORES,
            profiles: SAMPLE_PROFILES,
            seed: SAMPLE_SEED,
            out: sample.clone(),
            played: None,
        })
        .expect("rewrite data/sample");
    }
    let (fresh, _) = generate(SAMPLE_SCORES, SAMPLE_PROFILES, SAMPLE_SEED);
    for name in ["scores.json", "profiles.json"] {
        assert!(
            read(&sample, name) == read(fresh.path(), name),
            "data/sample/{name} differs from the generator's output; if the generator changed \
             on purpose, run UPDATE_SAMPLE=1 cargo test -p leaderboard-function --test generate"
        );
    }
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let (a, _) = generate(3_000, 400, 7);
    let (b, _) = generate(3_000, 400, 7);
    for name in ["scores.json", "profiles.json"] {
        assert_eq!(read(a.path(), name), read(b.path(), name), "{name}");
    }
}

#[test]
fn another_seed_gives_different_data() {
    let (a, loaded_a) = generate(3_000, 400, 7);
    let (b, loaded_b) = generate(3_000, 400, 8);
    for name in ["scores.json", "profiles.json"] {
        assert_ne!(read(a.path(), name), read(b.path(), name), "{name}");
    }
    assert_ne!(loaded_a.version, loaded_b.version);
    let names_a: Vec<&str> = loaded_a
        .profiles
        .iter()
        .map(|p| p.user_name.as_str())
        .collect();
    let names_b: Vec<&str> = loaded_b
        .profiles
        .iter()
        .map(|p| p.user_name.as_str())
        .collect();
    assert_ne!(names_a, names_b);
}

#[test]
fn generated_data_loads_strictly_with_zero_warnings() {
    let (_dir, loaded) = generate(20_000, 2_000, 1);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.scores.len(), 20_000);
    assert_eq!(loaded.profiles.len(), 2_000);
}

#[test]
fn generated_scores_have_ties_and_a_long_tail() {
    let (_dir, loaded) = generate(SAMPLE_SCORES, SAMPLE_PROFILES, SAMPLE_SEED);
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for score in &loaded.scores {
        assert!((1..=999_999).contains(&score.score), "{}", score.score);
        *counts.entry(score.score).or_default() += 1;
    }
    let tied = counts.values().filter(|&&n| n > 1).count();
    assert!(tied >= 20, "only {tied} tied score values");
    assert!(
        counts.keys().any(|s| *s % 1_000 == 0 && counts[s] > 1),
        "round numbers tie"
    );
    let mut points: Vec<i64> = loaded.scores.iter().map(|s| s.score).collect();
    points.sort_unstable();
    let median = points[points.len() / 2];
    let best = points[points.len() - 1];
    assert!(median < 20_000, "most scores are modest (median {median})");
    assert!(best > 400_000, "a few are near the top (best {best})");
}

#[test]
fn generated_scores_cover_every_mode_and_region_unevenly() {
    let (_dir, loaded) = generate(SAMPLE_SCORES, SAMPLE_PROFILES, SAMPLE_SEED);
    let mut modes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut regions: BTreeMap<&str, usize> = BTreeMap::new();
    for score in &loaded.scores {
        *modes.entry(&score.game_mode).or_default() += 1;
        *regions.entry(&score.game_region).or_default() += 1;
    }
    assert_eq!(
        modes.keys().copied().collect::<Vec<_>>(),
        ["Duo", "Solo", "Trio"]
    );
    assert_eq!(
        regions.keys().copied().collect::<BTreeSet<_>>(),
        BTreeSet::from([
            "Andromeda",
            "Messier 82",
            "Milky Way",
            "NGC 1300",
            "Pinwheel",
            "Ring Nebula",
            "Sombrero",
            "Triangulum"
        ])
    );
    assert!(modes["Solo"] > modes["Duo"] && modes["Duo"] > modes["Trio"]);
    assert!(regions["Milky Way"] > 2 * regions["Triangulum"]);
}

#[test]
fn generated_players_have_several_scores_and_every_player_has_one() {
    let (_dir, loaded) = generate(SAMPLE_SCORES, SAMPLE_PROFILES, SAMPLE_SEED);
    let mut per_player: HashMap<&str, usize> = HashMap::new();
    for score in &loaded.scores {
        *per_player.entry(&score.profile_id).or_default() += 1;
    }
    assert_eq!(per_player.len(), SAMPLE_PROFILES);
    let busiest = per_player.values().max().copied().unwrap_or(0);
    let with_several = per_player.values().filter(|&&n| n >= 3).count();
    assert!(busiest >= 20, "busy players play a lot ({busiest})");
    assert!(with_several > SAMPLE_PROFILES / 2, "{with_several}");
}

#[test]
fn generated_profiles_look_like_the_games() {
    let (_dir, loaded) = generate(SAMPLE_SCORES, SAMPLE_PROFILES, SAMPLE_SEED);
    let profiles = &loaded.profiles;

    let names: Vec<&str> = profiles.iter().map(|p| p.user_name.as_str()).collect();
    assert!(names.iter().any(|n| !n.is_ascii()), "some names like Zoë");
    assert!(names.iter().any(|n| n.chars().any(char::is_uppercase)));
    assert!(names.iter().any(|n| n.chars().all(|c| !c.is_uppercase())));
    let distinct: BTreeSet<&str> = names.iter().copied().collect();
    assert!(distinct.len() < names.len(), "a few players share a name");
    assert!(distinct.len() > names.len() * 9 / 10, "but only a few");

    let default_avatars = profiles
        .iter()
        .filter(|p| p.avatar_url == "images/avatars/default.svg")
        .count();
    assert!(default_avatars > 0 && default_avatars < profiles.len() / 2);
    for profile in profiles {
        let name = profile
            .avatar_url
            .strip_prefix("images/avatars/")
            .unwrap_or_else(|| panic!("relative avatar url: {}", profile.avatar_url));
        assert!(avatar(name).is_some(), "{name} is a shipped avatar");
    }

    let repeated = profiles
        .iter()
        .filter(|p| {
            let distinct: BTreeSet<&String> = p.achievements.iter().collect();
            distinct.len() < p.achievements.len()
        })
        .count();
    assert!(
        repeated > 100,
        "achievements repeat as the game records them"
    );
    let king_three_times = profiles.iter().any(|p| {
        p.achievements
            .iter()
            .filter(|a| *a == "King of the Universe")
            .count()
            >= 3
    });
    assert!(
        king_three_times,
        "\"King of the Universe\" ×3 like the game's data"
    );
    let without_achievements = profiles
        .iter()
        .filter(|p| p.achievements.is_empty())
        .count();
    assert!(without_achievements > 0 && without_achievements < profiles.len() / 10);
}

#[test]
fn files_hold_one_record_a_line() {
    let (dir, _) = generate(3, 2, 5);
    let text = String::from_utf8(read(dir.path(), "scores.json")).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert_eq!(lines[0], "[");
    assert!(lines[1].starts_with("  {\"id\":\"1\",\"profileId\":\""));
    assert!(lines[3].ends_with('}'));
    assert_eq!(lines[4], "]");
    assert!(!dir.path().join("scores.json.partial").exists());
}

#[test]
fn zero_scores_give_empty_documents_that_load() {
    let (_dir, loaded) = generate(0, 0, 1);
    assert!(loaded.scores.is_empty() && loaded.profiles.is_empty());
}

#[test]
fn output_directory_is_created_when_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("nested/new");
    run(&GenerateOptions {
        scores: 10,
        profiles: 3,
        seed: 2,
        out: out.clone(),
        played: None,
    })
    .expect("generate");
    let loaded = load_dir(&out, LoadOptions::default()).expect("load");
    assert_eq!(loaded.scores.len(), 10);
}

/// `--played-over-days`: every score gets a time in the window before `until`, the same
/// times for the same options, and every other field as the untimed data's.
#[test]
fn scores_played_over_days_are_deterministic_within_the_window_and_change_nothing_else() {
    use leaderboard_function::data::generate::PlayedOver;
    use leaderboard_model::PlayedAt;
    let until = PlayedAt::parse("2027-01-01T00:00:00Z").unwrap();
    let timed = |dir: &Path| {
        run(&GenerateOptions {
            scores: 2_000,
            profiles: 300,
            seed: 7,
            out: dir.to_path_buf(),
            played: Some(PlayedOver { days: 365, until }),
        })
        .expect("generate");
        load_dir(dir, LoadOptions { strict: true }).expect("load")
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (first, second) = (timed(a.path()), timed(b.path()));
    assert_eq!(read(a.path(), "scores.json"), read(b.path(), "scores.json"));
    let (_untimed_dir, untimed) = generate(2_000, 300, 7);
    let start = until.unix_millis() - 365 * 86_400_000;
    let mut months = std::collections::HashSet::new();
    for (score, plain) in first.scores.iter().zip(&untimed.scores) {
        let at = score
            .played_at
            .expect("every score has a time")
            .unix_millis();
        assert!((start..until.unix_millis()).contains(&at), "{at}");
        months.insert(at / (30 * 86_400_000));
        assert_eq!(
            leaderboard_model::ScoreRecord {
                played_at: None,
                ..score.clone()
            },
            *plain
        );
    }
    assert!(months.len() >= 12, "spread over the year: {months:?}");
    assert_eq!(first.scores, second.scores);
}
