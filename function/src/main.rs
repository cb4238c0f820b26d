//! `leaderboard-function`: serves the leaderboard API (the default), generates sample
//! data, imports data into Redis, writes the index snapshot, or prints the OpenAPI document.
//! See `leaderboard-function --help`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use leaderboard_function::cli::{Cli, Command, GenerateArgs, SnapshotArgs};
use leaderboard_function::data::LoadOptions;
use leaderboard_function::startup::{self, StartError};
use leaderboard_function::{data, server};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::Generate(args)) => generate(&args),
        Some(Command::Import(args)) => leaderboard_function::store::redis::import::run(&args),
        Some(Command::Openapi) => print_openapi(),
        Some(Command::Snapshot(args)) => snapshot(&args),
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
