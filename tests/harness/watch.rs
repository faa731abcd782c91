//! What an operator's probes see: `/healthz`, `/readyz` and `/metrics`
//! from `[metrics] listen`.

use super::PATIENCE;
use std::net::SocketAddr;
use std::time::Duration;

/// An address on loopback no one is listening on: bound, then let go.
pub fn free_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// GET `path`: its status and body, or None while nothing answers.
pub async fn get(address: SocketAddr, path: &str) -> Option<(u16, String)> {
    let response = reqwest::get(format!("http://{address}{path}")).await.ok()?;
    let status = response.status().as_u16();
    Some((status, response.text().await.ok()?))
}

/// GET `path` until `done` holds for its answer.
pub async fn get_until(
    address: SocketAddr,
    path: &str,
    done: impl Fn(u16, &str) -> bool,
) -> (u16, String) {
    // serenity takes 5 s to give up on a lost shard, and as long between
    // attempts to start one again.
    let deadline = tokio::time::Instant::now() + PATIENCE * 4;
    let mut last = None;
    while tokio::time::Instant::now() < deadline {
        if let Some((status, body)) = get(address, path).await {
            if done(status, &body) {
                return (status, body);
            }
            last = Some((status, body));
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{path} never answered as expected; last: {last:?}");
}
