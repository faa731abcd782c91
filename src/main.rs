//! The `steady` command line: run the bot, check a setup, migrate the
//! database, back it up, manage its keys, or register the slash commands.

use clap::{Parser, Subcommand};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use steady::config::Config;
use steady::preview::Ending;
use steady::prompts::Locale;
use steady::store::{Fit, KeyStore, KeysStatus, MasterFrom, Status, Store};
use steady::{CancellationToken, DiscordError, RunError};

/// What shells expect from a program stopped by Ctrl-C: 128 + SIGINT.
const INTERRUPTED: u8 = 130;

/// A command's report, line by line on stdout. `println!` would panic once
/// nobody reads any more (`steady check | head -2`); here that is a normal
/// end: the rest goes unsaid, and steady exits 0. Any other failure to
/// write is kept for `main` to report.
#[derive(Default)]
struct Report {
    failed: Option<std::io::Error>,
}

impl Report {
    fn say(&mut self, line: std::fmt::Arguments<'_>) {
        if self.failed.is_some() {
            return;
        }
        match writeln!(std::io::stdout().lock(), "{line}") {
            Err(error) if error.kind() != ErrorKind::BrokenPipe => self.failed = Some(error),
            _ => {}
        }
    }
}

/// One line of `report`, formatted as by `println!`.
macro_rules! say {
    ($report:expr, $($line:tt)*) => {
        $report.say(format_args!($($line)*))
    };
}

#[derive(Parser)]
#[command(
    name = "steady",
    version,
    about = "A gentle Discord bot for anxious moments"
)]
struct Cli {
    /// Settings file (default: ./steady.toml if present, else built-in defaults)
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Connect to Discord and serve (the default)
    Run,
    /// Validate the settings, prompts and database URL; needs no token
    Check,
    /// Create the database if needed and apply migrations
    Migrate,
    /// Copy the database, consistently, to a new file while steady runs
    Backup {
        /// Where to write the copy; it must not exist yet
        path: PathBuf,
        /// Copy the key store instead, to keep apart from the data's backups
        #[arg(long)]
        keys: bool,
    },
    /// Make a master key, or rewrap every person key under a new one
    Keys {
        #[command(subcommand)]
        action: Keys,
    },
    /// Run an exercise in this terminal, exactly as Discord would show it
    Preview {
        #[command(subcommand)]
        exercise: Exercise,
    },
    /// Register the slash commands globally, or in one guild for development
    Register {
        /// A guild (server) id: its commands update at once, unlike global ones
        #[arg(long, value_name = "ID")]
        guild: Option<u64>,
    },
}

#[derive(Subcommand)]
enum Keys {
    /// Print a new random master key (base64), for STEADY_MASTER_KEY or a key file
    Generate,
    /// Rewrap every person key under the first master key given; the others
    /// may be removed once it is done. Safe to interrupt and run again
    Rotate {
        /// How many person keys to rewrap in each transaction
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(i64).range(1..))]
        batch: i64,
    },
}

