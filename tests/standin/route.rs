//! Templated routes, as in [`super::Recorded::route`] and [`super::Fault::route`].

pub const GATEWAY: &str = "GET /gateway";
pub const GATEWAY_BOT: &str = "GET /gateway/bot";
pub const ME: &str = "GET /users/@me";
pub const APPLICATION: &str = "GET /oauth2/applications/@me";
pub const GET_GLOBAL_COMMANDS: &str = "GET /applications/{app}/commands";
pub const PUT_GLOBAL_COMMANDS: &str = "PUT /applications/{app}/commands";
pub const GET_GUILD_COMMANDS: &str = "GET /applications/{app}/guilds/{g}/commands";
pub const PUT_GUILD_COMMANDS: &str = "PUT /applications/{app}/guilds/{g}/commands";
pub const CALLBACK: &str = "POST /interactions/{id}/{token}/callback";
pub const GET_ORIGINAL: &str = "GET /webhooks/{app}/{token}/messages/@original";
pub const EDIT_ORIGINAL: &str = "PATCH /webhooks/{app}/{token}/messages/@original";
pub const DELETE_ORIGINAL: &str = "DELETE /webhooks/{app}/{token}/messages/@original";
pub const FOLLOWUP: &str = "POST /webhooks/{app}/{token}";
pub const GET_FOLLOWUP: &str = "GET /webhooks/{app}/{token}/messages/{message_id}";
pub const EDIT_FOLLOWUP: &str = "PATCH /webhooks/{app}/{token}/messages/{message_id}";
pub const DELETE_FOLLOWUP: &str = "DELETE /webhooks/{app}/{token}/messages/{message_id}";
pub const CREATE_DM: &str = "POST /users/@me/channels";
pub const GET_USER: &str = "GET /users/{user_id}";
pub const GET_CHANNEL: &str = "GET /channels/{id}";
pub const CREATE_MESSAGE: &str = "POST /channels/{id}/messages";
pub const GET_MESSAGE: &str = "GET /channels/{id}/messages/{mid}";
pub const EDIT_MESSAGE: &str = "PATCH /channels/{id}/messages/{mid}";
pub const DELETE_MESSAGE: &str = "DELETE /channels/{id}/messages/{mid}";
pub const GET_GUILD: &str = "GET /guilds/{g}";
pub const GET_MEMBER: &str = "GET /guilds/{g}/members/{user_id}";
/// The route of a request that matched none of the above (answered 404).
pub const UNKNOWN: &str = "UNKNOWN";

/// Matching order: literal segments (`@original`, `@me`) before parameters.
pub(crate) const ALL: &[&str] = &[
    GATEWAY,
    GATEWAY_BOT,
    ME,
    APPLICATION,
    GET_GLOBAL_COMMANDS,
    PUT_GLOBAL_COMMANDS,
    GET_GUILD_COMMANDS,
    PUT_GUILD_COMMANDS,
    CALLBACK,
    GET_ORIGINAL,
    EDIT_ORIGINAL,
    DELETE_ORIGINAL,
    FOLLOWUP,
    GET_FOLLOWUP,
    EDIT_FOLLOWUP,
    DELETE_FOLLOWUP,
    CREATE_DM,
    GET_USER,
    GET_CHANNEL,
    CREATE_MESSAGE,
    GET_MESSAGE,
    EDIT_MESSAGE,
    DELETE_MESSAGE,
    GET_GUILD,
    GET_MEMBER,
];
