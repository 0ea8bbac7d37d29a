//! Staff accounts on `/admin/admins`: super admins only.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{
    endpoint::{self, Staff},
    staff::StaffChange,
};
use crate::{
    error::AppError,
    wire::{
        programme::{CreatedStaff, StaffMember},
        Page,
    },
};

#[cfg(feature = "ssr")]
async fn change(staff_id: String, change: StaffChange) -> Result<(), AppError> {
    endpoint::as_admin(
        |r| r.can_manage_staff(),
        move |staff| async move { crate::server::staff::change(&staff, &staff_id, change).await },
    )
    .await
}

/// Staff accounts by name, a page at a time.
#[server(prefix = "/api/admin", endpoint = "staff")]
pub async fn staff_list(page: Option<i64>) -> Result<Page<StaffMember>, AppError> {
    endpoint::as_admin(
        |r| r.can_manage_staff(),
        move |Staff { state, admin, .. }| async move {
            crate::server::staff::list(&state, &admin, crate::server::paging::PageRequest::parse(page)?).await
        },
    )
    .await
}

/// Creates a staff account; the answer carries its temporary password,
/// shown once, to be changed at first sign-in.
#[server(prefix = "/api/admin", endpoint = "create_staff")]
pub async fn create_staff(email: String, name: String, role: String) -> Result<CreatedStaff, AppError> {
    endpoint::as_admin(
        |r| r.can_manage_staff(),
        move |staff| async move {
            let created =
                crate::server::staff::create_with_temporary_password(&staff, &email, &name, &role).await?;
            if endpoint::is_plain_form_post() {
                // Without JavaScript the browser is sent back to the page:
                // the page takes the password from the session, once.
                staff.session.flash(&created).await?;
            }
            Ok(created)
        },
    )
    .await
}

/// The account created by this browser's last plain (no-JavaScript) form
/// post, with its temporary password; only once.
#[server(prefix = "/api/admin", endpoint = "take_created_staff")]
pub async fn take_created_staff() -> Result<Option<CreatedStaff>, AppError> {
    endpoint::as_admin(
        |r| r.can_manage_staff(),
        move |Staff { session, .. }| async move { session.take_flash().await },
    )
    .await
}

/// Gives a staff member another role.
#[server(prefix = "/api/admin", endpoint = "change_staff_role")]
pub async fn change_staff_role(staff_id: String, role: String) -> Result<(), AppError> {
    change(staff_id, StaffChange::Role(role)).await
}

/// Suspends a staff member: their console sessions end at once.
#[server(prefix = "/api/admin", endpoint = "suspend_staff")]
pub async fn suspend_staff(staff_id: String) -> Result<(), AppError> {
    change(staff_id, StaffChange::Suspend).await
}

/// Lets a suspended staff member sign in again.
#[server(prefix = "/api/admin", endpoint = "reactivate_staff")]
pub async fn reactivate_staff(staff_id: String) -> Result<(), AppError> {
    change(staff_id, StaffChange::Reactivate).await
}

/// Removes a staff member's second factor (a lost phone); their console
/// sessions end at once.
#[server(prefix = "/api/admin", endpoint = "reset_staff_two_step")]
pub async fn reset_staff_two_step(staff_id: String) -> Result<(), AppError> {
    change(staff_id, StaffChange::ResetTwoStep).await
}

/// Lifts a sign-in lock on a staff account.
#[server(prefix = "/api/admin", endpoint = "unlock_staff")]
pub async fn unlock_staff(staff_id: String) -> Result<(), AppError> {
    change(staff_id, StaffChange::Unlock).await
}
