# Build stage: the release binary, with dependencies cached in their own layer.
FROM rust:1.95-slim-bookworm AS builder
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
# bench/baseline is a workspace member: cargo needs its manifest to load the workspace.
COPY bench ./bench
COPY tests ./tests
RUN cargo build --release --locked -p infraval-server \
 && strip target/release/infraval

# Runtime stage: a slim, non-root image with just the binary.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home infraval
COPY --from=builder /src/target/release/infraval /usr/local/bin/infraval
USER 10001
ENV INFRAVAL_ADDR=0.0.0.0:8080 \
    INFRAVAL_LOG_FORMAT=json \
    RUST_LOG=info
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=2s --start-period=5s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["/usr/local/bin/infraval"]
CMD ["serve"]
