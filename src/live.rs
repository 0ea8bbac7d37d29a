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

/// Why a realm session ended while a page of it was open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// Signed out in this browser, from another tab.
    SignedOutHere,
    /// Signed out from another of the account's devices.
    SignedOut,
    /// Ended by an administrator.
    Revoked,
    /// Ran past its idle or absolute lifetime.
    Expired,
    /// The account's password was changed or reset.
    PasswordChanged,
    /// The account was suspended.
    Suspended,
}

impl EndReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            EndReason::SignedOutHere => "signed_out_here",
            EndReason::SignedOut => "signed_out",
            EndReason::Revoked => "revoked",
            EndReason::Expired => "expired",
            EndReason::PasswordChanged => "password_changed",
            EndReason::Suspended => "suspended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            EndReason::SignedOutHere,
            EndReason::SignedOut,
            EndReason::Revoked,
            EndReason::Expired,
            EndReason::PasswordChanged,
            EndReason::Suspended,
        ]
        .into_iter()
        .find(|r| r.as_str() == value)
    }

    /// The notice the page shows in place of its private content.
    pub const fn message(self) -> &'static str {
        match self {
            EndReason::SignedOutHere => "You signed out in another tab.",
            EndReason::SignedOut => "You were signed out from another device.",
            EndReason::Revoked => "An administrator ended this session.",
            EndReason::Expired => "Your session expired.",
            EndReason::PasswordChanged => "Your password was changed.",
            EndReason::Suspended => "Your account has been suspended.",
        }
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
        for reason in [EndReason::SignedOut, EndReason::Revoked, EndReason::Expired, EndReason::SignedOutHere]
        {
            assert_eq!(EndReason::parse(reason.as_str()), Some(reason));
        }
    }
}
