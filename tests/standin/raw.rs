//! A bare HTTP/1.1 client, so tests can see exactly what goes over the wire
//! (status, headers, body) — serenity hides headers of error answers.

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::StandIn;

/// An answer as sent on the wire; header names are lowercase.
#[derive(Clone, Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The JSON body, `Null` if empty or not JSON.
    pub body: Value,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl StandIn {
    /// Sends `method /api/v10{path}` with a JSON `body`, with the bot token or without.
    pub async fn raw(&self, method: &str, path: &str, with_token: bool, body: &str) -> RawResponse {
        let addr = self.api_url().trim_start_matches("http://").to_owned();
        let mut tcp = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect to stand-in");
        let auth = if with_token {
            format!("Authorization: Bot {}\r\n", Self::TOKEN)
        } else {
            String::new()
        };
        let request = format!(
            "{method} /api/v10{path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        tcp.write_all(request.as_bytes()).await.unwrap();
        let mut buf = vec![];
        tcp.read_to_end(&mut buf).await.unwrap();
        let text = String::from_utf8_lossy(&buf).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
            .collect();
        RawResponse {
            status,
            headers,
            body: serde_json::from_str(body).unwrap_or(Value::Null),
        }
    }
}
