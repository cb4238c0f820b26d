//! The connections: one multiplexed connection (single server), one cluster connection,
//! or, for one server with replicas, one to the current primary and one to a replica; made
//! lazily, with connect and response timeouts, and dropped after a connection-level
//! failure so the next request reconnects. Redis being down therefore costs a request a
//! fast error (503), never a hang, and the store recovers on its own when Redis returns.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::cluster::ClusterClientBuilder;
use redis::cluster_async::ClusterConnection;
use redis::{AsyncConnectionConfig, Cmd, Pipeline, RedisError, RedisFuture, Value};
use tokio::sync::Mutex;

use super::replication::{self, StickyReplica};

/// How long establishing a connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(1500);
/// How long one command or pipeline may wait for its answer.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(3);
/// After a failed connect, requests fail fast for this long instead of each trying again.
const RECONNECT_BACKOFF: Duration = Duration::from_millis(250);

/// Where the store's Redis is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedisTarget {
    /// `redis://host:port[/db]`.
    Single(String),
    /// Seed nodes of a Redis Cluster: `redis+cluster://h1:p1,h2:p2` or
    /// `redis://h1:p1,redis://h2:p2`. Reads go to the replicas of the `{lb}` slot's
    /// master (when it has any), writes to the master.
    Cluster(Vec<String>),
    /// One primary and its replicas, without Sentinel: `nodes[0]` is the primary as
    /// configured (`--redis`), the rest its replicas (`--redis-replica`). Which node is the
    /// primary *now* is asked of the nodes (`ROLE`) after a failure, so a promoted replica
    /// takes the writes (see [`super::replication`]).
    Replicated { nodes: Vec<String> },
}

/// A `--redis` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRedisUrl {
    pub url: String,
    pub reason: String,
}

impl fmt::Display for BadRedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bad Redis URL {:?}: {} (use redis://host:port for one server, \
             redis+cluster://host1:port1,host2:port2 or several comma-separated redis:// \
             URLs for a Redis Cluster, and --redis-replica redis://host:port for each \
             replica of one server)",
            redacted(&self.url),
            self.reason
        )
    }
}

impl std::error::Error for BadRedisUrl {}

/// `url` if it is a usable `redis://` URL.
fn checked_url(url: &str, bad: impl Fn(&str) -> BadRedisUrl) -> Result<String, BadRedisUrl> {
    let rest = url
        .strip_prefix("redis://")
        .ok_or_else(|| bad("each URL must start with redis://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(bad("a host is missing"));
    }
    redis::Client::open(url).map_err(|e| bad(&e.to_string()))?;
    Ok(url.to_string())
}

impl std::str::FromStr for RedisTarget {
    type Err = BadRedisUrl;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = |reason: &str| BadRedisUrl {
            url: text.to_string(),
            reason: reason.to_string(),
        };
        let text = text.trim();
        let check = |url: &str| checked_url(url, bad);
        if let Some(seeds) = text.strip_prefix("redis+cluster://") {
            let urls = seeds
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|seed| check(&format!("redis://{seed}")))
                .collect::<Result<Vec<_>, _>>()?;
            if urls.is_empty() {
                return Err(bad("no seed node"));
            }
            return Ok(RedisTarget::Cluster(urls));
        }
        let urls = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(check)
            .collect::<Result<Vec<_>, _>>()?;
        match urls.len() {
            0 => Err(bad("empty")),
            1 => Ok(RedisTarget::Single(
                urls.into_iter().next().unwrap_or_default(),
            )),
            _ => Ok(RedisTarget::Cluster(urls)),
        }
    }
}

