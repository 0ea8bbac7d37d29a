use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{current_admin, pending_residents, ApproveResident, RejectResident},
    components::StaffFrame,
    error::AppError,
};

/// `/admin/users`: the queue of registrations waiting for review.
#[component]
pub fn UsersPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let approve = ServerAction::<ApproveResident>::new();
    let reject = ServerAction::<RejectResident>::new();
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1);
    let pending = Resource::new(
        move || (page(), approve.version().get(), reject.version().get()),
        |(page, _, _)| pending_residents(Some(page)),
    );
    let action_error = Signal::derive(move || {
        approve.value().get().and_then(Result::err).or_else(|| reject.value().get().and_then(Result::err))
    });
    let can_review = move || me.get().and_then(Result::ok).is_some_and(|s| s.role.can_manage_residents());
    view! {
        <Title text="Residents" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Residents"</h1>
                <p class="lede">"New registrations wait here until approved. Only approved residents can sign in."</p>
            </div>
            {move || action_error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <section class="panel">
                <h2>"Waiting for approval"</h2>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match pending.await {
                            Err(error) => {
                                let message = match error {
                                    AppError::Forbidden => "Your role does not include managing residents.".to_owned(),
                                    other => other.to_string(),
                                };
                                EitherOf3::A(view! { <p class="notice" role="alert">{message}</p> })
                            }
                            Ok(list) if list.items.is_empty() => EitherOf3::B(view! {
                                <p class="empty">"No registrations are waiting. New ones will appear here."</p>
                            }),
                            Ok(list) => {
                                let pages = list.pages();
                                let current = list.page;
                                EitherOf3::C(view! {
                                    <div class="table-wrap">
                                        <table class="table">
                                            <thead>
                                                <tr><th>"Name"</th><th>"Email"</th><th>"Barangay"</th><th>"Registered"</th><th class="actions">"Decision"</th></tr>
                                            </thead>
                                            <tbody>
                                                {list.items.into_iter().map(|r| {
                                                    let (approve_label, reject_label) = (format!("Approve {}", r.email), format!("Reject {}", r.email));
                                                    view! {
                                                    <tr data-testid="pending-row">
                                                        <td>{r.name.clone()}</td>
                                                        <td>{r.email.clone()}</td>
                                                        <td>{r.barangay}</td>
                                                        <td>{r.registered}</td>
                                                        <td class="actions">
                                                            {can_review().then(|| view! {
                                                                <ActionForm action=approve attr:class="inline">
                                                                    <input type="hidden" name="resident_id" value=r.id />
                                                                    <button type="submit" class="small primary" aria-label=approve_label.clone()>"Approve"</button>
                                                                </ActionForm>
                                                                <ActionForm action=reject attr:class="inline">
                                                                    <input type="hidden" name="resident_id" value=r.id />
                                                                    <button type="submit" class="small danger" aria-label=reject_label.clone()>"Reject"</button>
                                                                </ActionForm>
                                                            })}
                                                        </td>
                                                    </tr>
                                                }}).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <nav class="pager" aria-label="Pages">
                                        {(current > 1).then(|| view! { <a href=format!("/admin/users?page={}", current - 1)>"← Previous"</a> })}
                                        <span>"Page " {current} " of " {pages}</span>
                                        {(current < pages).then(|| view! { <a href=format!("/admin/users?page={}", current + 1)>"Next →"</a> })}
                                    </nav>
                                })
                            }
                        }
                    })}
                </Transition>
            </section>
        </StaffFrame>
    }
}
