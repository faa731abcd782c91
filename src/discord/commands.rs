//! The command list as Discord gets it: every command described in the
//! words of `prompts/commands.toml`, named and described in every language
//! (Discord's localizations), options offered as choices, and pushed
//! globally or to one server.

use super::data::{Data, Error};
use super::{
    about, anchors, breathe, calm, checkin, ground, journal, mydata, reframe, relax, soothe,
    support, wait,
};
use crate::prompts::{Catalog, Catalogs, Locale};
use poise::serenity_prelude as serenity;
use std::borrow::Cow;

/// Every command, described in the words of `prompts/commands.toml`, in
/// English and (as Discord's localizations) in every other language.
pub(super) fn commands(prompts: &Catalogs) -> Vec<poise::Command<Data, Error>> {
    let mut commands = vec![
        about::about(),
        with_choices(breathe::breathe(), "pattern", prompts, pattern_names),
        anchors::anchors(),
        support::support(),
        ground::ground(),
        soothe::soothe(),
        reframe::reframe(),
        with_choices(relax::relax(), "pace", prompts, |words| {
            words.relax.paces.iter().map(|p| p.name.clone()).collect()
        }),
        with_choices(wait::wait(), "minutes", prompts, |words| {
            let minutes = |&length| words.wait.minutes.render(length);
            wait::LENGTHS.iter().map(minutes).collect()
        }),
        checkin::checkin(),
        mydata::mydata(),
        journal::journal(),
        with_choices_at(
            calm::calm(),
            &["ritual", "set"],
            "pattern",
            prompts,
            pattern_names,
        ),
    ];
    for command in &mut commands {
        describe(command, prompts);
    }
    commands
}

/// The breathing patterns, by name, for a `pattern` option's choices.
fn pattern_names(words: &Catalog) -> Vec<String> {
    words
        .breathing
        .patterns
        .iter()
        .map(|p| p.name.clone())
        .collect()
}

/// The full names of the commands people run (`anchors add`, not `anchors`).
pub(super) fn runnable(commands: &[poise::Command<Data, Error>]) -> Vec<&str> {
    commands
        .iter()
        .flat_map(|command| match command.subcommands.as_slice() {
            [] => vec![&*command.qualified_name],
            subcommands => runnable(subcommands),
        })
        .collect()
}

/// A localization: a Discord locale code and the words in it.
type Localized = (Cow<'static, str>, Cow<'static, str>);

/// `text` in each language but English, under every Discord locale that
/// reads it (`es-419` reads `es-ES`); a language where `text` gives None
/// keeps the English.
fn localized(
    prompts: &Catalogs,
    text: impl Fn(&Catalog) -> Option<String>,
) -> Cow<'static, [Localized]> {
    let mut all = Vec::new();
    for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::English) {
        let Some(words) = text(prompts.get(locale)) else {
            continue;
        };
        for code in locale.discord_codes() {
            all.push((Cow::Borrowed(*code), Cow::Owned(words.clone())));
        }
    }
    Cow::Owned(all)
}

/// Words are keyed by the full name (`anchors add` for a subcommand).
fn describe(command: &mut poise::Command<Data, Error>, prompts: &Catalogs) {
    // poise fills in `qualified_name` only when the framework is built.
    for subcommand in &mut command.subcommands {
        subcommand.qualified_name =
            format!("{} {}", command.qualified_name, subcommand.name).into();
        describe(subcommand, prompts);
    }
    let name = command.qualified_name.to_string();
    let Some(words) = prompts.english().commands.get(&name) else {
        return;
    };
    command.description = Some(words.description.plain().into());
    let of = |words: &Catalog| words.commands.get(&name).cloned();
    command.description_localizations =
        localized(prompts, |words| Some(of(words)?.description.plain()));
    command.name_localizations = localized(prompts, |words| of(words)?.name);
    for parameter in &mut command.parameters {
        let option = parameter.name.to_string();
        if let Some(text) = words.options.get(&option) {
            parameter.description = Some(text.plain().into());
        }
        parameter.description_localizations = localized(prompts, |words| {
            Some(of(words)?.options.get(&option)?.plain())
        });
        parameter.name_localizations = localized(prompts, |words| {
            of(words)?.option_names.get(&option).cloned()
        });
    }
}

/// `command` with one of its options offered as a choice of the items
/// `names` lists from prompts, by name in each language (every language
/// has the same items: `steady check`); Discord then sends the chosen
/// item's index.
fn with_choices(
    mut command: poise::Command<Data, Error>,
    option: &str,
    prompts: &Catalogs,
    names: impl Fn(&Catalog) -> Vec<String>,
) -> poise::Command<Data, Error> {
    if let Some(parameter) = command.parameters.iter_mut().find(|p| p.name == option) {
        parameter.choices = names(prompts.english())
            .into_iter()
            .enumerate()
            .map(|(i, name)| poise::CommandParameterChoice {
                name: name.into(),
                localizations: localized(prompts, |words| names(words).get(i).cloned()),
                __non_exhaustive: (),
            })
            .collect();
    }
    command
}

/// As [`with_choices`], for an option of the subcommand at `path`
/// (`calm ritual set`).
fn with_choices_at(
    mut command: poise::Command<Data, Error>,
    path: &[&str],
    option: &str,
    prompts: &Catalogs,
    names: impl Fn(&Catalog) -> Vec<String>,
) -> poise::Command<Data, Error> {
    let Some((first, rest)) = path.split_first() else {
        return with_choices(command, option, prompts, names);
    };
    if let Some(sub) = command
        .subcommands
        .iter_mut()
        .find(|sub| sub.name == *first)
    {
        let taken = std::mem::take(sub);
        *sub = with_choices_at(taken, rest, option, prompts, names);
    }
    command
}

pub(super) async fn push_commands(
    http: &serenity::Http,
    commands: &[poise::Command<Data, Error>],
    guild: Option<serenity::GuildId>,
) -> Result<(), serenity::Error> {
    match guild {
        Some(guild) => poise::builtins::register_in_guild(http, commands, guild).await,
        None => poise::builtins::register_globally(http, commands).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_option_has_words_in_prompts() {
        fn check(command: &poise::Command<Data, Error>, prompts: &Catalog) {
            let name = &command.qualified_name;
            let words = prompts.commands.get(name);
            assert!(words.is_some(), "/{name} has no words");
            for parameter in &command.parameters {
                assert!(
                    words.unwrap().options.contains_key(parameter.name.as_ref()),
                    "/{name} {} has no words",
                    parameter.name
                );
            }
            for subcommand in &command.subcommands {
                check(subcommand, prompts);
            }
        }
        let prompts = Catalogs::load(None).unwrap();
        for command in commands(&prompts) {
            check(&command, prompts.english());
        }
    }
}
