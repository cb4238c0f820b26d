//! Real Redis for the tests: Debian's `redis-server` started on free loopback ports with no
//! persistence, as one plain server, a primary with replicas, or a three-master Redis Cluster
//! (`redis-cli --cluster create`, with or without a replica per master), each ready when it
//! answers (polled), killed when dropped.
//!
//! A missing `redis-server` fails the test with a message saying how to install it: these
//! tests never skip silently.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::DEADLINE;

const SERVER: &str = "redis-server";
const CLI: &str = "redis-cli";
/// Redis Cluster's bus listens on the client port + 10000.
const CLUSTER_BUS_OFFSET: u16 = 10000;

fn require(binary: &str) {
    let found = Command::new(binary)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{binary}` is not installed: the Redis store tests need a real Redis. Install \
         Debian's redis-server (`apt-get install redis-server`, or `scripts/install-tools.sh \
         system`) and run the tests again"
    );
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// A free loopback port; for a cluster node, its bus port (+10000) is free too.
fn free_port(with_bus: bool) -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(0);
        if port == 0 {
            continue;
        }
        if !with_bus {
            return port;
        }
        if let Some(bus) = port.checked_add(CLUSTER_BUS_OFFSET) {
            if port_is_free(bus) {
                return port;
            }
        }
    }
}

/// Sends one inline command and returns the first reply line (`None`: no answer).
pub fn ask(port: u16, command: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream.write_all(format!("{command}\r\n").as_bytes()).ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    if let Some(length) = line.strip_prefix('$') {
        // A bulk string: read its body.
        let length: usize = length.trim().parse().ok()?;
        let mut body = String::new();
        while body.len() < length {
            let mut more = String::new();
            if reader.read_line(&mut more).ok()? == 0 {
                break;
            }
            body.push_str(&more);
        }
        return Some(body);
    }
    Some(line)
}

/// Polls `check` until it holds (the condition, not a fixed sleep, ends the wait).
pub fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(20));
    }
}

/// One `redis-server` process.
pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
    cluster: bool,
    replica_of: Option<u16>,
    dir: TempDir,
}

impl RedisServer {
    /// A plain server on a free port.
    pub fn start() -> RedisServer {
        let dir = tempfile::tempdir().expect("a temp dir for redis-server");
        let mut server = RedisServer {
            child: None,
            port: 0,
            cluster: false,
            replica_of: None,
            dir,
        };
        server.spawn_on_free_port();
        server
    }

    /// A plain server on `port` (a restart after [`RedisServer::stop`] reuses it).
    pub fn start_on(port: u16) -> RedisServer {
        let dir = tempfile::tempdir().expect("a temp dir for redis-server");
        let mut server = RedisServer {
            child: None,
            port,
            cluster: false,
            replica_of: None,
            dir,
        };
        server.spawn();
        server
    }

    fn start_cluster_node() -> RedisServer {
        let dir = tempfile::tempdir().expect("a temp dir for redis-server");
        let mut server = RedisServer {
            child: None,
            port: 0,
            cluster: true,
            replica_of: None,
            dir,
        };
        server.spawn_on_free_port();
        server
    }

    /// Starts on a port that was free a moment ago; another test may take it first (then
    /// ours cannot bind), so a port where another server answers is given up for a new one.
    fn spawn_on_free_port(&mut self) {
        loop {
            self.port = free_port(self.cluster);
            if self.try_spawn() {
                return;
            }
        }
    }

    /// Starts on its port, which must be its own (a restart).
    fn spawn(&mut self) {
        let port = self.port;
        assert!(
            self.try_spawn(),
            "another redis-server answers on port {port}"
        );
    }

    /// Starts it and waits until it answers; `false` (and nothing left running) when the
    /// server answering on the port is another process.
    fn try_spawn(&mut self) -> bool {
        require(SERVER);
        let mut command = Command::new(SERVER);
        command
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--daemonize", "no"])
            .args(["--loglevel", "warning"])
            .args(["--enable-debug-command", "local"])
            // A replica's first sync starts at once (Redis waits 5 s by default for more
            // replicas to share one transfer).
            .args(["--repl-diskless-sync-delay", "0"])
            .arg("--dir")
            .arg(self.dir.path());
        if let Some(primary) = self.replica_of {
            command.args(["--replicaof", "127.0.0.1", &primary.to_string()]);
        }
        if self.cluster {
            command
                .args(["--cluster-enabled", "yes"])
                .args(["--cluster-config-file", "nodes.conf"])
                .args(["--cluster-node-timeout", "1000"])
                // CLUSTER SLOTS lists a replica once its replication offset is above 0, which
                // on an empty master takes the first replication ping: every second, not 10.
                .args(["--repl-ping-replica-period", "1"]);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {SERVER}: {e}"));
        let pid = child.id();
        self.child = Some(child);
        let port = self.port;
        wait_until(&format!("redis-server on port {port}"), || {
            ask(port, "PING").is_some_and(|reply| reply.starts_with("+PONG"))
        });
        let ours = ask(port, "INFO server").is_some_and(|info| {
            info.lines()
                .any(|line| line.trim() == format!("process_id:{pid}"))
        });
        if !ours {
            self.kill();
        }
        ours
    }

    /// A replica of the server on `primary`, on a free port.
    pub fn start_replica_of(primary: u16) -> RedisServer {
        let dir = tempfile::tempdir().expect("a temp dir for redis-server");
        let mut server = RedisServer {
            child: None,
            port: 0,
            cluster: false,
            replica_of: Some(primary),
            dir,
        };
        server.spawn_on_free_port();
        server
    }

    /// `INFO replication`, as text.
    pub fn replication(&self) -> String {
        ask(self.port, "INFO replication").unwrap_or_default()
    }

    /// `INFO commandstats`' call count of `command` (lower case).
    pub fn calls(&self, command: &str) -> u64 {
        let stats = ask(self.port, "INFO commandstats").unwrap_or_default();
        let prefix = format!("cmdstat_{command}:calls=");
        stats
            .lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .and_then(|rest| rest.split(',').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// `redis://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills the server (SIGKILL: an abrupt failure), keeping its port for a restart.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port (empty: no persistence).
    pub fn restart(&mut self) {
        self.kill();
        let port = self.port;
        wait_until(&format!("port {port} to be released"), || {
            port_is_free(port)
        });
        self.spawn();
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits until the replica on `port` has a live link to its primary.
pub fn wait_for_link(port: u16) {
    wait_until(&format!("the replica on {port} to sync"), || {
        ask(port, "INFO replication").is_some_and(|info| info.contains("master_link_status:up"))
    });
}

/// Waits until the master on `port` has `count` replicas online.
pub fn wait_for_replicas(port: u16, count: usize) {
    wait_until(&format!("{count} replicas online on {port}"), || {
        ask(port, "INFO replication").is_some_and(|info| {
            info.lines()
                .filter(|line| line.starts_with("slave") && line.contains("state=online"))
                .count()
                == count
        })
    });
}

/// One primary with replicas (`--replicaof`), in sync when started.
pub struct RedisReplicaSet {
    pub primary: RedisServer,
    pub replicas: Vec<RedisServer>,
}

impl RedisReplicaSet {
    pub fn start(replicas: usize) -> RedisReplicaSet {
        let primary = RedisServer::start();
        let replicas: Vec<RedisServer> = (0..replicas)
            .map(|_| RedisServer::start_replica_of(primary.port))
            .collect();
        for replica in &replicas {
            wait_for_link(replica.port);
        }
        wait_for_replicas(primary.port, replicas.len());
        RedisReplicaSet { primary, replicas }
    }

    /// The function's flags for it: `--redis PRIMARY --redis-replica R1 ...`.
    pub fn args(&self) -> Vec<String> {
        let mut args = vec!["--redis".to_string(), self.primary.url()];
        for replica in &self.replicas {
            args.push("--redis-replica".to_string());
            args.push(replica.url());
        }
        args
    }
}

/// A Redis Cluster of three masters, with no replica or one per master.
pub struct RedisCluster {
    pub nodes: Vec<RedisServer>,
}

impl RedisCluster {
    pub fn start() -> RedisCluster {
        RedisCluster::start_with_replicas(0)
    }

    /// Three masters and `replicas` replicas of each.
    pub fn start_with_replicas(replicas: usize) -> RedisCluster {
        require(CLI);
        let nodes: Vec<RedisServer> = (0..3 * (1 + replicas))
            .map(|_| RedisServer::start_cluster_node())
            .collect();
        let addresses: Vec<String> = nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        let output = Command::new(CLI)
            .arg("--cluster")
            .arg("create")
            .args(&addresses)
            .args(["--cluster-replicas", &replicas.to_string(), "--cluster-yes"])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {CLI}: {e}"));
        assert!(
            output.status.success(),
            "redis-cli --cluster create failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for node in &nodes {
            let port = node.port;
            wait_until(&format!("cluster_state:ok on {port}"), || {
                ask(port, "CLUSTER INFO").is_some_and(|info| info.contains("cluster_state:ok"))
            });
        }
        for node in &nodes {
            let info = node.replication();
            if info.contains("role:slave") {
                wait_for_link(node.port);
            } else {
                wait_for_replicas(node.port, replicas);
            }
        }
        // Every node lists every replica in CLUSTER SLOTS (what a client's topology comes
        // from: a replica shows there once its master saw it sync), so any seed's view
        // routes reads to replicas.
        for node in &nodes {
            let port = node.port;
            wait_until(&format!("{port} to list every replica"), || {
                Command::new(CLI)
                    .args(["-p", &port.to_string(), "CLUSTER", "SLOTS"])
                    .output()
                    .is_ok_and(|out| {
                        String::from_utf8_lossy(&out.stdout)
                            .lines()
                            .filter(|line| line.trim() == "127.0.0.1")
                            .count()
                            == 3 * (1 + replicas)
                    })
            });
        }
        RedisCluster { nodes }
    }

    /// `redis+cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`
    pub fn url(&self) -> String {
        let seeds: Vec<String> = self
            .nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        format!("redis+cluster://{}", seeds.join(","))
    }
}
