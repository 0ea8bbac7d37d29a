//! The approval queue of new residents.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::endpoint::Staff;
use crate::{
    error::AppError,
    wire::{Page, PendingResident, ResidentSummary},
};

pub const PER_PAGE: i64 = 20;

/// Takes a decision about a resident as the signed-in staff member, who
/// must manage residents.
#[cfg(feature = "ssr")]
async fn decide(resident_id: i64, decision: crate::server::residents::Decision) -> Result<(), AppError> {
    crate::server::endpoint::as_admin(
        |role| role.can_manage_residents(),
        move |staff| async move { crate::server::residents::decide(&staff, resident_id, decision).await },
    )
    .await
}

/// Registrations waiting for review, oldest first.
#[server(prefix = "/api/admin", endpoint = "pending_residents")]
pub async fn pending_residents(page: Option<i64>) -> Result<Page<PendingResident>, AppError> {
    use crate::{
        domain::AccountStatus,
        server::{db, endpoint, format},
    };
    endpoint::as_admin(
        |role| role.can_view_residents(),
        move |Staff { state, .. }| async move {
            let page = crate::server::paging::PageRequest::parse(page)?;
            let (limit, offset) = page.window(PER_PAGE);
            let total = db::residents::count_by_status(&state.db, AccountStatus::Pending)
                .await
                .map_err(|e| endpoint::internal("count pending", e))?;
            let rows = db::residents::by_status(
                &state.db,
                AccountStatus::Pending,
                db::residents::Order::OldestFirst,
                limit,
                offset,
            )
            .await
            .map_err(|e| endpoint::internal("list pending", e))?;
            Ok(page.of(
                rows.into_iter()
                    .map(|r| PendingResident {
                        id: r.id,
                        name: r.name,
                        email: r.email,
                        barangay: r.barangay,
                        registered: format::date_time(r.created_at),
                    })
                    .collect(),
                PER_PAGE,
                total,
            ))
        },
    )
    .await
}

/// Approves a pending registration: the resident can now sign in.
#[server(prefix = "/api/admin", endpoint = "approve_resident")]
pub async fn approve_resident(resident_id: i64) -> Result<(), AppError> {
    use crate::server::residents::Decision;
    decide(resident_id, Decision::Approve).await
}

/// Rejects a pending registration, with an optional reason.
#[server(prefix = "/api/admin", endpoint = "reject_resident")]
pub async fn reject_resident(resident_id: i64, reason: Option<String>) -> Result<(), AppError> {
    use crate::server::residents::Decision;
    decide(resident_id, Decision::Reject(reason)).await
}

/// Active, suspended or rejected residents, newest first, a page at a
/// time; `search` matches part of the name or email.
#[server(prefix = "/api/admin", endpoint = "residents")]
pub async fn resident_list(
    status: Option<String>,
    search: Option<String>,
    page: Option<i64>,
) -> Result<Page<ResidentSummary>, AppError> {
    use crate::{
        domain::AccountStatus,
        server::{db, endpoint, format},
    };
    endpoint::as_admin(
        |role| role.can_view_residents(),
        move |Staff { state, .. }| async move {
            let status =
                AccountStatus::parse_list_filter(status.as_deref().unwrap_or_default()).ok_or_else(|| {
                    AppError::invalid("status", "Choose active, suspended or rejected residents.")
                })?;
            let search = search.unwrap_or_default().trim().to_owned();
            if search.chars().count() > 100 || search.chars().any(char::is_control) {
                return Err(AppError::invalid(
                    "search",
                    "Search for part of a name or email (up to 100 characters).",
                ));
            }
            let page = crate::server::paging::PageRequest::parse(page)?;
            let (limit, offset) = page.window(PER_PAGE);
            let (rows, total) = db::residents::search(&state.db, status, &search, limit, offset)
                .await
                .map_err(|e| endpoint::internal("list residents", e))?;
            Ok(page.of(
                rows.into_iter()
                    .map(|r| ResidentSummary {
                        id: r.id,
                        name: r.name,
                        email: r.email,
                        barangay: r.barangay,
                        status: r.status,
                        since: format::date(r.created_at),
                    })
                    .collect(),
                PER_PAGE,
                total,
            ))
        },
    )
    .await
}

/// Suspends an active resident; their sessions end at once.
#[server(prefix = "/api/admin", endpoint = "suspend_resident")]
pub async fn suspend_resident(resident_id: i64) -> Result<(), AppError> {
    use crate::server::residents::Decision;
    decide(resident_id, Decision::Suspend).await
}

/// Lets a suspended resident sign in again.
#[server(prefix = "/api/admin", endpoint = "reactivate_resident")]
pub async fn reactivate_resident(resident_id: i64) -> Result<(), AppError> {
    use crate::server::residents::Decision;
    decide(resident_id, Decision::Reactivate).await
}