impl RedisTarget {
    /// This target with `replicas` (`--redis-replica`) of its server. A cluster finds its
    /// replicas itself, so naming some for one is refused.
    pub fn with_replicas(self, replicas: &[String]) -> Result<RedisTarget, BadRedisUrl> {
        if replicas.is_empty() {
            return Ok(self);
        }
        let replicas = replicas
            .iter()
            .map(|url| {
                let url = url.trim();
                checked_url(url, |reason| BadRedisUrl {
                    url: url.to_string(),
                    reason: reason.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        match self {
            RedisTarget::Single(primary) => {
                let mut nodes = vec![primary];
                nodes.extend(replicas);
                Ok(RedisTarget::Replicated { nodes })
            }
            RedisTarget::Replicated { mut nodes } => {
                nodes.extend(replicas);
                Ok(RedisTarget::Replicated { nodes })
            }
            RedisTarget::Cluster(seeds) => Err(BadRedisUrl {
                url: seeds.join(","),
                reason: "a Redis Cluster finds its replicas itself: --redis-replica is \
                         for one server with replicas"
                    .to_string(),
            }),
        }
    }
}

/// The URL without its password, for logs and messages.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Shown in logs: passwords are masked.
impl fmt::Display for RedisTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedisTarget::Single(url) => f.write_str(&redacted(url)),
            RedisTarget::Cluster(urls) => {
                let urls: Vec<String> = urls.iter().map(|u| redacted(u)).collect();
                write!(f, "cluster {}", urls.join(","))
            }
            RedisTarget::Replicated { nodes } => {
                let urls: Vec<String> = nodes.iter().map(|u| redacted(u)).collect();
                write!(
                    f,
                    "{} with replicas {}",
                    urls.first().map(String::as_str).unwrap_or_default(),
                    urls.get(1..).unwrap_or_default().join(",")
                )
            }
        }
    }
}

/// A live connection of either kind; cheap to clone (both multiplex over shared sockets).
#[derive(Clone)]
pub enum Conn {
    Single(MultiplexedConnection),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Conn::Single(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Conn::Single(c) => c.req_packed_commands(pipeline, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Single(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }
}

/// Opens a connection to `target` (for [`RedisTarget::Replicated`], to the primary as
/// configured), bounded by [`CONNECT_TIMEOUT`].
pub async fn connect(target: &RedisTarget) -> Result<Conn, RedisError> {
    connect_with_response_timeout(target, RESPONSE_TIMEOUT).await
}

/// How long one pipeline of a bulk job (the import) may wait for its answer: it queues
/// behind the pipelines sent before it, which on a busy machine takes seconds.
pub const BULK_RESPONSE_TIMEOUT: Duration = Duration::from_secs(120);

/// [`connect`] with another response timeout (see [`BULK_RESPONSE_TIMEOUT`]).
pub async fn connect_with_response_timeout(
    target: &RedisTarget,
    response_timeout: Duration,
) -> Result<Conn, RedisError> {
    match target {
        RedisTarget::Single(url) => connect_node(url, response_timeout).await,
        RedisTarget::Replicated { nodes } => {
            connect_node(
                nodes.first().map(String::as_str).unwrap_or_default(),
                response_timeout,
            )
            .await
        }
        RedisTarget::Cluster(urls) => {
            let attempt = async {
                let client = ClusterClientBuilder::new(urls.iter().map(String::as_str))
                    .connection_timeout(CONNECT_TIMEOUT)
                    .response_timeout(response_timeout)
                    .read_routing_strategy(StickyReplica::default())
                    .build()?;
                Ok(Conn::Cluster(client.get_async_connection().await?))
            };
            match tokio::time::timeout(CONNECT_TIMEOUT * 2, attempt).await {
                Ok(result) => result,
                Err(_) => Err(timeout_error("connecting")),
            }
        }
    }
}

/// A multiplexed connection to one server.
pub async fn connect_node(url: &str, response_timeout: Duration) -> Result<Conn, RedisError> {
    let attempt = async {
        let client = redis::Client::open(url)?;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(response_timeout));
        Ok(Conn::Single(
            client
                .get_multiplexed_async_connection_with_config(&config)
                .await?,
        ))
    };
    match tokio::time::timeout(CONNECT_TIMEOUT * 2, attempt).await {
        Ok(result) => result,
        Err(_) => Err(timeout_error("connecting")),
    }
}

fn timeout_error(what: &'static str) -> RedisError {
    RedisError::from(std::io::Error::new(std::io::ErrorKind::TimedOut, what))
}

/// Runs `work` with a response deadline of its own, so nothing waits past it.
pub async fn bounded<T>(
    work: impl std::future::Future<Output = Result<T, RedisError>>,
) -> Result<T, RedisError> {
    match tokio::time::timeout(RESPONSE_TIMEOUT + Duration::from_millis(500), work).await {
        Ok(result) => result,
        Err(_) => Err(timeout_error("waiting for Redis")),
    }
}

/// Whether an error means the connection is unusable (so it is dropped and remade).
pub fn is_connection_failure(error: &RedisError) -> bool {
    error.is_io_error()
        || error.is_timeout()
        || error.is_connection_dropped()
        || error.is_connection_refusal()
        || error.is_unrecoverable_error()
}

/// Whether an error means the node written to is no longer the primary.
pub fn is_demoted(error: &RedisError) -> bool {
    error.code() == Some("READONLY") || error.to_string().contains("READONLY")
}

/// The lazily made, shared connections: the writer (the one server, the cluster, or the
/// current primary of a replicated server) and, for a replicated server, the reader (one
/// replica, the same for the whole process, so its reads never go back in time).
pub struct Connector {
    target: RedisTarget,
    writer: Mutex<ConnState>,
    reader: Mutex<ReaderState>,
    /// The index in `nodes` of the current primary (replicated), `usize::MAX`: unknown.
    primary: AtomicUsize,
}

#[derive(Default)]
struct ConnState {
    conn: Option<Conn>,
    last_failure: Option<(Instant, String)>,
}

struct ReaderState {
    conn: Option<Conn>,
    /// Which replica (index among the nodes that are not the primary) reads go to next;
    /// moves on after a failure.
    choice: usize,
    last_failure: Option<Instant>,
}

fn backoff_error(reason: &str) -> RedisError {
    RedisError::from(std::io::Error::new(
        std::io::ErrorKind::ConnectionRefused,
        reason.to_string(),
    ))
}

impl Connector {
    pub fn new(target: RedisTarget) -> Connector {
        Connector {
            target,
            writer: Mutex::new(ConnState::default()),
            reader: Mutex::new(ReaderState {
                conn: None,
                choice: process_choice(),
                last_failure: None,
            }),
            primary: AtomicUsize::new(usize::MAX),
        }
    }

