//! What an operator watches: counters, gauges and histograms in Prometheus'
//! format, and whether steady is ready. Knows nothing of Discord: the
//! Discord side, the scheduler and the exercises report through typed
//! handles, so no label can hold more than the fixed words defined here (or
//! a command's own name) — never a user id, text, time zone or mood.

mod outcome;
mod server;
#[cfg(test)]
mod tests;

pub use outcome::{DeliveryOutcome, EditStatus, Outcome, SendOutcome};
pub use server::{Endpoint, ListenError};

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder,
};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Discord waits 3 s for an interaction's first answer.
const ANSWER_BUCKETS: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0];
/// A frame a quarter second late is noticed; one a second late spoils a count.
const LATENESS_BUCKETS: [f64; 9] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
/// From seconds (a normal send) to the two hours of `checkin.grace_minutes`.
const DELAY_BUCKETS: [f64; 11] = [
    0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 7200.0,
];
/// A turn in the budget takes 1/48 s; a fan-out of thousands waits a minute.
const WAIT_BUCKETS: [f64; 11] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

/// The exposition's content type: Prometheus' classic text format.
pub const CONTENT_TYPE: &str = prometheus::TEXT_FORMAT;

/// Every metric steady exposes, and the readiness `/readyz` reports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    interactions: IntCounterVec,
    first_answer: HistogramVec,
    paced_sessions: IntGauge,
    frame_lateness: Histogram,
    edits: IntCounterVec,
    checkins: IntCounterVec,
    journal_reminders: IntCounterVec,
    wait_ends: IntCounterVec,
    ritual_posts: IntCounterVec,
    checkin_delay: Histogram,
    budget_queue: IntGauge,
    budget_wait: Histogram,
    claim_commit_errors: IntCounter,
    gateway_reconnects: IntCounter,
    gateway_resumes: IntCounter,
    ready: IntGauge,
    /// Every shard of the process is connected to the gateway.
    gateway_up: AtomicBool,
    /// The shards that have said a first Ready: a later one is a reconnect.
    shards_ready: Mutex<BTreeSet<u32>>,
    /// The check-in scheduler's loop is running.
    scheduler_up: AtomicBool,
}

/// Counts one in a gauge for as long as it lives, so no path can forget to
/// count it out.
#[must_use]
pub struct Held(IntGauge);

