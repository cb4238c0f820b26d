//! The command line. `leaderboard-function [serve flags]` serves (the default, as an Azure
//! Functions custom handler or standalone); `leaderboard-function generate ...` writes a
//! deterministic sample data set; `import` loads Redis; `snapshot` writes the index
//! snapshot a server starts from; `openapi` prints the API's OpenAPI document;
//! `remove-score` and `remove-player` moderate a Redis store.
//!
//! Every serve flag also reads an environment variable, so a container or a Function App's
//! application settings configure the server without a wrapper script.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use leaderboard_model::{PlayedAt, Retention};

use crate::clock::Clock;

use crate::data::snapshot::SNAPSHOT_FILE;
use crate::http::bearer::{BearerKey, KeyError, Realm};
use crate::http::board::ContentSecurityPolicy;
use crate::http::public_url::PublicBaseUrl;
use crate::http::response_cache::ByteSize;
use crate::store::redis::keys::BoardName;
use crate::store::redis::RedisTarget;

/// The environment variable through which the Azure Functions host tells a custom handler
/// which port to listen on. It wins over `--port`.
pub const CUSTOM_HANDLER_PORT_VAR: &str = "FUNCTIONS_CUSTOMHANDLER_PORT";

#[derive(Debug, Parser)]
#[command(
    name = "leaderboard-function",
    version,
    about = "The Space Game leaderboard HTTP function: serves the leaderboard API \
             (the default) or generates sample data.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Serving is the default: these flags apply when no command is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the leaderboard API (the default when no command is given).
    Serve(Box<ServeArgs>),
    /// Write a deterministic sample data set (scores.json, profiles.json) into a directory.
    Generate(GenerateArgs),
    /// Load a data directory (scores.json, profiles.json) into Redis, replacing what the
    /// store held (atomically: readers see the old data or the new).
    Import(ImportArgs),
    /// Print the OpenAPI 3.1 document of the API (what `GET /api/openapi.json` serves).
    Openapi,
    /// Remove one score from every leaderboard of a Redis store (what `DELETE
    /// /api/scores/{id}` does on a running function). Idempotent: a score not stored is
    /// reported, not an error.
    RemoveScore(RemoveArgs),
    /// Remove a player from a Redis store: their profile and all their scores (what
    /// `DELETE /api/players/{id}` does on a running function). Idempotent.
    RemovePlayer(RemoveArgs),
    /// Build the index of a data directory and write it as the index snapshot the server
    /// starts from (by default DATA_DIR/leaderboard.snapshot), e.g. when packaging a
    /// deployment whose data directory is read-only.
    Snapshot(SnapshotArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Directory holding scores.json and profiles.json.
    #[arg(long, env = "LEADERBOARD_DATA_DIR", default_value = "data/sample")]
    pub data_dir: PathBuf,

    /// Port to listen on; 0 picks a free one (the chosen port is printed). When
    /// FUNCTIONS_CUSTOMHANDLER_PORT is set (the Azure Functions host sets it for a custom
    /// handler) that port is used instead.
    #[arg(long, env = "LEADERBOARD_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Address to listen on: 127.0.0.1 (loopback, the default) or 0.0.0.0 in a container.
    #[arg(long, env = "LEADERBOARD_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Refuse to start when any record is bad, instead of skipping it with a warning.
    #[arg(long, env = "LEADERBOARD_STRICT")]
    pub strict: bool,

    /// Public base URL of the API (for example https://game.example/api/): relative avatar
    /// URLs in the data resolve against it. Default: derived per request from
    /// X-Forwarded-Proto, X-Forwarded-Host and Host as <scheme>://<host>/api/.
    #[arg(long, env = "LEADERBOARD_PUBLIC_URL")]
    pub public_url: Option<PublicBaseUrl>,

    /// Cache-Control max-age, in seconds, of leaderboard and meta responses.
    #[arg(long, env = "LEADERBOARD_MAX_AGE", default_value_t = 10)]
    pub max_age: u32,

    /// Cache-Control stale-while-revalidate, in seconds, of leaderboard and meta responses.
    #[arg(long, env = "LEADERBOARD_STALE_WHILE_REVALIDATE", default_value_t = 60)]
    pub stale_while_revalidate: u32,

    /// Serve this directory (a built widget, such as Trunk's dist/) at / for a demo;
    /// index.html answers /.
    #[arg(long, env = "LEADERBOARD_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Serve the built embed (www/dist/: glue and wasm) at /api/embed/, and let the board
    /// page (/api/board) load it to take its server-rendered board over in place. Unset: the
    /// board page works by links and forms alone.
    #[arg(long, env = "LEADERBOARD_EMBED_DIR")]
    pub embed_dir: Option<PathBuf>,

    /// Serve from Redis instead of the data directory: redis://host:port for one server;
    /// redis+cluster://host1:port1,host2:port2 (or several comma-separated redis:// URLs)
    /// for a Redis Cluster. Load it first with `leaderboard-function import`.
    #[arg(long, env = "LEADERBOARD_REDIS_URL")]
    pub redis: Option<RedisTarget>,

    /// A replica of the --redis server (repeatable; the variable takes a comma-separated
    /// list): reads go to a replica, writes to the primary, and a post is answered 201 only
    /// once every connected replica has it (WAIT). The function finds the primary among
    /// all these nodes (ROLE) after a failover. Not for a Redis Cluster, which finds its
    /// replicas itself (and reads from them).
    #[arg(
        long = "redis-replica",
        env = "LEADERBOARD_REDIS_REPLICA_URLS",
        value_delimiter = ',',
        value_name = "URL"
    )]
    pub redis_replicas: Vec<String>,

    /// How long, in milliseconds, a post waits for the Redis replicas to confirm it before
    /// answering 503 with Retry-After (the score stays stored and replicates on its own).
    #[arg(long, env = "LEADERBOARD_REDIS_REPLICA_WAIT_MS", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub redis_replica_wait_ms: u64,

    /// With --redis: the page cache every function instance shares, kept in Redis. A
    /// computed page (its JSON and compressed forms) is kept under the data version, the
    /// canonical query and the public base URL, so each page is computed once per data
    /// version for the whole fleet; the in-process cache (--response-cache) stays in front.
    /// The value is the largest page kept (a number of bytes or with a unit); 0 turns it off.
    #[arg(long, env = "LEADERBOARD_REDIS_PAGE_CACHE", default_value = "512kB")]
    pub redis_page_cache: ByteSize,

    /// Seconds a page stays in the shared page cache (its memory: at most the pages made
    /// per this period times the largest page kept).
    #[arg(long, env = "LEADERBOARD_REDIS_PAGE_CACHE_TTL", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub redis_page_cache_ttl: u64,

    #[command(flatten)]
    pub board: BoardArgs,

    /// Turns on POST /api/scores: the bearer key the game's servers send (16 to 1024
    /// visible ASCII characters, e.g. `openssl rand -hex 32`). Prefer the environment
    /// variable: a flag shows in the process list. Unset: ingestion is off (404).
    #[arg(long, env = "LEADERBOARD_INGEST_KEY", hide_env_values = true)]
    pub ingest_key: Option<BearerKey>,

    /// Turns on moderation, DELETE /api/scores/{id} and DELETE /api/players/{id}: the
    /// bearer key operators send (same rules as the ingest key, and not the same key).
    /// Prefer the environment variable. Unset: moderation is off (404).
    #[arg(long, env = "LEADERBOARD_ADMIN_KEY", hide_env_values = true)]
    pub admin_key: Option<BearerKey>,

    /// Bound of the in-memory response cache: serialised leaderboard pages and their gzip
    /// and brotli forms, kept per data version (a post or a new data version is never
    /// hidden). A number of bytes or with a unit (32MB, 512kB, 64MiB); 0 turns it off.
    #[arg(long, env = "LEADERBOARD_RESPONSE_CACHE", default_value = "32MB")]
    pub response_cache: ByteSize,

    /// The index snapshot to start from: read when it matches the data files (their data
    /// version), else built from the files and written there. Default:
    /// DATA_DIR/leaderboard.snapshot; `off`: neither read nor written.
    #[arg(long, env = "LEADERBOARD_SNAPSHOT", value_name = "PATH|off")]
    pub snapshot: Option<SnapshotSetting>,

    /// Who may show the board page (/api/board) in a frame: CSP frame-ancestors sources,
    /// space-separated (`*` for anyone, `'none'`, or origins like https://blog.example).
    #[arg(long, env = "LEADERBOARD_FRAME_ANCESTORS", default_value = "*")]
    pub frame_ancestors: ContentSecurityPolicy,

    /// For tests only, hidden from --help: the clock stands still at this RFC 3339 time in
    /// UTC (the time a score posted without `playedAt` gets, and the "now" a posted
    /// `playedAt` may not be far ahead of). Unset: the system clock.
    #[arg(long, env = "LEADERBOARD_TEST_NOW", hide = true, value_parser = parse_test_now)]
    pub test_now: Option<PlayedAt>,

    /// For tests only, hidden from --help: the clock reads the RFC 3339 time written in
    /// this file on every request, so a test moves a running server across a period
    /// boundary. Wins over --test-now.
    #[arg(long, env = "LEADERBOARD_TEST_CLOCK_FILE", hide = true)]
    pub test_clock_file: Option<PathBuf>,

    /// Which past periods `at` may read (the same flags as `import` and `remove-*`).
    #[command(flatten)]
    pub retention: RetentionArgs,
}

