//! The times that lean on one another, kept side by side: how long a stop
//! waits, how long Discord and the database are given, when a process counts
//! as dead, how long an interaction token lasts. The tests below state the
//! relations between them, so changing one cannot quietly break another.

use chrono::TimeDelta;
use std::time::Duration;

/// On shutdown, deliveries under way get this long to finish.
pub const DRAIN: Duration = Duration::from_secs(5);

/// The last part of [`DRAIN`]: deliveries still on the wire are cancelled
/// and given back, which takes a write each.
pub const GIVE_BACK: Duration = Duration::from_secs(1);

/// The longest steady holds every request after a global 429, whatever
/// Discord's `retry_after` says: asking again costs one more 429 at most.
pub const LONGEST_GLOBAL_HOLD: Duration = Duration::from_secs(10);

/// Under a global hold longer than this, a person's request fails at once
/// ("Discord is busy") instead of waiting past Discord's three seconds to
/// answer an interaction.
pub const PERSON_WAITS_AT_MOST: Duration = Duration::from_secs(1);

/// After shutdown, running exercises get this long to say their last words
/// (while the gateway closes), so steady is gone within 5 s.
pub const SESSION_DRAIN: Duration = Duration::from_secs(4);

/// Closing the gateway politely (a close frame, and Discord's answer) gets
/// this long; serenity's own wait is 5 s per shard, and forever when the
/// shard is down.
pub const CLOSE_BOUND: Duration = Duration::from_secs(2);

/// How long one request to Discord may take unless
/// `discord.request_timeout_seconds` says otherwise.
pub const REQUEST_TIMEOUT_SECONDS: u32 = 10;

/// How long steady trusts Discord to remember a message's nonce unless
/// `discord.nonce_window_seconds` says otherwise: a create that may have
/// acted is retried with its nonce only this long after its first try.
/// Discord promises "the past few minutes".
pub const NONCE_WINDOW_SECONDS: u32 = 60;

/// The most `discord.nonce_window_seconds` may be: four minutes, inside
/// "a few".
pub const MAX_NONCE_WINDOW_SECONDS: u32 = 240;

/// The longest steady waits on Discord's word. A larger number (a typo, a
/// proxy's nonsense) would stall an exercise or the whole budget for good,
/// and `Instant + wait` would overflow; asking again after an hour costs one
/// request.
pub const LONGEST_WAIT: Duration = Duration::from_secs(60 * 60);

/// Discord keeps an interaction token valid this long (15 minutes), less a
/// margin for the edit itself.
pub const TOKEN_LIFE: Duration = Duration::from_secs(14 * 60 + 30);

/// The longest exercise, in minutes: it must end, lead-in and all, while
/// its token still works.
pub const MAX_BREATHE_MINUTES: u32 = 14;

/// The longest lead-in before an exercise's first breath, in seconds.
pub const MAX_LEAD_IN_SECONDS: u32 = 10;

/// "Ten more minutes", and a wait kept on its message, which Discord lets a
/// bot change for 15 minutes.
pub const MORE: u32 = 10;

/// How late a check-in may still be sent unless `checkin.grace_minutes`
/// says otherwise (after downtime, say).
pub const GRACE_MINUTES: u32 = 120;

/// When several processes share the database, how often each looks for
/// check-ins another one set (a read of one row, 0.2 ms: BENCHMARKS.md).
pub const LOOK_AGAIN: Duration = Duration::from_secs(5);

/// How often a post's count of joins may change: each change is an edit
/// with the bot's token, drawn from the global budget.
pub const COUNT_EVERY: TimeDelta = TimeDelta::minutes(1);

/// How often a process running exercises looks for a Stop pressed on
/// another process (a read of only the rows asked to stop): well under a
/// breath's shortest phase.
pub const SEEN_EVERY: Duration = Duration::from_millis(500);

/// How often every process says it is alive: one row's write, whatever it
/// runs.
pub const BEAT_EVERY: Duration = Duration::from_secs(2);

/// A process not seen this long, by the database's clock, has died: its
/// exercises are anyone's to finish. Beats waiting out SQLite's busy
/// timeout twice in a row still land in time, so a slow database is not a
/// death.
pub const DEAD_AFTER: Duration = Duration::from_secs(20);

/// How long a writer waits for another to finish before SQLite says "busy":
/// SQLite's busy handler retries within it, so two writers meeting wait for
/// each other instead of showing anyone an error (tests/store.rs).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a PostgreSQL statement waits for another transaction's lock
/// before it fails (`lock_timeout`). steady's own transactions hold their
/// locks for milliseconds, so a longer wait is something stuck (a stalled
/// process, an operator's open transaction): the claim that meets it is
/// tried again like any failed claim, and a person's command is told
/// kindly, in time.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest one PostgreSQL statement may run, lock waits included
/// (`statement_timeout`): a backstop far above any statement steady makes
/// (the heartbeat of 10,000 exercises, the sent waits deleted after a
/// downtime). Migrations run without it.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a query waits for a free connection from the pool: sqlx's
/// default, named so the timeouts above can be set beneath it.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

#[cfg(test)]
mod tests {
    use super::*;