impl Held {
    fn new(gauge: &IntGauge) -> Held {
        gauge.inc();
        Held(gauge.clone())
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Marks the scheduler alive for as long as it lives: a stop or a panic
/// that ends its loop makes steady not ready.
#[must_use]
pub struct Alive<'a>(&'a AtomicBool);

impl Drop for Alive<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

fn counter(name: &str, help: &str) -> IntCounter {
    IntCounter::new(name, help).expect("a valid metric name")
}

fn counters(name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    IntCounterVec::new(Opts::new(name, help), labels).expect("a valid metric name")
}

fn gauge(name: &str, help: &str) -> IntGauge {
    IntGauge::new(name, help).expect("a valid metric name")
}

fn histogram(name: &str, help: &str, buckets: &[f64]) -> Histogram {
    let options = HistogramOpts::new(name, help).buckets(buckets.to_vec());
    Histogram::with_opts(options).expect("a valid metric name")
}

impl Metrics {
    /// Names are fixed here, so an invalid or twice-registered one is a bug
    /// the unit tests below meet first.
    pub fn new() -> Metrics {
        let answer = HistogramOpts::new(
            "steady_first_answer_seconds",
            "From Discord creating a command's interaction to its handler having answered",
        )
        .buckets(ANSWER_BUCKETS.to_vec());
        let metrics = Metrics {
            registry: Registry::new(),
            interactions: counters(
                "steady_interactions_total",
                "Commands handled, by command and outcome (ok, refused, error)",
                &["command", "outcome"],
            ),
            first_answer: HistogramVec::new(answer, &["command"]).expect("a valid metric name"),
            paced_sessions: gauge(
                "steady_paced_sessions",
                "Breathing and relaxation sessions running now",
            ),
            frame_lateness: histogram(
                "steady_frame_lateness_seconds",
                "How long after its planned instant an exercise frame was on Discord",
                &LATENESS_BUCKETS,
            ),
            edits: counters(
                "steady_edits_total",
                "Exercise edits sent to Discord, by answer (2xx, 429, 5xx, other)",
                &["status"],
            ),
            checkins: counters(
                "steady_checkins_total",
                "Check-in attempts, by outcome (sent, refused, paused, skipped_late, retried, failed)",
                &["outcome"],
            ),
            journal_reminders: counters(
                "steady_journal_reminders_total",
                "Evening journal reminder attempts (/journal remind), by outcome (sent, refused, paused, skipped_late, retried, failed)",
                &["outcome"],
            ),
            wait_ends: counters(
                "steady_wait_ends_total",
                "Attempts to send the end of a /wait, by outcome (sent, refused, skipped_late, retried, failed)",
                &["outcome"],
            ),
            ritual_posts: counters(
                "steady_ritual_posts_total",
                "Attempts to post a server's daily moment (/calm ritual), by outcome (sent, refused, skipped_late, retried, failed)",
                &["outcome"],
            ),
            checkin_delay: histogram(
                "steady_checkin_delay_seconds",
                "From a check-in's due instant to Discord accepting it",
                &DELAY_BUCKETS,
            ),
            budget_queue: gauge(
                "steady_budget_queue_length",
                "Bot-token requests (DMs, posts, edits, lookups) waiting for a turn in the budget",
            ),
            budget_wait: histogram(
                "steady_budget_wait_seconds",
                "How long a bot-token request waited for its turn in the budget",
                &WAIT_BUCKETS,
            ),
            claim_commit_errors: counter(
                "steady_claim_commit_errors_total",
                "Scheduler claims whose database commit failed or went unanswered; if one took effect, what it claimed is never sent",
            ),
            gateway_reconnects: counter(
                "steady_gateway_reconnects_total",
                "Times the gateway connection came back after the first Ready (resumed or identified anew)",
            ),
            gateway_resumes: counter(
                "steady_gateway_resumes_total",
                "Times a lost gateway connection resumed its session",
            ),
            ready: gauge(
                "steady_ready",
                "1 when /readyz says ready: gateway connected, database answering, scheduler running",
            ),
            gateway_up: AtomicBool::new(false),
            shards_ready: Mutex::default(),
            scheduler_up: AtomicBool::new(false),
        };
        metrics.register()
    }

    /// Put every metric in the registry (which keeps clones sharing the
    /// same values). Outcomes and statuses start at 0, so each appears from
    /// the first scrape on and `rate()` sees its first event; commands'
    /// series start when the Discord side names them
    /// ([`Metrics::expect_commands`]).
    fn register(self) -> Metrics {
        for &outcome in DeliveryOutcome::ALL {
            self.checkins.with_label_values(&[outcome.word()]);
            self.journal_reminders.with_label_values(&[outcome.word()]);
        }
        for &outcome in SendOutcome::ALL {
            self.wait_ends.with_label_values(&[outcome.word()]);
            self.ritual_posts.with_label_values(&[outcome.word()]);
        }
        for &status in EditStatus::ALL {
            self.edits.with_label_values(&[status.word()]);
        }
        let all: [Box<dyn prometheus::core::Collector>; 16] = [
            Box::new(self.interactions.clone()),
            Box::new(self.first_answer.clone()),
            Box::new(self.paced_sessions.clone()),
            Box::new(self.frame_lateness.clone()),
            Box::new(self.edits.clone()),
            Box::new(self.checkins.clone()),
            Box::new(self.checkin_delay.clone()),
            Box::new(self.journal_reminders.clone()),
            Box::new(self.wait_ends.clone()),
            Box::new(self.ritual_posts.clone()),
            Box::new(self.budget_queue.clone()),
            Box::new(self.budget_wait.clone()),
            Box::new(self.claim_commit_errors.clone()),
            Box::new(self.gateway_reconnects.clone()),
            Box::new(self.gateway_resumes.clone()),
            Box::new(self.ready.clone()),
        ];
        for metric in all {
            self.registry
                .register(metric)
                .expect("each metric registered once");
        }
        self
    }

