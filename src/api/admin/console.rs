//! The console's overview.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::endpoint::Staff;
use crate::{error::AppError, wire::ConsoleSummary};

/// Figures for the console's overview cards. Any staff role may see them.
#[server(name = ConsoleSummaryFn, prefix = "/api/admin", endpoint = "console_summary")]
pub async fn console_summary() -> Result<ConsoleSummary, AppError> {
    use crate::{
        domain::AccountStatus,
        server::{db, endpoint},
    };
    endpoint::as_admin(
        |_| true,
        move |Staff { state, admin, .. }| async move {
            let counts = db::residents::counts_by_status(&state.db)
                .await
                .map_err(|e| endpoint::internal("count residents", e))?;
            let count = |status| counts.get(&status).copied().unwrap_or(0);
            Ok(ConsoleSummary {
                pending: count(AccountStatus::Pending),
                active_residents: count(AccountStatus::Approved),
                suspended_or_rejected: count(AccountStatus::Suspended) + count(AccountStatus::Rejected),
                can_review: admin.role.can_manage_residents(),
            })
        },
    )
    .await
}
