//! `/admin/admins`: staff accounts (super admins). New accounts get a
//! temporary password, shown once here, that must be changed at first
//! sign-in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{
        current_admin, staff_list, take_created_staff, ChangeStaffRole, CreateStaff, ReactivateStaff,
        SuspendStaff, UnlockStaff,
    },
    components::{
        live_gate::RefreshOnLiveChange, report_outcome, FieldError, FormError, OutcomeNotice, Pager,
        StaffFrame,
    },
    domain::AdminRole,
    error::AppError,
    wire::programme::{CreatedStaff, StaffMember},
};

/// /admin/admins: staff accounts (super admins).
#[component]
pub fn AdminsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1);

    let create = ServerAction::<CreateStaff>::new();
    let change_role = ServerAction::<ChangeStaffRole>::new();
    let suspend = ServerAction::<SuspendStaff>::new();
    let reactivate = ServerAction::<ReactivateStaff>::new();
    let unlock = ServerAction::<UnlockStaff>::new();
    let actions = StaffActions { change_role, suspend, reactivate, unlock };

    let staff = Resource::new(
        move || {
            (
                page(),
                create.version().get(),
                change_role.version().get(),
                suspend.version().get(),
                reactivate.version().get(),
                unlock.version().get(),
            )
        },
        |(page, ..)| staff_list(Some(page)),
    );

    let notice = RwSignal::new(None);
    let name_of = move |staff_id: &str| {
        staff
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|list| list.items.into_iter().find(|s| s.id.to_string() == staff_id))
            .map_or_else(|| "The staff member".to_owned(), |s| s.name)
    };
    report_outcome(change_role, notice, false, move |input| match AdminRole::parse(&input.role) {
        Some(role) => format!("{} is now {}.", name_of(&input.staff_id), role.label().to_lowercase()),
        None => format!("{}'s role was changed.", name_of(&input.staff_id)),
    });
    report_outcome(suspend, notice, false, move |input| {
        format!("{} is suspended: their console sessions ended.", name_of(&input.staff_id))
    });
    report_outcome(reactivate, notice, false, move |input| {
        format!("{} can sign in again.", name_of(&input.staff_id))
    });
    report_outcome(unlock, notice, false, move |input| {
        format!("{} can try signing in again.", name_of(&input.staff_id))
    });

    // The account just created, with the name it was given.
    let created_name = RwSignal::new(String::new());
    Effect::new(move || {
        if let Some(input) = create.input().get() {
            created_name.set(input.name.trim().to_owned());
        }
    });
    let created = Memo::new(move |_| create.value().get().and_then(Result::ok));
    // Without JavaScript the post came back here: the password waits in the
    // session, shown once.
    let flashed = Resource::new(|| (), |_| take_created_staff());
    // An empty form again once the account is created.
    let create_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if created.get().is_some() {
            if let Some(form) = create_form.get_untracked() {
                form.reset();
            }
        }
    });
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));

    // A plain form post (no WASM) comes back with its error in the query;
    // it is old news once an action ran here.
    let acted = move || {
        [create.version(), change_role.version(), suspend.version(), reactivate.version(), unlock.version()]
            .iter()
            .any(|v| v.get() > 0)
    };
    let from_url = StoredValue::new(crate::components::url_form_error());
    let plain_error = move || {
        if acted() {
            return None;
        }
        from_url.get_value().map(|error| {
            let message = match error {
                AppError::Invalid { message, .. } => message,
                other => other.to_string(),
            };
            view! { <p class="form-error" role="alert">{message}</p> }
        })
    };

    // Read inside the frame, once the account is there.
    let can_manage = move || me.get().and_then(Result::ok).is_some_and(|s| s.role.can_manage_staff());

    view! {
        <Title text="Staff" />
        <StaffFrame me>
            <RefreshOnLiveChange refetch=move || staff.refetch() />
            <div class="staff-admins">
                <div class="page-head">
                    <h1>"Staff"</h1>
                    {move || can_manage().then(|| view! {
                        <p class="lede">"Console accounts and their roles. New staff get a temporary password to change at first sign-in."</p>
                    })}
                </div>
                {plain_error}
                {move || can_manage().then(|| view! {
                    <section class="panel" aria-labelledby="add-staff-title">
                        <h2 id="add-staff-title">"Add a staff member"</h2>
                        {move || created.get().map(|account| view! {
                            <TemporaryPassword account name=created_name.get_untracked() />
                        })}
                        <Suspense>
                            {move || Suspend::new(async move {
                                flashed.await.ok().flatten().map(|account| {
                                    let name = account.email.clone();
                                    view! { <TemporaryPassword account name /> }
                                })
                            })}
                        </Suspense>
                        <ActionForm action=create node_ref=create_form attr:class="staff-form">
                            <FormError error=create_error />
                            <div class="field">
                                <label for="staff-name">"Name"</label>
                                <input id="staff-name" name="name" autocomplete="off" required maxlength="100" />
                                <FieldError error=create_error field="name" />
                            </div>
                            <div class="field">
                                <label for="staff-email">"Email"</label>
                                <input id="staff-email" name="email" type="email" autocomplete="off" required maxlength="254" />
                                <FieldError error=create_error field="email" />
                            </div>
                            <div class="field">
                                <label for="staff-role">"Role"</label>
                                <select id="staff-role" name="role" required>
                                    <option value="">"Choose a role…"</option>
                                    {AdminRole::ALL.map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                                </select>
                                <FieldError error=create_error field="role" />
                            </div>
                            <div class="form-actions">
                                <button type="submit" class="primary" disabled=create.pending()>"Create account"</button>
                            </div>
                        </ActionForm>
                    </section>
                })}
                <section class="panel" aria-labelledby="staff-title">
                    <h2 id="staff-title">"Staff accounts"</h2>
                    <OutcomeNotice notice />
                    <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                        {move || Suspend::new(async move {
                            match staff.await {
                                Ok(list) => {
                                    let (current, pages) = (list.page, list.pages());
                                    view! {
                                        <div class="table-wrap">
                                            <table class="table staff-table">
                                                <thead>
                                                    <tr>
                                                        <th>"Name and email"</th>
                                                        <th>"Role"</th>
                                                        <th>"Status"</th>
                                                        <th class="actions"></th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    // Keyed by content: a changed account gets a fresh
                                                    // row, and no role menu moves to another account.
                                                    <For
                                                        each=move || list.items.clone()
                                                        key=|m| (m.id, m.role, m.active, m.must_change_password, m.locked, m.name.clone(), m.email.clone())
                                                        let(member)
                                                    >
                                                        <StaffRow member actions />
                                                    </For>
                                                </tbody>
                                            </table>
                                        </div>
                                        <Pager current pages link=|page| format!("/admin/admins?page={page}") label="Staff pages" />
                                    }
                                    .into_any()
                                }
                                Err(AppError::Forbidden) => view! {
                                    <p class="notice" data-testid="staff-forbidden">
                                        "Only super admins manage staff accounts. Your role does not include this page."
                                    </p>
                                }
                                .into_any(),
                                Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                            }
                        })}
                    </Transition>
                </section>
            </div>
        </StaffFrame>
    }
}