    /// Start each of these commands' series at 0, so every one appears
    /// from the first scrape on.
    pub fn expect_commands<'a>(&self, commands: impl IntoIterator<Item = &'a str>) {
        for command in commands {
            for &outcome in Outcome::ALL {
                self.interactions
                    .with_label_values(&[command, outcome.word()]);
            }
            self.first_answer.with_label_values(&[command]);
        }
    }

    /// A command ended with `outcome`. `command` is the command's own name,
    /// never anything a person typed.
    pub fn interaction(&self, command: &str, outcome: Outcome) {
        self.interactions
            .with_label_values(&[command, outcome.word()])
            .inc();
    }

    /// A command's first answer took `took` from its interaction's creation.
    pub fn first_answer(&self, command: &str, took: Duration) {
        self.first_answer
            .with_label_values(&[command])
            .observe(took.as_secs_f64());
    }

    /// Hold while a paced session runs.
    pub fn paced_session(&self) -> Held {
        Held::new(&self.paced_sessions)
    }

    pub fn frame_late(&self, by: Duration) {
        self.frame_lateness.observe(by.as_secs_f64());
    }

    pub fn edit(&self, status: EditStatus) {
        self.edits.with_label_values(&[status.word()]).inc();
    }

    pub fn checkin(&self, outcome: DeliveryOutcome) {
        self.checkins.with_label_values(&[outcome.word()]).inc();
    }

    /// A check-in was sent `late` after its due instant.
    pub fn checkin_sent(&self, late: Duration) {
        self.checkin(DeliveryOutcome::Sent);
        self.checkin_delay.observe(late.as_secs_f64());
    }

    pub fn journal_reminder(&self, outcome: DeliveryOutcome) {
        self.journal_reminders
            .with_label_values(&[outcome.word()])
            .inc();
    }

    pub fn wait_end(&self, outcome: SendOutcome) {
        self.wait_ends.with_label_values(&[outcome.word()]).inc();
    }

    pub fn ritual_post(&self, outcome: SendOutcome) {
        self.ritual_posts.with_label_values(&[outcome.word()]).inc();
    }

    /// Hold while a bot-token request waits for its turn in the budget.
    pub fn budget_queued(&self) -> Held {
        Held::new(&self.budget_queue)
    }

    pub fn budget_waited(&self, wait: Duration) {
        self.budget_wait.observe(wait.as_secs_f64());
    }

    /// A claim of due work failed at its commit, which may have taken
    /// effect all the same.
    pub fn claim_commit_failed(&self) {
        self.claim_commit_errors.inc();
    }

    /// The gateway said Ready to `shard`: a new session, a reconnect after
    /// its first. Counted only: readiness needs every shard
    /// ([`Self::gateway_connected`]).
    pub fn gateway_ready(&self, shard: u32) {
        let mut ready = self.shards_ready.lock().unwrap_or_else(|e| e.into_inner());
        if !ready.insert(shard) {
            self.gateway_reconnects.inc();
        }
    }

    /// The gateway resumed a shard's session after losing the connection.
    pub fn gateway_resumed(&self) {
        self.gateway_reconnects.inc();
        self.gateway_resumes.inc();
    }

    /// Whether every shard of this process is connected to the gateway now.
    pub fn gateway_connected(&self, up: bool) {
        self.gateway_up.store(up, Ordering::SeqCst);
    }

    /// Hold for as long as the scheduler's loop runs.
    pub fn scheduler_running(&self) -> Alive<'_> {
        self.scheduler_up.store(true, Ordering::SeqCst);
        Alive(&self.scheduler_up)
    }

    /// Why steady is not ready, as far as this process knows without asking
    /// the database.
    fn not_ready(&self) -> Option<&'static str> {
        if !self.gateway_up.load(Ordering::SeqCst) {
            Some("not connected to Discord's gateway")
        } else if !self.scheduler_up.load(Ordering::SeqCst) {
            Some("the check-in scheduler is not running")
        } else {
            None
        }
    }

    fn set_ready(&self, ready: bool) {
        self.ready.set(i64::from(ready));
    }

    /// Every metric in Prometheus' text format ([`CONTENT_TYPE`]).
    pub fn encode(&self) -> String {
        let mut text = Vec::new();
        // Encoding the registry's own families into memory cannot fail.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut text);
        String::from_utf8_lossy(&text).into_owned()
    }
}
