//! `prompts/mydata.toml`: the words of /mydata export and delete.

use super::{Checker, PromptFile, Text};
use crate::store::Export;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MyData {
    pub buttons: MyDataButtons,
    pub messages: MyDataMessages,
    /// What each field of the export file holds, by the field's name.
    pub fields: BTreeMap<String, Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MyDataButtons {
    pub delete: Text,
    pub keep: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MyDataMessages {
    pub export_note: Text,
    pub export_sent: Text,
    pub export_dms_closed: Text,
    pub export_nothing: Text,
    pub delete_confirm: Text,
    pub delete_nothing: Text,
    pub deleted: Text,
    pub checkin_yes: Text,
    pub checkin_no: Text,
    pub kept: Text,
    pub delete_expired: Text,
}

impl PromptFile for MyData {
    const NAME: &'static str = "mydata.toml";

    fn check(&self, c: &mut Checker) {
        c.label("buttons.delete", &self.buttons.delete);
        c.label("buttons.keep", &self.buttons.keep);
        let m = &self.messages;
        for (key, text, allowed) in [
            ("messages.export_note", &m.export_note, &[][..]),
            ("messages.export_sent", &m.export_sent, &[]),
            ("messages.export_dms_closed", &m.export_dms_closed, &[]),
            ("messages.export_nothing", &m.export_nothing, &[]),
            ("messages.delete_confirm", &m.delete_confirm, &[]),
            ("messages.delete_nothing", &m.delete_nothing, &[]),
            (
                "messages.deleted",
                &m.deleted,
                &["anchors", "checkin", "journal", "moods", "urges"],
            ),
            ("messages.checkin_yes", &m.checkin_yes, &[]),
            ("messages.checkin_no", &m.checkin_no, &[]),
            ("messages.kept", &m.kept, &[]),
            ("messages.delete_expired", &m.delete_expired, &[]),
        ] {
            c.text(key, text, allowed);
        }
        for field in Export::FIELDS {
            let described = self.fields.contains_key(field);
            c.require(&format!("fields.{field}"), described, "is missing");
        }
        for (field, text) in &self.fields {
            let key = format!("fields.{field}");
            c.text(&key, text, &[]);
            let known = Export::FIELDS.contains(&field.as_str());
            c.require(&key, known, "is not a field of the export file");
        }
    }
}
