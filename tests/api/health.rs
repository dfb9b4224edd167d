use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_ok_and_the_crate_version() {
    let app = spawn_app().await;
    let health = app.client.health().await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn ready_answers_200_once_listening() {
    let app = spawn_app().await;
    assert_eq!(app.client.ready().await.unwrap().status, "ok");
}

#[tokio::test]
async fn a_caller_request_id_is_echoed_and_one_is_made_otherwise() {
    let app = spawn_app().await;
    let echoed = app
        .http
        .get(format!("{}/health", app.address))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "abc-123");
    let made = app
        .http
        .get(format!("{}/health", app.address))
        .send()
        .await
        .unwrap();
    let id = made.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID, got {id}");
}
