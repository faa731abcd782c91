//! What each reframe button and form is for, as its id carries it
//! (`reframe:<action>:<owner>:<record>`): one encode, one decode.

use super::super::component::{button_id, ButtonId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Open the first form ("Try again" after empty boxes).
    Start,
    /// The first form, submitted.
    First,
    /// Open the second form for a record ("Keep going").
    Next(i64),
    /// The second form for a record, submitted.
    Second(i64),
    /// Save a record's kinder sentence as an anchor.
    Anchor(i64),
    /// Keep a record in the journal.
    Keep(i64),
}

impl Step {
    /// The id of this step's button or form, owned by `owner`.
    pub fn id(self, owner: u64) -> String {
        let (action, record) = match self {
            Step::Start => ("start", None),
            Step::First => ("first", None),
            Step::Next(record) => ("next", Some(record)),
            Step::Second(record) => ("second", Some(record)),
            Step::Anchor(record) => ("anchor", Some(record)),
            Step::Keep(record) => ("keep", Some(record)),
        };
        let payload = record.map(|record| record.to_string()).unwrap_or_default();
        button_id("reframe", action, owner, &payload)
    }

    /// The step a reframe id names; None for one steady never made.
    pub fn of(id: ButtonId<'_>) -> Option<Step> {
        let record = id.payload.parse::<i64>().ok();
        match (id.action, id.payload, record) {
            ("start", "", _) => Some(Step::Start),
            ("first", "", _) => Some(Step::First),
            ("next", _, Some(record)) => Some(Step::Next(record)),
            ("second", _, Some(record)) => Some(Step::Second(record)),
            ("anchor", _, Some(record)) => Some(Step::Anchor(record)),
            ("keep", _, Some(record)) => Some(Step::Keep(record)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_reads_back_from_its_id() {
        for step in [
            Step::Start,
            Step::First,
            Step::Next(1),
            Step::Second(i64::MAX),
            Step::Anchor(42),
            Step::Keep(7),
        ] {
            let id = step.id(1_100_000_000_000_000_101);
            assert!(id.len() <= 100, "Discord's limit: {id}");
            let parsed = ButtonId::parse(&id).unwrap();
            assert_eq!(parsed.owner, 1_100_000_000_000_000_101);
            assert_eq!(Step::of(parsed), Some(step), "{id}");
        }
    }

    #[test]
    fn ids_steady_never_made_are_none() {
        for id in [
            "reframe:next:1:",
            "reframe:keep:1:x",
            "reframe:start:1:5",
            "reframe:end:1:5",
        ] {
            assert_eq!(Step::of(ButtonId::parse(id).unwrap()), None, "{id}");
        }
    }
}
