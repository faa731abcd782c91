//! A throw-away PostgreSQL server from Debian's `postgresql` package, one
//! per test binary, that dies with the test process, and the one master
//! key every store and steady process on it shares.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use steady::store::{Store, StoreError};

/// How long a fresh cluster may take to accept connections.
const STARTUP: Duration = Duration::from_secs(30);

pub struct Server {
    bin: PathBuf,
    port: u16,
    dir: tempfile::TempDir,
    /// Its stdin is never written: that pipe closing, when the test process
    /// ends however it ends, tells it to stop the server and remove `dir`.
    _watchdog: Child,
}

/// This test binary's server, started on the first call. None, having said
/// so once, when PostgreSQL is not installed, unless `STEADY_TEST_POSTGRES`
/// is `required`; a server that is installed but fails to start panics.
pub fn server() -> Option<&'static Server> {
    static SERVER: OnceLock<Result<Option<Server>, String>> = OnceLock::new();
    // Kept as a result so every test fails with the one start's reason,
    // rather than each trying again.
    match SERVER.get_or_init(start) {
        Ok(server) => server.as_ref(),
        Err(why) => panic!("{why}"),
    }
}

/// What to do without PostgreSQL, given `STEADY_TEST_POSTGRES`: skip (Ok),
/// or fail with this explanation.
pub fn when_missing(required: Option<&str>) -> Result<(), String> {
    match required {
        Some("required") => Err("PostgreSQL tests need initdb, and none was found, \
             while STEADY_TEST_POSTGRES=required. Install Debian's postgresql package."
            .to_owned()),
        _ => Ok(()),
    }
}

fn start() -> Result<Option<Server>, String> {
    // scripts/test-at: under libfaketime, a server would run on a faked
    // clock too; the queries take every instant as a parameter, so the
    // SQLite half of each test covers what the faked clock is for.
    if std::env::var("STEADY_TEST_POSTGRES").as_deref() == Ok("skip") {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: PostgreSQL tests (STEADY_TEST_POSTGRES=skip)"
        );
        return Ok(None);
    }
    let Some(bin) = binaries() else {
        when_missing(std::env::var("STEADY_TEST_POSTGRES").ok().as_deref())?;
        // Straight to stderr: the test harness captures eprintln!.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: PostgreSQL tests (no initdb found). Install Debian's postgresql \
             package to run them; STEADY_TEST_POSTGRES=required makes this a failure."
        );
        return Ok(None);
    };
    let dir = tempfile::Builder::new()
        .prefix("steady-pg-")
        .tempdir()
        .unwrap();
    make_master_key(&dir.path().join(MASTER_KEY));
    let owner = owner(dir.path());
    let initdb = as_owner(owner, dir.path(), bin.join("initdb"))
        .arg("-D")
        .arg(dir.path().join("data"))
        .args(["-U", "steady", "--auth=trust", "-E", "UTF8", "--no-locale"])
        // Nothing here outlives the test process.
        .arg("--no-sync")
        .output()
        .unwrap();
    if !initdb.status.success() {
        return Err(format!(
            "initdb failed:\n{}{}",
            String::from_utf8_lossy(&initdb.stdout),
            String::from_utf8_lossy(&initdb.stderr)
        ));
    }

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap()
        .port();
    // The shell starts postgres, then waits on a pipe only this process
    // writes to: statics are never dropped and tests may panic or be
    // killed, but the kernel closes the pipe whenever this process ends.
    // SIGINT is postgres's fast shutdown.
    let script = r#"
        "$1" -D "$2/data" -p "$3" -k "$2" -c listen_addresses=127.0.0.1 \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c max_connections=300 >"$2/log" 2>&1 &
        read _
        kill -INT $! 2>/dev/null && wait $!
        rm -rf "$2"
    "#;
    let watchdog = as_owner(owner, dir.path(), "sh".into())
        .args(["-c", script, "steady-postgres-watchdog"])
        .arg(bin.join("postgres"))
        .arg(dir.path())
        .arg(port.to_string())
        .stdin(Stdio::piped())
        // Its own process group, so ^C reaches only the tests, whose exit
        // then stops the server as always.
        .process_group(0)
        .spawn()
        .unwrap();
    let server = Server {
        bin,
        port,
        _watchdog: watchdog,
        dir,
    };

    let started = Instant::now();
    while !server.ready() {
        if started.elapsed() > STARTUP {
            let log = std::fs::read_to_string(server.dir.path().join("log")).unwrap_or_default();
            return Err(format!(
                "PostgreSQL did not accept connections within {STARTUP:?}; its log:\n{log}"
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(Some(server))
}

/// The master key file's name in the server's folder.
const MASTER_KEY: &str = "master.key";

/// A new master key at `path`, its owner's alone, as steady requires: on
/// PostgreSQL steady makes none itself.
fn make_master_key(path: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    let key = steady::privacy::MasterKey::new();
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut file| file.write_all(key.to_base64().as_bytes()))
        .unwrap();
}

/// `Store::open` as tests use it: a store on this binary's server opens
/// with the server's master key; a SQLite store finds, or makes, its own
/// beside its file.
pub async fn open(url: &str) -> Result<Store, StoreError> {
    match url.starts_with("postgres") {
        true => {
            let server = server().expect("a PostgreSQL URL from this binary's server");
            Store::open_with(url, &server.privacy()).await
        }
        false => Store::open(url).await,
    }
}

/// One of the newest installed server's programs (`pg_dump`, `psql`).
pub fn program(name: &str) -> PathBuf {
    binaries()
        .map(|bin| bin.join(name))
        .filter(|program| program.is_file())
        .unwrap_or_else(|| panic!("{name} is installed beside initdb"))
}

/// The newest installed server's binaries: Debian keeps each major version
/// apart, off PATH.
fn binaries() -> Option<PathBuf> {
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .max()
        .map(|(_, bin)| bin);
    newest.or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH")?).find(|dir| dir.join("initdb").is_file())
    })
}

