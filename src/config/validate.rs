//! The checks `Config::load` makes before anything starts: the first
//! setting steady cannot work with is refused by name, saying what it may be.

use super::discord::DISCORD_GLOBAL_PER_SECOND;
use super::shards::LEAST_SHARE;
use super::{api_url, Config, ConfigError, Shards};
use crate::timing::{MAX_BREATHE_MINUTES, MAX_LEAD_IN_SECONDS, MAX_NONCE_WINDOW_SECONDS};
use std::ops::RangeInclusive;

impl Config {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        self.check_discord()?;
        self.check_shards()?;
        self.check_database()?;
        self.check_breathe()?;
        self.check_wait()?;
        self.check_checkin()?;
        self.check_metrics()?;
        self.check_log()
    }

    /// The refusal of `key`, pointing at where its value came from.
    fn invalid(&self, key: &'static str, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            at: self.setting(key),
            message: message.into(),
        }
    }

    /// `value` of `key` within `range`, or refused with `message`.
    fn within(
        &self,
        key: &'static str,
        value: u32,
        range: RangeInclusive<u32>,
        message: impl Into<String>,
    ) -> Result<(), ConfigError> {
        if range.contains(&value) {
            Ok(())
        } else {
            Err(self.invalid(key, message))
        }
    }

    fn check_discord(&self) -> Result<(), ConfigError> {
        let discord = &self.discord;
        api_url::check(&discord.api_url)
            .map_err(|message| self.invalid("discord.api_url", message))?;
        self.within(
            "discord.requests_per_second",
            discord.requests_per_second,
            1..=DISCORD_GLOBAL_PER_SECOND,
            format!(
                "{} is out of range: must be 1 to {DISCORD_GLOBAL_PER_SECOND}, \
                 Discord's global limit of requests per second for the whole bot",
                discord.requests_per_second
            ),
        )?;
        self.within(
            "discord.request_timeout_seconds",
            discord.request_timeout_seconds,
            1..=60,
            "must be 1 to 60",
        )?;
        self.within(
            "discord.nonce_window_seconds",
            discord.nonce_window_seconds,
            1..=MAX_NONCE_WINDOW_SECONDS,
            format!(
                "must be 1 to {MAX_NONCE_WINDOW_SECONDS}: Discord remembers a nonce \
                 only for the past few minutes"
            ),
        )
    }

    /// A range of shards needs the count it is a range of, and a share of
    /// the bot's requests the split can keep; the fault is named at the
    /// range when there is one.
    fn check_shards(&self) -> Result<(), ConfigError> {
        let range = self.discord.shards.as_deref();
        let key = if range.is_some() {
            "discord.shards"
        } else {
            "discord.shard_count"
        };
        let shards = match self.discord.shard_count {
            Some(count) => {
                Shards::parse(range, count).map_err(|message| self.invalid(key, message))?
            }
            None if range.is_some() => {
                return Err(self.invalid(
                    key,
                    "needs discord.shard_count, the bot's shards over all its processes",
                ))
            }
            None => return Ok(()),
        };
        let per_second = self.discord.requests_per_second;
        let share = shards.share(per_second);
        if share >= LEAST_SHARE {
            return Ok(());
        }
        let which = if shards.first == shards.last {
            format!("shard {}", shards.first)
        } else {
            format!("shards {}-{}", shards.first, shards.last)
        };
        Err(self.invalid(
            key,
            format!(
                "this process ({which} of {}) has {share} of the bot's {per_second} requests a \
                 second (discord.requests_per_second); each process needs at least {LEAST_SHARE}, \
                 so that all of them together stay within it: give this process more of the \
                 shards, or raise discord.requests_per_second",
                shards.count
            ),
        ))
    }

    fn check_database(&self) -> Result<(), ConfigError> {
        let url = &self.database.url;
        if url.starts_with("sqlite:") || crate::store::is_postgres(url) {
            return Ok(());
        }
        Err(self.invalid(
            "database.url",
            format!(
                "{:?} is neither a sqlite: URL nor a postgres:// one",
                crate::store::shown(url)
            ),
        ))
    }

    fn check_breathe(&self) -> Result<(), ConfigError> {
        self.within(
            "breathe.max_minutes",
            self.breathe.max_minutes,
            1..=MAX_BREATHE_MINUTES,
            format!(
                "must be 1 to {MAX_BREATHE_MINUTES}: Discord lets a bot edit its reply for 15 minutes"
            ),
        )?;
        self.within(
            "breathe.lead_in_seconds",
            self.breathe.lead_in_seconds,
            0..=MAX_LEAD_IN_SECONDS,
            format!("must be 0 to {MAX_LEAD_IN_SECONDS}"),
        )
    }

    fn check_wait(&self) -> Result<(), ConfigError> {
        self.within(
            "wait.minute_ms",
            self.wait.minute_ms,
            1..=60_000,
            "must be 1 to 60000 (a real minute)",
        )
    }

    fn check_checkin(&self) -> Result<(), ConfigError> {
        self.within(
            "checkin.grace_minutes",
            self.checkin.grace_minutes,
            1..=24 * 60,
            "must be 1 to 1440 (a day)",
        )?;
        if self.checkin.max_failures == 0 {
            return Err(self.invalid("checkin.max_failures", "must be at least 1"));
        }
        Ok(())
    }

    fn check_metrics(&self) -> Result<(), ConfigError> {
        match &self.metrics.listen {
            Some(listen) if self.metrics.address().is_none() => Err(self.invalid(
                "metrics.listen",
                format!("{listen:?} is not an address and port such as 127.0.0.1:9464"),
            )),
            _ => Ok(()),
        }
    }

    fn check_log(&self) -> Result<(), ConfigError> {
        tracing_subscriber::EnvFilter::try_new(&self.log.filter)
            .map(drop)
            .map_err(|error| self.invalid("log.filter", error.to_string()))
    }
}
