//! The interaction a response belongs to, whether a slash command or a
//! button press, so one code path can answer either.

use crate::prompts::chosen;
use poise::serenity_prelude as serenity;
use serenity::CreateInteractionResponse;

pub(crate) struct Origin {
    pub id: serenity::InteractionId,
    pub token: String,
    pub application: u64,
    pub user: u64,
    /// The Discord locale the person reads (see [`chosen`]).
    pub locale: String,
}

impl Origin {
    pub fn command(interaction: &serenity::CommandInteraction) -> Origin {
        let i = interaction;
        let locale = chosen(&i.locale, i.guild_locale.as_deref());
        Origin::new(i.id, &i.token, i.application_id, &i.user, locale)
    }

    pub fn component(interaction: &serenity::ComponentInteraction) -> Origin {
        let i = interaction;
        let locale = chosen(&i.locale, i.guild_locale.as_deref());
        Origin::new(i.id, &i.token, i.application_id, &i.user, locale)
    }

    fn new(
        id: serenity::InteractionId,
        token: &str,
        application: serenity::ApplicationId,
        user: &serenity::User,
        locale: &str,
    ) -> Origin {
        Origin {
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
