//! Whether Discord can be reached, and if not, why: the one place that
//! names the cause of a failed request to Discord, and the pause between
//! tries. A rejected token is never tried again: Discord bans an address
//! that sends 10,000 invalid requests in 10 minutes.

use reqwest::header::{HeaderValue, AUTHORIZATION};
use std::error::Error;
use std::fmt;
use std::io::ErrorKind;
use std::time::Duration;

/// Why a request to Discord got no usable answer, in an operator's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// The host name did not resolve (DNS).
    NameLookup,
    /// Nothing listens there, or a firewall said no.
    Refused,
    /// No answer in time.
    TimedOut,
    /// A secure connection could not be set up (certificate, proxy).
    Tls,
    /// HTTP 401: Discord does not accept the token.
    TokenRejected,
    /// Discord answered with this HTTP status instead (5xx: its trouble).
    Status(u16),
    /// Anything else, as the HTTP library words it.
    Other(String),
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::NameLookup => f.write_str("name lookup failed"),
            Cause::Refused => f.write_str("connection refused"),
            Cause::TimedOut => f.write_str("timed out"),
            Cause::Tls => f.write_str("the secure (TLS) connection failed"),
            Cause::TokenRejected => f.write_str("the token was rejected (HTTP 401)"),
            Cause::Status(status) if *status >= 500 => {
                write!(f, "Discord is having trouble (HTTP {status})")
            }
            Cause::Status(status) => write!(f, "Discord answered HTTP {status}"),
            Cause::Other(text) => f.write_str(text),
        }
    }
}

impl Cause {
    /// The cause of `error`, found by walking its chain of sources.
    pub fn of(error: &(dyn Error + 'static)) -> Cause {
        let mut source = Some(error);
        while let Some(error) = source {
            if let Some(cause) = Self::one(error) {
                return cause;
            }
            source = error.source();
        }
        Cause::Other(chain(error))
    }

    /// What one link of the chain says, if it says anything clear.
    fn one(error: &(dyn Error + 'static)) -> Option<Cause> {
        if let Some(error) = error.downcast_ref::<reqwest::Error>() {
            if error.is_timeout() {
                return Some(Cause::TimedOut);
            }
            if let Some(status) = error.status() {
                return Some(Cause::from_status(status.as_u16()));
            }
        }
        if let Some(mut error) = error.downcast_ref::<std::io::Error>() {
            // hyper-rustls wraps the TLS failure's io::Error in another,
            // whose `source` skips it: look inside.
            while let Some(inner) = error.get_ref().and_then(|e| e.downcast_ref()) {
                error = inner;
            }
            match error.kind() {
                ErrorKind::ConnectionRefused => return Some(Cause::Refused),
                ErrorKind::TimedOut => return Some(Cause::TimedOut),
                // rustls reports a failed handshake as invalid data.
                ErrorKind::InvalidData => return Some(Cause::Tls),
                _ => {}
            }
        }
        // hyper's connector wraps a failed lookup as "dns error".
        (error.to_string() == "dns error").then_some(Cause::NameLookup)
    }

    /// The cause an HTTP status names (a success names none).
    pub fn from_status(status: u16) -> Cause {
        match status {
            401 => Cause::TokenRejected,
            status => Cause::Status(status),
        }
    }

    /// Worth trying again later: not a token Discord refuses, and not a
    /// request it will always refuse.
    pub fn is_passing(&self) -> bool {
        match self {
            Cause::TokenRejected => false,
            Cause::Status(status) => *status >= 500 || *status == 429,
            _ => true,
        }
    }
}

/// The error and its causes on one line. A `reqwest::Error` shows its URL,
/// which for an interaction's webhook holds its token, so callers hand
/// [`Cause::of`] reqwest's errors already stripped with `without_url()`.
fn chain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

/// What `GET /gateway/bot` answers: the gateway's address, and how many
/// shards Discord recommends for the bot.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct GatewayBot {
    pub url: String,
    pub shards: u32,
}

/// `GET /gateway/bot`: whether Discord answers at `api_url` and takes the
/// token, and if so where and how to connect.
pub async fn gateway_bot(
    client: &reqwest::Client,
    api_url: &str,
    token: &str,
) -> Result<GatewayBot, Cause> {
    let mut bot = HeaderValue::from_str(&format!("Bot {token}"))
        .unwrap_or_else(|_| HeaderValue::from_static("Bot"));
    bot.set_sensitive(true);
    let url = format!("{}/api/v10/gateway/bot", api_url.trim_end_matches('/'));
    let answer = client
        .get(url)
        .header(AUTHORIZATION, bot)
        .send()
        .await
        .map_err(|error| Cause::of(&error.without_url()))?;
    let status = answer.status();
    if !status.is_success() {
        return Err(Cause::from_status(status.as_u16()));
    }
    answer
        .json()
        .await
        .map_err(|error| Cause::of(&error.without_url()))
}

/// Whether a TCP connection to the gateway at `url` (`wss://host[:port]`)
/// opens within `bound`: when it does not, why. Nothing is sent on it.
pub async fn dial(url: &str, bound: Duration) -> Result<(), Cause> {
    let parsed = reqwest::Url::parse(url).map_err(|error| Cause::Other(error.to_string()))?;
    let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else {
        return Err(Cause::Other(format!("{url} names no host")));
    };
    let connect = async {
        let addresses = tokio::net::lookup_host((host, port))
            .await
            .map_err(|_| Cause::NameLookup)?;
        let mut failed = Cause::NameLookup;
        for address in addresses {
            match tokio::net::TcpStream::connect(address).await {
                Ok(_) => return Ok(()),
                Err(error) => failed = Cause::of(&error),
            }
        }
        Err(failed)
    };
    tokio::time::timeout(bound, connect)
        .await
        .unwrap_or(Err(Cause::TimedOut))
}

/// The first pause between tries, doubled after each failure up to the
/// longest, then shortened by up to a quarter at random, so that many bots
/// cut off together do not all come back in the same second.
const FIRST: Duration = Duration::from_secs(1);
const LONGEST: Duration = Duration::from_secs(300);

pub struct Backoff {
    next: Duration,
    /// A number in [0, 1): how much of the allowed quarter to take off.
    jitter: Box<dyn FnMut() -> f64 + Send>,
}

impl Backoff {
    pub fn new(jitter: impl FnMut() -> f64 + Send + 'static) -> Backoff {
        Backoff {
            next: FIRST,
            jitter: Box::new(jitter),
        }
    }

