//! Shared by the HTTP integration tests: a small fixture data set written to a temp dir,
//! the built binary started on a free loopback port (killed on drop), and a blocking HTTP
//! client that shows the bytes as sent (no automatic decompression).
//!
//! Nothing here sleeps: the server's port comes from its first stdout line, printed after
//! it has bound; log lines and exits are waited for on channels, with generous deadlines
//! that only matter when something is broken.

#![allow(dead_code)] // each test file uses its own part of this module

pub mod redis;

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use leaderboard_model::{Profile, ScoreRecord};
use serde_json::Value;
use tempfile::TempDir;
use ureq::http::{HeaderMap, Request};

/// How long to wait for a server to announce itself or a log line to appear. Only reached
/// when something is broken; a healthy server answers in milliseconds.
pub const DEADLINE: Duration = Duration::from_secs(60);

pub const BINARY: &str = env!("CARGO_BIN_EXE_leaderboard-function");

/// Every environment variable the binary reads: cleared so the tests' own environment
/// cannot change what they see.
const SERVER_ENV: &[&str] = &[
    "LEADERBOARD_DATA_DIR",
    "LEADERBOARD_PORT",
    "LEADERBOARD_HOST",
    "LEADERBOARD_STRICT",
    "LEADERBOARD_PUBLIC_URL",
    "LEADERBOARD_MAX_AGE",
    "LEADERBOARD_STALE_WHILE_REVALIDATE",
    "LEADERBOARD_STATIC_DIR",
    "LEADERBOARD_INGEST_KEY",
    "LEADERBOARD_ADMIN_KEY",
    "FUNCTIONS_CUSTOMHANDLER_PORT",
    "LEADERBOARD_REDIS_URL",
    "LEADERBOARD_REDIS_REPLICA_URLS",
    "LEADERBOARD_REDIS_REPLICA_WAIT_MS",
    "LEADERBOARD_REDIS_PAGE_CACHE",
    "LEADERBOARD_REDIS_PAGE_CACHE_TTL",
    "LEADERBOARD_REDIS_BOARD",
    "LEADERBOARD_RESPONSE_CACHE",
    "LEADERBOARD_SNAPSHOT",
    "LEADERBOARD_FRAME_ANCESTORS",
    "LEADERBOARD_TEST_NOW",
];

// ---------------------------------------------------------------------------------------
// Fixture data
// ---------------------------------------------------------------------------------------

fn profile(id: &str, name: &str, avatar: &str, achievements: &[&str]) -> Profile {
    Profile {
        id: id.to_string(),
        user_name: name.to_string(),
        avatar_url: avatar.to_string(),
        achievements: achievements.iter().map(|a| a.to_string()).collect(),
    }
}

fn score(id: &str, profile_id: &str, score: i64, mode: &str, region: &str) -> ScoreRecord {
    ScoreRecord {
        id: id.to_string(),
        profile_id: profile_id.to_string(),
        score,
        game_mode: mode.to_string(),
        game_region: region.to_string(),
        played_at: None,
    }
}

/// Players with mixed-case names (alice/Alicia, bob/Bobby), a non-ASCII one, and every
/// kind of avatar URL: relative, root-relative, absolute http and https, `javascript:`,
/// `data:` and empty.
pub fn fixture_profiles() -> Vec<Profile> {
    vec![
        profile(
            "p1",
            "alice",
            "images/avatars/default.svg",
            &[
                "King of the Universe",
                "King of the Universe",
                "Space Race Winner",
            ],
        ),
        profile(
            "p2",
            "Alicia",
            "https://cdn.example/avatars/alicia.png",
            &["Galaxy Explorer"],
        ),
        profile("p3", "bob", "javascript:alert(1)", &[]),
        profile("p4", "Bobby", "", &["Space Race Winner"]),
        profile("p5", "carol", "images/avatars/rocket.svg", &[]),
        profile("p6", "Dave", "data:image/png;base64,AAAA", &[]),
        profile("p7", "eve", "/static/eve.png", &[]),
        profile(
            "p8",
            "Zed",
            "http://old.example/z.png",
            &["King of the Universe"],
        ),
        profile("p9", "Zoë", "images/avatars/default.svg", &[]),
    ]
}

