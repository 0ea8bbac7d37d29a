//! The console's overview.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::api::respond;
use crate::{api::ConsoleSummary, error::AppError};

/// Figures for the console's overview cards. Any staff role may see them.
#[server(name = ConsoleSummaryFn, prefix = "/api/admin", endpoint = "console_summary")]
pub async fn console_summary() -> Result<ConsoleSummary, AppError> {
    use crate::{
        domain::AccountStatus,
        server::{api, db},
    };
    respond(
        async {
            let (state, _, admin) = api::require_admin(|_| true).await?;
            let count = |status| {
                let db = state.db.clone();
                async move {
                    db::residents::count_by_status(&db, status)
                        .await
                        .map_err(|e| api::internal("count residents", e))
                }
            };
            Ok(ConsoleSummary {
                pending: count(AccountStatus::Pending).await?,
                active_residents: count(AccountStatus::Approved).await?,
                suspended_or_rejected: count(AccountStatus::Suspended).await?
                    + count(AccountStatus::Rejected).await?,
                can_review: admin.role.can_manage_residents(),
            })
        }
        .await,
    )
}
