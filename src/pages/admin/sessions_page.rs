use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{all_sessions, current_admin, RevokeAccountSessions, RevokeRealmSessions, RevokeSession},
    components::{
        href, live_gate::RefreshOnLiveChange, page_param, sessions_table::SessionsTable, AsyncSection,
        RowAction, StaffFrame,
    },
};

/// `/admin/sessions`: signed-in sessions of both realms, with revocation
/// (super admins and security analysts).
#[component]
pub fn SessionsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let revoke = ServerAction::<RevokeSession>::new();
    let revoke_account = ServerAction::<RevokeAccountSessions>::new();
    let revoke_realm = ServerAction::<RevokeRealmSessions>::new();
    let query = use_query_map();
    let realm = move || query.read().get("realm").unwrap_or_default();
    let page = page_param("page");
    let sessions = Resource::new(
        move || {
            (
                realm(),
                page(),
                revoke.version().get(),
                revoke_account.version().get(),
                revoke_realm.version().get(),
            )
        },
        |(realm, page, ..)| all_sessions(Some(realm), Some(page)),
    );
    let filter = move |value: &'static str, label: &'static str| {
        view! { <a href=href("/admin/sessions", &[("realm", &value)]) class="chip" aria-current=move || (realm() == value).then_some("true")>{label}</a> }
    };
    view! {
        <Title text="Sessions" />
        <StaffFrame me>
            <RefreshOnLiveChange refetch=move || sessions.refetch() directory=true />
            <div class="page-head">
                <h1>"Sessions"</h1>
                <p class="lede">"Everyone signed in, residents and staff. Revoking a session signs that browser out at once."</p>
            </div>
            <section class="panel">
                <div class="panel-head">
                    <nav class="chips" aria-label="Realm">
                        {filter("", "All")}
                        {filter("user", "Residents")}
                        {filter("admin", "Staff")}
                    </nav>
                    <div class="panel-actions">
                        <ActionForm action=revoke_realm attr:class="inline">
                            <input type="hidden" name="realm" value="user" />
                            <button type="submit" class="small danger">"Sign out all residents"</button>
                        </ActionForm>
                    </div>
                </div>
                <AsyncSection of=sessions forbidden="Your role does not include managing sessions." let(list)>
                    {
                        let (current, pages) = (list.page, list.pages());
                        view! {
                            <SessionsTable sessions=list.items show_account=true actions=move |s| {
                                let realm = s.realm.as_str();
                                let revoke_label = format!("Revoke session of {}", s.account_email);
                                let revoke_all_label = format!("Revoke all sessions of {}", s.account_email);
                                let session = vec![("realm", realm.to_owned()), ("key", s.key.clone())];
                                let account = vec![("realm", realm.to_owned()), ("account_id", s.account_id.to_string())];
                                view! {
                                    <RowAction action=revoke fields=session class="small danger" label=revoke_label text="Revoke" />
                                    <RowAction action=revoke_account fields=account class="small" label=revoke_all_label text="All of account" />
                                }
                            } />
                            <nav class="pager" aria-label="Pages">
                                <span>"Page " {current} " of " {pages}</span>
                            </nav>
                        }
                    }
                </AsyncSection>
            </section>
        </StaffFrame>
    }
}