#[derive(Subcommand)]
enum Exercise {
    /// Paced breathing (Ctrl-C stops it)
    Breathe {
        /// A built-in rhythm, by its number or a part of its name that fits only
        /// it (default: the first)
        #[arg(long)]
        pattern: Option<String>,
        /// How many rounds (1 to 20)
        #[arg(long)]
        cycles: Option<u32>,
        /// Your own rhythm in seconds, in-hold-out[-hold], like 4-7-8
        #[arg(long, conflicts_with = "pattern")]
        custom: Option<String>,
        /// The language, by Discord's locale code: de, es-ES, fr, pt-BR
        /// (default: English)
        #[arg(long)]
        locale: Option<String>,
    },
    /// The journal's questions, each with when it is the day's
    Journal {
        /// The language, by Discord's locale code: de, es-ES, fr, pt-BR
        /// (default: English)
        #[arg(long)]
        locale: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), |name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("steady: {error}");
            return ExitCode::from(2);
        }
    };
    steady::telemetry::init(&config.log);
    let command = cli.command.unwrap_or(Command::Run);
    // `check` prints them with its other findings instead.
    if !matches!(command, Command::Check) {
        for warning in config.warnings() {
            tracing::warn!("{warning}");
        }
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("steady: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut report = Report::default();
    let outcome = runtime.block_on(async {
        let done = match command {
            Command::Run => run(config).await,
            Command::Check => check(&config, &mut report).await,
            Command::Migrate => migrate(&config, &mut report).await,
            Command::Backup { path, keys: false } => backup(&config, &path, &mut report).await,
            Command::Backup { path, keys: true } => backup_keys(&config, &path, &mut report).await,
            Command::Keys {
                action: Keys::Generate,
            } => {
                say!(report, "{}", *steady::privacy::MasterKey::new().to_base64());
                Ok(())
            }
            Command::Keys {
                action: Keys::Rotate { batch },
            } => rotate(&config, batch, &mut report).await,
            Command::Register { guild } => register(&config, guild, &mut report).await,
            Command::Preview { exercise } => return preview(&config, exercise).await,
        };
        done.map(|()| Ending::Finished)
    });
    // Everything steady started has finished; what is left is libraries'
    // (a name lookup still waiting on its thread), not worth waiting for.
    runtime.shutdown_background();
    if let (Ok(_), Some(error)) = (&outcome, &report.failed) {
        eprintln!("steady: cannot write to stdout: {error}");
        return ExitCode::FAILURE;
    }
    match outcome {
        Ok(Ending::Finished) => ExitCode::SUCCESS,
        Ok(Ending::Interrupted) => ExitCode::from(INTERRUPTED),
        // Restarting cannot help either: the settings or the token must change.
        Err(error @ (RunError::Config(_) | RunError::Discord(DiscordError::TokenRejected))) => {
            eprintln!("steady: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("steady: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), RunError> {
    let shutdown = CancellationToken::new();
    tokio::spawn(stop_on_signal(shutdown.clone()));
    steady::run(config, shutdown).await
}

/// SIGINT (Ctrl-C) or SIGTERM asks for a clean stop; a second one, while
/// steady is still stopping, ends it at once.
async fn stop_on_signal(shutdown: CancellationToken) {
    let mut signals = Signals::new();
    let first = signals.next().await;
    tracing::info!("{}; stopping (send it again to stop at once)", first.said());
    shutdown.cancel();
    let second = signals.next().await;
    tracing::warn!("{} again; stopping at once", second.said());
    std::process::exit(second.exit_code());
}

#[derive(Clone, Copy)]
enum Signal {
    Interrupt,
    Terminate,
}

impl Signal {
    fn said(self) -> &'static str {
        match self {
            Signal::Interrupt => "interrupted",
            Signal::Terminate => "terminated",
        }
    }

    /// The shell's convention: 128 + the signal's number.
    fn exit_code(self) -> i32 {
        match self {
            Signal::Interrupt => i32::from(INTERRUPTED),
            Signal::Terminate => 143,
        }
    }
}

struct Signals {
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        let terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => Some(signal),
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM");
                    None
                }
            };
        Signals {
            #[cfg(unix)]
            terminate,
        }
    }

    async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        let terminate = async {
            match &mut self.terminate {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => Signal::Interrupt,
            () = terminate => Signal::Terminate,
        }
    }
}

async fn check(config: &Config, report: &mut Report) -> Result<(), RunError> {
    say!(report, "config: ok");
    for warning in config.warnings() {
        say!(report, "warning: {warning}");
    }
    let prompts = steady::load_prompts(config)?;
    say!(
        report,
        "prompts: ok ({} texts in {} languages: {})",
        prompts.text_count(),
        Locale::ALL.len(),
        Locale::ALL.map(Locale::code).join(", ")
    );
    let database = steady::store::shown(&config.database.url);
    match Store::status(&config.database.url).await? {
        Status::Missing => {
            say!(
                report,
                "database: {database} (not created yet; `steady run` creates it)"
            )
        }
        Status::Present {
            applied,
            pending,
            fit,
        } => {
            say!(
                report,
                "database: {database} (migrations applied: {applied}, pending: {pending})"
            );
            if let Fit::Newer { database, newest } = fit {
                say!(
                    report,
                    "warning: the database is at migration {database}, newer than this \
                     build's {newest}: a newer steady migrated it, with additive changes \
                     only, so this build can use it. Upgrade this process soon"
                );
            }
        }
    }
    let keys = Store::check_keys(&config.database.url, &config.privacy).await?;
    say_keys(&keys, report);
    match config.discord.shards() {
        Some(shards) => say!(
            report,
            "shards: {}-{} of {}, with {}/s of the bot's requests",
            shards.first,
            shards.last,
            shards.count,
            config.discord.budget().per_second
        ),
        None => say!(
            report,
            "shards: this process runs every shard Discord recommends"
        ),
    }
    match config.token() {
        Ok(_) => say!(report, "token: set"),
        Err(_) => say!(
            report,
            "token: not set (needed by `steady run` and `steady register`)"
        ),
    }
    Ok(())
}

/// Where the keys are and how many, never a key.
fn say_keys(keys: &KeysStatus, report: &mut Report) {
    match &keys.master {
        MasterFrom::Given { from, keys: 1 } => say!(report, "master key: from {from}"),
        MasterFrom::Given { from, keys } => say!(
            report,
            "master keys: {keys} from {from}, the first wrapping new person keys"
        ),
        MasterFrom::FirstStart(path) => say!(
            report,
            "master key: none yet; the first start makes {} (back it up apart from the data)",
            path.display()
        ),
        MasterFrom::Memory => say!(
            report,
            "master key: made in memory for a database in memory, gone with it"
        ),
    }
    let count = keys.person_keys;
    match &keys.store {
        KeyStore::File { path, exists: true } => say!(
            report,
            "key store: {} ({count} person keys)",
            path.display()
        ),
        KeyStore::File {
            path,
            exists: false,
        } => say!(
            report,
            "key store: {} (not created yet; the first start makes it)",
            path.display()
        ),
        KeyStore::Schema { exists: true } => say!(
            report,
            "key store: schema steady_keys in the database ({count} person keys)"
        ),
        KeyStore::Schema { exists: false } => say!(
            report,
            "key store: schema steady_keys in the database (not created yet; `steady migrate` \
             or the first start makes it)"
        ),
        KeyStore::Memory => say!(report, "key store: in memory"),
    }
    if keys.wrapped_by_older > 0 {
        say!(
            report,
            "warning: {} person keys are still wrapped by an older master key; \
             `steady keys rotate` rewraps them under the first",
            keys.wrapped_by_older
        );
    }
}

