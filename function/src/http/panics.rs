//! The last line of defence: a panic while handling a request (a bug; nothing from outside
//! should cause one) becomes a `500` with the API's JSON error body instead of a dropped
//! connection, and the server keeps serving. The panic message itself goes to stderr
//! through the default panic hook.
//!
//! Needs `panic = "unwind"`, which the `server` profile keeps.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::Poll;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

pub async fn catch_panic(request: Request, next: Next) -> Response {
    let mut handling = Box::pin(next.run(request));
    let outcome = std::future::poll_fn(|cx| {
        // Unwind safety: the future is dropped right after a panic and never polled again.
        match catch_unwind(AssertUnwindSafe(|| handling.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(response)) => Poll::Ready(Ok(response)),
            Err(_) => Poll::Ready(Err(())),
        }
    })
    .await;
    outcome.unwrap_or_else(|()| ApiError::Internal.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use axum::{middleware, Router};
    use tower::ServiceExt;

    async fn buggy_handler() -> &'static str {
        let empty: Vec<&str> = Vec::new();
        empty[0]
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_json() {
        let app = Router::new()
            .route("/bug", get(buggy_handler))
            .route("/fine", get(|| async { "fine" }))
            .layer(middleware::from_fn(catch_panic));
        let response = app
            .clone()
            .oneshot(Request::get("/bug").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(body["error"].as_str().is_some());
        let response = app
            .oneshot(Request::get("/fine").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
}
