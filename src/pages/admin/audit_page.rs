use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{audit_log, current_admin},
    components::StaffFrame,
    domain::AuditKind,
    error::AppError,
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
        let pairs = [("realm", param("realm")), ("kind", param("kind")), ("account", param("account"))];
        let mut query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", v.replace('&', "%26").replace('#', "%23").replace(' ', "+")))
            .collect();
        query.push(format!("page={page}"));
        format!("/admin/audit?{}", query.join("&"))
    };
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
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match entries.await {
                            Ok(list) if list.items.is_empty() => view! { <p class="empty">"Nothing matches."</p> }.into_any(),
                            Ok(list) => {
                                let (current, pages) = (list.page, list.pages());
                                view! {
                                    <div class="table-wrap">
                                        <table class="table">
                                            <thead><tr><th>"When"</th><th>"Realm"</th><th>"Event"</th><th>"Outcome"</th><th>"Account"</th><th>"Address"</th><th>"Device"</th><th>"Detail"</th></tr></thead>
                                            <tbody>
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
                                            </tbody>
                                        </table>
                                    </div>
                                    <nav class="pager" aria-label="Pages">
                                        {(current > 1).then(|| view! { <a href=page_link(current - 1)>"← Newer"</a> })}
                                        <span>"Page " {current} " of " {pages}</span>
                                        {(current < pages).then(|| view! { <a href=page_link(current + 1)>"Older →"</a> })}
                                    </nav>
                                }.into_any()
                            }
                            Err(AppError::Forbidden) => view! {
                                <p class="notice" role="alert">"Your role does not include the audit log."</p>
                            }.into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </StaffFrame>
    }
}
