//! `/admin/admins`: staff accounts (super admins). New accounts get a
//! temporary password, shown once here, that must be changed at first
//! sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::admin::{
        current_admin, staff_list, take_created_staff, ChangeStaffRole, CreateStaff, ReactivateStaff,
        ResetStaffTwoStep, SuspendStaff, UnlockStaff,
    },
    components::{
        error_alert, href, live_gate::RefreshOnLiveChange, page_param, report_outcome, reset_on_success,
        AsyncSection, DataTable, Field, FormError, Outcome, OutcomeNotice, Pager, Panel, PlainPostError,
        RowAction, StaffFrame,
    },
    domain::AdminRole,
    error::AppError,
    wire::{
        programme::{CreatedStaff, StaffMember},
        Page,
    },
};

type Loaded<T> = Resource<Result<T, AppError>>;

/// /admin/admins: staff accounts (super admins).
#[component]
pub fn AdminsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let page = page_param("page");
    let create = ServerAction::<CreateStaff>::new();
    let actions = StaffActions {
        change_role: ServerAction::new(),
        suspend: ServerAction::new(),
        reactivate: ServerAction::new(),
        unlock: ServerAction::new(),
        reset_two_step: ServerAction::new(),
    };
    let staff = Resource::new(
        move || (page(), create.version().get(), actions.versions()),
        |(page, ..)| staff_list(Some(page)),
    );
    let notice = staff_outcomes(staff, actions);
    let (created, created_name) = created_account(create);
    // Without JavaScript the post came back here: the password waits in the
    // session, shown once.
    let flashed = Resource::new(|| (), |_| take_created_staff());
    // A plain form post (no WASM) comes back with its error in the query.
    let acted = Signal::derive(move || create.version().get() + actions.versions() > 0);
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
                <PlainPostError acted />
                {move || can_manage().then(|| view! { <AddStaffPanel create created created_name flashed /> })}
                <Panel title="Staff accounts" id="staff-title">
                    <OutcomeNotice notice />
                    <AsyncSection of=staff on_error=staff_error let(list)>
                        <StaffTable list actions />
                    </AsyncSection>
                </Panel>
            </div>
        </StaffFrame>
    }
}

/// The staff list refused to a role that does not manage staff.
fn staff_error(error: AppError) -> AnyView {
    match error {
        AppError::Forbidden => view! {
            <p class="notice" data-testid="staff-forbidden">
                "Only super admins manage staff accounts. Your role does not include this page."
            </p>
        }
        .into_any(),
        other => error_alert(other),
    }
}

/// The notice of the staff rows' buttons.
fn staff_outcomes(staff: Loaded<Page<StaffMember>>, actions: StaffActions) -> RwSignal<Outcome> {
    let notice = RwSignal::new(None);
    let name_of = move |staff_id: &str| {
        staff
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|list| list.items.into_iter().find(|s| s.id.to_string() == staff_id))
            .map_or_else(|| "The staff member".to_owned(), |s| s.name)
    };
    report_outcome(actions.change_role, notice, false, move |input| match AdminRole::parse(&input.role) {
        Some(role) => format!("{} is now {}.", name_of(&input.staff_id), role.label().to_lowercase()),
        None => format!("{}'s role was changed.", name_of(&input.staff_id)),
    });
    report_outcome(actions.suspend, notice, false, move |input| {
        format!("{} is suspended: their console sessions ended.", name_of(&input.staff_id))
    });
    report_outcome(actions.reactivate, notice, false, move |input| {
        format!("{} can sign in again.", name_of(&input.staff_id))
    });
    report_outcome(actions.unlock, notice, false, move |input| {
        format!("{} can try signing in again.", name_of(&input.staff_id))
    });
    report_outcome(actions.reset_two_step, notice, false, move |input| {
        format!(
            "{}'s two-step sign-in was reset: their console sessions ended, and they set it up again at their next sign-in.",
            name_of(&input.staff_id)
        )
    });
    notice
}

/// The account just created, and the name it was given.
fn created_account(create: ServerAction<CreateStaff>) -> (Memo<Option<CreatedStaff>>, RwSignal<String>) {
    let created_name = RwSignal::new(String::new());
    Effect::new(move || {
        if let Some(input) = create.input().get() {
            created_name.set(input.name.trim().to_owned());
        }
    });
    (Memo::new(move |_| create.value().get().and_then(Result::ok)), created_name)
}

