//! The connection: one multiplexed connection (single server) or one cluster connection,
//! made lazily, with connect and response timeouts, and dropped after a connection-level
//! failure so the next request reconnects. Redis being down therefore costs a request a
//! fast error (503), never a hang, and the store recovers on its own when Redis returns.

use std::fmt;
use std::time::{Duration, Instant};

use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::cluster::ClusterClientBuilder;
use redis::cluster_async::ClusterConnection;
use redis::{AsyncConnectionConfig, Cmd, Pipeline, RedisError, RedisFuture, Value};
use tokio::sync::Mutex;

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
    /// `redis://h1:p1,redis://h2:p2`.
    Cluster(Vec<String>),
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
             URLs for a Redis Cluster)",
            redacted(&self.url),
            self.reason
        )
    }
}

impl std::error::Error for BadRedisUrl {}

impl std::str::FromStr for RedisTarget {
    type Err = BadRedisUrl;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = |reason: &str| BadRedisUrl {
            url: text.to_string(),
            reason: reason.to_string(),
        };
        let text = text.trim();
        let check = |url: &str| -> Result<String, BadRedisUrl> {
            let rest = url
                .strip_prefix("redis://")
                .ok_or_else(|| bad("each URL must start with redis://"))?;
            if rest.is_empty() || rest.starts_with('/') {
                return Err(bad("a host is missing"));
            }
            redis::Client::open(url).map_err(|e| bad(&e.to_string()))?;
            Ok(url.to_string())
        };
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

/// The URL without its password, for logs and messages.
fn redacted(url: &str) -> String {
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

/// Opens a connection to `target`, bounded by [`CONNECT_TIMEOUT`].
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
    let attempt = async {
        match target {
            RedisTarget::Single(url) => {
                let client = redis::Client::open(url.as_str())?;
                let config = AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(response_timeout));
                Ok(Conn::Single(
                    client
                        .get_multiplexed_async_connection_with_config(&config)
                        .await?,
                ))
            }
            RedisTarget::Cluster(urls) => {
                let client = ClusterClientBuilder::new(urls.iter().map(String::as_str))
                    .connection_timeout(CONNECT_TIMEOUT)
                    .response_timeout(response_timeout)
                    .build()?;
                Ok(Conn::Cluster(client.get_async_connection().await?))
            }
        }
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

/// The lazily made, shared connection.
pub struct Connector {
    target: RedisTarget,
    state: Mutex<ConnState>,
}

#[derive(Default)]
struct ConnState {
    conn: Option<Conn>,
    last_failure: Option<(Instant, String)>,
}

impl Connector {
    pub fn new(target: RedisTarget) -> Connector {
        Connector {
            target,
            state: Mutex::new(ConnState::default()),
        }
    }

    pub fn target(&self) -> &RedisTarget {
        &self.target
    }

    /// The current connection, connecting first when there is none (unless a connect
    /// failed moments ago: then that failure again, at once).
    pub async fn get(&self) -> Result<Conn, RedisError> {
        let mut state = self.state.lock().await;
        if let Some(conn) = &state.conn {
            return Ok(conn.clone());
        }
        if let Some((at, reason)) = &state.last_failure {
            if at.elapsed() < RECONNECT_BACKOFF {
                return Err(RedisError::from(std::io::Error::new(
                    std::io::ErrorKind::ConnectionRefused,
                    reason.clone(),
                )));
            }
        }
        match connect(&self.target).await {
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

    /// Called with every error: a connection-level one drops the connection.
    pub async fn failed(&self, error: &RedisError) {
        if is_connection_failure(error) {
            self.state.lock().await.conn = None;
        }
    }
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
}
