//! Requests with the whole answer in view (status, headers, body): serenity
//! hides the headers of error answers.

use serde_json::Value;

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
        self.try_raw(method, path, with_token, body)
            .await
            .expect("an answer from the stand-in")
    }

    /// [`StandIn::raw`], or the transport error when no answer came.
    pub async fn try_raw(
        &self,
        method: &str,
        path: &str,
        with_token: bool,
        body: &str,
    ) -> Result<RawResponse, reqwest::Error> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
        let url = format!("{}/api/v10{path}", self.api_url());
        let mut request = reqwest::Client::new()
            .request(method, url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_owned());
        if with_token {
            request = request.header(
                reqwest::header::AUTHORIZATION,
                format!("Bot {}", Self::TOKEN),
            );
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let bytes = response.bytes().await.unwrap_or_default();
        Ok(RawResponse {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
    }
}
