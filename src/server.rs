//! Everything that only runs on the server. The browser build never sees
//! this module, nor the crates it uses (sqlx, argon2, tokio, axum).

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod collections;
pub mod config;
pub mod credentials;
pub mod dashboards;
pub mod db;
pub mod demo;
pub mod endpoint;
pub mod events;
pub mod form_errors;
pub mod format;
pub mod idempotency;
pub mod input;
pub mod mail;
pub mod paging;
pub mod passkeys;
pub mod password_reset;
pub mod reference;
pub mod residents;
pub mod rewards;
pub mod security;
pub mod serve;
pub mod session_stream;
pub mod sessions;
pub mod setup;
pub mod staff;
pub mod startup;
pub mod state;
pub mod stream_limits;
pub mod telemetry;
pub mod two_factor;
