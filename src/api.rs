//! Server functions, by realm. User-realm functions live under `/api/user/`,
//! admin-realm functions under `/api/admin/`; each checks its own realm's
//! session on the server. What they send and take is in `crate::wire`.

pub mod admin;
pub mod passkey_endpoints;
pub mod realm_endpoints;
pub mod two_step_endpoints;
pub mod user;
