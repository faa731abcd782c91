//! `prompts/journal.toml`: the words of /journal, its prompts among them.

use super::{Checker, PromptFile, Text};
use crate::journal::Prompt;
use serde::Deserialize;

/// Discord's longest modal title and field label.
pub const MAX_FORM_LABEL_CHARS: usize = 45;
/// Discord's longest placeholder of a modal's field.
pub const MAX_FORM_HINT_CHARS: usize = 100;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journal {
    pub prompts: JournalPrompts,
    pub form: JournalForm,
    pub kinds: JournalKinds,
    pub reframe: JournalReframe,
    pub buttons: JournalButtons,
    pub messages: JournalMessages,
}

/// Each prompt's words, by its key (`crate::journal::Prompt`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalPrompts {
    pub needed: PromptWords,
    pub reassurance: PromptWords,
    pub sensitivity: PromptWords,
    pub secure: PromptWords,
    pub soothed: PromptWords,
    pub free: PromptWords,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptWords {
    /// Short: the form's title, a choice in the list, a page's heading.
    pub name: Text,
    /// The whole question, shown in the empty field.
    pub question: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalForm {
    pub label: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalKinds {
    pub reframe: Text,
    pub draft: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalReframe {
    pub happened: Text,
    pub story: Text,
    pub other: Text,
    pub kinder: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalButtons {
    pub write: Text,
    pub previous: Text,
    pub next: Text,
    pub delete: Text,
    pub confirm: Text,
    pub keep: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalMessages {
    pub saved: Text,
    pub empty: Text,
    pub too_long: Text,
    pub unknown_prompt: Text,
    pub none: Text,
    pub page: Text,
    pub unreadable: Text,
    pub delete_confirm: Text,
    pub deleted: Text,
    pub kept: Text,
    pub delete_expired: Text,
    pub gone: Text,
}

impl Journal {
    /// The words of `prompt`.
    pub fn prompt(&self, prompt: Prompt) -> &PromptWords {
        let p = &self.prompts;
        match prompt {
            Prompt::Needed => &p.needed,
            Prompt::Reassurance => &p.reassurance,
            Prompt::Sensitivity => &p.sensitivity,
            Prompt::Secure => &p.secure,
            Prompt::Soothed => &p.soothed,
            Prompt::Free => &p.free,
        }
    }
}

impl PromptFile for Journal {
    const NAME: &'static str = "journal.toml";

    fn check(&self, c: &mut Checker) {
        for prompt in Prompt::ALL {
            let words = self.prompt(prompt);
            let key = format!("prompts.{}", prompt.key());
            form_label(c, &format!("{key}.name"), &words.name);
            c.text(&format!("{key}.question"), &words.question, &[]);
            c.require(
                &format!("{key}.question"),
                words.question.plain().chars().count() <= MAX_FORM_HINT_CHARS,
                &format!("is longer than Discord's {MAX_FORM_HINT_CHARS} characters for a hint"),
            );
        }
        form_label(c, "form.label", &self.form.label);
        let (k, r) = (&self.kinds, &self.reframe);
        for (key, text) in [
            ("kinds.reframe", &k.reframe),
            ("kinds.draft", &k.draft),
            ("reframe.happened", &r.happened),
            ("reframe.story", &r.story),
            ("reframe.other", &r.other),
            ("reframe.kinder", &r.kinder),
        ] {
            c.text(key, text, &[]);
        }
        let b = &self.buttons;
        for (key, text) in [
            ("buttons.write", &b.write),
            ("buttons.previous", &b.previous),
            ("buttons.next", &b.next),
            ("buttons.delete", &b.delete),
            ("buttons.confirm", &b.confirm),
            ("buttons.keep", &b.keep),
        ] {
            c.label(key, text);
        }
        let m = &self.messages;
        for (key, text, allowed) in [
            ("messages.saved", &m.saved, &[][..]),
            ("messages.empty", &m.empty, &[]),
            ("messages.too_long", &m.too_long, &[]),
            ("messages.unknown_prompt", &m.unknown_prompt, &[]),
            ("messages.none", &m.none, &[]),
            ("messages.page", &m.page, &["page", "pages", "date"]),
            ("messages.unreadable", &m.unreadable, &[]),
            ("messages.delete_confirm", &m.delete_confirm, &[]),
            ("messages.deleted", &m.deleted, &[]),
            ("messages.kept", &m.kept, &[]),
            ("messages.delete_expired", &m.delete_expired, &[]),
            ("messages.gone", &m.gone, &[]),
        ] {
            c.text(key, text, allowed);
        }
    }
}

/// A modal's title or a field's label: Discord takes 1 to 45 characters.
fn form_label(c: &mut Checker, key: &str, text: &Text) {
    c.text(key, text, &[]);
    c.require(
        key,
        text.plain().chars().count() <= MAX_FORM_LABEL_CHARS,
        &format!("is longer than Discord's {MAX_FORM_LABEL_CHARS} characters for a form's title or label"),
    );
}
