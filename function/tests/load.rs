//! Loading the game's documents: the original's exact format, and the bad-data policy
//! (skip a bad record with a warning naming the file and the record, or fail with the same
//! message under `strict`; a file that is not a JSON array always fails, with its line).

use std::path::{Path, PathBuf};

use leaderboard_engine::Engine;
use leaderboard_function::data::load::{load_dir_rows, LoadedRows};
use leaderboard_function::data::{load_dir, LoadError, LoadOptions, Loaded};
use leaderboard_model::{LeaderboardQuery, ScoreRecord};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn data_dir(scores: &str, profiles: &str) -> tempfile::TempDir {
    data_dir_bytes(scores.as_bytes(), profiles.as_bytes())
}

fn data_dir_bytes(scores: &[u8], profiles: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("scores.json"), scores).expect("write scores");
    std::fs::write(dir.path().join("profiles.json"), profiles).expect("write profiles");
    dir
}

fn lenient(dir: &Path) -> Loaded {
    let options = LoadOptions { strict: false };
    let loaded = load_dir(dir, options).expect("lenient load succeeds");
    assert_rows_match(&loaded, load_dir_rows(dir, options).expect("rows load too"));
    loaded
}

fn strict(dir: &Path) -> Result<Loaded, LoadError> {
    let options = LoadOptions { strict: true };
    let loaded = load_dir(dir, options);
    match (&loaded, load_dir_rows(dir, options)) {
        (Ok(loaded), Ok(rows)) => assert_rows_match(loaded, rows),
        (Err(error), Err(rows_error)) => assert_eq!(error.to_string(), rows_error.to_string()),
        (loaded, rows) => panic!("load_dir gave {loaded:?} but load_dir_rows {rows:?}"),
    }
    loaded
}

/// The server's loader (`load_dir_rows`, compact rows for `Engine::build_rows`) loads
/// exactly what `load_dir` loads: every test of the policy through `lenient` and `strict`
/// checks both, and the engines built from each answer alike.
fn assert_rows_match(loaded: &Loaded, rows: LoadedRows) {
    assert_eq!(rows.warnings, loaded.warnings);
    assert_eq!(rows.version, loaded.version);
    assert_eq!(rows.profiles, loaded.profiles);
    assert_eq!(rows.scores.to_records(&rows.profiles), loaded.scores);
    let from_records = Engine::build(loaded.scores.clone(), loaded.profiles.clone());
    let from_rows = Engine::build_rows(rows.scores, rows.profiles);
    assert_eq!(from_rows.meta(), from_records.meta());
    for sort in ["score", "player"] {
        let query = LeaderboardQuery::from_pairs([("sort", sort), ("pageSize", "50")])
            .expect("a valid query");
        assert_eq!(from_rows.query(&query), from_records.query(&query));
    }
}

const TWO_PROFILES: &str = r#"[
  {"id": "p1", "userName": "stellarfox", "avatarUrl": "images/avatars/default.svg", "achievements": []},
  {"id": "p2", "userName": "Zoë", "avatarUrl": "images/avatars/rocket.svg", "achievements": ["Cruiser"]}
]"#;

fn score_json(id: &str, profile: &str, score: i64) -> String {
    format!(
        r#"{{"id": "{id}", "profileId": "{profile}", "score": {score}, "gameMode": "Solo", "gameRegion": "Milky Way"}}"#
    )
}

