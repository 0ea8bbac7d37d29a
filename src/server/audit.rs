//! The audit trail: every security-relevant event, in the database (for
//! `/admin/audit`) and in the structured log. Never a password, token or
//! session id. A failure to write is logged, and does not undo the action.

use super::{
    auth::realm_session::ClientInfo,
    db::{self, audit::NewEntry, Db},
};
use crate::{
    domain::{AuditKind, AuditOutcome},
    realm::Realm,
};

/// Who and what an entry is about, beyond its kind.
#[derive(Clone, Debug, Default)]
pub struct Subject {
    pub account_id: Option<i64>,
    pub account_email: String,
    pub actor_admin_id: Option<i64>,
    pub detail: String,
}

impl Subject {
    pub fn account(id: i64, email: impl Into<String>) -> Self {
        Self { account_id: Some(id), account_email: email.into(), ..Self::default() }
    }

    pub fn email(email: &str) -> Self {
        Self { account_email: email.trim().to_lowercase().chars().take(254).collect(), ..Self::default() }
    }

    pub fn by_admin(mut self, admin_id: i64) -> Self {
        self.actor_admin_id = Some(admin_id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// Writes one entry.
pub async fn record(
    db: &Db,
    realm: Realm,
    kind: AuditKind,
    outcome: AuditOutcome,
    client: &ClientInfo,
    subject: Subject,
) {
    tracing::info!(
        target: "audit",
        realm = realm.as_str(),
        kind = kind.as_str(),
        outcome = outcome.as_str(),
        account_id = subject.account_id,
        actor_admin_id = subject.actor_admin_id,
        client_ip = %client.ip,
        "audit"
    );
    let entry = NewEntry {
        realm,
        kind,
        outcome,
        account_id: subject.account_id,
        account_email: subject.account_email,
        actor_admin_id: subject.actor_admin_id,
        client_ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
        detail: subject.detail,
    };
    if let Err(err) = db::audit::insert(db, &entry).await {
        tracing::error!(error = %err, kind = kind.as_str(), "audit entry could not be written");
    }
}

/// An entry as `/admin/audit` and the console show it.
pub fn entry_view(e: db::audit::Entry) -> crate::wire::AuditEntryView {
    crate::wire::AuditEntryView {
        at: super::format::date_time(e.at),
        realm: match e.realm {
            Realm::Admin => "Staff".into(),
            Realm::User => "Residents".into(),
        },
        kind: AuditKind::parse(&e.kind).map(|k| k.label().to_owned()).unwrap_or(e.kind),
        outcome: e.outcome.as_str().to_owned(),
        account_email: e.account_email,
        client_ip: e.client_ip,
        browser: crate::domain::user_agent::describe(&e.user_agent),
        detail: e.detail,
    }
}
