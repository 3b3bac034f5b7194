//! `near`: NEAR-pre-screened hyperparameter sweeps for burn, from one TOML file.

use anyhow::{Context, anyhow};
use clap::{Parser, Subcommand};
use example_trainers::config::SweepConfig;
use example_trainers::report::write_report;
use example_trainers::sweep::{self, SweepOptions};
use near_core::PruningPolicy;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "near",
    version,
    about = "Score, prune and train burn hyperparameter sweeps with NEAR"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct RunArgs {
    /// The sweep config (TOML).
    config: PathBuf,
    /// Run directory (default: output.run_dir of the config).
    #[arg(long)]
    run_dir: Option<PathBuf>,
    /// Folder that relative data paths are resolved against (default: the config's folder).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Pruning policy: keep_all, top_k:K, top_fraction:F, above_score:S, within_fraction_of_best:F.
    #[arg(long, value_parser = parse_policy)]
    policy: Option<PruningPolicy>,
}

#[derive(Subcommand)]
enum Command {
    /// Screen, prune, train the survivors and report.
    Sweep {
        #[command(flatten)]
        args: RunArgs,
        /// Train every candidate (to validate NEAR itself); hit and regret are then reported.
        #[arg(long)]
        train_all: bool,
        /// Continue a sweep in a run directory that already holds results.
        #[arg(long)]
        resume: bool,
    },
    /// Screening only: score every candidate and write candidates.csv.
    Score {
        #[command(flatten)]
        args: RunArgs,
        /// Overwrite an existing candidates.csv.
        #[arg(long)]
        force: bool,
    },
    /// Estimate MLP layer widths from NEAR (the config's [widths] section).
    Widths {
        #[command(flatten)]
        args: RunArgs,
    },
    /// Rebuild report.md and the plot of a run directory from its CSV files.
    Report {
        /// The run directory.
        run_dir: PathBuf,
    },
}

fn parse_policy(text: &str) -> Result<PruningPolicy, String> {
    let (name, value) = text.split_once(':').unwrap_or((text, ""));
    let number =
        || value.parse::<f64>().map_err(|_| format!("`{text}`: expected a number after `{name}:`"));
    let policy = match name {
        "keep_all" => PruningPolicy::KeepAll,
        "top_k" => PruningPolicy::TopK {
            k: value.parse().map_err(|_| format!("`{text}`: expected top_k:K with K >= 1"))?,
        },
        "top_fraction" => PruningPolicy::TopFraction { fraction: number()? },
        "above_score" => PruningPolicy::AboveScore { threshold: number()? },
        "within_fraction_of_best" => PruningPolicy::WithinFractionOfBest { fraction: number()? },
        _ => {
            return Err(format!(
                "unknown policy `{name}`; known: keep_all, top_k:K, top_fraction:F, above_score:S, within_fraction_of_best:F"
            ));
        }
    };
    policy.validate().map_err(|e| e.to_string())?;
    Ok(policy)
}

fn load(args: &RunArgs) -> anyhow::Result<SweepConfig> {
    Ok(SweepConfig::load(&args.config, args.data_dir.as_deref())?)
}

fn print_outcome(outcome: &sweep::SweepOutcome, trained: bool) -> anyhow::Result<()> {
    println!("{:>4}  {:<44} {:>10} {:>8}  kept", "rank", "candidate", "NEAR", "std");
    for s in outcome.screened.iter().take(12) {
        println!(
            "{:>4}  {:<44} {:>10.2} {:>8.2}  {}",
            s.rank,
            s.candidate.id(),
            s.near.mean,
            s.near.std,
            if s.kept { "yes" } else { "" }
        );
    }
    if outcome.screened.len() > 12 {
        println!("      ... {} more in candidates.csv", outcome.screened.len() - 12);
    }
    println!("\nscreening: {:.1} s", outcome.screening_seconds);
    if trained {
        let report = std::fs::read_to_string(outcome.run_dir.join("report.md"))
            .context("reading report.md")?;
        let table: String = report
            .lines()
            .skip_while(|l| !l.starts_with("| figure"))
            .take_while(|l| !l.starts_with("## "))
            .map(|l| format!("{l}\n"))
            .collect();
        println!("\n{}", table.trim_end());
    }
    println!("\nrun directory: {}", outcome.run_dir.display());
    Ok(())
}

/// The pruning policy and metric name of the sweep recorded in `run_dir/config.toml`.
fn recorded_report_settings(run_dir: &Path) -> anyhow::Result<(PruningPolicy, &'static str)> {
    let config = SweepConfig::load(&run_dir.join("config.toml"), None).map_err(|e| anyhow!(e))?;
    Ok((config.pruning, config.data.source.metric_name()))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let show_progress = std::io::stderr().is_terminal();
    match cli.command {
        Command::Sweep { args, train_all, resume } => {
            let config = load(&args)?;
            let options = SweepOptions {
                run_dir: args.run_dir.clone(),
                policy: args.policy,
                train_all,
                resume,
                show_progress,
            };
            let outcome = sweep::run(&args.config, &config, &options, true)?;
            print_outcome(&outcome, true)
        }
        Command::Score { args, force } => {
            let config = load(&args)?;
            let options = SweepOptions {
                run_dir: args.run_dir.clone(),
                policy: args.policy,
                train_all: false,
                resume: force,
                show_progress,
            };
            let outcome = sweep::run(&args.config, &config, &options, false)?;
            print_outcome(&outcome, false)
        }
        Command::Widths { args } => {
            let config = load(&args)?;
            let run_dir = args.run_dir.clone().unwrap_or_else(|| config.output.run_dir.clone());
            let networks = example_trainers::widths::run(&config, &run_dir)?;
            for (net, e) in networks.iter().flat_map(|n| n.layers.iter().map(move |e| (n, e))) {
                let f = &e.estimate.fit;
                println!(
                    "{} hidden layer {}: N* = {:.1} (a = {:.4}, b = {:.4}, c = {:.4}, rmse {:.2e})",
                    net.network,
                    e.layer + 1,
                    e.estimate.width,
                    f.a,
                    f.b,
                    f.c,
                    f.rmse
                );
            }
            println!("run directory: {}", run_dir.display());
            Ok(())
        }
        Command::Report { run_dir } => {
            let (policy, metric) = recorded_report_settings(&run_dir)?;
            let summary = write_report(&run_dir, policy, metric)?;
            println!("{}\nwrote {}", summary.to_markdown(), run_dir.join("report.md").display());
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
