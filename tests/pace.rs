//! The pacing engine: plans from patterns, and the runner on a clock the test
//! controls (tokio's paused time), so nothing here sleeps for real.

use proptest::prelude::*;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use steady::pace::breathe::{Request, RequestError, Session};
use steady::pace::plan::{Cadence, Frame, Plan};
use steady::pace::runner::{self, Outcome, Screen, ShowError};
use steady::prompts::Catalog;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

const MAX: Duration = Duration::from_secs(14 * 60);
const LEAD_IN: Duration = Duration::from_secs(3);

fn catalog() -> Catalog {
    Catalog::load(None).unwrap()
}

fn session(custom: &str, cycles: i64) -> Result<Session, RequestError> {
    let request = Request {
        custom: Some(custom),
        cycles: Some(cycles),
        ..Request::default()
    };
    Session::from_request(&request, &catalog().breathing, LEAD_IN, MAX)
}

fn plan(custom: &str, cycles: i64) -> Plan {
    session(custom, cycles)
        .unwrap()
        .plan(&catalog().breathing, LEAD_IN, Cadence::DISCORD)
}

fn assert_within_cadence(plan: &Plan, cadence: Cadence) {
    for run in plan.frames().windows(cadence.edits + 1) {
        let span = run[cadence.edits].at - run[0].at;
        assert!(span >= cadence.window, "{} frames in {span:?}", run.len());
    }
}

#[test]
fn the_default_request_is_the_first_pattern() {
    let catalog = catalog();
    let session =
        Session::from_request(&Request::default(), &catalog.breathing, LEAD_IN, MAX).unwrap();
    assert_eq!(session.name, catalog.breathing.patterns[0].name);
    assert_eq!(session.cycles, catalog.breathing.patterns[0].cycles);
}

#[test]
fn a_4_7_8_plan_begins_each_phase_on_time_and_ends_softly() {
    let plan = plan("4-7-8", 2);
    let at = |secs: u64| {
        plan.frames()
            .iter()
            .find(|f| f.at == Duration::from_secs(secs))
    };
    assert!(
        plan.frames()[0].text.contains("4-7-8"),
        "the lead-in names the rhythm"
    );
    assert!(at(3).unwrap().text.contains("Breathe in"));
    assert!(at(3).unwrap().text.contains("4 · 3 · 2 · 1"));
    assert!(at(7).unwrap().text.contains("Hold"));
    assert!(at(14).unwrap().text.contains("Breathe out"));
    assert!(at(22).unwrap().text.contains("round 2 of 2"));
    let end = plan.frames().last().unwrap();
    assert_eq!(end.at, Duration::from_secs(3 + 2 * 19));
    assert!(end.text.contains("/support"));
    assert_within_cadence(&plan, Cadence::DISCORD);
}

#[test]
fn long_phases_get_countdown_ticks() {
    let plan = plan("4-7-8", 1);
    let hold: Vec<&Frame> = plan
        .frames()
        .iter()
        .filter(|f| f.text.contains("Hold"))
        .collect();
    assert!(hold.len() >= 3, "a 7 s hold ticks: {hold:#?}");
    assert!(hold.last().unwrap().text.contains("1"));
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let unknown = Request {
        pattern: Some(99),
        ..Request::default()
    };
    assert_eq!(
        Session::from_request(&unknown, &catalog().breathing, LEAD_IN, MAX),
        Err(RequestError::UnknownPattern)
    );
    assert_eq!(session("abc", 4), Err(RequestError::CustomFormat));
    assert_eq!(session("0-0-0", 4), Err(RequestError::CustomRange));
    assert_eq!(session("4-7-99", 4), Err(RequestError::CustomRange));
    assert_eq!(session("4-7-8", 0), Err(RequestError::Cycles));
    assert_eq!(session("4-7-8", 21), Err(RequestError::Cycles));
    assert_eq!(
        session("20-20-20-20", 20),
        Err(RequestError::TooLong {
            minutes: 27,
            max: 14
        })
    );
}

