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

    /// The realm with this stable identifier; anything else is `None`.
    pub fn parse(value: &str) -> Option<Realm> {
        Realm::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// The realm's session cookie name: in production with the `__Host-`
    /// prefix (secure, whole site, no domain). A constant, so the session
    /// layer keeps a borrowed name rather than copying it on every request.
    pub const fn cookie_name(self, production: bool) -> &'static str {
        match (self, production) {
            (Realm::User, false) => "eko_user",
            (Realm::Admin, false) => "eko_admin",
            (Realm::User, true) => "__Host-eko_user",
            (Realm::Admin, true) => "__Host-eko_admin",
        }
    }

    /// Where a signed-out visitor of this realm's pages is sent.
    pub const fn login_path(self) -> &'static str {
        match self {
            Realm::User => "/login",
            Realm::Admin => "/admin/login",
        }
    }

    /// Where a forgotten password is reset; the mailed link opens
    /// `{path}/confirm`.
    pub const fn password_reset_path(self) -> &'static str {
        match self {
            Realm::User => "/password-reset",
            Realm::Admin => "/admin/password-reset",
        }
    }

    /// Where a sign-in asks for its second step (a code).
    pub const fn second_step_path(self) -> &'static str {
        match self {
            Realm::User => "/login/code",
            Realm::Admin => "/admin/login/code",
        }
    }

    /// Where an account sets up two-step sign-in when it must first.
    pub const fn two_step_setup_path(self) -> &'static str {
        match self {
            Realm::User => "/account?two_step=required",
            Realm::Admin => "/admin/account?two_step=required",
        }
    }

    /// The realm's landing page after sign-in.
    pub const fn home_path(self) -> &'static str {
        match self {
            Realm::User => "/dashboard",
            Realm::Admin => "/admin",
        }
    }

    /// The realm a page path belongs to, if it is a private page of a realm:
    /// the access of the [`PAGES`] entry it is at or under (the deepest such
    /// entry). Paths under a private page that name no page, like
    /// `/admin/anything`, stay private: a signed-out visitor cannot probe
    /// which exist.
    pub fn of_private_page(path: &str) -> Option<Realm> {
        let path = path.trim_end_matches('/');
        PAGES
            .iter()
            .filter(|(pattern, _)| *pattern != "/" && is_at_or_under(pattern, path))
            .max_by_key(|(pattern, _)| pattern.len())
            .and_then(|(_, access)| match access {
                Access::Public => None,
                Access::Private(realm) => Some(*realm),
            })
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

/// Who may open a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Only a signed-in account of this realm; others are sent to its
    /// sign-in page.
    Private(Realm),
}

/// Every page of the site and who may open it, in the router's path syntax
/// (`:id` is any one segment). The guard in front of the pages reads it; a
/// test checks that it names exactly the router's routes (`src/app.rs`), so
/// a new page cannot go without an entry here, nor a private one without
/// its guard.
pub const PAGES: &[(&str, Access)] = &[
    ("/", Access::Public),
    ("/login", Access::Public),
    ("/login/code", Access::Public),
    ("/register", Access::Public),
    ("/password-reset", Access::Public),
    ("/password-reset/confirm", Access::Public),
    ("/dashboard", Access::Private(Realm::User)),
    ("/rewards", Access::Private(Realm::User)),
    ("/account", Access::Private(Realm::User)),
    ("/admin/login", Access::Public),
    ("/admin/login/code", Access::Public),
    ("/admin/setup", Access::Public),
    ("/admin/password-reset", Access::Public),
    ("/admin/password-reset/confirm", Access::Public),
    ("/admin", Access::Private(Realm::Admin)),
    ("/admin/users", Access::Private(Realm::Admin)),
    ("/admin/users/:id", Access::Private(Realm::Admin)),
    ("/admin/collections", Access::Private(Realm::Admin)),
    ("/admin/rewards", Access::Private(Realm::Admin)),
    ("/admin/admins", Access::Private(Realm::Admin)),
    ("/admin/sessions", Access::Private(Realm::Admin)),
    ("/admin/audit", Access::Private(Realm::Admin)),
    ("/admin/account", Access::Private(Realm::Admin)),
];

/// Whether `path` is the page `pattern` or a path below it.
fn is_at_or_under(pattern: &str, path: &str) -> bool {
    // Most patterns have no parameter: a prefix test, then a segment boundary.
    if !pattern.contains(':') {
        return path.strip_prefix(pattern).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    }
    let mut segments = path.split('/');
    pattern.split('/').all(|want| {
        segments.next().is_some_and(|got| got == want || (want.starts_with(':') && !got.is_empty()))
    })
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
        assert_eq!(Realm::of_private_page("/"), None);
        assert_eq!(Realm::of_private_page("/admin/users/7"), Some(Realm::Admin));
        assert_eq!(Realm::of_private_page("/admin/no-such-page"), Some(Realm::Admin));
        assert_eq!(Realm::of_private_page("/dashboard/more"), Some(Realm::User));
        assert_eq!(Realm::of_private_page("/admin/login/more"), None);
        assert_eq!(Realm::of_private_page("/admin/password-reset/confirm"), None);
        assert_eq!(Realm::of_private_page("/password-reset/confirm"), None);
    }

    #[test]
    fn production_cookie_names_are_the_development_names_with_the_host_prefix() {
        for realm in Realm::ALL {
            assert_eq!(realm.cookie_name(true), format!("__Host-{}", realm.cookie_name(false)));
        }
        assert_ne!(Realm::User.cookie_name(true), Realm::Admin.cookie_name(true));
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
