//! Eko: the waste-collection rewards portal of a city environment office.
//!
//! Two realms share one site and often one browser: residents (`user`) and
//! staff (`admin`). Each has its own session, cookie and lifetimes; nothing
//! one realm does touches the other.

// Release builds keep each view's full type (Cargo.toml,
// `always-erase-components = false`): the console pages' nested types
// need more than rustc's default depth of 128 to compute their layouts.
#![recursion_limit = "512"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod live;
pub mod pages;
pub mod realm;
#[cfg(feature = "ssr")]
pub mod server;
pub mod wire;

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
