use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{
        current_admin, pending_residents, resident_list, ApproveResident, ReactivateResident, RejectResident,
        SuspendResident,
    },
    components::{
        href, notice_alert, page_param, AsyncSection, DataTable, Pager, Panel, RowAction, StaffFrame,
    },
    domain::AccountStatus,
    error::AppError,
    wire::{Page, PendingResident, ResidentSummary},
};

type Loaded<T> = Resource<Result<T, AppError>>;

/// The address of the residents list with `status`, `search` and a page.
fn residents_link(status: &str, search: &str, page: Option<i64>) -> String {
    let page = page.map(|p| p.to_string()).unwrap_or_default();
    href("/admin/users", &[("status", &status), ("search", &search), ("rpage", &page)])
}

/// What staff decide from the residents' rows.
#[derive(Clone, Copy)]
struct ResidentActions {
    approve: ServerAction<ApproveResident>,
    reject: ServerAction<RejectResident>,
    suspend: ServerAction<SuspendResident>,
    reactivate: ServerAction<ReactivateResident>,
}

/// `/admin/users`: the queue of registrations waiting for review.
#[component]
pub fn UsersPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let actions = ResidentActions {
        approve: ServerAction::new(),
        reject: ServerAction::new(),
        suspend: ServerAction::new(),
        reactivate: ServerAction::new(),
    };
    let ResidentActions { approve, reject, suspend, reactivate } = actions;
    let query = use_query_map();
    let page = page_param("page");
    let pending = Resource::new(
        move || (page(), approve.version().get(), reject.version().get()),
        |(page, _, _)| pending_residents(Some(page)),
    );
    let status = Signal::derive(move || query.read().get("status").unwrap_or_else(|| "approved".to_owned()));
    let search = Signal::derive(move || query.read().get("search").unwrap_or_default().trim().to_owned());
    let residents_page = page_param("rpage");
    let residents = Resource::new(
        move || {
            let versions = (approve.version().get(), suspend.version().get(), reactivate.version().get());
            (status.get(), search.get(), residents_page(), versions)
        },
        |(status, search, page, _)| {
            resident_list(Some(status), (!search.is_empty()).then_some(search), Some(page))
        },
    );
    let action_error = Signal::derive(move || {
        [approve.value().get(), reject.value().get(), suspend.value().get(), reactivate.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
    });
    let can_review =
        Signal::derive(move || me.get().and_then(Result::ok).is_some_and(|s| s.role.can_manage_residents()));
    view! {
        <Title text="Residents" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Residents"</h1>
                <p class="lede">"New registrations wait here until approved. Only approved residents can sign in."</p>
            </div>
            {move || action_error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <PendingPanel pending actions can_review />
            <ResidentsPanel residents status search actions can_review />
        </StaffFrame>
    }
}

/// "Waiting for approval": registrations with `Approve` and `Reject`.
#[component]
fn PendingPanel(
    pending: Loaded<Page<PendingResident>>,
    actions: ResidentActions,
    can_review: Signal<bool>,
) -> impl IntoView {
    let ResidentActions { approve, reject, .. } = actions;
    let on_error = |error| {
        notice_alert(match error {
            AppError::Forbidden => "Your role does not include managing residents.".to_owned(),
            other => other.to_string(),
        })
    };
    const COLUMNS: &[(&str, &str)] =
        &[("Name", ""), ("Email", ""), ("Barangay", ""), ("Registered", ""), ("Decision", "actions")];
    view! {
        <Panel title="Waiting for approval">
            <AsyncSection of=pending on_error let(list)>
                {if list.items.is_empty() {
                    view! { <p class="empty">"No registrations are waiting. New ones will appear here."</p> }.into_any()
                } else {
                    let (current, pages) = (list.page, list.pages());
                    view! {
                        <DataTable columns=COLUMNS>
                            {list.items.into_iter().map(|r| {
                                let (approve_label, reject_label) = (format!("Approve {}", r.email), format!("Reject {}", r.email));
                                view! {
                                <ResidentLine testid="pending-row" id=r.id name=r.name email=r.email barangay=r.barangay
                                    date_label="Registered" date=r.registered>
                                    {can_review.get().then(|| {
                                        let fields = vec![("resident_id", r.id.to_string())];
                                        view! {
                                            <RowAction action=approve fields=fields.clone() class="small primary" label=approve_label text="Approve" />
                                            <RowAction action=reject fields class="small danger" label=reject_label text="Reject" />
                                        }
                                    })}
                                </ResidentLine>
                            }}).collect_view()}
                        </DataTable>
                        <Pager current pages link=|page| href("/admin/users", &[("page", &page)]) />
                    }
                    .into_any()
                }}
            </AsyncSection>
        </Panel>
    }
}

/// "Residents": by status, searchable, with `Suspend` and `Reactivate`.
#[component]
fn ResidentsPanel(
    residents: Loaded<Page<ResidentSummary>>,
    status: Signal<String>,
    search: Signal<String>,
    actions: ResidentActions,
    can_review: Signal<bool>,
) -> impl IntoView {
    let chips = move || {
        view! {
            <nav class="chips" aria-label="Status">
                {[("approved", "Active"), ("suspended", "Suspended"), ("rejected", "Rejected")].map(|(value, label)| view! {
                    <a href=move || residents_link(value, &search.get(), None) class="chip"
                        aria-current=move || (status.get() == value).then_some("true")>{label}</a>
                }).collect_view()}
            </nav>
        }
    };
    const COLUMNS: &[(&str, &str)] =
        &[("Name", ""), ("Email", ""), ("Barangay", ""), ("Since", ""), ("", "actions")];
    view! {
        <Panel title="Residents" tools=chips>
            <form method="get" action="/admin/users" class="filters resident-filter" role="search">
                <input type="hidden" name="status" value=status />
                <div class="field">
                    <label for="resident-search">"Search"</label>
                    <input id="resident-search" type="search" name="search" maxlength="100"
                        placeholder="Part of a name or email" value=search prop:value=search />
                </div>
                <button type="submit" class="primary">"Search"</button>
                {move || (!search.get().is_empty()).then(|| view! {
                    <a class="button" href=move || residents_link(&status.get(), "", None)>"Clear search"</a>
                })}
            </form>
            <AsyncSection of=residents on_error=|e| notice_alert(e.to_string()) let(list)>
                {if list.items.is_empty() {
                    let term = search.get();
                    let message = if term.is_empty() {
                        "No residents here.".to_owned()
                    } else {
                        format!("No residents match “{term}”.")
                    };
                    view! { <p class="empty">{message}</p> }.into_any()
                } else {
                    let (current, pages, status, term) = (list.page, list.pages(), status.get(), search.get());
                    let link = move |page: i64| residents_link(&status, &term, Some(page));
                    view! {
                        <DataTable columns=COLUMNS>
                            {list.items.into_iter().map(|r| view! { <ResidentRow r actions can_review /> }).collect_view()}
                        </DataTable>
                        <Pager current pages link label="Resident pages" />
                    }
                    .into_any()
                }}
            </AsyncSection>
        </Panel>
    }
}

/// One resident, with `Suspend` or `Reactivate` for staff who review.
#[component]
fn ResidentRow(r: ResidentSummary, actions: ResidentActions, can_review: Signal<bool>) -> impl IntoView {
    let suspended = r.status == AccountStatus::Suspended;
    // Rejected registrations have nothing to suspend or reactivate.
    let actionable = can_review.get() && r.status != AccountStatus::Rejected;
    let label = format!("{} {}", if suspended { "Reactivate" } else { "Suspend" }, r.email);
    view! {
        <ResidentLine testid="resident-row" id=r.id name=r.name email=r.email barangay=r.barangay date_label="Since" date=r.since>
            {actionable.then(|| {
                let fields = vec![("resident_id", r.id.to_string())];
                if suspended {
                    view! { <RowAction action=actions.reactivate fields class="small" label text="Reactivate" /> }.into_any()
                } else {
                    view! { <RowAction action=actions.suspend fields class="small danger" label text="Suspend" /> }.into_any()
                }
            })}
        </ResidentLine>
    }
}

/// A resident's row: the name (a link to their page), email, barangay, a
/// date, and `children` (the buttons) last.
#[component]
fn ResidentLine(
    testid: &'static str,
    id: i64,
    name: String,
    email: String,
    barangay: String,
    date_label: &'static str,
    date: String,
    children: Children,
) -> impl IntoView {
    view! {
        <tr data-testid=testid>
            <td data-label="Name"><a href=format!("/admin/users/{id}")>{name}</a></td>
            <td data-label="Email">{email}</td>
            <td data-label="Barangay">{barangay}</td>
            <td data-label=date_label>{date}</td>
            <td class="actions">{children()}</td>
        </tr>
    }
}
