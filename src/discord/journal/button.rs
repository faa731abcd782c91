//! What a journal button or form does, as its id carries it: one encode,
//! one decode, so a writer and a reader cannot disagree.
//! `journal:write:<owner>:<prompt key or empty>` is also made by other
//! features' messages (a reminder, a check-in) to open the form.

use super::super::component::{button_id, ButtonId};
use crate::journal::Prompt;

/// The feature in every journal id.
pub(crate) const FEATURE: &str = "journal";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// A button: open the form, at this prompt or today's. The form's own
    /// id: keep what it holds, as an answer to this prompt.
    Write(Option<Prompt>),
    /// Show page `n` (from 0) of the person's journal.
    Page(u64),
    /// Ask before deleting `entry`, shown on page `page`.
    Delete { entry: i64, page: u64 },
    /// Delete `entry`, if pressed before `expires` (unix seconds).
    Confirm { entry: i64, page: u64, expires: i64 },
    /// Keep `entry` after all: page `page` again.
    Keep(u64),
}

impl Action {
    /// The id of a button or form doing this for `owner`.
    pub fn id(self, owner: u64) -> String {
        let (action, payload) = match self {
            Action::Write(prompt) => ("write", prompt.map_or("", Prompt::key).to_owned()),
            Action::Page(page) => ("page", page.to_string()),
            Action::Delete { entry, page } => ("delete", format!("{entry}.{page}")),
            Action::Confirm {
                entry,
                page,
                expires,
            } => ("confirm", format!("{entry}.{page}.{expires}")),
            Action::Keep(page) => ("keep", page.to_string()),
        };
        button_id(FEATURE, action, owner, &payload)
    }

    /// What a journal id asks for; None for one steady never made.
    pub fn parse(id: &ButtonId<'_>) -> Option<Action> {
        let mut parts = id.payload.split('.');
        let mut next = || parts.next().unwrap_or("");
        let action = match id.action {
            "write" => match next() {
                "" => Action::Write(None),
                key => Action::Write(Some(Prompt::from_key(key)?)),
            },
            "page" => Action::Page(next().parse().ok()?),
            "delete" => Action::Delete {
                entry: next().parse().ok()?,
                page: next().parse().ok()?,
            },
            "confirm" => Action::Confirm {
                entry: next().parse().ok()?,
                page: next().parse().ok()?,
                expires: next().parse().ok()?,
            },
            "keep" => Action::Keep(next().parse().ok()?),
            _ => return None,
        };
        // Nothing left over: an id is exactly what `id` makes.
        match next() {
            "" => Some(action),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn action() -> impl Strategy<Value = Action> {
        let prompt = proptest::option::of(proptest::sample::select(Prompt::ALL.to_vec()));
        prop_oneof![
            prompt.prop_map(Action::Write),
            any::<u64>().prop_map(Action::Page),
            (any::<i64>(), any::<u64>()).prop_map(|(entry, page)| Action::Delete { entry, page }),
            (any::<i64>(), any::<u64>(), any::<i64>()).prop_map(|(entry, page, expires)| {
                Action::Confirm {
                    entry,
                    page,
                    expires,
                }
            }),
            any::<u64>().prop_map(Action::Keep),
        ]
    }

    proptest! {
        #[test]
        fn every_action_reads_back_from_its_id(action in action(), owner in any::<u64>()) {
            let id = action.id(owner);
            prop_assert!(id.len() <= 100, "Discord's limit: {id}");
            let parsed = ButtonId::parse(&id).unwrap();
            prop_assert_eq!(parsed.owner, owner);
            prop_assert_eq!(Action::parse(&parsed), Some(action));
        }
    }

    #[test]
    fn ids_steady_never_made_are_none() {
        for id in [
            "journal:write:1:tomorrow",
            "journal:page:1:",
            "journal:page:1:-1",
            "journal:delete:1:5",
            "journal:confirm:1:5.0",
            "journal:keep:1:0.0",
            "journal:read:1:0",
        ] {
            let parsed = ButtonId::parse(id).unwrap();
            assert_eq!(Action::parse(&parsed), None, "{id}");
        }
    }

    #[test]
    fn the_write_id_others_make_opens_the_form() {
        let id = ButtonId::parse("journal:write:42:").unwrap();
        assert_eq!(Action::parse(&id), Some(Action::Write(None)));
        let id = ButtonId::parse("journal:write:42:secure").unwrap();
        assert_eq!(
            Action::parse(&id),
            Some(Action::Write(Some(Prompt::Secure)))
        );
    }
}
