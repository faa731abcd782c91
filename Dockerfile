# syntax=docker/dockerfile:1
# steady in a container: built with the toolchain CI uses, run as a plain
# user with the database on a volume. docs/OPERATING.md says what was built
# and tested where.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Only what the build reads. Queries are checked against the committed .sqlx/
# cache (.cargo/config.toml sets SQLX_OFFLINE); migrations and the built-in
# prompts are compiled into the binary; Cargo.toml names the benches.
COPY Cargo.toml Cargo.lock ./
COPY .cargo .cargo
COPY .sqlx .sqlx
COPY migrations migrations
COPY prompts prompts
COPY benches benches
COPY src src
COPY crates crates
# The registry and target folders are cache mounts, so a rebuild after a
# change to src/ recompiles steady alone, not its few hundred dependencies.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
    && cp target/release/steady /usr/local/bin/steady

FROM debian:bookworm-slim
# ca-certificates: steady speaks TLS to Discord. curl: the HEALTHCHECK below
# (a few MB, and a real HTTP client rather than a shell reading raw HTTP).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin steady \
    && install -d -o steady -g steady -m 0700 /data \
    && install -d -m 0755 /etc/steady
COPY --from=build /usr/local/bin/steady /usr/local/bin/steady

# A steady.toml mounted into /etc/steady is read (it is the working folder);
# DISCORD_TOKEN comes from the environment at run time, never the image.
WORKDIR /etc/steady
ENV DATABASE_URL=sqlite:///data/steady.db \
    STEADY_METRICS_LISTEN=0.0.0.0:9464
VOLUME /data
EXPOSE 9464
USER steady
# Alive, on the port STEADY_METRICS_LISTEN names (unset: metrics are off,
# and so is this check's only way in).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${STEADY_METRICS_LISTEN##*:}/healthz" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/steady"]
CMD ["run"]