/// "Add a staff member": the form, then the new account's temporary
/// password (an empty form again once the account is created).
#[component]
fn AddStaffPanel(
    create: ServerAction<CreateStaff>,
    created: Memo<Option<CreatedStaff>>,
    created_name: RwSignal<String>,
    flashed: Loaded<Option<CreatedStaff>>,
) -> impl IntoView {
    let form = reset_on_success(create);
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Panel title="Add a staff member" id="add-staff-title">
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
            <ActionForm action=create node_ref=form attr:class="staff-form">
                <FormError error />
                <Field id="staff-name" label="Name" error name="name">
                    <input id="staff-name" name="name" autocomplete="off" required maxlength="100" />
                </Field>
                <Field id="staff-email" label="Email" error name="email">
                    <input id="staff-email" name="email" type="email" autocomplete="off" required maxlength="254" />
                </Field>
                <Field id="staff-role" label="Role" error name="role">
                    <select id="staff-role" name="role" required>
                        <option value="">"Choose a role…"</option>
                        {AdminRole::ALL.map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                    </select>
                </Field>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=create.pending()>"Create account"</button>
                </div>
            </ActionForm>
        </Panel>
    }
}

/// The staff accounts, a page at a time.
#[component]
fn StaffTable(list: Page<StaffMember>, actions: StaffActions) -> impl IntoView {
    let (current, pages) = (list.page, list.pages());
    view! {
        <DataTable columns=&[("Name and email", ""), ("Role", ""), ("Status", ""), ("", "actions")] class="table staff-table">
            // Keyed by content: a changed account gets a fresh
            // row, and no role menu moves to another account.
            <For
                each=move || list.items.clone()
                key=|m| (m.id, m.role, m.active, m.must_change_password, m.two_step, m.locked, m.name.clone(), m.email.clone())
                let(member)
            >
                <StaffRow member actions />
            </For>
        </DataTable>
        <Pager current pages link=|page| href("/admin/admins", &[("page", &page)]) label="Staff pages" />
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
    reset_two_step: ServerAction<ResetStaffTwoStep>,
}

impl StaffActions {
    /// How many times the row actions ran (tracked: a list reloads after each).
    fn versions(self) -> usize {
        self.change_role.version().get()
            + self.suspend.version().get()
            + self.reactivate.version().get()
            + self.unlock.version().get()
            + self.reset_two_step.version().get()
    }
}

/// One staff account: its role (with a form to change it), its state, and
/// "Suspend" / "Reactivate", "Unlock" and "Reset two-step" as they apply.
#[component]
fn StaffRow(member: StaffMember, actions: StaffActions) -> impl IntoView {
    let StaffActions { change_role, suspend, reactivate, unlock, reset_two_step } = actions;
    let s = member;
    let select_id = format!("role-{}", s.id);
    let labels = (
        format!("Change role of {}", s.email),
        format!("Suspend {}", s.email),
        format!("Reactivate {}", s.email),
        format!("Unlock {}", s.email),
        format!("Reset two-step sign-in of {}", s.email),
    );
    let fields = vec![("staff_id", s.id.to_string())];
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
                    {s.two_step.then(|| view! { <span class="badge ok">"Two-step"</span> })}
                </span>
            </td>
            <td class="actions">
                <div class="row-actions">
                    {match (s.active, s.is_you) {
                        (true, false) => Some(view! {
                            <RowAction action=suspend fields=fields.clone() class="small danger" label=labels.1 text="Suspend" />
                        }.into_any()),
                        (false, _) => Some(view! {
                            <RowAction action=reactivate fields=fields.clone() class="small" label=labels.2 text="Reactivate" />
                        }.into_any()),
                        (true, true) => None,
                    }}
                    {s.locked.then(|| view! { <RowAction action=unlock fields=fields.clone() class="small" label=labels.3 text="Unlock" /> })}
                    {(s.two_step && !s.is_you).then(|| view! {
                        <RowAction action=reset_two_step fields class="small danger" label=labels.4 text="Reset two-step" />
                    })}
                </div>
            </td>
        </tr>
    }
}