    pub fn target(&self) -> &RedisTarget {
        &self.target
    }

    /// Whether reads may be answered by a replica (so a write is confirmed by `WAIT`).
    pub fn has_replicas(&self) -> bool {
        !matches!(self.target, RedisTarget::Single(_))
    }

    /// Whether reads have a connection of their own ([`Connector::get_reader`]): a
    /// replicated server's replica. (A cluster routes reads to replicas itself.)
    pub fn has_reader(&self) -> bool {
        matches!(self.target, RedisTarget::Replicated { .. })
    }

    /// The writer: the current connection, connecting first when there is none (unless a
    /// connect failed moments ago: then that failure again, at once). For a replicated
    /// server, connecting asks the nodes which one is the primary now.
    pub async fn get(&self) -> Result<Conn, RedisError> {
        let mut state = self.writer.lock().await;
        if let Some(conn) = &state.conn {
            return Ok(conn.clone());
        }
        if let Some((at, reason)) = &state.last_failure {
            if at.elapsed() < RECONNECT_BACKOFF {
                return Err(backoff_error(reason));
            }
        }
        let made = match &self.target {
            RedisTarget::Replicated { nodes } => {
                let known = self.primary.load(Ordering::Relaxed);
                replication::find_primary(nodes, known)
                    .await
                    .map(|(index, conn)| {
                        self.primary.store(index, Ordering::Relaxed);
                        conn
                    })
            }
            target => connect(target).await,
        };
        match made {
            Ok(conn) => {
                state.conn = Some(conn.clone());
                state.last_failure = None;
                Ok(conn)
            }
            Err(error) => {
                state.last_failure = Some((Instant::now(), error.to_string()));
                Err(error)
            }
        }
    }

    /// Called with every error of the writer: a connection-level one drops the
    /// connection; for a replicated server, so does a write refused by a demoted primary,
    /// and the next [`Connector::get`] asks the nodes for the primary again.
    pub async fn failed(&self, error: &RedisError) {
        if is_connection_failure(error) || is_demoted(error) {
            self.writer.lock().await.conn = None;
        }
    }