/// `--played-until`: a time by the model's `playedAt` rules.
fn parse_played_until(text: &str) -> Result<PlayedAt, String> {
    PlayedAt::parse(text).map_err(|e| format!("the end of the window {e}"))
}

/// `--test-now`: a time by the model's `playedAt` rules.
fn parse_test_now(text: &str) -> Result<PlayedAt, String> {
    PlayedAt::parse(text).map_err(|e| format!("the test clock {e}"))
}

/// `--snapshot`: a path, or `off`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotSetting {
    Off,
    At(PathBuf),
}

impl std::str::FromStr for SnapshotSetting {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "" => Err("expected a path, or off".to_string()),
            "off" => Ok(SnapshotSetting::Off),
            path => Ok(SnapshotSetting::At(PathBuf::from(path))),
        }
    }
}

/// Where the snapshot of `data_dir` is under `setting` (`None`: off).
pub fn snapshot_path(setting: Option<&SnapshotSetting>, data_dir: &Path) -> Option<PathBuf> {
    match setting {
        None => Some(data_dir.join(SNAPSHOT_FILE)),
        Some(SnapshotSetting::Off) => None,
        Some(SnapshotSetting::At(path)) => Some(path.clone()),
    }
}

impl ServeArgs {
    /// The retention the flags configure, for both stores and the HTTP layer.
    pub fn retention(&self) -> Retention {
        self.retention.retention()
    }

