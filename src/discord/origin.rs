//! The interaction a response belongs to, whether a slash command or a
//! button press, so one code path can answer either.

use poise::serenity_prelude as serenity;
use serenity::{
    CreateAllowedMentions, CreateInteractionResponse, CreateInteractionResponseMessage,
};

pub(crate) struct Origin {
    pub id: serenity::InteractionId,
    pub token: String,
    pub application: u64,
    pub user: u64,
}

impl Origin {
    pub fn command(interaction: &serenity::CommandInteraction) -> Origin {
        Origin {
            id: interaction.id,
            token: interaction.token.clone(),
            application: interaction.application_id.get(),
            user: interaction.user.id.get(),
        }
    }

    pub fn component(interaction: &serenity::ComponentInteraction) -> Origin {
        Origin {
            id: interaction.id,
            token: interaction.token.clone(),
            application: interaction.application_id.get(),
            user: interaction.user.id.get(),
        }
    }

    pub async fn respond(
        &self,
        http: &serenity::Http,
        response: CreateInteractionResponse,
    ) -> Result<(), serenity::Error> {
        http.create_interaction_response(self.id, &self.token, &response, Vec::new())
            .await
    }

    /// Answer with a message only this person sees.
    pub async fn say_privately(
        &self,
        http: &serenity::Http,
        content: String,
    ) -> Result<(), serenity::Error> {
        self.respond(
            http,
            CreateInteractionResponse::Message(message(content).ephemeral(true)),
        )
        .await
    }
}

/// A new message that pings nobody.
pub(crate) fn message(content: String) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(content)
        .allowed_mentions(CreateAllowedMentions::new())
}
