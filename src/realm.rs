//! The two authentication realms. Shared by the server and the browser build,
//! so both sides agree on cookie names, paths and labels.

use serde::{Deserialize, Serialize};

/// An independent authentication domain: its own accounts, session, cookie,
/// lifetimes and pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Realm {
    /// Residents of the programme.
    User,
    /// CENRO staff running the programme from the console.
    Admin,
}

impl Realm {
    pub const ALL: [Realm; 2] = [Realm::User, Realm::Admin];

    /// Stable identifier used in the database and in logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Realm::User => "user",
            Realm::Admin => "admin",
        }
    }

    /// Base name of the realm's session cookie (production adds `__Host-`).
    pub const fn cookie_base_name(self) -> &'static str {
        match self {
            Realm::User => "eko_user",
            Realm::Admin => "eko_admin",
        }
    }

    /// Where a signed-out visitor of this realm's pages is sent.
    pub const fn login_path(self) -> &'static str {
        match self {
            Realm::User => "/login",
            Realm::Admin => "/admin/login",
        }
    }

    /// The realm's landing page after sign-in.
    /// Where a forgotten password is reset; the mailed link opens
    /// `{path}/confirm`.
    pub const fn password_reset_path(self) -> &'static str {
        match self {
            Realm::User => "/password-reset",
            Realm::Admin => "/admin/password-reset",
        }
    }

    pub const fn home_path(self) -> &'static str {
        match self {
            Realm::User => "/dashboard",
            Realm::Admin => "/admin",
        }
    }

    /// The realm a page path belongs to, if it is a private page of a realm.
    pub fn of_private_page(path: &str) -> Option<Realm> {
        const PUBLIC_ADMIN: [&str; 3] = ["/admin/login", "/admin/setup", "/admin/password-reset"];
        const USER_PAGES: [&str; 3] = ["/dashboard", "/rewards", "/account"];
        let path = path.trim_end_matches('/');
        let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
        if path == "/admin" || (path.starts_with("/admin/") && !PUBLIC_ADMIN.iter().any(|p| under(p))) {
            return Some(Realm::Admin);
        }
        USER_PAGES.iter().any(|p| under(p)).then_some(Realm::User)
    }

    /// A safe place to return to after sign-in: a local path of this realm's
    /// private pages, never another site or the other realm.
    pub fn safe_return_path(self, next: Option<&str>) -> String {
        next.filter(|n| {
            n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.len() <= 512
                && !n.chars().any(|c| c.is_control() || c.is_whitespace())
                && !has_dot_segment(n.split(['?', '#']).next().unwrap_or_default())
                && Realm::of_private_page(n.split(['?', '#']).next().unwrap_or_default()) == Some(self)
        })
        .map(str::to_owned)
        .unwrap_or_else(|| self.home_path().to_owned())
    }
}

/// Whether a path has a `.` or `..` segment, plain or percent-encoded
/// (`%2e`), or an encoded slash: such a path can climb out of the realm's
/// pages once a browser or proxy normalises it.
fn has_dot_segment(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.contains("%2f")
        || lower.contains("%5c")
        || lower.split('/').any(|segment| {
            let decoded = segment.replace("%2e", ".");
            decoded == "." || decoded == ".."
        })
}

/// Why a visitor was sent to a sign-in page; shown as a message there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInReason {
    /// The page needs a signed-in account and none was presented.
    Required,
    /// The session ran past its idle or absolute lifetime.
    Expired,
    /// The cookie named a session that does not exist (signed out elsewhere,
    /// revoked, damaged or forged).
    Ended,
    /// The visitor just signed out.
    SignedOut,
    /// The password was just reset (this browser is not signed in).
    PasswordReset,
}

impl SignInReason {
    pub const fn as_query(self) -> &'static str {
        match self {
            SignInReason::Required => "required",
            SignInReason::Expired => "expired",
            SignInReason::Ended => "ended",
            SignInReason::SignedOut => "signed_out",
            SignInReason::PasswordReset => "password_reset",
        }
    }

    pub fn from_query(value: &str) -> Option<Self> {
        Some(match value {
            "required" => SignInReason::Required,
            "expired" => SignInReason::Expired,
            "ended" => SignInReason::Ended,
            "signed_out" => SignInReason::SignedOut,
            "password_reset" => SignInReason::PasswordReset,
            _ => return None,
        })
    }

    /// The sentence the sign-in page shows.
    pub const fn message(self) -> &'static str {
        match self {
            SignInReason::Required => "Please sign in to continue.",
            SignInReason::Expired => "Your session expired. Please sign in again.",
            SignInReason::Ended => "Your session has ended or is no longer valid. Please sign in again.",
            SignInReason::SignedOut => "You have signed out.",
            SignInReason::PasswordReset => "Your password was changed. Sign in with your new password.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_pages_belong_to_their_realm() {
        assert_eq!(Realm::of_private_page("/dashboard"), Some(Realm::User));
        assert_eq!(Realm::of_private_page("/account/"), Some(Realm::User));
        assert_eq!(Realm::of_private_page("/admin"), Some(Realm::Admin));
        assert_eq!(Realm::of_private_page("/admin/users"), Some(Realm::Admin));
        assert_eq!(Realm::of_private_page("/admin/login"), None);
        assert_eq!(Realm::of_private_page("/admin/setup"), None);
        assert_eq!(Realm::of_private_page("/login"), None);
        assert_eq!(Realm::of_private_page("/administrator"), None);
        assert_eq!(Realm::of_private_page("/dashboards"), None);
    }

    #[test]
    fn return_paths_never_leave_the_realm_or_the_site() {
        assert_eq!(Realm::User.safe_return_path(Some("/dashboard")), "/dashboard");
        assert_eq!(Realm::User.safe_return_path(Some("//evil.example")), "/dashboard");
        assert_eq!(Realm::User.safe_return_path(Some("https://evil.example")), "/dashboard");
        assert_eq!(Realm::User.safe_return_path(Some("/admin/users")), "/dashboard");
        assert_eq!(Realm::Admin.safe_return_path(Some("/admin/users")), "/admin/users");
        assert_eq!(Realm::Admin.safe_return_path(Some("/\\evil")), "/admin");
        assert_eq!(Realm::Admin.safe_return_path(None), "/admin");
        assert_eq!(Realm::User.safe_return_path(Some("/dashboard/../..//x")), "/dashboard");
        assert_eq!(Realm::User.safe_return_path(Some("/dashboard/%2E%2e/admin")), "/dashboard");
        assert_eq!(Realm::User.safe_return_path(Some("/dashboard/./x")), "/dashboard");
        assert_eq!(Realm::User.safe_return_path(Some("/dashboard%2f..%2fadmin")), "/dashboard");
        assert_eq!(Realm::User.safe_return_path(Some("/rewards?page=2")), "/rewards?page=2");
    }
}

/// Type-level realm, so the server can hand out "the user-realm session"
/// and "the admin-realm session" as distinct types.
pub trait RealmMarker: Clone + Copy + Send + Sync + 'static {
    const REALM: Realm;
}

/// Marker of the residents' realm.
#[derive(Clone, Copy, Debug)]
pub struct UserRealm;

/// Marker of the staff realm.
#[derive(Clone, Copy, Debug)]
pub struct AdminRealm;

impl RealmMarker for UserRealm {
    const REALM: Realm = Realm::User;
}

impl RealmMarker for AdminRealm {
    const REALM: Realm = Realm::Admin;
}
