use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{
        current_admin, pending_residents, resident_list, ApproveResident, ReactivateResident, RejectResident,
        SuspendResident,
    },
    components::{Pager, StaffFrame},
    domain::AccountStatus,
    error::AppError,
};

/// Percent-encodes a query value typed by staff (a search term).
fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The address of the residents list with `status`, `search` and a page.
fn residents_link(status: &str, search: &str, page: Option<i64>) -> String {
    let mut link = format!("/admin/users?status={}", encode_query(status));
    if !search.is_empty() {
        link.push_str("&search=");
        link.push_str(&encode_query(search));
    }
    if let Some(page) = page {
        link.push_str(&format!("&rpage={page}"));
    }
    link
}

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
    let search = move || query.read().get("search").unwrap_or_default().trim().to_owned();
    let residents_page = move || query.read().get("rpage").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1);
    let residents = Resource::new(
        move || {
            (
                status(),
                search(),
                residents_page(),
                approve.version().get(),
                suspend.version().get(),
                reactivate.version().get(),
            )
        },
        |(status, search, page, ..)| {
            resident_list(Some(status), (!search.is_empty()).then_some(search), Some(page))
        },
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
                                                        <td data-label="Name"><a href=format!("/admin/users/{}", r.id)>{r.name.clone()}</a></td>
                                                        <td data-label="Email">{r.email.clone()}</td>
                                                        <td data-label="Barangay">{r.barangay}</td>
                                                        <td data-label="Registered">{r.registered}</td>
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
                                    <Pager current pages link=|page| format!("/admin/users?page={page}") />
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
                        {[("approved", "Active"), ("suspended", "Suspended"), ("rejected", "Rejected")].map(|(value, label)| view! {
                            <a href=move || residents_link(value, &search(), None) class="chip"
                                aria-current=move || (status() == value).then_some("true")>{label}</a>
                        }).collect_view()}
                    </nav>
                </div>
                <form method="get" action="/admin/users" class="filters resident-filter" role="search">
                    <input type="hidden" name="status" value=status />
                    <div class="field">
                        <label for="resident-search">"Search"</label>
                        <input id="resident-search" type="search" name="search" maxlength="100"
                            placeholder="Part of a name or email" value=search prop:value=search />
                    </div>
                    <button type="submit" class="primary">"Search"</button>
                    {move || (!search().is_empty()).then(|| view! {
                        <a class="button" href=move || residents_link(&status(), "", None)>"Clear search"</a>
                    })}
                </form>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match residents.await {
                            Ok(list) if list.items.is_empty() => {
                                let term = search();
                                let message = if term.is_empty() {
                                    "No residents here.".to_owned()
                                } else {
                                    format!("No residents match “{term}”.")
                                };
                                view! { <p class="empty">{message}</p> }.into_any()
                            }
                            Ok(list) => {
                                let (current, pages, status, term) = (list.page, list.pages(), status(), search());
                                let link = move |page: i64| residents_link(&status, &term, Some(page));
                                view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <thead><tr><th>"Name"</th><th>"Email"</th><th>"Barangay"</th><th>"Since"</th><th class="actions"></th></tr></thead>
                                        <tbody>
                                            {list.items.into_iter().map(|r| {
                                                let suspended = r.status == AccountStatus::Suspended;
                                                // Rejected registrations have nothing to suspend or reactivate.
                                                let actionable = can_review() && r.status != AccountStatus::Rejected;
                                                let label = format!("{} {}", if suspended { "Reactivate" } else { "Suspend" }, r.email);
                                                view! {
                                                    <tr data-testid="resident-row">
                                                        <td data-label="Name"><a href=format!("/admin/users/{}", r.id)>{r.name.clone()}</a></td>
                                                        <td data-label="Email">{r.email.clone()}</td>
                                                        <td data-label="Barangay">{r.barangay}</td>
                                                        <td data-label="Since">{r.since}</td>
                                                        <td class="actions">
                                                            {actionable.then(|| if suspended {
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
                                <Pager current pages link label="Resident pages" />
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