/// 21 scores over three modes and four regions, with ties at 900 (four), 750 (four)
/// and 600 (two), listed out of order.
pub fn fixture_scores() -> Vec<ScoreRecord> {
    vec![
        score("s05", "p5", 750, "Trio", "Pinwheel"),
        score("s01", "p1", 900, "Solo", "Milky Way"),
        score("s02", "p2", 900, "Solo", "Andromeda"),
        score("s03", "p3", 800, "Duo", "Milky Way"),
        score("s04", "p4", 750, "Solo", "Milky Way"),
        score("s06", "p6", 750, "Solo", "Ring Nebula"),
        score("s07", "p7", 600, "Duo", "Andromeda"),
        score("s08", "p8", 500, "Trio", "Milky Way"),
        score("s09", "p1", 450, "Duo", "Pinwheel"),
        score("s10", "p2", 400, "Solo", "Milky Way"),
        score("s11", "p3", 300, "Trio", "Andromeda"),
        score("s12", "p4", 200, "Solo", "Pinwheel"),
        score("s13", "p5", 150, "Duo", "Milky Way"),
        score("s14", "p1", 100, "Solo", "Milky Way"),
        score("s15", "p9", 900, "Trio", "Milky Way"),
        score("s16", "p8", 50, "Solo", "Andromeda"),
        score("s17", "p7", 750, "Solo", "Milky Way"),
        score("s18", "p6", 10, "Duo", "Ring Nebula"),
        score("s19", "p9", 0, "Solo", "Pinwheel"),
        score("s20", "p2", 600, "Trio", "Pinwheel"),
        score("s21", "p3", 900, "Solo", "Milky Way"),
    ]
}

/// Writes `scores.json` and `profiles.json` in the original's format.
pub fn write_data(dir: &Path, scores: &[ScoreRecord], profiles: &[Profile]) {
    std::fs::write(
        dir.join("scores.json"),
        serde_json::to_vec_pretty(scores).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("profiles.json"),
        serde_json::to_vec_pretty(profiles).unwrap(),
    )
    .unwrap();
}

/// The score ids of a leaderboard answer's rows, in order.
pub fn ids(body: &Value) -> Vec<String> {
    body["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["score"]["id"].as_str().unwrap().to_string())
        .collect()
}

/// A temp dir holding the fixture data.
pub fn fixture_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), &fixture_scores(), &fixture_profiles());
    dir
}

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

/// How to start the binary.
pub struct Launch {
    args: Vec<OsString>,
    env: Vec<(String, String)>,
    /// The Redis the server reads from, kept running as long as the server.
    backing: Option<Backing>,
}

/// Which store the suites' fixture server uses: `LEADERBOARD_TEST_STORE` = `embedded`
/// (the default), `redis` (one `redis-server`), `redis-replicas` (a primary with two
/// replicas, reads from a replica), `redis-cluster` (three masters) or
/// `redis-cluster-replicas` (three masters with a replica each, reads from the replicas),
/// each loaded with the same fixture (`import`), so the same tests pin every store.
pub const STORE_VAR: &str = "LEADERBOARD_TEST_STORE";

const STORES: [&str; 5] = [
    "embedded",
    "redis",
    "redis-replicas",
    "redis-cluster",
    "redis-cluster-replicas",
];

/// The store named by [`STORE_VAR`]: one of [`STORES`].
pub fn store_under_test() -> String {
    match std::env::var(STORE_VAR) {
        Ok(value) if !value.is_empty() => {
            assert!(
                STORES.contains(&value.as_str()),
                "{STORE_VAR} must be one of {STORES:?}, not {value:?}"
            );
            value
        }
        _ => "embedded".to_string(),
    }
}

/// A Redis a server reads from.
pub enum Backing {
    Redis(redis::RedisServer),
    Replicated(redis::RedisReplicaSet),
    Cluster(redis::RedisCluster),
}

impl Backing {
    /// Where to write (what `import` loads).
    pub fn url(&self) -> String {
        match self {
            Backing::Redis(server) => server.url(),
            Backing::Replicated(set) => set.primary.url(),
            Backing::Cluster(cluster) => cluster.url(),
        }
    }

    /// The serving function's flags for it.
    pub fn args(&self) -> Vec<String> {
        match self {
            Backing::Replicated(set) => set.args(),
            other => vec!["--redis".to_string(), other.url()],
        }
    }
}

