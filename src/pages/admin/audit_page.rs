use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{audit_log, current_admin},
    components::{href, AsyncSection, DataTable, StaffFrame},
    domain::AuditKind,
};

/// `/admin/audit`: who did what, when, from where (super admins and
/// security analysts), filterable by realm, kind and account.
#[component]
pub fn AuditPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let entries = Resource::new(
        move || (param("realm"), param("kind"), param("account"), param("page")),
        |(realm, kind, account, page)| audit_log(Some(realm), Some(kind), Some(account), page.parse().ok()),
    );
    let page_link = move |page: i64| {
        let (realm, kind, account) = (param("realm"), param("kind"), param("account"));
        href("/admin/audit", &[("realm", &realm), ("kind", &kind), ("account", &account), ("page", &page)])
    };
    const COLUMNS: &[(&str, &str)] = &[
        ("When", ""),
        ("Realm", ""),
        ("Event", ""),
        ("Outcome", ""),
        ("Account", ""),
        ("Address", ""),
        ("Device", ""),
        ("Detail", ""),
    ];
    view! {
        <Title text="Audit log" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Audit log"</h1>
                <p class="lede">"Sign-ins, failures, lockouts, sign-outs, revocations and decisions, newest first."</p>
            </div>
            <section class="panel">
                <form method="get" action="/admin/audit" class="filters">
                    <div class="field">
                        <label for="realm">"Realm"</label>
                        <select id="realm" name="realm">
                            <option value="" selected=move || param("realm").is_empty()>"Both"</option>
                            <option value="user" selected=move || param("realm") == "user">"Residents"</option>
                            <option value="admin" selected=move || param("realm") == "admin">"Staff"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="kind">"Kind"</label>
                        <select id="kind" name="kind">
                            <option value="">"Any"</option>
                            {AuditKind::ALL.map(|k| view! {
                                <option value=k.as_str() selected=move || param("kind") == k.as_str()>{k.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="account">"Account"</label>
                        <input id="account" name="account" placeholder="part of an email" maxlength="254" prop:value=move || param("account") />
                    </div>
                    <button type="submit" class="primary">"Filter"</button>
                </form>
                <AsyncSection of=entries forbidden="Your role does not include the audit log." let(list)>
                    {if list.items.is_empty() {
                        view! { <p class="empty">"Nothing matches."</p> }.into_any()
                    } else {
                        let (current, pages) = (list.page, list.pages());
                        view! {
                            <DataTable columns=COLUMNS>
                                {list.items.into_iter().map(|e| view! {
                                    <tr data-testid="audit-row">
                                        <td data-label="When">{e.at}</td>
                                        <td data-label="Realm">{e.realm}</td>
                                        <td data-label="Event">{e.kind}</td>
                                        <td data-label="Outcome">{e.outcome}</td>
                                        <td data-label="Account">{e.account_email}</td>
                                        <td data-label="Address">{e.client_ip}</td>
                                        <td data-label="Device">{e.browser}</td>
                                        <td data-label="Detail">{e.detail}</td>
                                    </tr>
                                }).collect_view()}
                            </DataTable>
                            <nav class="pager" aria-label="Pages">
                                {(current > 1).then(|| view! { <a href=page_link(current - 1)>"← Newer"</a> })}
                                <span>"Page " {current} " of " {pages}</span>
                                {(current < pages).then(|| view! { <a href=page_link(current + 1)>"Older →"</a> })}
                            </nav>
                        }
                        .into_any()
                    }}
                </AsyncSection>
            </section>
        </StaffFrame>
    }
}
