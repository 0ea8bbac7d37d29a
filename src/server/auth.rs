//! Authentication: password hashing, the realm-scoped session mechanism and
//! the guard that keeps each realm's private pages behind its own sign-in.

pub mod endings;
pub mod guard;
pub mod password;
pub mod realm_session;
pub mod store;
pub mod throttle;

pub use endings::SessionEndings;
pub use password::Passwords;
pub use realm_session::{AdminSession, RealmSession, SignedIn, UserSession};
pub use store::RealmStore;