    /// What README.md and docs/OPERATING.md promise of a stop with
    /// exercises running: gone within 5 s, plus up to 2 s when Discord is
    /// slow to answer the gateway's close.
    const PROMISED_STOP: Duration = Duration::from_secs(5);
    const PROMISED_SLOW_CLOSE: Duration = Duration::from_secs(2);

    /// How long Discord gives a bot to answer an interaction.
    const DISCORD_ANSWER: Duration = Duration::from_secs(3);

    /// How long Discord keeps an interaction token valid.
    const DISCORD_TOKEN: Duration = Duration::from_secs(15 * 60);

    fn seconds(n: u32) -> Duration {
        Duration::from_secs(n.into())
    }

    fn minutes(n: u32) -> Duration {
        Duration::from_secs(u64::from(n) * 60)
    }

    #[test]
    fn a_stop_ends_within_what_the_docs_promise() {
        assert!(SESSION_DRAIN < PROMISED_STOP);
        assert!(CLOSE_BOUND <= PROMISED_SLOW_CLOSE);
        assert!(SESSION_DRAIN + CLOSE_BOUND <= PROMISED_STOP + PROMISED_SLOW_CLOSE);
        // The scheduler drains alongside the sessions, not after them.
        assert!(DRAIN <= PROMISED_STOP);
    }

    #[test]
    fn a_stop_gives_back_what_is_still_on_the_wire_within_the_drain() {
        assert!(GIVE_BACK < DRAIN);
        // A create cut off at the drain's end is marked as maybe made: the
        // next process retries it inside the nonce window.
        assert!(DRAIN < seconds(NONCE_WINDOW_SECONDS));
    }

    #[test]
    fn a_global_hold_ends_inside_the_window_and_a_person_is_told_in_time() {
        assert!(LONGEST_GLOBAL_HOLD < seconds(NONCE_WINDOW_SECONDS));
        assert!(LONGEST_GLOBAL_HOLD <= LONGEST_WAIT);
        assert!(PERSON_WAITS_AT_MOST < DISCORD_ANSWER);
    }

    #[test]
    fn the_longest_exercise_ends_while_its_token_works() {
        let longest =
            minutes(MAX_BREATHE_MINUTES) + Duration::from_secs(MAX_LEAD_IN_SECONDS.into());
        assert!(longest < TOKEN_LIFE);
        assert!(TOKEN_LIFE < DISCORD_TOKEN);
    }

    #[test]
    fn ten_more_minutes_end_while_the_message_can_change() {
        assert!(minutes(MORE) < TOKEN_LIFE);
    }

    #[test]
    fn another_process_work_is_seen_before_the_next_count() {
        assert!(Some(LOOK_AGAIN) < COUNT_EVERY.to_std().ok());
    }

    /// Discord's "the past few minutes", read at its lowest.
    const DISCORD_NONCE_MEMORY: Duration = Duration::from_secs(5 * 60);

    #[test]
    fn a_retry_that_may_repeat_ends_while_discord_remembers_its_nonce() {
        let window = seconds(NONCE_WINDOW_SECONDS);
        let most = seconds(MAX_NONCE_WINDOW_SECONDS);
        assert!(window <= most);
        assert!(most < DISCORD_NONCE_MEMORY);
        // A timed-out create is asked again only after a whole request
        // timeout: the default window leaves room for that try.
        assert!(seconds(REQUEST_TIMEOUT_SECONDS) < window);
        // Every delivery's grace outlasts the window: the window, not the
        // grace, is what stops a retry that may repeat.
        assert!(most < minutes(GRACE_MINUTES));
    }

    #[test]
    fn a_slow_database_is_not_a_death() {
        // Two beats in a row that each wait out the whole busy timeout still
        // land in time (the database's clock counts whole seconds, so one
        // more for its rounding).
        assert!(2 * (BEAT_EVERY + BUSY_TIMEOUT) + Duration::from_secs(1) < DEAD_AFTER);
    }

    #[test]
    fn a_stop_pressed_elsewhere_is_seen_within_a_breath() {
        assert!(SEEN_EVERY < crate::pace::pattern::MIN_BREATH);
    }

    /// A claim's batch at its slowest: `IN_FLIGHT` rows, each a few
    /// statements (locked, moved on, a tap kept), at 10 ms a statement on
    /// a loaded database.
    fn slow_claim_batch() -> Duration {
        let rows = u32::try_from(crate::schedule::IN_FLIGHT).unwrap_or(u32::MAX);
        rows * 3 * Duration::from_millis(10)
    }

    #[test]
    fn a_stuck_lock_fails_before_anything_else_gives_up() {
        // Whoever waits for a claim under way waits out its whole batch.
        assert!(slow_claim_batch() < LOCK_TIMEOUT);
        // A person whose command met a stuck lock is told in time.
        assert!(LOCK_TIMEOUT < DISCORD_ANSWER);
        // A wait for a lock fails as one, not as a statement cut short.
        assert!(LOCK_TIMEOUT < STATEMENT_TIMEOUT);
        // Stuck statements give back their connections before anyone
        // waiting for a connection gives up.
        assert!(STATEMENT_TIMEOUT < ACQUIRE_TIMEOUT);
        // Two beats in a row that each wait out a stuck lock still land in
        // time (a second more for the database clock's whole seconds).
        assert!(2 * (BEAT_EVERY + LOCK_TIMEOUT) + Duration::from_secs(1) < DEAD_AFTER);
    }
}