    /// The reader: for a replicated server one of its replicas (the primary when none
    /// answers); otherwise the writer's connection (a cluster routes reads to replicas
    /// itself).
    pub async fn get_reader(&self) -> Result<Conn, RedisError> {
        let RedisTarget::Replicated { nodes } = &self.target else {
            return self.get().await;
        };
        let mut state = self.reader.lock().await;
        if let Some(conn) = &state.conn {
            return Ok(conn.clone());
        }
        let recently_failed = state
            .last_failure
            .is_some_and(|at| at.elapsed() < RECONNECT_BACKOFF);
        if !recently_failed {
            let primary = self.primary.load(Ordering::Relaxed);
            let replicas: Vec<&String> = nodes
                .iter()
                .enumerate()
                .filter(|(index, _)| *index != primary && (primary != usize::MAX || *index != 0))
                .map(|(_, url)| url)
                .collect();
            for step in 0..replicas.len() {
                let choice = (state.choice + step) % replicas.len();
                if let Ok(conn) = connect_node(replicas[choice], RESPONSE_TIMEOUT).await {
                    state.choice = choice;
                    state.conn = Some(conn.clone());
                    state.last_failure = None;
                    return Ok(conn);
                }
            }
            state.last_failure = Some(Instant::now());
        }
        drop(state);
        // No replica answers: the primary reads.
        self.get().await
    }

    /// Called with every error of a read on the reader: the reader is dropped and the next
    /// read tries the next replica (the failed read itself is retried on the primary).
    pub async fn read_failed(&self) {
        if let RedisTarget::Replicated { .. } = self.target {
            let mut state = self.reader.lock().await;
            if state.conn.take().is_some() {
                state.choice = state.choice.wrapping_add(1);
            }
        }
    }
}

/// A number fixed for the life of the process and different between processes, so the
/// replicas of a fleet of function instances share its reads.
fn process_choice() -> usize {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::process::id()) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_server_or_a_cluster() {
        assert_eq!(
            "redis://127.0.0.1:6379".parse(),
            Ok(RedisTarget::Single("redis://127.0.0.1:6379".into()))
        );
        assert_eq!(
            "redis+cluster://a:1,b:2".parse(),
            Ok(RedisTarget::Cluster(vec![
                "redis://a:1".into(),
                "redis://b:2".into()
            ]))
        );
        assert_eq!(
            "redis://a:1, redis://b:2".parse(),
            Ok(RedisTarget::Cluster(vec![
                "redis://a:1".into(),
                "redis://b:2".into()
            ]))
        );
        let secret: RedisTarget = "redis://user:hunter2@cache:6379/0".parse().unwrap();
        assert_eq!(secret.to_string(), "redis://***@cache:6379/0");
        for bad in ["", "http://a:1", "redis://", "redis+cluster://", "a:1"] {
            assert!(bad.parse::<RedisTarget>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn replicas_make_a_replicated_server_and_are_refused_for_a_cluster() {
        let single: RedisTarget = "redis://p:1".parse().unwrap();
        let replicated = single
            .clone()
            .with_replicas(&["redis://r:2".into(), " redis://s:3".into()])
            .unwrap();
        assert_eq!(
            replicated,
            RedisTarget::Replicated {
                nodes: vec![
                    "redis://p:1".into(),
                    "redis://r:2".into(),
                    "redis://s:3".into()
                ]
            }
        );
        assert_eq!(
            replicated.to_string(),
            "redis://p:1 with replicas redis://r:2,redis://s:3"
        );
        assert_eq!(single.clone().with_replicas(&[]), Ok(single.clone()));
        assert!(single.with_replicas(&["r:2".into()]).is_err());
        let cluster: RedisTarget = "redis+cluster://a:1,b:2".parse().unwrap();
        let refused = cluster.with_replicas(&["redis://r:2".into()]).unwrap_err();
        assert!(refused.reason.contains("finds its replicas itself"));
    }
}
