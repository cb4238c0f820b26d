//! `GET /api/openapi.json`: served like the other reads, and it describes every route the
//! router serves, with every method each answers. (Schemathesis checks the answers against
//! it: scripts/fuzz-api.sh.)

mod common;

use common::{fixture_dir, Launch, Server};
use leaderboard_function::http::api_routes;
use leaderboard_function::http::openapi::{document_json, OPENAPI_PATH};
use serde_json::Value;

const KEY: &str = "openapi-test-key-0123456789abcdef";
const ADMIN_KEY: &str = "openapi-admin-key-0123456789abcdef";

fn serve() -> (tempfile::TempDir, Server) {
    let dir = fixture_dir();
    let server = Launch::serve(dir.path())
        .ingest_key(KEY)
        .admin_key(ADMIN_KEY)
        .start();
    (dir, server)
}

/// A concrete path for a route template (`{name}` filled in with a real avatar, `{id}`
/// with an id).
fn concrete(template: &str) -> String {
    template
        .replace("{name}", "default.svg")
        .replace("{id}", "no-such-id")
}

#[test]
fn the_document_is_openapi_3_1_served_cacheable_and_cors_enabled() {
    let (_dir, server) = serve();
    let reply = server.get_with(OPENAPI_PATH, &[("Origin", "https://integrator.example")]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let cache_control = reply.header("cache-control").unwrap();
    assert!(
        cache_control.starts_with("public, max-age="),
        "{cache_control}"
    );
    let etag = reply.header("etag").unwrap().to_string();
    let doc = reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc, serde_json::from_str::<Value>(document_json()).unwrap());
    // The bearer key scheme, and ingestion requires it.
    assert_eq!(
        doc["components"]["securitySchemes"]["ingestKey"]["scheme"],
        "bearer"
    );
    assert_eq!(
        doc["paths"]["/api/scores"]["post"]["security"][0]["ingestKey"],
        Value::Array(vec![])
    );
    // The admin key is a scheme of its own, and the removals require it alone.
    assert_eq!(
        doc["components"]["securitySchemes"]["adminKey"]["scheme"],
        "bearer"
    );
    for path in ["/api/scores/{id}", "/api/players/{id}"] {
        let security = &doc["paths"][path]["delete"]["security"];
        assert_eq!(security, &serde_json::json!([{ "adminKey": [] }]), "{path}");
    }
    let again = server.get_with(OPENAPI_PATH, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    let preflight = server.request(
        "OPTIONS",
        OPENAPI_PATH,
        &[
            ("Origin", "https://integrator.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
    );
    assert_eq!(preflight.status, 204);
}

/// The router is asked, method by method, which ones each route answers (anything but a
/// `405`); every one must be an operation of the document. `HEAD` (answered with `GET`)
/// and `OPTIONS` (CORS preflights) are implied for the reads.
#[test]
fn openapi_describes_every_route() {
    let (_dir, server) = serve();
    let doc: Value = serde_json::from_str(document_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let routes: Vec<&str> = api_routes().into_iter().map(|(path, _)| path).collect();
    for path in paths.keys() {
        assert!(
            routes.contains(&path.as_str()),
            "the document describes {path}, which the router does not serve"
        );
    }
    for route in &routes {
        let operations = paths
            .get(*route)
            .unwrap_or_else(|| panic!("the router serves {route}, the document lacks it"));
        let mut answered = Vec::new();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let reply = server.send(method, &concrete(route), &[], b"");
            assert_ne!(reply.status, 404, "{method} {route}: {}", reply.text());
            if reply.status != 405 {
                answered.push(method);
                assert!(
                    operations.get(method.to_ascii_lowercase()).is_some(),
                    "{method} {route} answers {}, the document does not describe it",
                    reply.status
                );
            }
        }
        assert!(!answered.is_empty(), "{route} answers no method");
    }
}

#[test]
fn every_operation_documents_its_json_error_shape() {
    let doc: Value = serde_json::from_str(document_json()).unwrap();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let code: u16 = status.parse().unwrap();
                let content = &response["content"];
                // The board page is a page for people: its errors are HTML pages too.
                if code >= 400 && path != "/api/health" && path != "/api/board" {
                    assert_eq!(
                        content["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ApiErrorBody",
                        "{method} {path} {status}"
                    );
                }
                if code == 304 {
                    assert!(content.is_null(), "{method} {path}: a 304 has no body");
                }
            }
        }
    }
}

/// `utoipa` takes only literals for limits: the document's must equal the model's rules.
#[test]
fn the_documented_limits_are_the_models() {
    use leaderboard_model::{
        DEFAULT_PAGE_SIZE, MAX_ACHIEVEMENTS, MAX_AROUND_LEN, MAX_AVATAR_URL_LEN, MAX_FILTER_LEN,
        MAX_ID_LEN, MAX_PAGE_SIZE, MAX_POSTED_SCORE, MAX_SEARCH_LEN, MAX_USER_NAME_CHARS,
    };
    let doc: Value = serde_json::from_str(document_json()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let post = &schemas["ScorePost"]["properties"];
    assert_eq!(post["score"]["maximum"], MAX_POSTED_SCORE as f64);
    assert_eq!(post["score"]["minimum"], 0.0);
    for field in ["id", "profileId"] {
        assert_eq!(post[field]["maxLength"], MAX_ID_LEN, "{field}");
    }
    for field in ["gameMode", "gameRegion"] {
        assert_eq!(post[field]["maxLength"], MAX_FILTER_LEN, "{field}");
    }
    let profile = &schemas["ProfilePost"]["properties"];
    assert_eq!(profile["userName"]["maxLength"], MAX_USER_NAME_CHARS);
    assert_eq!(profile["avatarUrl"]["maxLength"], MAX_AVATAR_URL_LEN);
    assert_eq!(profile["achievements"]["maxItems"], MAX_ACHIEVEMENTS);
    let page = &schemas["LeaderboardResponse"]["properties"]["pageSize"];
    assert_eq!(page["maximum"], f64::from(MAX_PAGE_SIZE));
    let parameters = doc["paths"]["/api/LeaderboardFunction"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let max_length = |name: &str| {
        parameters
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["schema"]["maxLength"].clone())
            .unwrap_or_else(|| panic!("no parameter {name}"))
    };
    let default = |name: &str| {
        parameters
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["schema"]["default"].clone())
            .unwrap_or_else(|| panic!("no parameter {name}"))
    };
    assert_eq!(default("page"), 1);
    assert_eq!(default("pageSize"), DEFAULT_PAGE_SIZE);
    assert_eq!(max_length("mode"), MAX_FILTER_LEN);
    assert_eq!(max_length("region"), MAX_FILTER_LEN);
    assert_eq!(max_length("q"), MAX_SEARCH_LEN);
    assert_eq!(max_length("around"), MAX_AROUND_LEN);
    for path in ["/api/scores/{id}", "/api/players/{id}"] {
        let id = &doc["paths"][path]["delete"]["parameters"][0];
        assert_eq!(id["name"], "id", "{path}");
        assert_eq!(id["schema"]["maxLength"], MAX_ID_LEN, "{path}");
        assert_eq!(id["schema"]["minLength"], 1, "{path}");
    }
}