fn valid_custom() -> impl Strategy<Value = String> {
    let breath = 1_000u64..=20_000;
    let hold = 0u64..=20_000;
    (
        breath.clone(),
        hold.clone(),
        breath,
        proptest::option::of(hold),
    )
        .prop_map(|(i, h, o, rest)| {
            let secs = |ms: u64| format!("{}", ms as f64 / 1000.0);
            let mut text = format!("{}-{}-{}", secs(i), secs(h), secs(o));
            if let Some(rest) = rest {
                text += &format!("-{}", secs(rest));
            }
            text
        })
}

proptest! {
    #[test]
    fn any_valid_rhythm_makes_a_sound_plan(custom in valid_custom(), cycles in 1i64..=8) {
        let catalog = catalog();
        let session = Session::from_request(
            &Request { custom: Some(&custom), cycles: Some(cycles), ..Request::default() },
            &catalog.breathing, LEAD_IN, Duration::MAX,
        ).unwrap();
        let plan = session.plan(&catalog.breathing, LEAD_IN, Cadence::DISCORD);
        let frames = plan.frames();
        prop_assert!(frames.windows(2).all(|w| w[0].at < w[1].at), "offsets increase");
        prop_assert_eq!(plan.length(), LEAD_IN + session.pattern.cycle_length() * cycles as u32);
        prop_assert!(frames.last().unwrap().text.contains("/support"));
        prop_assert!(frames.iter().all(|f| f.text.chars().count() <= 2000));
        assert_within_cadence(&plan, Cadence::DISCORD);
    }

    #[test]
    fn malformed_rhythms_are_refused(custom in "[^0-9]{0,12}|[0-9]{1,3}|[0-9]+-[0-9]+") {
        prop_assert_eq!(session(&custom, 4), Err(RequestError::CustomFormat));
    }
}

/// A screen that records when each frame arrived, taking `latency` per show
/// and answering from a script of results.
#[derive(Clone, Default)]
struct Recorder {
    shown: Arc<Mutex<Vec<(Duration, String)>>>,
    script: Arc<Mutex<Vec<Result<(), ShowError>>>>,
    latency: Duration,
    start: Option<Instant>,
}

impl Screen for Recorder {
    async fn show(&mut self, frame: &Frame) -> Result<(), ShowError> {
        let arrived = Instant::now() - self.start.unwrap();
        tokio::time::sleep(self.latency).await;
        let result = {
            let mut script = self.script.lock().unwrap();
            if script.is_empty() {
                Ok(())
            } else {
                script.remove(0)
            }
        };
        if result.is_ok() {
            self.shown
                .lock()
                .unwrap()
                .push((arrived, frame.text.clone()));
        }
        result
    }
}

fn offsets(plan: &Plan) -> Vec<Duration> {
    plan.frames()[1..].iter().map(|f| f.at).collect()
}

