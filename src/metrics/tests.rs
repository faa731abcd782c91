//! The metrics' names, series and exposition, checked without a server.

use super::*;

#[test]
fn every_metric_appears_with_its_agreed_name() {
    let metrics = Metrics::new();
    metrics.expect_commands(["about"]);
    let text = metrics.encode();
    for name in [
        "steady_interactions_total",
        "steady_first_answer_seconds",
        "steady_paced_sessions",
        "steady_frame_lateness_seconds",
        "steady_edits_total",
        "steady_checkins_total",
        "steady_checkin_delay_seconds",
        "steady_journal_reminders_total",
        "steady_wait_ends_total",
        "steady_ritual_posts_total",
        "steady_budget_queue_length",
        "steady_budget_wait_seconds",
        "steady_claim_commit_errors_total",
        "steady_gateway_reconnects_total",
        "steady_gateway_resumes_total",
        "steady_ready",
    ] {
        assert!(text.contains(&format!("# TYPE {name} ")), "{name}:\n{text}");
    }
    assert!(text.contains("steady_gateway_resumes_total 0"), "{text}");
    assert!(
        text.contains("steady_claim_commit_errors_total 0"),
        "{text}"
    );
    assert!(
        text.contains(r#"steady_checkins_total{outcome="failed"} 0"#),
        "{text}"
    );
    assert!(
        text.contains(r#"steady_edits_total{status="429"} 0"#),
        "{text}"
    );
    let error = r#"steady_interactions_total{command="about",outcome="error"} 0"#;
    assert!(text.contains(error), "{text}");
}

#[test]
fn labels_hold_only_fixed_words() {
    let metrics = Metrics::new();
    metrics.interaction("breathe", Outcome::Refused);
    metrics.edit(EditStatus::of(503));
    metrics.edit(EditStatus::of(404));
    metrics.checkin(DeliveryOutcome::SkippedLate);
    let text = metrics.encode();
    for line in [
        r#"steady_interactions_total{command="breathe",outcome="refused"} 1"#,
        r#"steady_edits_total{status="5xx"} 1"#,
        r#"steady_edits_total{status="other"} 1"#,
        r#"steady_checkins_total{outcome="skipped_late"} 1"#,
    ] {
        assert!(text.contains(line), "{line}:\n{text}");
    }
}

#[test]
fn a_held_gauge_counts_out_when_dropped() {
    let metrics = Metrics::new();
    let first = metrics.paced_session();
    let second = metrics.paced_session();
    assert_eq!(metrics.paced_sessions.get(), 2);
    drop(first);
    drop(second);
    assert_eq!(metrics.paced_sessions.get(), 0);
}

#[test]
fn ready_needs_the_gateway_and_the_scheduler() {
    let metrics = Metrics::new();
    assert_eq!(
        metrics.not_ready(),
        Some("not connected to Discord's gateway")
    );
    // One shard's Ready is not every shard connected, and a second
    // shard's first Ready is no reconnect.
    metrics.gateway_ready(0);
    metrics.gateway_ready(1);
    assert_eq!(
        metrics.not_ready(),
        Some("not connected to Discord's gateway")
    );
    metrics.gateway_connected(true);
    assert_eq!(
        metrics.not_ready(),
        Some("the check-in scheduler is not running")
    );
    let alive = metrics.scheduler_running();
    assert_eq!(metrics.not_ready(), None);
    metrics.gateway_connected(false);
    assert!(metrics.not_ready().is_some());
    metrics.gateway_resumed();
    assert!(metrics.not_ready().is_some());
    metrics.gateway_connected(true);
    assert_eq!(metrics.not_ready(), None);
    drop(alive);
    assert!(metrics.not_ready().is_some());
    assert_eq!(metrics.gateway_reconnects.get(), 1);
    assert_eq!(metrics.gateway_resumes.get(), 1);
}
