//! `leaderboard-function`: serves the leaderboard API (the default), generates sample
//! data, imports data into Redis, writes the index snapshot, prints the OpenAPI document,
//! or removes a score or a player from a Redis store.
//! See `leaderboard-function --help`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use leaderboard_function::cli::{Cli, Command, GenerateArgs, RemoveArgs, SnapshotArgs};
use leaderboard_function::data::LoadOptions;
use leaderboard_function::startup::{self, StartError};
use leaderboard_function::store::redis::RedisStore;
use leaderboard_function::store::{LeaderboardStore, Removal};
use leaderboard_function::{data, server};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::Generate(args)) => generate(&args),
        Some(Command::Import(args)) => leaderboard_function::store::redis::import::run(&args),
        Some(Command::Openapi) => print_openapi(),
        Some(Command::Snapshot(args)) => snapshot(&args),
        Some(Command::RemoveScore(args)) => remove(&args, Removal::Score(args.id.clone())),
        Some(Command::RemovePlayer(args)) => remove(&args, Removal::Player(args.id.clone())),
        Some(Command::Serve(args)) => server::run(&args).map_err(|e| e.to_string()),
        None => server::run(&cli.serve).map_err(|e| e.to_string()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The document on stdout; a closed stdout is an error, not a panic.
fn print_openapi() -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{}",
        leaderboard_function::http::openapi::document_json()
    )
    .and_then(|()| stdout.flush())
    .map_err(|e| format!("cannot write the OpenAPI document: {e}"))
}

fn generate(args: &GenerateArgs) -> Result<(), String> {
    let options = data::generate::GenerateOptions {
        scores: args.scores,
        profiles: args.profiles,
        seed: args.seed,
        out: args.out.clone(),
        played: args
            .played_over_days
            .map(|days| data::generate::PlayedOver {
                days,
                until: args
                    .played_until
                    .unwrap_or(leaderboard_model::PlayedAt::MIN),
            }),
    };
    let summary = data::generate::run(&options).map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {} scores to {} and {} profiles to {} ({} bytes, seed {})",
        summary.scores,
        summary.scores_path.display(),
        summary.profiles,
        summary.profiles_path.display(),
        summary.bytes,
        args.seed
    );
    Ok(())
}

/// Builds the index from the data files (never from an existing snapshot) and writes it.
fn snapshot(args: &SnapshotArgs) -> Result<(), String> {
    let options = LoadOptions {
        strict: args.strict,
    };
    let started = startup::load(&args.data_dir, None, options).map_err(|e| match e {
        StartError::Load(source) => source.to_string(),
        StartError::BadRecordInSnapshot(warning) => warning,
    })?;
    startup::write_snapshot(
        &args.snapshot_path(),
        &started.engine,
        &started.version,
        &started.warnings,
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

/// Removes from the Redis store with the store's own removal (the one the DELETE routes
/// call), and says on stdout what it removed; removing what is not stored succeeds.
fn remove(args: &RemoveArgs, removal: Removal) -> Result<(), String> {
    leaderboard_model::check_id(&args.id).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let store = RedisStore::new(args.redis.clone())
        .with_board(args.board.name.as_ref())
        .with_retention(args.retention.retention());
    let removed = runtime
        .block_on(store.remove(&removal))
        .map_err(|e| e.to_string())?;
    let report = match (&removal, removed.changed()) {
        (Removal::Score(id), true) => format!("removed score {id:?}"),
        (Removal::Score(id), false) => format!("score {id:?} is not stored: nothing changed"),
        (Removal::Player(id), true) => format!(
            "removed player {id:?}: {} score(s){}",
            removed.scores,
            if removed.profile {
                " and the profile"
            } else {
                ", no profile"
            }
        ),
        (Removal::Player(id), false) => format!("player {id:?} is not stored: nothing changed"),
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{report}")
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write the report: {e}"))
}
