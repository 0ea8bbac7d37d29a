//! The list of signed-in sessions, shared by the account pages and the
//! console's sessions page. Each page supplies the buttons of a row.

use leptos::prelude::*;

use crate::wire::SessionInfo;

#[component]
pub fn SessionsTable<F, V>(
    sessions: Vec<SessionInfo>,
    /// Show the account and realm columns (the console's directory).
    #[prop(default = false)]
    show_account: bool,
    /// The buttons of one row.
    actions: F,
) -> impl IntoView
where
    F: Fn(SessionInfo) -> V + 'static,
    V: IntoView + 'static,
{
    if sessions.is_empty() {
        return view! { <p class="empty">"No signed-in sessions."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        {show_account.then(|| view! { <th>"Account"</th><th>"Realm"</th> })}
                        <th>"Device"</th>
                        <th>"Signed in"</th>
                        <th>"Last seen"</th>
                        <th>"Address"</th>
                        <th class="actions"></th>
                    </tr>
                </thead>
                <tbody>
                    {sessions
                        .into_iter()
                        .map(|s| {
                            let buttons = actions(s.clone());
                            view! {
                                <tr data-testid="session-row" data-current=s.current.to_string()>
                                    {show_account.then(|| view! {
                                        <td data-label="Account">{s.account_email.clone()}</td>
                                        <td data-label="Realm">{if s.realm == crate::realm::Realm::Admin { "Staff" } else { "Resident" }}</td>
                                    })}
                                    <td>
                                        {s.browser.clone()}
                                        {s.current.then(|| view! { " " <span class="badge ok">"This device"</span> })}
                                    </td>
                                    <td data-label="Signed in">{s.created.clone()}</td>
                                    <td data-label="Last seen">{s.last_seen.clone()}</td>
                                    <td data-label="Address">{s.client_ip.clone()}</td>
                                    <td class="actions">{buttons}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