#[test]
fn loads_documents_in_the_originals_exact_format() {
    let loaded = strict(&fixture("original")).expect("the original's format loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.scores.len(), 12);
    assert_eq!(loaded.profiles.len(), 8);
    assert_eq!(
        loaded.scores[0],
        ScoreRecord {
            id: "1".into(),
            profile_id: "1".into(),
            score: 999_999,
            game_mode: "Product".into(),
            game_region: "Version 1".into(),
            played_at: None,
        }
    );
    let first = &loaded.profiles[0];
    assert_eq!(first.id, "1");
    assert_eq!(first.user_name, "stellarfox");
    // The original escapes slashes ("images\/avatars\/default.svg").
    assert_eq!(first.avatar_url, "images/avatars/default.svg");
    assert_eq!(
        first
            .achievements
            .iter()
            .filter(|a| *a == "King of the Universe")
            .count(),
        3,
        "repeated achievements are kept as the game records them"
    );
    assert_eq!(loaded.profiles[2].user_name, "Zoë Martin");

    // And the engine serves them: best first, the three 412000 scores tied at rank 4.
    let engine = Engine::build(loaded.scores, loaded.profiles);
    let page = engine
        .query(&LeaderboardQuery::default())
        .expect("default query");
    assert_eq!(page.total_results, 12);
    let top: Vec<(&str, i64, u64)> = page
        .scores
        .iter()
        .take(6)
        .map(|e| (e.score.id.as_str(), e.score.score, e.rank))
        .collect();
    assert_eq!(
        top,
        [
            ("1", 999_999, 1),
            ("11", 776_100, 2),
            ("5", 655_020, 3),
            ("8", 540_870, 4),
            ("2", 412_000, 5),
            ("3", 412_000, 5)
        ]
    );
}

#[test]
fn ignores_the_system_fields_of_a_cosmos_db_export() {
    let loaded = strict(&fixture("cosmos-export")).expect("a Cosmos DB export loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.scores.len(), 5);
    assert_eq!(loaded.profiles.len(), 5);
    assert_eq!(loaded.scores[0].score, 412_000);
    assert_eq!(
        loaded.profiles[1].avatar_url,
        "https://cdn.example.com/avatars/3.png"
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let scores = format!("\u{feff}[{}]", score_json("s1", "p1", 10));
    let profiles = format!("\u{feff}{TWO_PROFILES}");
    let loaded = lenient(data_dir(&scores, &profiles).path());
    assert_eq!((loaded.scores.len(), loaded.profiles.len()), (1, 2));
}

#[test]
fn missing_achievements_mean_none() {
    let profiles = r#"[{"id": "p1", "userName": "a", "avatarUrl": ""}]"#;
    let loaded = strict(data_dir("[]", profiles).path()).expect("loads");
    assert!(loaded.profiles[0].achievements.is_empty());
}

#[test]
fn version_is_stable_and_changes_when_either_file_does() {
    let scores = format!("[{}]", score_json("s1", "p1", 10));
    let base = lenient(data_dir(&scores, TWO_PROFILES).path()).version;
    assert_eq!(base.len(), 32);
    assert!(base.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        base,
        lenient(data_dir(&scores, TWO_PROFILES).path()).version,
        "same bytes, same version"
    );
    let other_score = format!("[{}]", score_json("s1", "p1", 11));
    assert_ne!(
        base,
        lenient(data_dir(&other_score, TWO_PROFILES).path()).version
    );
    let other_profiles = TWO_PROFILES.replace("Zoë", "Zoe");
    assert_ne!(
        base,
        lenient(data_dir(&scores, &other_profiles).path()).version
    );
}

/// One bad record among good ones: what the warning must say.
struct BadCase {
    name: &'static str,
    scores: String,
    profiles: String,
    file: &'static str,
    index: usize,
    /// `Some` when the record has a usable id, which the message must quote.
    id: Option<&'static str>,
    problem: &'static str,
    /// Records kept from the bad record's file.
    kept: usize,
}

fn scores_with(bad: &str) -> String {
    format!(
        "[\n{},\n{bad},\n{}\n]",
        score_json("s1", "p1", 100),
        score_json("s3", "p2", 300)
    )
}

fn profiles_with(bad: &str) -> String {
    format!(
        "[\n{},\n{bad}\n]",
        r#"{"id": "p1", "userName": "stellarfox", "avatarUrl": "", "achievements": []}"#
    )
}

fn bad_cases() -> Vec<BadCase> {
    let good_scores = format!("[{}]", score_json("s1", "p1", 100));
    let score_case = |name, bad: &str, id, problem| BadCase {
        name,
        scores: scores_with(bad),
        profiles: TWO_PROFILES.to_string(),
        file: "scores.json",
        index: 1,
        id,
        problem,
        kept: 2,
    };
    let profile_case = |name, bad: &str, id, problem| BadCase {
        name,
        scores: good_scores.clone(),
        profiles: profiles_with(bad),
        file: "profiles.json",
        index: 1,
        id,
        problem,
        kept: 1,
    };
    let long_region = "R".repeat(leaderboard_model::MAX_FILTER_LEN + 1);
    vec![
        score_case(
            "score as a string",
            r#"{"id": "s2", "profileId": "p1", "score": "12", "gameMode": "Solo", "gameRegion": "Milky Way"}"#,
            Some("s2"),
            r#"field "score" must be a whole number"#,
        ),
        score_case(
            "score with a fraction",
            r#"{"id": "s2", "profileId": "p1", "score": 1.5, "gameMode": "Solo", "gameRegion": "Milky Way"}"#,
            Some("s2"),
            r#"field "score" must be a whole number (a 64-bit integer, without a fraction or exponent), found the number 1.5"#,
        ),
        score_case(
            "score beyond 64 bits",
            r#"{"id": "s2", "profileId": "p1", "score": 99999999999999999999, "gameMode": "Solo", "gameRegion": "Milky Way"}"#,
            Some("s2"),
            r#"field "score" must be a whole number"#,
        ),
        score_case(
            "numeric id",
            r#"{"id": 2, "profileId": "p1", "score": 5, "gameMode": "Solo", "gameRegion": "Milky Way"}"#,
            None,
            r#"field "id" must be a string, found the number 2"#,
        ),
        score_case(
            "missing region",
            r#"{"id": "s2", "profileId": "p1", "score": 5, "gameMode": "Solo"}"#,
            Some("s2"),
            r#"missing field "gameRegion""#,
        ),
        score_case(
            "null mode",
            r#"{"id": "s2", "profileId": "p1", "score": 5, "gameMode": null, "gameRegion": "Milky Way"}"#,
            Some("s2"),
            r#"field "gameMode" must be a string, found null"#,
        ),
        score_case(
            "empty score id",
            r#"{"id": "", "profileId": "p1", "score": 5, "gameMode": "Solo", "gameRegion": "Milky Way"}"#,
            None,
            "id is empty",
        ),
        score_case(
            "empty mode",
            r#"{"id": "s2", "profileId": "p1", "score": 5, "gameMode": "", "gameRegion": "Milky Way"}"#,
            Some("s2"),
            "gameMode is empty",
        ),
        score_case(
            "overlong region",
            &format!(
                r#"{{"id": "s2", "profileId": "p1", "score": 5, "gameMode": "Solo", "gameRegion": "{long_region}"}}"#
            ),
            Some("s2"),
            "gameRegion is 101 bytes long (at most 100)",
        ),
        score_case(
            "missing profile",
            &score_json("s2", "p99", 5),
            Some("s2"),
            r#"its profile "p99" is not in profiles.json"#,
        ),
        score_case(
            "duplicate score id",
            &score_json("s1", "p2", 5),
            Some("s1"),
            "duplicate id: record 0 already has it",
        ),
        score_case(
            "a field given twice",
            r#"{"id": "s2", "profileId": "p1", "score": 5, "score": 6, "gameMode": "Solo", "gameRegion": "Milky Way"}"#,
            Some("s2"),
            "duplicate field `score`",
        ),
        score_case(
            "a number, not an object",
            "42",
            None,
            "expected an object, found the number 42",
        ),
        score_case(
            "null, not an object",
            "null",
            None,
            "expected an object, found null",
        ),
        score_case(
            "a list, not an object",
            "[]",
            None,
            "expected an object, found a list",
        ),
        profile_case(
            "profile without a name",
            r#"{"id": "p2", "avatarUrl": "", "achievements": []}"#,
            Some("p2"),
            r#"missing field "userName""#,
        ),
        profile_case(
            "null avatar",
            r#"{"id": "p2", "userName": "x", "avatarUrl": null, "achievements": []}"#,
            Some("p2"),
            r#"field "avatarUrl" must be a string, found null"#,
        ),
        profile_case(
            "achievements not all strings",
            r#"{"id": "p2", "userName": "x", "avatarUrl": "", "achievements": ["Cruiser", 3]}"#,
            Some("p2"),
            r#"field "achievements" must be a list of strings, found a list"#,
        ),
        profile_case(
            "achievements a string",
            r#"{"id": "p2", "userName": "x", "avatarUrl": "", "achievements": "Cruiser"}"#,
            Some("p2"),
            r#"field "achievements" must be a list of strings, found a string "Cruiser""#,
        ),
        profile_case(
            "empty profile id",
            r#"{"id": "", "userName": "x", "avatarUrl": "", "achievements": []}"#,
            None,
            "id is empty",
        ),
        profile_case(
            "duplicate profile id",
            r#"{"id": "p1", "userName": "again", "avatarUrl": "", "achievements": []}"#,
            Some("p1"),
            "duplicate id: record 0 already has it",
        ),
    ]
}

#[test]
fn each_bad_record_is_skipped_with_a_warning_naming_the_file_and_the_record() {
    for case in bad_cases() {
        let dir = data_dir(&case.scores, &case.profiles);
        let loaded = lenient(dir.path());
        assert_eq!(
            loaded.warnings.len(),
            1,
            "{}: {:?}",
            case.name,
            loaded.warnings
        );
        let warning = &loaded.warnings[0];
        let expected_start = match case.id {
            Some(id) => format!(
                "{}: record {} (id {id:?}): ",
                dir.path().join(case.file).display(),
                case.index
            ),
            None => format!(
                "{}: record {}: ",
                dir.path().join(case.file).display(),
                case.index
            ),
        };
        assert!(
            warning.starts_with(&expected_start),
            "{}: {warning:?} should start with {expected_start:?}",
            case.name
        );
        assert!(
            warning.contains(case.problem),
            "{}: {warning:?} should say {:?}",
            case.name,
            case.problem
        );
        let kept = match case.file {
            "scores.json" => loaded.scores.len(),
            _ => loaded.profiles.len(),
        };
        assert_eq!(kept, case.kept, "{}: the good records are kept", case.name);
    }
}

#[test]
fn strict_fails_on_each_bad_record_with_the_same_message() {
    for case in bad_cases() {
        let dir = data_dir(&case.scores, &case.profiles);
        let warning = lenient(dir.path()).warnings.remove(0);
        match strict(dir.path()) {
            Err(error @ LoadError::BadRecord(_)) => {
                assert_eq!(error.to_string(), warning, "{}", case.name);
            }
            Err(other) => panic!("{}: wrong error {other:?}", case.name),
            Ok(_) => panic!("{}: strict load accepted a bad record", case.name),
        }
    }
}

#[test]
fn scores_of_a_skipped_profile_are_skipped_too() {
    let profiles = profiles_with(r#"{"id": "p2", "userName": 7, "avatarUrl": ""}"#);
    let scores = format!(
        "[{}, {}]",
        score_json("s1", "p1", 1),
        score_json("s2", "p2", 2)
    );
    let loaded = lenient(data_dir(&scores, &profiles).path());
    assert_eq!(loaded.scores.len(), 1);
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains("profiles.json: record 1 (id \"p2\")"));
    assert!(loaded.warnings[1].contains("scores.json: record 1 (id \"s2\")"));
    assert!(loaded.warnings[1].contains("(or was skipped)"));
}

#[test]
fn warnings_come_in_record_order_and_strict_reports_the_first() {
    let scores = format!(
        "[{}, {}, {}, {}, {}]",
        score_json("s1", "p1", 1),
        score_json("s1", "p1", 2), // duplicate: found after the whole file is read
        score_json("s3", "nobody", 3),
        score_json("s1", "p1", 4),
        r#"{"id": "s5"}"#
    );
    let dir = data_dir(&scores, TWO_PROFILES);
    let loaded = lenient(dir.path());
    let indexes: Vec<&str> = loaded
        .warnings
        .iter()
        .map(|w| {
            let after = w.split(": record ").nth(1).unwrap_or_default();
            after.split(' ').next().unwrap_or_default()
        })
        .collect();
    assert_eq!(indexes, ["1", "2", "3", "4"], "{:?}", loaded.warnings);
    assert_eq!(loaded.scores.len(), 1);
    let error = strict(dir.path()).expect_err("strict fails");
    assert_eq!(error.to_string(), loaded.warnings[0]);
}

#[test]
fn a_bad_profile_fails_strict_before_the_scores_are_read() {
    let profiles = profiles_with(r#"{"id": "p2"}"#);
    let dir = data_dir("this is not JSON", &profiles);
    let error = strict(dir.path()).expect_err("strict fails");
    assert!(
        error.to_string().contains("profiles.json: record 1"),
        "{error}"
    );
}

/// Loads a file that is not a JSON array; both modes must refuse it with this position.
fn refused(scores: &[u8]) -> (String, usize, usize) {
    let dir = data_dir_bytes(scores, TWO_PROFILES.as_bytes());
    let lenient_error = load_dir(dir.path(), LoadOptions { strict: false })
        .expect_err("lenient refuses a malformed file");
    let strict_error = strict(dir.path()).expect_err("strict refuses a malformed file");
    assert_eq!(lenient_error.to_string(), strict_error.to_string());
    let path = dir.path().join("scores.json");
    match lenient_error {
        LoadError::Malformed {
            path: error_path,
            line,
            column,
            ..
        } => {
            assert_eq!(error_path, path);
            let text = strict_error.to_string();
            assert!(text.starts_with(&format!("{}: ", path.display())), "{text}");
            assert!(
                text.contains(&format!("line {line}, column {column}")),
                "{text}"
            );
            (text, line, column)
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn malformed_json_is_fatal_with_file_line_and_column() {
    let missing_comma = b"[\n  {\"id\": \"s1\", \"profileId\": \"p1\", \"score\": 1, \"gameMode\": \"Solo\", \"gameRegion\": \"Milky Way\"}\n  {\"id\": \"s2\"}\n]";
    let (message, line, column) = refused(missing_comma);
    assert_eq!((line, column), (3, 3), "{message}");
    assert!(message.contains("expected `,` or `]`"), "{message}");

    let (message, line, _) = refused(b"[\n  {\"id\": \"s1\",\n");
    assert_eq!(line, 3, "{message}");
    assert!(message.contains("EOF"), "{message}");

    let (message, line, _) = refused(b"[]\n[]");
    assert_eq!(line, 2, "{message}");
    assert!(message.contains("trailing characters"), "{message}");
}

#[test]
fn a_top_level_that_is_not_an_array_is_fatal() {
    let (message, line, column) = refused(b"\n  {\"scores\": []}");
    assert_eq!((line, column), (2, 3));
    assert!(
        message.contains("expected a JSON array of records ('['), found an object"),
        "{message}"
    );
    let (message, _, _) = refused(b"");
    assert!(message.contains("found nothing"), "{message}");
    let (message, _, _) = refused(b"null");
    assert!(message.contains("found 'n'"), "{message}");
}

#[test]
fn text_that_is_not_utf8_is_fatal_with_its_position() {
    let (message, line, column) = refused(b"[\n  {\"id\": \"s\xff\"}]");
    assert_eq!((line, column), (2, 12));
    assert!(message.contains("not UTF-8"), "{message}");
}

#[test]
fn a_missing_file_names_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("profiles.json"), TWO_PROFILES).expect("write");
    let error =
        load_dir(dir.path(), LoadOptions::default()).expect_err("missing scores.json fails");
    assert!(matches!(error, LoadError::Io { .. }));
    assert!(
        error
            .to_string()
            .contains(&format!("{}", dir.path().join("scores.json").display())),
        "{error}"
    );
}

#[test]
fn outside_text_in_messages_is_quoted_and_shortened() {
    let long_id = format!("s\n{}", "x".repeat(500));
    let bad = format!(
        r#"{{"id": {}, "profileId": "p1", "score": true, "gameMode": "Solo", "gameRegion": "Milky Way"}}"#,
        serde_json::to_string(&long_id).expect("json")
    );
    let loaded = lenient(data_dir(&scores_with(&bad), TWO_PROFILES).path());
    let warning = &loaded.warnings[0];
    assert!(!warning.contains('\n'), "one line: {warning:?}");
    assert!(warning.len() < 300, "{warning}");
    assert!(
        warning.contains(r#"field "score" must be a whole number"#),
        "{warning}"
    );
    assert!(warning.ends_with("found true"), "{warning}");
}

/// A measurement to run by hand, not a test of speed (tests never assert times): loads the
/// data directory in `LOAD_DIR` (for example a million scores from
/// `leaderboard-function generate --scores 1000000 --profiles 100000 --seed 1 --out DIR`)
/// and prints the time taken. With the server's optimisations and peak memory:
///
/// ```text
/// cargo test --release -p leaderboard-function --test load --no-run
/// LOAD_DIR=DIR /usr/bin/time -v target/release/deps/load-* --ignored --nocapture measure
/// ```
#[test]
#[ignore = "a measurement: needs LOAD_DIR"]
fn measure_loading_a_large_data_dir() {
    let Some(dir) = std::env::var_os("LOAD_DIR") else {
        panic!("set LOAD_DIR to a data directory");
    };
    let started = std::time::Instant::now();
    let loaded = strict(Path::new(&dir)).expect("loads strictly");
    let elapsed = started.elapsed();
    println!(
        "loaded {} scores and {} profiles in {:.3}s (version {})",
        loaded.scores.len(),
        loaded.profiles.len(),
        elapsed.as_secs_f64(),
        loaded.version
    );
    assert!(loaded.warnings.is_empty());
}
