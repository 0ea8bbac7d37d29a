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

/// Adds the security headers every response carries.
pub async fn security_headers(State(production): State<bool>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("same-origin"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("frame-ancestors 'none'"));
    if production {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    res
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
    fn the_site_origin_drops_the_path() {
        assert_eq!(SiteOrigin::from_site_url("https://Eko.example.ph/portal").0, "https://eko.example.ph");
        assert_eq!(SiteOrigin::from_site_url("http://127.0.0.1:3000").0, "http://127.0.0.1:3000");
    }
}