/// The one-time temporary password of the account just created.
#[component]
fn TemporaryPassword(account: CreatedStaff, name: String) -> impl IntoView {
    let who = if name.is_empty() { account.email.clone() } else { format!("{name} ({})", account.email) };
    let created = if name.is_empty() { account.email.clone() } else { name };
    view! {
        <div class="notice success temporary-password" role="status" data-testid="temporary-password">
            <p><strong>"Account created for " {created} "."</strong></p>
            <p>"Give this temporary password to " {who} ":"</p>
            <p><code class="password" data-testid="temporary-password-value">{account.temporary_password}</code></p>
            <p>"It is shown only once. They must change it at first sign-in, before using the console."</p>
        </div>
    }
}

/// An email that may wrap before its `@` when the table is tight.
fn breakable(email: &str) -> impl IntoView {
    let (local, domain) = match email.find('@') {
        Some(at) => email.split_at(at),
        None => (email, ""),
    };
    view! { {local.to_owned()} <wbr /> {domain.to_owned()} }
}

/// What can be done to a staff account from its row.
#[derive(Clone, Copy)]
struct StaffActions {
    change_role: ServerAction<ChangeStaffRole>,
    suspend: ServerAction<SuspendStaff>,
    reactivate: ServerAction<ReactivateStaff>,
    unlock: ServerAction<UnlockStaff>,
}

/// One staff account: its role (with a form to change it), its state, and
/// "Suspend" / "Reactivate" and "Unlock" as they apply.
#[component]
fn StaffRow(member: StaffMember, actions: StaffActions) -> impl IntoView {
    let StaffActions { change_role, suspend, reactivate, unlock } = actions;
    let s = member;
    let select_id = format!("role-{}", s.id);
    let labels = (
        format!("Change role of {}", s.email),
        format!("Suspend {}", s.email),
        format!("Reactivate {}", s.email),
        format!("Unlock {}", s.email),
    );
    view! {
        <tr data-testid="staff-row">
            <td>
                <span class="person">
                    {s.name.clone()}
                    {s.is_you.then(|| view! { " " <span class="badge you">"You"</span> })}
                </span>
                <span class="sub">{breakable(&s.email)}</span>
            </td>
            <td>
                <ActionForm action=change_role attr:class="role-form">
                    <input type="hidden" name="staff_id" value=s.id />
                    <label for=select_id.clone()>"Role"</label>
                    <select id=select_id name="role">
                        {AdminRole::ALL.map(|r| view! {
                            <option value=r.as_str() selected=r == s.role>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="small" aria-label=labels.0>"Change role"</button>
                </ActionForm>
            </td>
            <td data-label="Status">
                <span class="badges">
                    {if s.active {
                        view! { <span class="badge ok">"Active"</span> }.into_any()
                    } else {
                        view! { <span class="badge bad">"Suspended"</span> }.into_any()
                    }}
                    {s.must_change_password.then(|| view! { <span class="badge warn">"Must change password"</span> })}
                    {s.locked.then(|| view! { <span class="badge bad">"Locked"</span> })}
                </span>
            </td>
            <td class="actions">
                <div class="row-actions">
                    {match (s.active, s.is_you) {
                        (true, false) => Some(view! {
                            <ActionForm action=suspend attr:class="inline">
                                <input type="hidden" name="staff_id" value=s.id />
                                <button type="submit" class="small danger" aria-label=labels.1>"Suspend"</button>
                            </ActionForm>
                        }.into_any()),
                        (false, _) => Some(view! {
                            <ActionForm action=reactivate attr:class="inline">
                                <input type="hidden" name="staff_id" value=s.id />
                                <button type="submit" class="small" aria-label=labels.2>"Reactivate"</button>
                            </ActionForm>
                        }.into_any()),
                        (true, true) => None,
                    }}
                    {s.locked.then(|| view! {
                        <ActionForm action=unlock attr:class="inline">
                            <input type="hidden" name="staff_id" value=s.id />
                            <button type="submit" class="small" aria-label=labels.3>"Unlock"</button>
                        </ActionForm>
                    })}
                </div>
            </td>
        </tr>
    }
}