/// The uid and gid to run the server as, when this process runs as root
/// (initdb refuses to), having given `dir` to them; None otherwise.
fn owner(dir: &Path) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    // The folder is ours, just made: its owner is who we run as.
    if std::fs::metadata(dir).unwrap().uid() != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let ids = |user: &str| {
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.first() != Some(&user) {
                return None;
            }
            Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?))
        })
    };
    let (uid, gid) = ids("postgres")
        .or_else(|| ids("nobody"))
        .expect("a postgres or nobody user to run PostgreSQL as");
    std::os::unix::fs::chown(dir, Some(uid), Some(gid)).unwrap();
    Some((uid, gid))
}

/// `program`, run in `dir` as `owner` if given.
fn as_owner(owner: Option<(u32, u32)>, dir: &Path, program: PathBuf) -> Command {
    let mut command = match owner {
        Some((uid, gid)) => {
            let mut setpriv = Command::new("setpriv");
            setpriv
                .arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .arg("--clear-groups")
                .arg(program);
            setpriv
        }
        None => Command::new(program),
    };
    // Not the test's folder, which the server's user may not enter.
    command.current_dir(dir);
    command
}

impl Server {
    /// A fresh, empty database of its own, as a URL.
    pub fn database(&self) -> String {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "t_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        let made = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "steady",
            ])
            .arg(&name)
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "createdb {name}: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        self.url(&name)
    }

    /// The URL of `database` on this server.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://steady@127.0.0.1:{}/{database}", self.port)
    }

    /// The master key file (mode 0600) every store and steady process on
    /// this server is given.
    pub fn master_key_file(&self) -> PathBuf {
        self.dir.path().join(MASTER_KEY)
    }

    /// The privacy settings a store on this server opens with.
    pub fn privacy(&self) -> steady::privacy::Settings {
        steady::privacy::Settings {
            master_key_file: Some(self.master_key_file()),
            ..Default::default()
        }
    }

    /// The master key itself, for a steady process given it by
    /// `STEADY_MASTER_KEY` rather than by a settings file.
    pub fn master_key(&self) -> String {
        std::fs::read_to_string(self.master_key_file()).unwrap()
    }

    /// What a steady process on this server adds to its settings file.
    pub fn privacy_toml(&self) -> String {
        format!(
            "\n[privacy]\nmaster_key_file = \"{}\"\n",
            self.master_key_file().display()
        )
    }

    /// Where the server keeps its data, socket and log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// What `sql` prints, unaligned and without headers, run by psql on
    /// the database at `url`; panics if it fails.
    pub fn psql(&self, url: &str, sql: &str) -> String {
        let ran = Command::new(self.bin.join("psql"))
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
            .output()
            .unwrap();
        assert!(
            ran.status.success(),
            "psql {url} -c {sql:?}: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
        String::from_utf8(ran.stdout).unwrap()
    }

    /// Accepting connections, asked over its socket in our own folder, so
    /// no other server that took the port can answer for it.
    fn ready(&self) -> bool {
        Command::new(self.bin.join("pg_isready"))
            .arg("-h")
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", "steady", "-q"])
            .status()
            .unwrap()
            .success()
    }
}
