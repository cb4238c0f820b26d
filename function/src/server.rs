//! `leaderboard-function` serving: load the data, bind, announce the address, serve until
//! SIGTERM or Ctrl-C.
//!
//! The first line on stdout is always `listening on http://ADDR` (printed after binding,
//! so with `--port 0` it tells the real port and the port already answers); request log
//! lines follow. Loading notes and warnings go to stderr.

use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::{CliError, ServeArgs, CUSTOM_HANDLER_PORT_VAR};
use crate::data::{LoadError, LoadOptions};
use crate::http::caching::CachePolicy;
use crate::http::{self as adapter, AppState, HttpConfig};
use crate::startup::{self, StartError, Started};
use crate::store::embedded::{EmbeddedStore, WarmUp};
use crate::store::redis::{RedisStore, SharedCacheConfig};
use crate::store::LeaderboardStore;

#[derive(Debug)]
pub enum ServeError {
    Config(CliError),
    DataDirMissing {
        path: PathBuf,
    },
    Load {
        strict: bool,
        source: LoadError,
    },
    /// `--strict`, and the index snapshot's load skipped this record.
    BadDataInSnapshot(String),
    StaticDirMissing {
        path: PathBuf,
    },
    Runtime(std::io::Error),
    Signals(std::io::Error),
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    Serve(std::io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Config(e) => write!(f, "{e}"),
            ServeError::DataDirMissing { path } => write!(
                f,
                "data directory {} does not exist or is not a directory \
                 (set --data-dir or LEADERBOARD_DATA_DIR to a directory holding scores.json \
                 and profiles.json)",
                path.display()
            ),
            ServeError::Load {
                strict: true,
                source: source @ LoadError::BadRecord(_),
            } => write!(f, "refusing to start on bad data (--strict): {source}"),
            ServeError::Load { source, .. } => write!(f, "cannot load the data: {source}"),
            ServeError::BadDataInSnapshot(warning) => {
                write!(f, "refusing to start on bad data (--strict): {warning}")
            }
            ServeError::StaticDirMissing { path } => write!(
                f,
                "static directory {} does not exist or is not a directory",
                path.display()
            ),
            ServeError::Runtime(e) => write!(f, "cannot start the async runtime: {e}"),
            ServeError::Signals(e) => write!(f, "cannot listen for shutdown signals: {e}"),
            ServeError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            ServeError::Serve(e) => write!(f, "the server stopped with an error: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

impl From<CliError> for ServeError {
    fn from(e: CliError) -> Self {
        ServeError::Config(e)
    }
}

/// Runs the server until a shutdown signal. Blocks.
pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    let custom_handler_port = std::env::var(CUSTOM_HANDLER_PORT_VAR).ok();
    let port = args.listen_port(custom_handler_port.as_deref())?;
    args.check_keys()?;
    for dir in [&args.static_dir, &args.embed_dir].into_iter().flatten() {
        if !dir.is_dir() {
            return Err(ServeError::StaticDirMissing { path: dir.clone() });
        }
    }
    let (store, snapshot_writer): (Arc<dyn LeaderboardStore>, _) = match &args.redis {
        // Redis is connected lazily: the function starts (health says unavailable) while
        // Redis is down, and recovers on its own when it returns.
        Some(target) => {
            let target = target
                .clone()
                .with_replicas(&args.redis_replicas)
                .map_err(CliError::BadRedis)?;
            eprintln!("serving from Redis at {target}");
            let store = RedisStore::new(target)
                .with_board(args.board.name.as_ref())
                .with_replica_wait(Duration::from_millis(args.redis_replica_wait_ms))
                .with_shared_cache(SharedCacheConfig {
                    max_body_bytes: args.redis_page_cache.0,
                    ttl: Duration::from_secs(args.redis_page_cache_ttl),
                })
                .with_retention(args.retention())
                .with_clock(args.clock());
            (Arc::new(store), None)
        }
        None => {
            let (store, writer) = load_store(args)?;
            (Arc::new(store), writer)
        }
    };
    let served = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)
        .and_then(|runtime| runtime.block_on(serve(args, SocketAddr::new(args.host, port), store)));
    // A snapshot half written is never seen (it is renamed into place when whole), but
    // finishing it spares the next start a build.
    if let Some(writer) = snapshot_writer {
        let _ = writer.join();
    }
    served
}

/// Loads the data directory (or its index snapshot) into the embedded store, reporting on
/// stderr; when the start built from the files, the snapshot is written again on a thread
/// of its own while the server starts (joined before the process exits).
fn load_store(
    args: &ServeArgs,
) -> Result<(EmbeddedStore, Option<std::thread::JoinHandle<()>>), ServeError> {
    if !args.data_dir.is_dir() {
        return Err(ServeError::DataDirMissing {
            path: args.data_dir.clone(),
        });
    }
    let options = LoadOptions {
        strict: args.strict,
    };
    let snapshot_path = args.snapshot_path();
    let started =
        startup::load(&args.data_dir, snapshot_path.as_deref(), options).map_err(|error| {
            match error {
                StartError::Load(source) => ServeError::Load {
                    strict: args.strict,
                    source,
                },
                StartError::BadRecordInSnapshot(warning) => ServeError::BadDataInSnapshot(warning),
            }
        })?;
    let Started {
        engine,
        version,
        warnings,
        write_snapshot_to,
    } = started;
    // Posts and removals start from the same engine; the store copies its records out of
    // it on the first change (store/embedded.rs).
    let store = if args.writable() {
        EmbeddedStore::accepting_posts_over(engine, version.clone())
    } else {
        EmbeddedStore::new(engine, version.clone())
    }
    .with_retention(args.retention())
    .with_clock(args.clock());
    // The likely boards are built while the server starts; a read that needs one first
    // waits for its build. Said on stderr when done, as the load is.
    if let Some(warming) = store.warm_up() {
        std::thread::spawn(move || {
            if let Ok(WarmUp { boards, took }) = warming.join() {
                eprintln!(
                    "built {boards} boards ahead of their first reads in {:.2}s",
                    took.as_secs_f64()
                );
            }
        });
    }
    let writer = write_snapshot_to.map(|path| {
        let engine = store.engine();
        std::thread::spawn(move || {
            if let Err(e) = startup::write_snapshot(&path, &engine, &version, &warnings) {
                eprintln!("warning: {e} (serving goes on; the next start builds from the files)");
            }
        })
    });
    Ok((store, writer))
}

async fn serve(
    args: &ServeArgs,
    addr: SocketAddr,
    store: Arc<dyn LeaderboardStore>,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?;
    let config = HttpConfig {
        public_url: args.public_url.clone(),
        cache: CachePolicy {
            max_age: args.max_age,
            stale_while_revalidate: args.stale_while_revalidate,
        },
        static_dir: args.static_dir.clone(),
        embed_dir: args.embed_dir.clone(),
        listen_authority: local.to_string(),
        ingest_key: args.ingest_key.clone(),
        admin_key: args.admin_key.clone(),
        response_cache: args.response_cache,
        board_csp: args.frame_ancestors.clone(),
        clock: args.clock(),
        retention: args.retention(),
    };
    let app = adapter::app(AppState::new(store, config));
    let signals = ShutdownSignals::install().map_err(ServeError::Signals)?;
    {
        let mut stdout = std::io::stdout().lock();
        // Best effort: a closed stdout must not stop the server.
        let _ = writeln!(stdout, "listening on http://{local}");
        let _ = stdout.flush();
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(signals.received())
        .await
        .map_err(ServeError::Serve)?;
    eprintln!("stopped");
    Ok(())
}

/// SIGTERM (what containers and the Functions host send) and SIGINT (Ctrl-C), registered
/// before the server announces itself, so a signal sent right after the `listening on`
/// line already shuts down gracefully instead of killing the process.
struct ShutdownSignals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    #[cfg(unix)]
    fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(ShutdownSignals {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    #[cfg(not(unix))]
    fn install() -> std::io::Result<Self> {
        Ok(ShutdownSignals {})
    }

    /// Resolves on the first signal.
    async fn received(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.interrupt.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
        eprintln!("shutting down: finishing requests in flight");
    }
}
