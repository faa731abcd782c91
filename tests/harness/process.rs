//! The `steady` binary run as its own process, as an operator runs it.

use super::{database_url, PATIENCE};
use crate::standin::StandIn;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The `steady` binary run as its own process in `dir`, its log in a file
/// the test reads while it runs.
pub struct Process {
    child: Child,
    log: PathBuf,
}

/// What sets one of several processes apart.
pub struct Instance<'a> {
    /// Names its settings and log files.
    pub name: &'a str,
    pub database: &'a str,
    pub log_filter: &'a str,
    /// libfaketime's `FAKETIME` for its wall clock (see [`faketime`]), to
    /// play a machine whose clock is wrong; None for the true one.
    pub clock: Option<&'a str>,
}

/// Whether libfaketime is here to play a machine whose clock is wrong. If
/// not, the test skips (saying so), unless `STEADY_TEST_FAKETIME=required`
/// (CI), when it fails.
pub fn can_fake_clocks() -> bool {
    if faketime().is_some() {
        return true;
    }
    let required = std::env::var("STEADY_TEST_FAKETIME").is_ok_and(|value| value == "required");
    assert!(
        !required,
        "libfaketime is required (apt-get install faketime)"
    );
    eprintln!("skipped: a wrong clock is played by libfaketime (apt-get install faketime)");
    false
}

/// libfaketime's library (Debian's `faketime` package), if installed.
fn faketime() -> Option<PathBuf> {
    let found = std::fs::read_dir("/usr/lib").ok()?.find_map(|entry| {
        let library = entry.ok()?.path().join("faketime/libfaketimeMT.so.1");
        library.exists().then_some(library)
    });
    found.or_else(|| {
        let library = PathBuf::from("/usr/lib/faketime/libfaketimeMT.so.1");
        library.exists().then_some(library)
    })
}

impl Process {
    /// `steady run` with `token`, its API at `api_url`, logging at info.
    pub fn spawn(dir: &Path, api_url: &str, token: &str, extra_toml: &str) -> Process {
        let database = database_url(dir);
        let instance = Instance {
            name: "process",
            database: &database,
            log_filter: "info",
            clock: None,
        };
        Process::spawn_as(dir, instance, api_url, token, extra_toml)
    }

    /// Like [`Process::spawn`], its settings and log named for `instance.name`,
    /// so several processes can share `dir`.
    pub fn spawn_as(
        dir: &Path,
        instance: Instance,
        api_url: &str,
        token: &str,
        extra_toml: &str,
    ) -> Process {
        let Instance {
            name,
            database,
            log_filter,
            clock,
        } = instance;
        let settings = dir.join(format!("{name}.toml"));
        // On PostgreSQL, the master key every store on the server shares.
        let privacy = match database.starts_with("postgres") {
            true => super::postgres::server()
                .expect("a PostgreSQL URL from this binary's server")
                .privacy_toml(),
            false => String::new(),
        };
        std::fs::write(
            &settings,
            format!(
                "[database]\nurl = \"{database}\"\n\
                 [log]\nfilter = \"{log_filter}\"\nformat = \"json\"\n{extra_toml}{privacy}"
            ),
        )
        .unwrap();
        let log = dir.join(format!("{name}.log"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_steady"));
        if let Some(clock) = clock {
            let library = faketime().expect("libfaketime, for a process's clock");
            // The wall clock alone: tokio's timers keep the true pace.
            command
                .env("LD_PRELOAD", library)
                .env("FAKETIME", clock)
                .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        let child = command
            .arg("--config")
            .arg(&settings)
            .env("DISCORD_TOKEN", token)
            .env("STEADY_DISCORD_API_URL", api_url)
            .env_remove("DATABASE_URL")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start steady");
        Process { child, log }
    }

    /// Started against `standin`, once it has identified on the gateway.
    pub async fn connected(standin: &StandIn, dir: &Path, extra_toml: &str) -> Process {
        let identified = standin.identify_count();
        let process = Process::spawn(dir, &standin.api_url(), StandIn::TOKEN, extra_toml);
        let started = Instant::now();
        while standin.identify_count() == identified {
            assert!(started.elapsed() < PATIENCE * 2, "steady never connected");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        process
    }

    /// SIGKILL: nothing gets to run on the way out.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Everything it wrote: JSON log lines, then its last words to stderr.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The lines steady itself logged (not its libraries), parsed.
    pub fn events(&self) -> Vec<serde_json::Value> {
        (self.log().lines())
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|line| {
                line["target"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("steady"))
            })
            .collect()
    }

    /// The messages steady itself logged.
    pub fn messages(&self) -> Vec<String> {
        (self.events().iter())
            .filter_map(|line| line["fields"]["message"].as_str().map(str::to_owned))
            .collect()
    }

    /// Whether steady logged that it stopped, its last line after a clean stop.
    pub fn stopped(&self) -> bool {
        self.messages().iter().any(|m| m == "stopped")
    }

    pub fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Wait, without blocking the stand-in on this thread, for the exit.
    pub async fn exit(&mut self, bound: Duration) -> (ExitStatus, Duration) {
        let waiting = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, waiting.elapsed());
            }
            assert!(
                waiting.elapsed() < bound,
                "steady did not exit within {bound:?}:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