    /// The clock the flags configure: a test clock, or the system's.
    pub fn clock(&self) -> Clock {
        match (&self.test_clock_file, self.test_now) {
            (Some(path), _) => Clock::File(path.as_path().into()),
            (None, Some(now)) => Clock::Fixed(now),
            (None, None) => Clock::System,
        }
    }

    /// Where the index snapshot is read from and written to, if anywhere.
    pub fn snapshot_path(&self) -> Option<PathBuf> {
        snapshot_path(self.snapshot.as_ref(), &self.data_dir)
    }

    /// Refuses a configured key that is too short or not sendable in a header, and one
    /// key for both realms (the ingest key must never open moderation). (Checked here
    /// rather than by clap, whose message would print the key.)
    pub fn check_keys(&self) -> Result<(), CliError> {
        for (realm, key) in [
            (Realm::Ingest, &self.ingest_key),
            (Realm::Admin, &self.admin_key),
        ] {
            if let Some(problem) = key.as_ref().and_then(BearerKey::problem) {
                return Err(CliError::BadKey { realm, problem });
            }
        }
        match (&self.ingest_key, &self.admin_key) {
            (Some(ingest), Some(admin)) if ingest.same_as(admin) => Err(CliError::SameKeys),
            _ => Ok(()),
        }
    }

    /// Whether the embedded store must take writes (posts or removals).
    pub fn writable(&self) -> bool {
        self.ingest_key.is_some() || self.admin_key.is_some()
    }