/// `steady keys rotate`: looks first, so a store with nothing to rotate
/// is left as it is (and a database not made yet is not made).
async fn rotate(config: &Config, batch: i64, report: &mut Report) -> Result<(), RunError> {
    let url = &config.database.url;
    let keys = Store::check_keys(url, &config.privacy).await?;
    let MasterFrom::Given { from, keys: given } = &keys.master else {
        say!(report, "nothing to rotate: there is no master key yet");
        return Ok(());
    };
    if keys.wrapped_by_older == 0 {
        say!(
            report,
            "nothing to rotate: all {} person keys are wrapped by the first master key from {from}",
            keys.person_keys
        );
        if *given > 1 {
            say!(
                report,
                "the other master keys there wrap nothing: remove them, then restart steady"
            );
        } else {
            say!(
                report,
                "to rotate: make a key (`steady keys generate`), put it first and the old one \
                 after it, restart steady, then run this again (docs/OPERATING.md, \"Keys\")"
            );
        }
        return Ok(());
    }
    say!(
        report,
        "rotating: {} person keys to rewrap under the first master key from {from}",
        keys.wrapped_by_older
    );
    let store = Store::open_with(url, &config.privacy).await?;
    let rotated = store
        .rotate_keys_showing(batch, |so_far| {
            say!(report, "rewrapped {} person keys", so_far.rewrapped);
        })
        .await;
    store.close().await;
    let rotated = rotated?;
    say!(
        report,
        "done: {} person keys rewrapped under the first master key. The old master key wraps \
         nothing now and may be removed: take it out of every process's settings, then \
         restart them",
        rotated.rewrapped
    );
    Ok(())
}

async fn migrate(config: &Config, report: &mut Report) -> Result<(), RunError> {
    Store::open_with(&config.database.url, &config.privacy)
        .await?
        .close()
        .await;
    let database = steady::store::shown(&config.database.url);
    say!(report, "database: {database} is up to date");
    Ok(())
}

async fn backup(config: &Config, path: &Path, report: &mut Report) -> Result<(), RunError> {
    let written = steady::store::backup(&config.database.url, path).await?;
    say!(
        report,
        "backup: wrote {} ({} bytes), a consistent copy of {}",
        written.path.display(),
        written.bytes,
        written.source.display()
    );
    say!(
        report,
        "it holds no keys: back up the key store with `steady backup --keys`, and the \
         master key, each apart"
    );
    Ok(())
}

async fn backup_keys(config: &Config, path: &Path, report: &mut Report) -> Result<(), RunError> {
    let written = steady::store::backup_keys(&config.database.url, &config.privacy, path).await?;
    say!(
        report,
        "backup: wrote {} ({} bytes), a consistent copy of the key store {}",
        written.path.display(),
        written.bytes,
        written.source.display()
    );
    say!(
        report,
        "it is no use without the master key: keep that apart from it and from the data's \
         backups"
    );
    Ok(())
}

async fn preview(config: &Config, exercise: Exercise) -> Result<Ending, RunError> {
    let prompts = steady::load_prompts(config)?;
    match exercise {
        Exercise::Breathe {
            pattern,
            cycles,
            custom,
            locale,
        } => steady::preview::breathe(
            prompts.get(preview_locale(locale)?),
            config.breathe.lead_in(),
            config.breathe.max_length(),
            pattern.as_deref(),
            cycles,
            custom.as_deref(),
        )
        .await
        .map_err(RunError::Refused),
        Exercise::Journal { locale } => {
            print!(
                "{}",
                steady::preview::journal(prompts.get(preview_locale(locale)?))
            );
            Ok(Ending::Finished)
        }
    }
}

/// The language a preview is asked for in, English by default.
fn preview_locale(locale: Option<String>) -> Result<Locale, RunError> {
    match locale.as_deref().map(Locale::parse) {
        None => Ok(Locale::English),
        Some(Some(locale)) => Ok(locale),
        Some(None) => Err(RunError::Refused(format!(
            "steady has no words in the locale {:?}; it speaks {}",
            locale.unwrap_or_default(),
            Locale::known_codes()
        ))),
    }
}

async fn register(
    config: &Config,
    guild: Option<u64>,
    report: &mut Report,
) -> Result<(), RunError> {
    let count = steady::register(config, guild).await?;
    match guild {
        Some(guild) => say!(report, "registered {count} commands in guild {guild}"),
        None => say!(
            report,
            "registered {count} commands globally (they may take a while to appear)"
        ),
    }
    Ok(())
}
