//! Slash-command options whose choices come from prompts: Discord shows the
//! names and sends back the index.

use super::data::{Data, Error};

/// `command` with `names` offered as `option`'s choices.
pub(crate) fn with_choices(
    mut command: poise::Command<Data, Error>,
    option: &str,
    names: impl Iterator<Item = String>,
) -> poise::Command<Data, Error> {
    if let Some(parameter) = command.parameters.iter_mut().find(|p| p.name == option) {
        parameter.choices = names
            .map(|name| poise::CommandParameterChoice {
                name: name.into(),
                localizations: Default::default(),
                __non_exhaustive: (),
            })
            .collect();
    }
    command
}
