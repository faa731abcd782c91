//! "Wait with me": the one wait a person may have running, and the urge
//! taps kept for people who keep a mood history. Every query names the
//! user id, so one person can never reach another's.

use crate::{Backend, Conn, Result};
use std::future::Future;

/// A wait's row, as [`Waits::wait`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    pub started_at: i64,
    pub minutes: i64,
    pub ends_at: i64,
    pub due: Option<i64>,
    pub urge_before: Option<i64>,
    pub private: bool,
    pub locale: String,
    pub application_id: Option<i64>,
    pub token: Option<String>,
}

/// A wait as [`Waits::start`] begins it: without a tap yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewWait<'a> {
    pub started_at: i64,
    pub minutes: i64,
    pub ends_at: i64,
    pub due: Option<i64>,
    pub private: bool,
    pub locale: &'a str,
    pub application_id: Option<i64>,
    pub token: Option<&'a str>,
}

/// One wait's taps in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urge {
    pub started_at: i64,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

pub trait Waits: Backend {
    /// Insert the person's wait, replacing any they had (and its tap).
    fn start(
        conn: &mut Conn<Self>,
        user_id: i64,
        wait: &NewWait<'_>,
    ) -> impl Future<Output = Result<()>> + Send;

    fn wait(
        conn: &mut Conn<Self>,
        user_id: i64,
    ) -> impl Future<Output = Result<Option<Wait>>> + Send;

    /// Keep the tap at the start of a running wait: whether it runs.
    fn urge_before(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
        urge: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Delete the wait: None if there was no such wait, else its first tap,
    /// read in the delete itself, so no tap can land after it was read.
    fn end(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
    ) -> impl Future<Output = Result<Option<Option<i64>>>> + Send;

    /// Keep a wait's first tap in the history of someone who keeps one
    /// (nothing for anyone else), unless it is there already.
    fn keep_first_tap(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
        before: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The wait ends at `until` instead, its end due then: whether it exists.
    fn extend(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
        minutes: i64,
        until: i64,
        application_id: Option<i64>,
        token: Option<&str>,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Keep the tap at a wait's end (with its first, if the wait is still
    /// there) for someone who keeps a history: whether it was kept.
    fn urge_after(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
        urge: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The draft named by the running wait that began at `started_at`, if
    /// it names one that is still the person's draft, not yet kept.
    fn draft(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
    ) -> impl Future<Output = Result<Option<i64>>> + Send;

    /// Name `draft_id` as the running wait's draft: whether it runs.
    fn set_draft(
        conn: &mut Conn<Self>,
        user_id: i64,
        started_at: i64,
        draft_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The wait's end came: the person's draft `draft_id`, unless kept
    /// meanwhile, is deleted at `expires_at`. Whether it is such a draft.
    fn draft_ends(
        conn: &mut Conn<Self>,
        user_id: i64,
        draft_id: i64,
        expires_at: i64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The last `count` waits with both taps, newest first.
    fn urges(
        conn: &mut Conn<Self>,
        user_id: i64,
        count: i64,
    ) -> impl Future<Output = Result<Vec<Urge>>> + Send;
}
