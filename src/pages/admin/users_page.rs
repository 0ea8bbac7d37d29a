use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{
        current_admin, pending_residents, resident_list, ApproveResident, ReactivateResident, RejectResident,
        SuspendResident,
    },
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
    let suspend = ServerAction::<SuspendResident>::new();
    let reactivate = ServerAction::<ReactivateResident>::new();
    let status = move || query.read().get("status").unwrap_or_else(|| "approved".to_owned());
    let residents_page = move || query.read().get("rpage").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1);
    let residents = Resource::new(
        move || {
            (
                status(),
                residents_page(),
                approve.version().get(),
                suspend.version().get(),
                reactivate.version().get(),
            )
        },
        |(status, page, ..)| resident_list(Some(status), None, Some(page)),
    );
    let action_error = Signal::derive(move || {
        [approve.value().get(), reject.value().get(), suspend.value().get(), reactivate.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
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
            <section class="panel">
                <div class="panel-head">
                    <h2>"Residents"</h2>
                    <nav class="chips" aria-label="Status">
                        <a href="/admin/users?status=approved" class="chip" aria-current=move || (status() == "approved").then_some("true")>"Active"</a>
                        <a href="/admin/users?status=suspended" class="chip" aria-current=move || (status() == "suspended").then_some("true")>"Suspended"</a>
                    </nav>
                </div>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match residents.await {
                            Ok(list) if list.items.is_empty() => view! { <p class="empty">"No residents here."</p> }.into_any(),
                            Ok(list) => {
                                let (current, pages, status) = (list.page, list.pages(), status());
                                let link = move |page: i64| format!("/admin/users?status={status}&rpage={page}");
                                view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <thead><tr><th>"Name"</th><th>"Email"</th><th>"Barangay"</th><th>"Since"</th><th class="actions"></th></tr></thead>
                                        <tbody>
                                            {list.items.into_iter().map(|r| {
                                                let suspended = r.status == crate::domain::AccountStatus::Suspended;
                                                let label = format!("{} {}", if suspended { "Reactivate" } else { "Suspend" }, r.email);
                                                view! {
                                                    <tr data-testid="resident-row">
                                                        <td data-label="Name">{r.name.clone()}</td>
                                                        <td data-label="Email">{r.email.clone()}</td>
                                                        <td data-label="Barangay">{r.barangay}</td>
                                                        <td data-label="Since">{r.since}</td>
                                                        <td class="actions">
                                                            {can_review().then(|| if suspended {
                                                                view! {
                                                                    <ActionForm action=reactivate attr:class="inline">
                                                                        <input type="hidden" name="resident_id" value=r.id />
                                                                        <button type="submit" class="small" aria-label=label.clone()>"Reactivate"</button>
                                                                    </ActionForm>
                                                                }.into_any()
                                                            } else {
                                                                view! {
                                                                    <ActionForm action=suspend attr:class="inline">
                                                                        <input type="hidden" name="resident_id" value=r.id />
                                                                        <button type="submit" class="small danger" aria-label=label.clone()>"Suspend"</button>
                                                                    </ActionForm>
                                                                }.into_any()
                                                            })}
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <nav class="pager" aria-label="Resident pages">
                                    {(current > 1).then(|| view! { <a href=link(current - 1)>"← Previous"</a> })}
                                    <span>"Page " {current} " of " {pages}</span>
                                    {(current < pages).then(|| view! { <a href=link(current + 1)>"Next →"</a> })}
                                </nav>
                            }.into_any()
                            }
                            Err(e) => view! { <p class="notice" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </StaffFrame>
    }
}
