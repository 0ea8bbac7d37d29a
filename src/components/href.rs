//! Addresses with a query string, and the page numbers read back from one.

use std::fmt::Display;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `path?name=value&…`, each value percent-encoded as a form would send it;
/// pairs with an empty value are left out (an unset filter).
pub fn href(path: &str, pairs: &[(&str, &dyn Display)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| (name, value.to_string()))
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", encode(&value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes a query value the way forms do (a space becomes `+`).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The page number in the query parameter `name` (1 when absent or not a
/// number; the server checks the range).
pub fn page_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get(name).and_then(|p| p.parse::<i64>().ok()).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::href;

    #[test]
    fn values_are_encoded_and_empty_ones_left_out() {
        let link = href("/admin/users", &[("status", &"approved"), ("search", &"ana b&c"), ("rpage", &"")]);
        assert_eq!(link, "/admin/users?status=approved&search=ana+b%26c");
    }

    #[test]
    fn a_path_without_values_has_no_query() {
        assert_eq!(href("/admin/sessions", &[("realm", &"")]), "/admin/sessions");
        assert_eq!(href("/login", &[("next", &"/admin")]), "/login?next=%2Fadmin");
    }
}
