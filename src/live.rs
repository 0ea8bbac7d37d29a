//! Live session state, shared vocabulary of the server push and the
//! browser: what ended a session, and how each page says it.

pub mod watcher;

use serde::{Deserialize, Serialize};

/// The events of a realm's session stream, one name each for the server
/// that sends them and the browser that listens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEvent {
    /// First on every stream: the session's deadlines (JSON `SessionStatus`).
    Hello,
    /// The account's data or sessions changed: refetch.
    Changed,
    /// The session ended (data: an [`EndReason`]); the stream closes.
    Ended,
    /// Someone's sessions changed (staff who list them).
    Directory,
    /// Newer pages of this session took this stream's place.
    Replaced,
}

impl StreamEvent {
    pub const ALL: [StreamEvent; 5] = [
        StreamEvent::Hello,
        StreamEvent::Changed,
        StreamEvent::Ended,
        StreamEvent::Directory,
        StreamEvent::Replaced,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            StreamEvent::Hello => "hello",
            StreamEvent::Changed => "changed",
            StreamEvent::Ended => "ended",
            StreamEvent::Directory => "directory",
            StreamEvent::Replaced => "replaced",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == value)
    }
}

/// The path of a realm's session stream, for the router and the browser.
pub const fn stream_path(realm: crate::realm::Realm) -> &'static str {
    match realm {
        crate::realm::Realm::User => "/api/user/events",
        crate::realm::Realm::Admin => "/api/admin/events",
    }
}

/// Why a realm session ended, or why there is none: one vocabulary for the
/// server that ends sessions, the event stream that tells open pages, and
/// the `reason` of a sign-in page's address. Each context has its sentence:
/// an open page says what happened to it ([`Self::notice`]), a sign-in page
/// what to do next ([`Self::sign_in_message`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// No session was presented: the page needs one.
    SignInRequired,
    /// Signed out in this browser (this tab, or another one).
    SignedOutHere,
    /// Signed out from another of the account's devices.
    SignedOutElsewhere,
    /// The cookie named no session: ended elsewhere, damaged or forged.
    Ended,
    /// Ended by an administrator.
    Revoked,
    /// Ran past its idle or absolute lifetime.
    Expired,
    /// The account's password was changed (from another session).
    PasswordChanged,
    /// The password was reset with an emailed link.
    PasswordReset,
    /// The account was suspended.
    Suspended,
}

impl EndReason {
    pub const ALL: [EndReason; 9] = [
        EndReason::SignInRequired,
        EndReason::SignedOutHere,
        EndReason::SignedOutElsewhere,
        EndReason::Ended,
        EndReason::Revoked,
        EndReason::Expired,
        EndReason::PasswordChanged,
        EndReason::PasswordReset,
        EndReason::Suspended,
    ];

    /// The name on the wire: event data, and `?reason=` of sign-in pages.
    pub const fn as_str(self) -> &'static str {
        match self {
            EndReason::SignInRequired => "required",
            EndReason::SignedOutHere => "signed_out",
            EndReason::SignedOutElsewhere => "signed_out_elsewhere",
            EndReason::Ended => "ended",
            EndReason::Revoked => "revoked",
            EndReason::Expired => "expired",
            EndReason::PasswordChanged => "password_changed",
            EndReason::PasswordReset => "password_reset",
            EndReason::Suspended => "suspended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// The notice an open page shows in place of its private content.
    pub const fn notice(self) -> &'static str {
        match self {
            EndReason::SignInRequired => "You are not signed in.",
            EndReason::SignedOutHere => "You signed out in another tab.",
            EndReason::SignedOutElsewhere | EndReason::Ended => "You were signed out from another device.",
            EndReason::Revoked => "An administrator ended this session.",
            EndReason::Expired => "Your session expired.",
            EndReason::PasswordChanged | EndReason::PasswordReset => "Your password was changed.",
            EndReason::Suspended => "Your account has been suspended.",
        }
    }

    /// The sentence a sign-in page shows above its form.
    pub const fn sign_in_message(self) -> &'static str {
        match self {
            EndReason::SignInRequired => "Please sign in to continue.",
            EndReason::SignedOutHere => "You have signed out.",
            EndReason::SignedOutElsewhere => "You were signed out from another device. Please sign in again.",
            EndReason::Ended => "Your session has ended or is no longer valid. Please sign in again.",
            EndReason::Revoked => "An administrator ended your session. Please sign in again.",
            EndReason::Expired => "Your session expired. Please sign in again.",
            EndReason::PasswordChanged | EndReason::PasswordReset => {
                "Your password was changed. Sign in with your new password."
            }
            EndReason::Suspended => "Your account has been suspended.",
        }
    }

    /// Whether the sign-in page gives the news as a success (the visitor
    /// did it) rather than a warning.
    pub const fn is_own_doing(self) -> bool {
        matches!(self, EndReason::SignedOutHere | EndReason::PasswordReset)
    }
}

/// What the session's event stream says first: the deadline it watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStatus {
    pub account_id: i64,
    /// Unix seconds at which the session ends unless used again.
    pub expires_at: i64,
    /// The server's clock, so the browser can correct for skew.
    pub now: i64,
    /// The realm's idle timeout in seconds (for the warning's timing).
    pub idle_seconds: i64,
}

/// A page's question "is my realm session still there?", answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionCheck {
    Active(SessionStatus),
    Ended(EndReason),
}

#[cfg(test)]
mod tests {
    use super::{stream_path, EndReason, StreamEvent};

    #[test]
    fn every_stream_event_name_parses_back_and_unknown_names_do_not() {
        for event in StreamEvent::ALL {
            assert_eq!(StreamEvent::parse(event.as_str()), Some(event));
        }
        assert_eq!(StreamEvent::parse("message"), None);
        assert_eq!(stream_path(crate::realm::Realm::Admin), "/api/admin/events");
    }

    #[test]
    fn reasons_round_trip_through_the_wire_name() {
        for reason in EndReason::ALL {
            assert_eq!(EndReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(EndReason::parse("signed_out_here"), None);
    }
}
