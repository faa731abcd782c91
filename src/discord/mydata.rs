//! `/mydata`: everything steady keeps about a person, theirs to take (a JSON
//! file by DM) or to delete (after a confirmation only they can press).

use super::component::Press;
use super::confirm;
use super::data::{locale, ApplicationContext, Error};
use super::intent::Intent;
use super::reply::{self, message};
use super::rest::File;
use super::send;
use crate::prompts::Text;
use crate::store::Export;
use poise::serenity_prelude as serenity;
use serenity::CreateInteractionResponse;
use std::collections::BTreeMap;

/// The name of the file `/mydata export` sends.
const FILE_NAME: &str = "steady-data.json";

#[poise::command(
    slash_command,
    subcommands("export", "delete"),
    subcommand_required,
    install_context = "Guild|User",
    interaction_context = "Guild|BotDm|PrivateChannel"
)]
pub(crate) async fn mydata(_ctx: ApplicationContext<'_>) -> Result<(), Error> {
    Ok(())
}

#[poise::command(slash_command)]
async fn export(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    let words = &data.words(locale(ctx)).mydata.messages;
    // Held before the read: a request held reads nothing.
    if let Some(pause) = data.hold_dm(user, locale(ctx)) {
        return reply::say(ctx, pause).await;
    }
    let Some(export) = data.store.export(user).await? else {
        tracing::info!("export: nothing kept");
        return reply::say(ctx, words.export_nothing.plain()).await;
    };
    // A DM can take longer than Discord waits for an answer.
    ctx.defer_ephemeral().await?;
    let file = File {
        name: FILE_NAME.to_owned(),
        bytes: file_json(&export, &data.words(locale(ctx)).mydata.fields)?,
        content_type: "application/json",
    };
    let note = send::message(words.export_note.plain());
    let intent = Intent::Answer {
        interaction: ctx.interaction.id.get(),
        part: 0,
    };
    match send::dm(
        &data.rest,
        &data.store,
        user,
        None,
        note,
        Some(&file),
        intent,
    )
    .await
    {
        Ok(_) => {
            tracing::info!("export sent by DM");
            reply::say(ctx, words.export_sent.plain()).await
        }
        Err(error) if send::dms_closed(&error) => {
            tracing::info!("DMs closed; export given privately instead");
            let attachment = serenity::CreateAttachment::bytes(file.bytes, file.name);
            let answer = reply::private(words.export_dms_closed.plain()).attachment(attachment);
            ctx.send(answer).await?;
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

#[poise::command(slash_command)]
async fn delete(ctx: ApplicationContext<'_>) -> Result<(), Error> {
    let data = ctx.data();
    let user = ctx.interaction.user.id.get();
    let words = &data.words(locale(ctx)).mydata;
    if !data.store.knows(user).await? {
        return reply::say(ctx, words.messages.delete_nothing.plain()).await;
    }
    let b = &words.buttons;
    let row = confirm::row(
        "mydata",
        "delete",
        user,
        (&b.delete, &b.keep),
        data.store.now(),
    );
    tracing::info!("delete asked; waiting for confirmation");
    let ask = reply::private(words.messages.delete_confirm.plain()).components(vec![row]);
    ctx.send(ask).await?;
    Ok(())
}

/// A press on the confirmation, by its owner.
pub(crate) async fn on_press(press: Press<'_>) -> Result<(), Error> {
    let (http, data, origin, id) = (press.http, press.data, press.origin, press.id);
    let m = &data.words(&origin.locale).mydata.messages;
    let user = origin.user;
    let in_time = confirm::in_time(id.payload, data.store.now());
    let answer = match id.action {
        "delete" if in_time => {
            let forgotten = data.store.forget(user).await?;
            // Nothing of theirs may go on: no check-in, no running exercise.
            data.schedule_changed.notify_one();
            let stopped = data.sessions.stop(user, None);
            tracing::info!(stopped, anchors = forgotten.anchors, "everything deleted");
            let checkin = if forgotten.checkin {
                &m.checkin_yes
            } else {
                &m.checkin_no
            };
            m.deleted.render(&[
                ("anchors", &forgotten.anchors.to_string()),
                ("checkin", &checkin.plain()),
                ("journal", &forgotten.journal.to_string()),
                ("moods", &forgotten.moods.to_string()),
                ("urges", &forgotten.urges.to_string()),
            ])
        }
        "delete" => m.delete_expired.plain(),
        "keep" => m.kept.plain(),
        _ => data.words(&origin.locale).errors.expired.plain(),
    };
    let update = CreateInteractionResponse::UpdateMessage(message(answer).components(Vec::new()));
    origin.respond(http, update).await?;
    Ok(())
}

/// The export file: the person's data, and (under `fields`) what each
/// field holds, in their language.
fn file_json(export: &Export, fields: &BTreeMap<String, Text>) -> serde_json::Result<Vec<u8>> {
    let mut json = serde_json::to_value(export)?;
    let described: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(field, text)| (field.clone(), text.plain().into()))
        .collect();
    if let Some(object) = json.as_object_mut() {
        object.insert("fields".to_owned(), described.into());
    }
    serde_json::to_vec_pretty(&json)
}