    /// The port to listen on: the custom handler's variable when the Functions host set it,
    /// else `--port`.
    pub fn listen_port(&self, custom_handler_port: Option<&str>) -> Result<u16, CliError> {
        match custom_handler_port.map(str::trim) {
            None | Some("") => Ok(self.port),
            Some(text) => text
                .parse::<u16>()
                .map_err(|_| CliError::BadCustomHandlerPort {
                    value: text.to_string(),
                }),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Number of score records.
    #[arg(long, default_value_t = 5000)]
    pub scores: usize,
    /// Number of player profiles.
    #[arg(long, default_value_t = 800)]
    pub profiles: usize,
    /// Seed: the same seed and counts always give the same files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Directory to write scores.json and profiles.json into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Give every score a `playedAt` spread evenly over this many days before
    /// --played-until (deterministic). Unset: no `playedAt`, as the original's documents.
    #[arg(long, requires = "played_until", value_parser = clap::value_parser!(u32).range(1..))]
    pub played_over_days: Option<u32>,
    /// The end of --played-over-days' window (RFC 3339, UTC).
    #[arg(long, requires = "played_over_days", value_parser = parse_played_until)]
    pub played_until: Option<PlayedAt>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Directory holding scores.json and profiles.json.
    #[arg(long, env = "LEADERBOARD_DATA_DIR")]
    pub data_dir: PathBuf,
    /// The Redis to load (same forms as the serve flag --redis).
    #[arg(long, env = "LEADERBOARD_REDIS_URL")]
    pub redis: RedisTarget,
    /// Refuse to import when any record is bad, instead of skipping it with a warning.
    #[arg(long, env = "LEADERBOARD_STRICT")]
    pub strict: bool,
    /// The prefix threshold T: every name prefix matched by more than T scores of a
    /// leaderboard gets a prefix score set, so `q` pages under a score order read at most T
    /// matches (lower: more Redis memory; higher: more work per `q` read). Stored in Redis:
    /// every replica and poster uses the imported value.
    #[arg(long, default_value_t = crate::store::redis::keys::DEFAULT_PREFIX_THRESHOLD,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub prefix_threshold: u64,
    #[command(flatten)]
    pub board: BoardArgs,
    #[command(flatten)]
    pub retention: RetentionArgs,
}

/// The retention: how many days, weeks and months `at` may read back. The server resolves
/// `at` with it; the Redis commands that write periods (`import`, `remove-*`) decide with it
/// which periods get keys and when they expire, so they must be given the servers' values
/// (the same flags and environment variables).
#[derive(Debug, Clone, Args)]
pub struct RetentionArgs {
    /// How many days `period=day&at=...` may read back, today included (at least 1).
    #[arg(long = "retention-days", env = "LEADERBOARD_RETENTION_DAYS",
        default_value_t = Retention::default().days, value_parser = clap::value_parser!(u32).range(1..))]
    pub days: u32,
    /// How many ISO weeks `period=week&at=...` may read back, this week included.
    #[arg(long = "retention-weeks", env = "LEADERBOARD_RETENTION_WEEKS",
        default_value_t = Retention::default().weeks, value_parser = clap::value_parser!(u32).range(1..))]
    pub weeks: u32,
    /// How many months `period=month&at=...` may read back, this month included.
    #[arg(long = "retention-months", env = "LEADERBOARD_RETENTION_MONTHS",
        default_value_t = Retention::default().months, value_parser = clap::value_parser!(u32).range(1..))]
    pub months: u32,
}

impl RetentionArgs {
    pub fn retention(&self) -> Retention {
        Retention {
            days: self.days,
            weeks: self.weeks,
            months: self.months,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct RemoveArgs {
    /// The score's id (remove-score) or the player's profile id (remove-player).
    pub id: String,
    /// The Redis store to remove from (same forms as the serve flag --redis). A function
    /// on the embedded store keeps removals in its own memory: send it the DELETE request
    /// with the admin key instead (README.md, "Moderation").
    #[arg(long, env = "LEADERBOARD_REDIS_URL")]
    pub redis: RedisTarget,
    #[command(flatten)]
    pub board: BoardArgs,
    #[command(flatten)]
    pub retention: RetentionArgs,
}

/// Which board of a Redis that holds several: serve, import and the removals name it
/// alike, so an operator's command reaches the board the servers read.
#[derive(Debug, Clone, Args)]
pub struct BoardArgs {
    /// With --redis: the board, when one Redis holds several (games, seasons): its keys
    /// carry the hash tag {lb:NAME} instead of {lb}, so each board is a slot of its own and
    /// a Redis Cluster spreads boards over its masters. `import --redis-board NAME` loads
    /// it, `serve` and `remove-*` with the same flag read and change it. Unset: the default
    /// board ({lb}).
    #[arg(
        long = "redis-board",
        env = "LEADERBOARD_REDIS_BOARD",
        value_name = "NAME"
    )]
    pub name: Option<BoardName>,
}

#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    /// Directory holding scores.json and profiles.json.
    #[arg(long, env = "LEADERBOARD_DATA_DIR", default_value = "data/sample")]
    pub data_dir: PathBuf,
    /// Where to write the snapshot. Default: DATA_DIR/leaderboard.snapshot.
    #[arg(long, env = "LEADERBOARD_SNAPSHOT", value_name = "PATH")]
    pub snapshot: Option<PathBuf>,
    /// Refuse when any record is bad, instead of skipping it with a warning.
    #[arg(long, env = "LEADERBOARD_STRICT")]
    pub strict: bool,
}