/// Loads `data_dir` into the Redis at `url` with the `import` command, checks it succeeded
/// and returns what it reported on stderr.
pub fn import_into_redis(data_dir: &Path, url: &str) -> String {
    let exited = Launch::args(["import", "--data-dir"])
        .arg(data_dir)
        .arg("--redis")
        .arg(url)
        .run_to_exit();
    assert!(exited.status.success(), "import failed: {}", exited.stderr);
    exited.stderr
}

impl Launch {
    /// Serve `data_dir` from the store under test ([`store_under_test`]) on a free
    /// loopback port: the embedded store reads the directory; a Redis store gets it
    /// imported first.
    pub fn serve_with_store_under_test(data_dir: &Path) -> Launch {
        let backing = match store_under_test().as_str() {
            "redis" => Backing::Redis(redis::RedisServer::start()),
            "redis-replicas" => Backing::Replicated(redis::RedisReplicaSet::start(2)),
            "redis-cluster" => Backing::Cluster(redis::RedisCluster::start()),
            "redis-cluster-replicas" => {
                Backing::Cluster(redis::RedisCluster::start_with_replicas(1))
            }
            _ => return Launch::serve(data_dir),
        };
        Launch::serve_from_redis(data_dir, backing)
    }

    /// Import `data_dir` into `backing`, then serve from it on a free loopback port.
    pub fn serve_from_redis(data_dir: &Path, backing: Backing) -> Launch {
        import_into_redis(data_dir, &backing.url());
        let mut args: Vec<OsString> = backing.args().into_iter().map(Into::into).collect();
        args.extend(["--port".into(), "0".into()]);
        Launch {
            args,
            env: Vec::new(),
            backing: Some(backing),
        }
    }

    /// Serve `data_dir` with the embedded store on a free loopback port.
    pub fn serve(data_dir: &Path) -> Launch {
        Launch {
            backing: None,
            args: vec![
                "--data-dir".into(),
                data_dir.into(),
                "--port".into(),
                "0".into(),
            ],
            env: Vec::new(),
        }
    }

    /// Any arguments (for commands expected to fail or exit).
    pub fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(args: I) -> Launch {
        Launch {
            args: args.into_iter().map(Into::into).collect(),
            env: Vec::new(),
            backing: None,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Launch {
        self.args.push(arg.into());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Launch {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Turns on `POST /api/scores` with this bearer key (through the environment, as
    /// production should: a flag shows in the process list).
    pub fn ingest_key(self, key: &str) -> Launch {
        self.env("LEADERBOARD_INGEST_KEY", key)
    }

    /// Turns on moderation (the removals) with this bearer key, through the environment.
    pub fn admin_key(self, key: &str) -> Launch {
        self.env("LEADERBOARD_ADMIN_KEY", key)
    }

    fn command(&self) -> Command {
        let mut command = Command::new(BINARY);
        for key in SERVER_ENV {
            command.env_remove(key);
        }
        command.args(&self.args);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    /// Starts the server and waits for its `listening on` line.
    pub fn start(mut self) -> Server {
        let mut child = self
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = Arc::new((Mutex::new(String::new()), Condvar::new()));
        let stderr_reader = {
            let mut pipe = child.stderr.take().unwrap();
            let stderr = Arc::clone(&stderr);
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let (text, changed) = &*stderr;
                    text.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                    changed.notify_all();
                }
            })
        };
        let (lines_tx, lines) = mpsc::channel();
        {
            let pipe = child.stdout.take().unwrap();
            thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if lines_tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let mut server = Server {
            backing: self.backing.take(),
            child,
            lines,
            stderr,
            stderr_reader: Some(stderr_reader),
            base_url: String::new(),
            port: 0,
        };
        let first = match server.lines.recv_timeout(DEADLINE) {
            Ok(line) => line,
            Err(_) => panic!(
                "the server did not announce itself; stderr:\n{}",
                server.stderr()
            ),
        };
        let base_url = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first stdout line is {first:?}"))
            .to_string();
        server.port = base_url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {first:?}"));
        server.base_url = base_url;
        server
    }

    /// Runs the binary to its exit (it is killed if it does not exit by the deadline).
    pub fn run_to_exit(self) -> Exited {
        let mut child = self
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out = thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.read_to_string(&mut text);
            text
        });
        let err = thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let status = wait_for_exit(&mut child).unwrap_or_else(|| {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the binary did not exit in {DEADLINE:?}");
        });
        Exited {
            status,
            stdout: out.join().unwrap(),
            stderr: err.join().unwrap(),
        }
    }
}

/// Blocks until the child exits; a watchdog thread kills it if it has not by the deadline
/// (`None` then). No polling, no sleeps.
fn wait_for_exit(child: &mut Child) -> Option<ExitStatus> {
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    let watchdog = thread::spawn(move || {
        if rx.recv_timeout(DEADLINE) == Err(RecvTimeoutError::Timeout) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            return true;
        }
        false
    });
    let status = child.wait().ok();
    let _ = tx.send(());
    let timed_out = watchdog.join().unwrap_or(false);
    if timed_out {
        None
    } else {
        status
    }
}

/// A finished run of the binary.
pub struct Exited {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// A running server; killed when dropped.
pub struct Server {
    /// The Redis it reads from, if any (stopped after the server: fields drop in order).
    pub backing: Option<Backing>,
    child: Child,
    lines: Receiver<String>,
    /// Everything the server wrote to stderr so far, and a signal when that grows.
    stderr: Arc<(Mutex<String>, Condvar)>,
    stderr_reader: Option<thread::JoinHandle<()>>,
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base_url)
    }

