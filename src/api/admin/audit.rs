//! The audit log, for super admins and security analysts.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::endpoint::Staff;
use crate::{
    error::AppError,
    wire::{AuditEntryView, Page},
};

pub const PER_PAGE: i64 = 50;

/// Audit entries, newest first, filtered by realm, kind and account email.
#[server(prefix = "/api/admin", endpoint = "audit_log")]
pub async fn audit_log(
    realm: Option<String>,
    kind: Option<String>,
    account: Option<String>,
    page: Option<i64>,
) -> Result<Page<AuditEntryView>, AppError> {
    use crate::{
        domain::AuditKind,
        realm::Realm,
        server::{db, endpoint},
    };
    endpoint::as_admin(
        |role| role.can_manage_sessions(),
        move |Staff { state, .. }| async move {
            let realm = match realm.as_deref().unwrap_or_default() {
                "" => None,
                raw => Some(
                    Realm::parse(raw)
                        .ok_or_else(|| AppError::invalid("realm", "Choose residents or staff."))?,
                ),
            };
            let kind = match kind.as_deref().unwrap_or_default() {
                "" => None,
                raw => Some(
                    AuditKind::parse(raw)
                        .ok_or_else(|| AppError::invalid("kind", "Choose a kind of event from the list."))?,
                ),
            };
            let account = account.unwrap_or_default().trim().to_lowercase();
            if account.chars().count() > 254 || account.chars().any(char::is_control) {
                return Err(AppError::invalid("account", "Enter part of an email address."));
            }
            let page = crate::server::paging::PageRequest::parse(page)?;
            let (limit, offset) = page.window(PER_PAGE);
            let filter =
                db::audit::Filter { realm, kind, account, admin_actions_only: false, actor_admin_id: 0 };
            let (entries, total) = db::audit::search(&state.db, &filter, limit, offset)
                .await
                .map_err(|e| endpoint::internal("audit search", e))?;
            Ok(page.of(entries.into_iter().map(crate::server::audit::entry_view).collect(), PER_PAGE, total))
        },
    )
    .await
}