impl SnapshotArgs {
    pub fn snapshot_path(&self) -> PathBuf {
        let setting = self.snapshot.clone().map(SnapshotSetting::At);
        snapshot_path(setting.as_ref(), &self.data_dir)
            .unwrap_or_else(|| self.data_dir.join(SNAPSHOT_FILE))
    }
}

/// A setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    BadCustomHandlerPort {
        value: String,
    },
    /// The message never holds the key: a malformed one may still be a real secret.
    BadKey {
        realm: Realm,
        problem: KeyError,
    },
    /// The ingest key and the admin key are the same key.
    SameKeys,
    /// `--redis-replica` that cannot be used (with this `--redis`).
    BadRedis(crate::store::redis::BadRedisUrl),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::BadCustomHandlerPort { value } => write!(
                f,
                "{CUSTOM_HANDLER_PORT_VAR} must be a port number (0 to 65535), got {value:?}"
            ),
            CliError::BadKey { realm, problem } => {
                write!(f, "{} ({}): {problem}", realm.env_var(), realm.flag())
            }
            CliError::SameKeys => write!(
                f,
                "LEADERBOARD_ADMIN_KEY (--admin-key) must differ from LEADERBOARD_INGEST_KEY \
                 (--ingest-key): the game's servers hold the ingest key, and it must not \
                 remove scores"
            ),
            CliError::BadRedis(problem) => {
                write!(
                    f,
                    "LEADERBOARD_REDIS_REPLICA_URLS (--redis-replica): {problem}"
                )
            }
        }
    }
}

impl std::error::Error for CliError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("leaderboard-function").chain(args.iter().copied()))
            .unwrap()
    }

    #[test]
    fn serving_is_the_default_command() {
        let cli = parse(&["--port", "0", "--strict", "--max-age", "5"]);
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.port, 0);
        assert!(cli.serve.strict);
        assert_eq!(cli.serve.max_age, 5);
    }

    #[test]
    fn generate_takes_its_own_flags() {
        let cli = parse(&[
            "generate",
            "--scores",
            "10",
            "--profiles",
            "3",
            "--seed",
            "7",
            "--out",
            "x",
        ]);
        match cli.command {
            Some(Command::Generate(args)) => {
                assert_eq!((args.scores, args.profiles, args.seed), (10, 3, 7));
                assert_eq!(args.out, PathBuf::from("x"));
            }
            other => panic!("expected generate, got {other:?}"),
        }
    }

    #[test]
    fn the_snapshot_lives_in_the_data_dir_unless_named_or_off() {
        let args = parse(&["--data-dir", "d"]).serve;
        assert_eq!(
            args.snapshot_path(),
            Some(PathBuf::from("d/leaderboard.snapshot"))
        );
        let args = parse(&["--data-dir", "d", "--snapshot", "/tmp/x.snap"]).serve;
        assert_eq!(args.snapshot_path(), Some(PathBuf::from("/tmp/x.snap")));
        let args = parse(&["--snapshot", "off"]).serve;
        assert_eq!(args.snapshot_path(), None);
        match parse(&["snapshot", "--data-dir", "d"]).command {
            Some(Command::Snapshot(args)) => {
                assert_eq!(
                    args.snapshot_path(),
                    PathBuf::from("d/leaderboard.snapshot")
                );
            }
            other => panic!("expected snapshot, got {other:?}"),
        }
    }

    #[test]
    fn custom_handler_port_wins_over_the_flag() {
        let args = parse(&["--port", "9000"]).serve;
        assert_eq!(args.listen_port(None), Ok(9000));
        assert_eq!(args.listen_port(Some("")), Ok(9000));
        assert_eq!(args.listen_port(Some("7071")), Ok(7071));
        assert!(matches!(
            args.listen_port(Some("seventy")),
            Err(CliError::BadCustomHandlerPort { .. })
        ));
    }

    #[test]
    fn public_url_must_be_absolute_http() {
        let cli = Cli::try_parse_from([
            "leaderboard-function",
            "--public-url",
            "javascript:alert(1)",
        ]);
        assert!(cli.is_err());
        let cli = parse(&["--public-url", "https://game.example/api"]);
        assert_eq!(
            cli.serve.public_url.map(|u| u.as_str().to_string()),
            Some("https://game.example/api/".to_string())
        );
    }
}
