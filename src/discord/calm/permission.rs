//! Who may ask steady to do what in a server. `/calm` is for people with
//! Manage Server by default, but a server may open it to anyone in its
//! integration settings: that opens the panel and status, never the
//! server's help lines, its daily moment or forgetting them. So each of
//! those checks the permissions Discord sends with the interaction itself,
//! and nobody makes steady post where they could not post themselves.

use super::panel::Refusal;
use crate::discord::budget::Lane;
use crate::discord::rest::{Rest, RestError};
use poise::serenity_prelude::{
    GuildId, Member, PartialChannel, PermissionOverwrite, PermissionOverwriteType, Permissions,
    RoleId, UserId,
};
use serde::Deserialize;
use serde_json::Value;
use PermissionOverwriteType as Target;

/// Whether `member` may change what steady keeps for their server: Manage
/// Server (or Administrator), as Discord computed it for this interaction.
/// Nothing sent means no.
pub(super) fn manages(member: Option<&Member>) -> bool {
    member
        .and_then(|member| member.permissions)
        .is_some_and(|permissions| permissions.manage_guild() || permissions.administrator())
}

/// Whether the person could post in `channel` themselves: Discord sends
/// their permissions in a channel option's channel. Nothing sent means no.
pub(super) fn may_post(channel: &PartialChannel) -> bool {
    channel.permissions.is_some_and(can_post)
}

fn can_post(permissions: Permissions) -> bool {
    permissions.administrator() || (permissions.view_channel() && permissions.send_messages())
}

/// Why steady itself could not post in `channel` of `guild`, if anything
/// stops it. Discord tells a command only about its own channel, so this
/// works out steady's permissions there from the server's roles, steady's
/// own and the channel's overwrites, as Discord documents it.
pub(super) async fn bot_refusal(
    rest: &Rest,
    guild: u64,
    channel: u64,
    bot: u64,
) -> Result<Option<Refusal>, RestError> {
    let channel: Channel = read(rest.get_channel(channel, Lane::Person).await?)?;
    let server: Server = read(rest.get_guild(guild, Lane::Person).await?)?;
    let me: Roles = read(rest.get_member(guild, bot, Lane::Person).await?)?;
    let permissions = permissions_in(&server, &me.roles, &channel, bot.into(), guild.into());
    Ok(if !permissions.view_channel() {
        Some(Refusal::NoView)
    } else if !permissions.send_messages() {
        Some(Refusal::NoSend)
    } else {
        None
    })
}

fn read<T: for<'de> Deserialize<'de>>(value: Value) -> Result<T, RestError> {
    serde_json::from_value(value).map_err(|_| RestError::Unexpected)
}

/// What of a guild the permissions depend on.
#[derive(Deserialize)]
struct Server {
    owner_id: UserId,
    roles: Vec<Role>,
}

/// A role's id and permissions (serenity's `Role` wants every field).
#[derive(Deserialize)]
struct Role {
    id: RoleId,
    permissions: Permissions,
}

/// A member's roles.
#[derive(Deserialize)]
struct Roles {
    roles: Vec<RoleId>,
}

#[derive(Deserialize)]
struct Channel {
    #[serde(default)]
    permission_overwrites: Vec<PermissionOverwrite>,
}

