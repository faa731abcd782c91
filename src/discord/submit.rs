//! Every modal's submit goes through here. A modal's id carries its owner
//! as a button's does: Discord shows a modal only to whoever opened it,
//! but a submit's id is the client's to send, so one naming someone else
//! is turned away kindly before any feature sees it.

use super::component::ButtonId;
use super::data::{Data, Error};
use super::interaction::Interaction;
use super::{journal, modal, press, reframe, wait};
use poise::serenity_prelude as serenity;

/// A submitted modal, by its owner, as the router hands it to a feature.
#[derive(Clone, Copy)]
pub(crate) struct Submit<'a> {
    pub http: &'a serenity::Http,
    pub data: &'a Data,
    /// Who submitted, and the interaction to answer.
    pub origin: &'a Interaction,
    pub id: ButtonId<'a>,
    /// The submit as Discord sent it (the message whose button opened it).
    pub interaction: &'a serenity::ModalInteraction,
}

impl<'a> Submit<'a> {
    /// What the person typed in the field named `field`; None if the
    /// submit has no such field.
    pub fn value(&self, field: &str) -> Option<&'a str> {
        modal::value(self.interaction, field)
    }
}

pub(crate) async fn route(http: &serenity::Http, data: &Data, submit: &serenity::ModalInteraction) {
    let origin = Interaction::modal(submit);
    let errors = &data.words(&origin.locale).errors;
    let answered: Result<(), Error> = match ButtonId::parse(&submit.data.custom_id) {
        Some(id) if id.owner != origin.user => {
            tracing::info!("a modal submitted with someone else's id");
            press::privately(http, &origin, &errors.not_yours).await
        }
        Some(id) => {
            to_feature(Submit {
                http,
                data,
                origin: &origin,
                id,
                interaction: submit,
            })
            .await
        }
        None => press::privately(http, &origin, &errors.expired).await,
    };
    if let Err(error) = answered {
        tracing::warn!(%error, "a modal's submit failed");
        if let Err(error) = press::privately(http, &origin, &errors.unexpected).await {
            tracing::debug!(%error, "could not say so");
        }
    }
}

/// The feature named in the modal's id answers it.
async fn to_feature(submit: Submit<'_>) -> Result<(), Error> {
    match submit.id.feature {
        "journal" => journal::on_submit(submit).await,
        "reframe" => reframe::on_submit(submit).await,
        "wait" => wait::on_submit(submit).await,
        _ => {
            let errors = &submit.data.words(&submit.origin.locale).errors;
            press::privately(submit.http, submit.origin, &errors.expired).await
        }
    }
}
