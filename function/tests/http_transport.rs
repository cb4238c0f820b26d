//! Requests the HTTP parser (hyper) refuses before any handler runs: what they get is
//! documented (README "Errors", the OpenAPI document's description) and pinned here.
//!
//! hyper answers them itself with a status line, `content-length: 0` and
//! `connection: close`, and offers no hook to write a body: the JSON error shape starts
//! where handlers do. Anything the parser lets through, however large or odd, gets the
//! JSON error of the handlers.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{fixture_dir, Launch, Server};

/// Sends raw bytes on a fresh connection and reads until the server closes it.
fn exchange(server: &Server, raw: &[u8]) -> String {
    let url = server.url("");
    let authority = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // The server may answer and close before reading everything sent.
    let _ = stream.write_all(raw);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn request_with_target(target: &[u8]) -> Vec<u8> {
    let mut raw = b"GET ".to_vec();
    raw.extend_from_slice(target);
    raw.extend_from_slice(b" HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    raw
}

/// The status line of an answer, and whether it is the parser's bare refusal.
fn assert_bare_refusal(answer: &str, status_line: &str) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let mut lines = head.lines();
    assert_eq!(lines.next(), Some(status_line), "{head}");
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-length: 0"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    assert!(body.is_empty(), "{body}");
}

#[test]
fn what_the_parser_refuses_is_answered_bare_and_the_server_carries_on() {
    let dir = fixture_dir();
    let server = Launch::serve(dir.path()).start();
    let long_target = format!("/api/LeaderboardFunction?q={}", "a".repeat(70 * 1024));
    assert_bare_refusal(
        &exchange(&server, &request_with_target(long_target.as_bytes())),
        "HTTP/1.1 414 URI Too Long",
    );
    let mut many_headers = b"GET /api/health HTTP/1.1\r\nHost: test\r\n".to_vec();
    for i in 0..101 {
        many_headers.extend_from_slice(format!("X-Header-{i}: 1\r\n").as_bytes());
    }
    many_headers.extend_from_slice(b"\r\n");
    assert_bare_refusal(
        &exchange(&server, &many_headers),
        "HTTP/1.1 431 Request Header Fields Too Large",
    );
    let huge_header = format!(
        "GET /api/health HTTP/1.1\r\nHost: test\r\nX-Big: {}\r\n\r\n",
        "a".repeat(500 * 1024)
    );
    assert_bare_refusal(
        &exchange(&server, huge_header.as_bytes()),
        "HTTP/1.1 431 Request Header Fields Too Large",
    );
    for target in [&b"/api/hea\x00lth"[..], b"/api/h\xffealth"] {
        assert_bare_refusal(
            &exchange(&server, &request_with_target(target)),
            "HTTP/1.1 400 Bad Request",
        );
    }
    assert_eq!(server.get("/api/health").status, 200);
}

/// A long target the parser accepts (just under its 64 KiB limit) reaches the handler and
/// gets the JSON error naming the parameter.
#[test]
fn a_long_target_the_parser_accepts_gets_the_json_error() {
    let dir = fixture_dir();
    let server = Launch::serve(dir.path()).start();
    let target = format!("/api/LeaderboardFunction?q={}", "a".repeat(60 * 1024));
    let reply = server.get(&target);
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["param"], "q");
}