    pub fn random() -> Backoff {
        Backoff::new(rand::random::<f64>)
    }

    /// How long to wait before the next try.
    pub fn next_delay(&mut self) -> Duration {
        let nominal = self.next;
        self.next = (nominal * 2).min(LONGEST);
        let cut = (self.jitter)().clamp(0.0, 1.0) / 4.0;
        nominal.mul_f64(1.0 - cut)
    }

    /// After a success: the next failure starts from the first pause again.
    pub fn reset(&mut self) {
        self.next = FIRST;
    }
}

/// A pause as an operator reads it: whole seconds.
pub fn seconds(pause: Duration) -> u64 {
    pause.as_secs_f64().round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapped(&'static str, Option<Box<dyn Error + Send + Sync>>);

    impl fmt::Display for Wrapped {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Wrapped {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    fn io(kind: ErrorKind) -> Wrapped {
        let inner = Wrapped(
            "tcp connect error",
            Some(Box::new(std::io::Error::from(kind))),
        );
        Wrapped("error sending request", Some(Box::new(inner)))
    }

    #[test]
    fn a_connection_names_its_cause_from_anywhere_in_the_chain() {
        assert_eq!(Cause::of(&io(ErrorKind::ConnectionRefused)), Cause::Refused);
        assert_eq!(Cause::of(&io(ErrorKind::TimedOut)), Cause::TimedOut);
        assert_eq!(Cause::of(&io(ErrorKind::InvalidData)), Cause::Tls);
        let lookup = std::io::Error::other("failed to lookup address information");
        let dns = Wrapped("dns error", Some(Box::new(lookup)));
        let sent = Wrapped("error sending request", Some(Box::new(dns)));
        assert_eq!(Cause::of(&sent), Cause::NameLookup);
    }

    #[test]
    fn an_unknown_failure_keeps_its_whole_chain() {
        let inner = Wrapped("connection closed before message completed", None);
        let outer = Wrapped("error sending request", Some(Box::new(inner)));
        assert_eq!(
            Cause::of(&outer),
            Cause::Other(
                "error sending request: connection closed before message completed".into()
            )
        );
    }

    #[test]
    fn a_401_is_a_rejected_token_and_never_passing() {
        assert_eq!(Cause::from_status(401), Cause::TokenRejected);
        assert!(!Cause::TokenRejected.is_passing());
        assert!(!Cause::from_status(403).is_passing());
        assert!(Cause::from_status(503).is_passing());
        assert!(Cause::from_status(429).is_passing());
        assert!(Cause::NameLookup.is_passing());
        assert_eq!(
            Cause::from_status(502).to_string(),
            "Discord is having trouble (HTTP 502)"
        );
    }

    #[tokio::test]
    async fn a_closed_port_is_refused_and_a_silent_one_times_out_or_opens() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let refused = gateway_bot(&client, &format!("http://127.0.0.1:{port}"), "t").await;
        assert_eq!(refused, Err(Cause::Refused));
        // Accepts connections (the kernel's backlog) and never answers.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", silent.local_addr().unwrap());
        assert_eq!(gateway_bot(&client, &url, "t").await, Err(Cause::TimedOut));
        let bound = Duration::from_secs(5);
        let gateway = format!("ws://127.0.0.1:{port}");
        assert_eq!(dial(&gateway, bound).await, Err(Cause::Refused));
        let open = format!("ws://{}", silent.local_addr().unwrap());
        assert_eq!(dial(&open, bound).await, Ok(()));
    }

    #[tokio::test]
    async fn plain_text_where_tls_is_expected_is_a_tls_failure() {
        use tokio::io::AsyncWriteExt;
        let plain = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", plain.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut stream, _) = plain.accept().await.unwrap();
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        });
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        assert_eq!(gateway_bot(&client, &url, "t").await, Err(Cause::Tls));
    }

    #[test]
    fn pauses_double_up_to_five_minutes_less_up_to_a_quarter() {
        let mut none = Backoff::new(|| 0.0);
        let pauses: Vec<u64> = (0..11).map(|_| none.next_delay().as_secs()).collect();
        assert_eq!(pauses, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        let mut most = Backoff::new(|| 0.999_999);
        let pauses: Vec<u64> = (0..4).map(|_| seconds(most.next_delay())).collect();
        assert_eq!(pauses, [1, 2, 3, 6], "each still longer than the last");
        none.reset();
        assert_eq!(none.next_delay(), FIRST);
    }

    #[test]
    fn random_jitter_never_lengthens_a_pause() {
        let mut backoff = Backoff::random();
        for nominal in [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300] {
            let pause = backoff.next_delay();
            let nominal = Duration::from_secs(nominal);
            assert!(pause <= nominal && pause >= nominal * 3 / 4, "{pause:?}");
        }
    }
}
