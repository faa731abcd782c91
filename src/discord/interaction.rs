//! The interaction a response belongs to, whether a slash command, a
//! button press or a modal's submit, so one code path can answer any.

use crate::prompts::chosen;
use poise::serenity_prelude as serenity;
use serenity::CreateInteractionResponse;

/// What answering an interaction takes: its id and token, the application,
/// and who asked, in which language.
pub(crate) struct Interaction {
    pub id: serenity::InteractionId,
    pub token: String,
    pub application: u64,
    pub user: u64,
    /// The Discord locale the person reads (see [`chosen`]).
    pub locale: String,
}

impl Interaction {
    pub fn command(interaction: &serenity::CommandInteraction) -> Interaction {
        let i = interaction;
        let locale = chosen(&i.locale, i.guild_locale.as_deref());
        Interaction::new(i.id, &i.token, i.application_id, &i.user, locale)
    }

    pub fn component(interaction: &serenity::ComponentInteraction) -> Interaction {
        let i = interaction;
        let locale = chosen(&i.locale, i.guild_locale.as_deref());
        Interaction::new(i.id, &i.token, i.application_id, &i.user, locale)
    }

    pub fn modal(interaction: &serenity::ModalInteraction) -> Interaction {
        let i = interaction;
        let locale = chosen(&i.locale, i.guild_locale.as_deref());
        Interaction::new(i.id, &i.token, i.application_id, &i.user, locale)
    }

    fn new(
        id: serenity::InteractionId,
        token: &str,
        application: serenity::ApplicationId,
        user: &serenity::User,
        locale: &str,
    ) -> Interaction {
        Interaction {
            id,
            token: token.to_owned(),
            application: application.get(),
            user: user.id.get(),
            locale: locale.to_owned(),
        }
    }

    /// Answer this interaction (build the answer with `reply`).
    pub async fn respond(
        &self,
        http: &serenity::Http,
        response: CreateInteractionResponse,
    ) -> Result<(), serenity::Error> {
        http.create_interaction_response(self.id, &self.token, &response, Vec::new())
            .await
    }
}