    pub fn stderr(&self) -> String {
        self.stderr.0.lock().unwrap().clone()
    }

    /// Waits until stderr contains `needle` and the line holding it has ended (stderr is
    /// read on its own thread in chunks, so what the server wrote before its stdout line
    /// may not have arrived yet, or only half of a line).
    pub fn wait_for_stderr(&self, needle: &str) -> String {
        let (text, changed) = &*self.stderr;
        let deadline = Instant::now() + DEADLINE;
        let mut guard = text.lock().unwrap();
        let whole_line = |text: &str| {
            text.find(needle)
                .is_some_and(|at| text[at + needle.len()..].contains('\n'))
        };
        while !whole_line(&guard) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!("stderr never contained {needle:?}:\n{guard}");
            }
            guard = changed.wait_timeout(guard, left).unwrap().0;
        }
        guard.clone()
    }

    /// Waits for the next stdout line satisfying `wanted`, skipping others.
    pub fn wait_for_line(&self, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if wanted(&line) => return line,
                Ok(_) => continue,
                Err(_) => panic!("no such stdout line; stderr:\n{}", self.stderr()),
            }
        }
    }

    /// Sends SIGTERM and waits for the exit.
    pub fn terminate(mut self) -> (ExitStatus, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let status = wait_for_exit(&mut self.child).expect("exits after SIGTERM");
        // The reader ends when the pipe closes at exit: then stderr is complete.
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        (status, self.stderr())
    }

    pub fn get(&self, path_and_query: &str) -> Reply {
        self.request("GET", path_and_query, &[])
    }

    pub fn get_with(&self, path_and_query: &str, headers: &[(&str, &str)]) -> Reply {
        self.request("GET", path_and_query, headers)
    }

    pub fn request(&self, method: &str, path_and_query: &str, headers: &[(&str, &str)]) -> Reply {
        request(method, &self.url(path_and_query), headers)
    }

    /// A request with a body (a `POST /api/scores`, say), with exactly these headers.
    pub fn send(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        request_with_body(method, &self.url(path_and_query), headers, body)
    }
}

// ---------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------

/// One HTTP exchange: status, headers and the body bytes as sent.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// All values of a header, joined as a list.
    pub fn header_list(&self, name: &str) -> String {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request with exactly these headers (no automatic Accept-Encoding).
pub fn request(method: &str, url: &str, headers: &[(&str, &str)]) -> Reply {
    send(method, url, headers, ())
}

/// Sends one request with a body and exactly these headers (plus `Content-Length`).
pub fn request_with_body(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    send(method, url, headers, body.to_vec())
}

fn send(method: &str, url: &str, headers: &[(&str, &str)], body: impl ureq::AsSendBody) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut builder = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(body).unwrap();
    let mut response = agent
        .run(request)
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A temp dir with a file in it, for `--static-dir`.
pub fn static_dir_with_index(html: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    std::fs::write(path.join("index.html"), html).unwrap();
    (dir, path)
}
