//! The throw-away PostgreSQL server the harness gives tests: a fresh
//! database each time, skipped or failing by the rule when PostgreSQL is
//! missing, and gone with the test process however that ends.

mod harness;
mod standin;

use harness::postgres::{server, when_missing};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn each_database_is_its_own_and_answers() {
    let Some(server) = server() else { return };
    // At once, as tests running in parallel ask.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| server.database());
        let b = s.spawn(|| server.database());
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_ne!(a, b);
    for url in [&a, &b] {
        assert_eq!(server.psql(url, "select 1"), "1\n");
        let name = url.rsplit('/').next().unwrap();
        assert_eq!(
            server.psql(url, "select current_database()"),
            format!("{name}\n")
        );
    }
    server.psql(&a, "create table only_in_a (x int)");
    let tables = "select count(*) from pg_tables where tablename = 'only_in_a'";
    assert_eq!(server.psql(&b, tables), "0\n");
}

#[test]
fn only_required_makes_missing_postgres_a_failure() {
    assert_eq!(when_missing(None), Ok(()));
    assert_eq!(when_missing(Some("")), Ok(()));
    let why = when_missing(Some("required")).unwrap_err();
    assert!(
        why.contains("STEADY_TEST_POSTGRES=required") && why.contains("postgresql package"),
        "{why}"
    );
}

/// Set in the copy of this binary that the next test starts and kills.
const CHILD: &str = "STEADY_TEST_POSTGRES_CHILD";

#[test]
fn the_server_goes_when_its_test_process_is_killed() {
    if std::env::var_os(CHILD).is_some() {
        println!("dir={}", server().unwrap().dir().display());
        // Until killed, or until the test that started us is gone.
        std::io::stdin().read_line(&mut String::new()).unwrap();
        return;
    }
    if server().is_none() {
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "the_server_goes_when_its_test_process_is_killed",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let dir = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .find_map(|line| line.unwrap().strip_prefix("dir=").map(PathBuf::from))
        .expect("the child's server");
    assert!(!processes_in(&dir).is_empty(), "no server in {dir:?}");
    // SIGKILL: no destructor, no panic hook, nothing runs on the way out.
    child.kill().unwrap();
    child.wait().unwrap();
    let killed = Instant::now();
    while dir.exists() || !processes_in(&dir).is_empty() {
        assert!(
            killed.elapsed() < Duration::from_secs(10),
            "left behind: {dir:?} {:?}",
            processes_in(&dir)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The command lines that mention `dir`: the watchdog and postgres.
fn processes_in(dir: &Path) -> Vec<String> {
    let dir = dir.to_str().unwrap();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| std::fs::read(entry.ok()?.path().join("cmdline")).ok())
        .map(|line| String::from_utf8_lossy(&line).replace('\0', " "))
        .filter(|line| line.contains(dir))
        .collect()
}