#[tokio::test(start_paused = true)]
async fn every_frame_lands_on_its_deadline_despite_latency() {
    let plan = plan("2-1-3", 3);
    let start = Instant::now();
    let mut screen = Recorder {
        latency: Duration::from_millis(300),
        start: Some(start),
        ..Recorder::default()
    };
    let report = runner::run(&plan, start, &mut screen, &CancellationToken::new()).await;
    assert_eq!(report.outcome, Outcome::Finished);
    assert_eq!(report.skipped, 0);
    let arrived: Vec<Duration> = screen.shown.lock().unwrap().iter().map(|s| s.0).collect();
    assert_eq!(
        arrived,
        offsets(&plan),
        "no drift: each edit starts at its offset"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_edit_skips_to_the_newest_frame_instead_of_queueing() {
    let plan = plan("2-0-2", 2);
    let start = Instant::now();
    let mut screen = Recorder {
        latency: Duration::from_millis(4_500),
        start: Some(start),
        ..Recorder::default()
    };
    let report = runner::run(&plan, start, &mut screen, &CancellationToken::new()).await;
    assert_eq!(report.outcome, Outcome::Finished);
    assert!(report.skipped > 0);
    let shown = screen.shown.lock().unwrap();
    assert_eq!(
        shown.last().unwrap().1,
        plan.frames().last().unwrap().text,
        "the end lands"
    );
    for (arrived, text) in shown.iter() {
        let planned = plan.frames().iter().find(|f| &f.text == text).unwrap().at;
        assert!(*arrived >= planned, "never early");
        let newer_due = plan
            .frames()
            .iter()
            .any(|f| f.at > planned && f.at <= *arrived);
        assert!(!newer_due, "a stale frame was shown at {arrived:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_pauses_then_skips_ahead_without_drift() {
    let plan = plan("2-1-3", 3);
    let start = Instant::now();
    let mut screen = Recorder {
        start: Some(start),
        script: Arc::new(Mutex::new(vec![
            Ok(()),
            Err(ShowError::RateLimited(Duration::from_millis(3_500))),
        ])),
        ..Recorder::default()
    };
    let report = runner::run(&plan, start, &mut screen, &CancellationToken::new()).await;
    assert_eq!(report.outcome, Outcome::Finished);
    assert!(report.skipped >= 2, "{report:?}");
    let shown = screen.shown.lock().unwrap();
    let limited_at = offsets(&plan)[1];
    let resumed = shown.iter().find(|s| s.0 > limited_at).unwrap();
    assert!(
        resumed.0 >= limited_at + Duration::from_millis(3_500),
        "obeys retry_after"
    );
    let later: Vec<Duration> = shown
        .iter()
        .map(|s| s.0)
        .filter(|t| *t > resumed.0)
        .collect();
    let planned: Vec<Duration> = offsets(&plan)
        .into_iter()
        .filter(|t| *t > resumed.0)
        .collect();
    assert_eq!(later, planned, "back on the plan's clock afterwards");
}

#[tokio::test(start_paused = true)]
async fn the_end_frame_is_retried_until_it_lands() {
    let plan = plan("1-0-1", 1);
    let frames = plan.frames().len();
    let mut script = vec![Ok(()); frames - 2];
    script.extend([
        Err(ShowError::Failed),
        Err(ShowError::RateLimited(Duration::from_secs(2))),
    ]);
    let start = Instant::now();
    let mut screen = Recorder {
        start: Some(start),
        script: Arc::new(Mutex::new(script)),
        ..Recorder::default()
    };
    let report = runner::run(&plan, start, &mut screen, &CancellationToken::new()).await;
    assert_eq!(report.outcome, Outcome::Finished);
    let shown = screen.shown.lock().unwrap();
    assert_eq!(shown.last().unwrap().1, plan.frames().last().unwrap().text);
}

#[tokio::test(start_paused = true)]
async fn stopping_ends_the_session_before_the_next_frame() {
    let plan = plan("4-7-8", 4);
    let start = Instant::now();
    let stop = CancellationToken::new();
    let mut screen = Recorder {
        start: Some(start),
        ..Recorder::default()
    };
    let stopper = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(10)).await;
        stopper.cancel();
    });
    let report = runner::run(&plan, start, &mut screen, &stop).await;
    assert_eq!(report.outcome, Outcome::Stopped);
    assert!(screen
        .shown
        .lock()
        .unwrap()
        .iter()
        .all(|s| s.0 <= Duration::from_secs(10)));
}

#[tokio::test(start_paused = true)]
async fn a_vanished_screen_ends_the_session() {
    let plan = plan("2-0-2", 2);
    let start = Instant::now();
    let mut screen = Recorder {
        start: Some(start),
        script: Arc::new(Mutex::new(vec![Ok(()), Err(ShowError::Gone)])),
        ..Recorder::default()
    };
    let report = runner::run(&plan, start, &mut screen, &CancellationToken::new()).await;
    assert_eq!(report.outcome, Outcome::Lost);
    assert_eq!(report.shown, 1);
}

#[test]
fn the_lead_in_of_a_rhythm_that_holds_says_breathing_normally_is_fine() {
    let catalog = catalog();
    let words = &catalog.breathing;
    let note = words.hold_note.plain();
    let mut seen = [false; 2];
    for (i, named) in words.patterns.iter().enumerate() {
        let request = Request {
            pattern: Some(i),
            ..Request::default()
        };
        let session = Session::from_request(&request, words, LEAD_IN, MAX).unwrap();
        let plan = session.plan(words, LEAD_IN, Cadence::DISCORD);
        let lead_in = &plan.frames()[0].text;
        assert_eq!(
            lead_in.contains(&note),
            named.pattern.holds(),
            "{}",
            named.name
        );
        seen[usize::from(named.pattern.holds())] = true;
    }
    assert_eq!(seen, [true, true], "rhythms with and without a hold");
}
