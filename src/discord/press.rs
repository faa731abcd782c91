//! Every button press goes through here. Every button steady makes carries
//! its owner in its id, so a press by anyone else is turned away kindly
//! before any feature sees it; the rest go to their feature. The only
//! buttons for anyone are a calm corner's and a daily moment's, in a
//! server: they start the presser's own flow.

use super::component::{ButtonId, Press};
use super::data::{Data, Error};
use super::interaction::Interaction;
use super::{
    anchors, breathe, calm, checkin, ground, journal, mydata, paced, reframe, relax, reply, soothe,
    support, wait,
};
use crate::prompts::Text;
use poise::serenity_prelude as serenity;

pub(crate) async fn route(
    http: &serenity::Http,
    data: &Data,
    press: &serenity::ComponentInteraction,
) {
    let origin = Interaction::component(press);
    let errors = &data.words(&origin.locale).errors;
    checkin::keep_locale(&data.store, origin.user, &origin.locale).await;
    let with = |id| Press {
        http,
        data,
        origin: &origin,
        id,
        interaction: press,
    };
    let answered: Result<(), Error> = match ButtonId::parse(&press.data.custom_id) {
        // A calm corner's buttons are anyone's: each starts the presser's
        // own flow, as that flow's own button would, owned by them.
        Some(id) if id.feature == "panel" => match calm::panel_press(id.action) {
            Some((feature, action, payload)) => {
                let owner = origin.user;
                let id = ButtonId {
                    feature,
                    action,
                    owner,
                    payload,
                };
                to_feature(with(id)).await
            }
            None => privately(http, &origin, &errors.expired).await,
        },
        // So are a daily moment's (its feature counts and starts theirs).
        Some(id) if id.owner != origin.user && id.feature != "ritual" => {
            tracing::info!("a button press on someone else's message");
            privately(http, &origin, &errors.not_yours).await
        }
        Some(id) => to_feature(with(id)).await,
        None => privately(http, &origin, &errors.expired).await,
    };
    if let Err(error) = answered {
        tracing::warn!(%error, "a button press failed");
        // If the press was not answered yet, the person still hears from us.
        if let Err(error) = privately(http, &origin, &errors.unexpected).await {
            tracing::debug!(%error, "could not say so");
        }
    }
}

/// The feature named in the button's id answers it.
async fn to_feature(press: Press<'_>) -> Result<(), Error> {
    match press.id.feature {
        "pace" => paced::on_press(press).await.map_err(Error::from),
        "breathe" => breathe::on_press(press).await.map_err(Error::from),
        "anchors" => anchors::on_press(press).await,
        "checkin" => checkin::on_press(press).await,
        "mydata" => mydata::on_press(press).await,
        "ground" => ground::on_press(press).await.map_err(Error::from),
        "relax" => relax::on_press(press).await.map_err(Error::from),
        "support" => support::on_press(press).await.map_err(Error::from),
        "soothe" => soothe::on_choose(press).await.map_err(Error::from),
        "wait" => wait::on_press(press).await,
        "reframe" => reframe::on_press(press).await,
        "calm" => calm::on_press(press).await,
        "ritual" => calm::on_join(press).await,
        "journal" => journal::on_press(press).await,
        _ => press.expired().await.map_err(Error::from),
    }
}

/// The routers' own answers: someone else's button or modal, an unknown
/// one, a failure.
pub(super) async fn privately(
    http: &serenity::Http,
    origin: &Interaction,
    text: &Text,
) -> Result<(), Error> {
    Ok(origin
        .respond(http, reply::private_message(text.plain()))
        .await?)
}
