//! Request hardening: cross-origin state changes refused, security headers,
//! request ids.

use axum::{
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_http::request_id::{MakeRequestId, RequestId};

/// Origin of the configured site URL, e.g. `https://eko.example.ph`.
#[derive(Clone, Debug)]
pub struct SiteOrigin(pub String);

impl SiteOrigin {
    pub fn from_site_url(url: &str) -> Self {
        let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
        let host_end = url[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(url.len());
        Self(url[..host_end].to_ascii_lowercase())
    }
}

/// Refuses state-changing requests that a browser marks as coming from
/// another site. Requests without those headers (non-browser clients) pass:
/// they carry no ambient cookies of a victim.
pub async fn refuse_cross_origin(State(site): State<SiteOrigin>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let refused = {
        let header_str =
            |name: HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let cross_site =
            header_str(HeaderName::from_static("sec-fetch-site")).is_some_and(|v| v == "cross-site");
        let foreign_origin = header_str(header::ORIGIN).is_some_and(|origin| {
            let origin = origin.to_ascii_lowercase();
            let same_host = header_str(header::HOST).is_some_and(|host| {
                origin.split_once("://").is_some_and(|(_, rest)| rest == host.to_ascii_lowercase())
            });
            origin != site.0 && !same_host
        });
        cross_site || foreign_origin
    };
    if refused {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "cross-origin state change refused");
        return (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response();
    }
    next.run(req).await
}

/// Whether `c` may appear in text Eko accepts: anything but control
/// characters (NUL, ESC, BEL, DEL, C1…), except tab and line breaks.
fn acceptable(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// The first field of a URL-encoded form (or query) holding a control
/// character, if any. Undecodable input is left to the handler (400).
fn field_with_control_character(encoded: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded).ok()?;
    pairs
        .into_iter()
        .find(|(name, value)| !name.chars().all(acceptable) || !value.chars().all(acceptable))
        .map(|(name, _)| name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect())
}

/// Refuses, before anything else reads it, every request whose query or
/// form body holds control characters (a NUL byte in an email, ESC in a
/// note): one rule at the edge for every page and server function, so no
/// such text reaches the database, the audit log or a log line. Answered
/// 422 with the field's name, in the server functions' error format.
pub async fn refuse_control_characters(req: Request, next: Next) -> Response {
    use axum::body::Body;
    let refuse = |field: String| {
        let error = crate::error::AppError::invalid(&field, "Control characters are not allowed here.");
        let body = serde_json::to_string(&error).unwrap_or_default();
        (StatusCode::UNPROCESSABLE_ENTITY, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    if let Some(field) = req.uri().query().and_then(|q| field_with_control_character(q.as_bytes())) {
        return refuse(field);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if req.method() != Method::POST || !is_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // The body limit layer outside this one bounds what is read here.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let mut res = (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
            res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            return res;
        }
    };
    if let Some(field) = field_with_control_character(&bytes) {
        return refuse(field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Sets the page's Content-Security-Policy: scripts only from this site or
/// inline with this response's nonce (Leptos puts it on its hydration
/// script), WebAssembly allowed, nothing from elsewhere, no framing. Called
/// while the shell renders, when the nonce exists.
pub fn content_security_policy(options: &leptos::config::LeptosOptions) {
    use leptos::prelude::use_context;
    let Some(nonce) = leptos::nonce::use_nonce() else { return };
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else { return };
    // `cargo leptos watch` reloads pages through a websocket of its own.
    let reload = if options.env == leptos::config::Env::DEV { " ws:" } else { "" };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{reload}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Pages that may show a password reset token: their referrer is never sent.
fn is_reset_page(path: &str) -> bool {
    crate::realm::Realm::ALL.iter().any(|r| path.starts_with(r.password_reset_path()))
}

/// Adds the security headers every response carries. Pages bring their own
/// Content-Security-Policy (with a nonce); anything else gets one that
/// allows nothing.
pub async fn security_headers(State(production): State<bool>, req: Request, next: Next) -> Response {
    let reset_page = is_reset_page(req.uri().path());
    let mut res = next.run(req).await;
    // A body refused for its size was not read to the end: the connection
    // cannot carry another request, so say so instead of dropping it under
    // the client's next request.
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if reset_page {
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    } else {
        headers.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("same-origin"));
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    if production {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    res
}

/// How long browsers keep what. The site's static files (`/pkg/…`: the wasm,
/// its JavaScript and the style sheet) carry a content hash in their names
/// in a release (`eko.<hash>.wasm`): such a name always means the same
/// bytes, so browsers keep it a year without asking again, and a new
/// release is picked up through the new names in its pages. Unhashed static
/// files (a development build, the favicon) are revalidated on every visit,
/// answered `304 Not Modified` while unchanged. Private pages say
/// `no-store` themselves (the page guard); other answers keep what they set.
pub async fn cache_policy(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let static_file = path.starts_with("/pkg/") || path == "/favicon.svg";
    let immutable = path.starts_with("/pkg/") && has_content_hash(path);
    let mut res = next.run(req).await;
    if (static_file && res.status().is_success()) || res.status() == StatusCode::NOT_MODIFIED {
        res.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "public, no-cache"
        }));
    }
    res
}

/// Whether a file name carries cargo-leptos' content hash: a dot-separated
/// part of 22 URL-safe base64 characters (an unpadded MD5) before the
/// extension, as in `eko.kXB1w8aD_-S0DeEAWZUy9g.wasm`.
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() == 22 && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Lower-case hex SHA-256 of `bytes`: how session ids and reset tokens
/// are stored.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// `groups` groups of `length` characters drawn from `alphabet` by the OS
/// CSPRNG, joined with dashes (setup codes, temporary passwords).
pub fn random_code(alphabet: &[u8], groups: usize, length: usize) -> String {
    use rand::{distributions::Uniform, Rng};
    let mut rng = rand::rngs::OsRng;
    let picks = Uniform::from(0..alphabet.len());
    (0..groups)
        .map(|_| (0..length).map(|_| alphabet[rng.sample(picks)] as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Random request ids for the `x-request-id` header and log spans.
#[derive(Clone, Copy, Debug, Default)]
pub struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let id = format!("{:016x}", rand::random::<u64>());
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

#[cfg(test)]
mod tests {
    use super::SiteOrigin;

    #[test]
    fn stored_keys_are_lower_case_hex_sha256() {
        // Sessions and reset links already stored are found by this key:
        // it must not change between releases (FIPS 180-2 test vector).
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn only_names_with_a_content_hash_count_as_hashed() {
        use super::has_content_hash as hashed;
        assert!(hashed("/pkg/eko.kXB1w8aD_-S0DeEAWZUy9g.wasm"));
        assert!(hashed("/pkg/chunk_6.S8mQg9n282Mg8DjLIZ5vTw.wasm"));
        assert!(hashed("/pkg/eko.kXB1w8aD_-S0DeEAWZUy9g.wasm.br"));
        assert!(!hashed("/pkg/eko.wasm"));
        assert!(!hashed("/pkg/eko_bg.wasm"));
        assert!(!hashed("/pkg/eko.kXB1w8aD_-S0DeEAWZUy9.css"), "21 characters");
        assert!(!hashed("/pkg/eko.kXB1w8aD_-S0DeEAW%Uy9g.css"), "not URL-safe base64");
    }

    #[test]
    fn control_characters_are_found_in_names_and_values_but_tabs_and_line_breaks_pass() {
        use super::field_with_control_character as found;
        assert_eq!(found(b"email=a%00b%40example.ph&password=x").as_deref(), Some("email"));
        assert_eq!(found(b"reason=late%1B%5B31m").as_deref(), Some("reason"));
        assert_eq!(found(b"note=bell%07").as_deref(), Some("note"));
        assert_eq!(found(b"note=del%7F").as_deref(), Some("note"));
        assert_eq!(found(b"note=c1%C2%85").as_deref(), Some("note"));
        assert_eq!(found(b"note=two%0Alines%0D%0Aand%09tab&email=ana%40example.ph"), None);
        assert_eq!(found(b"note=%F0%9F%8C%B1+na%C3%B1o"), None);
    }

    #[test]
    fn the_site_origin_drops_the_path() {
        assert_eq!(SiteOrigin::from_site_url("https://Eko.example.ph/portal").0, "https://eko.example.ph");
        assert_eq!(SiteOrigin::from_site_url("http://127.0.0.1:3000").0, "http://127.0.0.1:3000");
    }
}
