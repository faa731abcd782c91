//! Forms: a modal Discord shows over the chat, opened in answer to a
//! command or a button press (never to another modal's submit: Discord
//! refuses that), and what the person typed in it when they submit.
//! A modal's id is a button's (`feature:action:owner:payload`), so its
//! submit carries its owner and finds its feature the same way.

use super::interaction::Interaction;
use poise::serenity_prelude as serenity;
use serenity::{
    ActionRowComponent, CreateActionRow, CreateInputText, CreateInteractionResponse, InputTextStyle,
};

/// Discord's longest text a modal's input takes.
pub(crate) const MOST_CHARS: u16 = 4000;

/// A modal to show: a title and up to five text fields.
pub(crate) struct Modal {
    id: String,
    title: String,
    fields: Vec<CreateInputText>,
}

impl Modal {
    /// A modal with the id of a button (`component::button_id`) and a
    /// title from prompts (Discord allows 45 characters; `tests/prompts.rs`
    /// checks every language's).
    pub fn new(id: String, title: String) -> Modal {
        Modal {
            id,
            title,
            fields: Vec::new(),
        }
    }

    /// Add a field.
    pub fn field(mut self, field: Field) -> Modal {
        self.fields.push(field.0);
        self
    }

    /// Show it: the answer to the command or press `origin`.
    pub async fn open(
        self,
        http: &serenity::Http,
        origin: &Interaction,
    ) -> Result<(), serenity::Error> {
        let rows = self
            .fields
            .into_iter()
            .map(CreateActionRow::InputText)
            .collect();
        let modal = serenity::CreateModal::new(self.id, self.title).components(rows);
        origin
            .respond(http, CreateInteractionResponse::Modal(modal))
            .await
    }
}

/// One text field of a modal.
pub(crate) struct Field(CreateInputText);

impl Field {
    /// A field of several lines, `id` naming it in the submit, holding at
    /// most `most` characters, required.
    pub fn lines(id: &str, label: String, most: u16) -> Field {
        Field(
            CreateInputText::new(InputTextStyle::Paragraph, label, id)
                .min_length(1)
                .max_length(most.min(MOST_CHARS)),
        )
    }

    /// A grey hint shown while the field is empty (Discord allows 100
    /// characters).
    pub fn hint(self, hint: String) -> Field {
        Field(self.0.placeholder(hint))
    }

    /// What the field holds when it opens: what the person wrote before.
    pub fn holding(self, text: String) -> Field {
        Field(self.0.value(text))
    }
}

/// What the person typed in the field named `id` of a submitted modal.
pub(crate) fn value<'a>(submit: &'a serenity::ModalInteraction, id: &str) -> Option<&'a str> {
    submit
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|component| match component {
            ActionRowComponent::InputText(input) if input.custom_id == id => input.value.as_deref(),
            _ => None,
        })
}