/// Discord's permission overwrite order: the guild's base (`@everyone`,
/// whose role id is the guild's, and the member's roles; everything for
/// the owner or an administrator), then the channel's `@everyone`
/// overwrite, its role overwrites together, and the member's own.
fn permissions_in(
    server: &Server,
    roles: &[RoleId],
    channel: &Channel,
    member: UserId,
    guild: GuildId,
) -> Permissions {
    if server.owner_id == member {
        return Permissions::all();
    }
    let everyone = guild.everyone_role();
    let mut permissions = server
        .roles
        .iter()
        .filter(|role| role.id == everyone || roles.contains(&role.id))
        .fold(Permissions::empty(), |all, role| all | role.permissions);
    if permissions.administrator() {
        return Permissions::all();
    }
    let mut apply = |allow: Permissions, deny: Permissions| {
        permissions = (permissions - deny) | allow;
    };
    let overwrites = &channel.permission_overwrites;
    if let Some(o) = overwrites.iter().find(|o| o.kind == Target::Role(everyone)) {
        apply(o.allow, o.deny);
    }
    let (allow, deny) = overwrites
        .iter()
        .filter(|o| matches!(o.kind, Target::Role(id) if roles.contains(&id)))
        .fold((Permissions::empty(), Permissions::empty()), |(a, d), o| {
            (a | o.allow, d | o.deny)
        });
    apply(allow, deny);
    if let Some(o) = overwrites.iter().find(|o| o.kind == Target::Member(member)) {
        apply(o.allow, o.deny);
    }
    permissions
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUILD: GuildId = GuildId::new(10);
    const EVERYONE: RoleId = RoleId::new(10);
    const BOT: UserId = UserId::new(20);
    const OWNER: UserId = UserId::new(1);
    const HELPERS: RoleId = RoleId::new(30);

    fn bits(p: Permissions) -> u64 {
        p.bits()
    }

    fn server(everyone: Permissions, helpers: Permissions) -> Server {
        Server {
            owner_id: OWNER,
            roles: vec![
                Role {
                    id: EVERYONE,
                    permissions: everyone,
                },
                Role {
                    id: HELPERS,
                    permissions: helpers,
                },
            ],
        }
    }

    fn overwrite(kind: Target, allow: Permissions, deny: Permissions) -> PermissionOverwrite {
        PermissionOverwrite { allow, deny, kind }
    }

    const TALK: Permissions = Permissions::VIEW_CHANNEL.union(Permissions::SEND_MESSAGES);

    #[test]
    fn overwrites_apply_everyone_then_roles_then_the_member() {
        let s = server(TALK, Permissions::empty());
        let open = Channel {
            permission_overwrites: vec![],
        };
        assert_eq!(bits(permissions_in(&s, &[], &open, BOT, GUILD)), bits(TALK));
        let read_only = Channel {
            permission_overwrites: vec![overwrite(
                Target::Role(EVERYONE),
                Permissions::empty(),
                Permissions::SEND_MESSAGES,
            )],
        };
        let p = permissions_in(&s, &[], &read_only, BOT, GUILD);
        assert!(p.view_channel() && !p.send_messages());
        // A role's allow wins over @everyone's deny, the member's own deny over both.
        let mut helpers = read_only.permission_overwrites;
        helpers.push(overwrite(
            Target::Role(HELPERS),
            Permissions::SEND_MESSAGES,
            Permissions::empty(),
        ));
        let mut channel = Channel {
            permission_overwrites: helpers,
        };
        assert!(permissions_in(&s, &[HELPERS], &channel, BOT, GUILD).send_messages());
        assert!(!permissions_in(&s, &[], &channel, BOT, GUILD).send_messages());
        channel.permission_overwrites.push(overwrite(
            Target::Member(BOT),
            Permissions::empty(),
            Permissions::VIEW_CHANNEL,
        ));
        assert!(!permissions_in(&s, &[HELPERS], &channel, BOT, GUILD).view_channel());
    }

    #[test]
    fn the_owner_and_administrators_may_do_anything() {
        let hidden = Channel {
            permission_overwrites: vec![overwrite(
                Target::Role(EVERYONE),
                Permissions::empty(),
                TALK,
            )],
        };
        let s = server(Permissions::empty(), Permissions::ADMINISTRATOR);
        assert!(permissions_in(&s, &[HELPERS], &hidden, BOT, GUILD).send_messages());
        assert!(permissions_in(&s, &[], &hidden, OWNER, GUILD).send_messages());
        assert!(!permissions_in(&s, &[], &hidden, BOT, GUILD).view_channel());
    }

    #[test]
    fn only_what_discord_sent_counts() {
        assert!(!manages(None));
        let member: Member = serde_json::from_value(serde_json::json!({
            "user": {"id": "5", "username": "a", "discriminator": "0", "global_name": null, "avatar": null},
            "roles": [], "joined_at": null, "deaf": false, "mute": false, "flags": 0,
        }))
        .unwrap();
        assert!(!manages(Some(&member)), "no permissions sent");
        let mut moderator = member.clone();
        moderator.permissions = Some(Permissions::MANAGE_GUILD);
        assert!(manages(Some(&moderator)));
        let mut admin = member;
        admin.permissions = Some(Permissions::ADMINISTRATOR);
        assert!(manages(Some(&admin)));
    }
}
