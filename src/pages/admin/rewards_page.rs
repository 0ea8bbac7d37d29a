//! `/admin/rewards`: the redemptions to hand over and the catalogue.
//! Content & rewards managers and super admins fulfil or cancel
//! redemptions and edit the catalogue; other roles see the catalogue only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::{
        current_admin, redemption_list, reward_catalogue, CancelRedemption, FulfilRedemption, SaveReward,
    },
    components::{
        href, live_gate::RefreshOnLiveChange, page_param, report_outcome, reset_on_success, AsyncSection,
        DataTable, FieldError, FormError, Outcome, OutcomeNotice, Pager, Panel, PlainPostError, RowAction,
        StaffFrame,
    },
    domain::{format_points, RedemptionStatus},
    error::AppError,
    wire::{
        programme::{RedemptionView, RewardView},
        Page,
    },
};

type Loaded<T> = Resource<Result<T, AppError>>;

/// The redemption filter of the `status` query parameter (open by default).
fn status_filter(raw: Option<String>) -> &'static str {
    match raw.as_deref() {
        Some("fulfilled") => "fulfilled",
        Some("cancelled") => "cancelled",
        Some("all") => "all",
        _ => "open",
    }
}

/// "12 in stock" or "Out of stock".
fn stock_text(stock: i64) -> String {
    match stock {
        0 => "Out of stock".to_owned(),
        n => format!("{} in stock", format_points(n)),
    }
}

/// /admin/rewards: the catalogue and the redemptions to hand over.
#[component]
pub fn StaffRewardsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let query = use_query_map();
    let status = Signal::derive(move || status_filter(query.read().get("status")));
    let page = page_param("page");
    let (fulfil, cancel) = (ServerAction::<FulfilRedemption>::new(), ServerAction::<CancelRedemption>::new());
    let (add, edit) = (ServerAction::<SaveReward>::new(), ServerAction::<SaveReward>::new());

    // Only roles that hand rewards over ask for the redemptions at all.
    let redemptions = Resource::new(
        move || (status.get(), page(), fulfil.version().get(), cancel.version().get()),
        move |(status, page, ..)| async move {
            match me.await {
                Ok(staff) if staff.role.can_manage_rewards() => {
                    let status = (status != "all").then(|| status.to_owned());
                    redemption_list(status, Some(page)).await.map(Some)
                }
                _ => Ok(None),
            }
        },
    );
    // The catalogue changes with a saved reward or a cancelled redemption
    // (its stock comes back); a failed save keeps what was typed.
    let catalogue_version = RwSignal::new(0_u32);
    let catalogue =
        Resource::new(move || (catalogue_version.get(), cancel.version().get()), |_| reward_catalogue());
    let redemption_notice = redemption_outcomes(redemptions, fulfil, cancel);
    let add_notice = RwSignal::new(None);
    report_outcome(add, add_notice, true, |input| {
        format!("{} was added to the catalogue.", input.name.trim())
    });
    let (editing, saved) = saved_rewards(add, edit, catalogue_version);
    // A plain form post (no WASM) comes back with its error in the query.
    let acted = Signal::derive(move || {
        fulfil.version().get() + cancel.version().get() + add.version().get() + edit.version().get() > 0
    });

    // Read inside the frame, once the account is there.
    let role = move || me.get().and_then(Result::ok).map(|s| s.role);
    let can_manage = move || role().is_some_and(|r| r.can_manage_rewards());
    let can_view_residents = move || untrack(role).is_some_and(|r| r.can_view_residents());

    view! {
        <Title text="Rewards" />
        <StaffFrame me>
            <RefreshOnLiveChange refetch=move || {
                redemptions.refetch();
                catalogue.refetch();
            } />
            <div class="staff-rewards">
                <div class="page-head">
                    <h1>"Rewards"</h1>
                    <p class="lede">
                        {move || if can_manage() {
                            "Hand over what residents redeemed, and keep the catalogue of rewards up to date."
                        } else {
                            "The rewards residents can spend their points on. Content & rewards managers and super admins change them."
                        }}
                    </p>
                </div>
                <PlainPostError acted />
                {move || can_manage().then(|| view! {
                    <RedemptionsPanel redemptions status notice=redemption_notice linked=can_view_residents() fulfil cancel />
                })}
                <CataloguePanel catalogue manage=Signal::derive(can_manage) edit editing saved />
                {move || can_manage().then(|| view! { <AddRewardPanel add notice=add_notice /> })}
            </div>
        </StaffFrame>
    }
}

/// The notice of the redemptions' "Mark handed over" and "Cancel and
/// return points" buttons.
fn redemption_outcomes(
    redemptions: Loaded<Option<Page<RedemptionView>>>,
    fulfil: ServerAction<FulfilRedemption>,
    cancel: ServerAction<CancelRedemption>,
) -> RwSignal<Outcome> {
    let notice = RwSignal::new(None);
    let describe = move |redemption_id: &str| {
        redemptions
            .get_untracked()
            .and_then(Result::ok)
            .flatten()
            .and_then(|list| list.items.into_iter().find(|r| r.id.to_string() == redemption_id))
    };
    report_outcome(fulfil, notice, true, move |input| match describe(&input.redemption_id) {
        Some(r) => format!("{} was handed over to {}.", r.reward, r.resident_name),
        None => "The reward was marked as handed over.".to_owned(),
    });
    report_outcome(cancel, notice, true, move |input| match describe(&input.redemption_id) {
        Some(r) => format!(
            "The redemption of {} was cancelled: {} points went back to {}.",
            r.reward,
            format_points(r.cost_points),
            r.resident_name
        ),
        None => "The redemption was cancelled and its points returned.".to_owned(),
    });
    notice
}

/// After each reward added or saved the catalogue is fetched again.
/// Returns which reward the edit forms last sent and which they last saved
/// (its card shows the outcome).
fn saved_rewards(
    add: ServerAction<SaveReward>,
    edit: ServerAction<SaveReward>,
    catalogue_version: RwSignal<u32>,
) -> (RwSignal<Option<String>>, RwSignal<Option<String>>) {
    let editing = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    Effect::new(move || {
        if let Some(input) = edit.input().get() {
            editing.set(input.reward_id);
            saved.set(None);
        }
    });
    for (action, is_edit) in [(add, false), (edit, true)] {
        Effect::watch(
            move || action.value().get(),
            move |value, _, _| {
                if matches!(value, Some(Ok(()))) {
                    if is_edit {
                        saved.set(editing.get_untracked());
                    }
                    catalogue_version.update(|n| *n += 1);
                }
            },
            false,
        );
    }
    (editing, saved)
}

/// "Redemptions": filter chips, the table a page at a time.
#[component]
fn RedemptionsPanel(
    redemptions: Loaded<Option<Page<RedemptionView>>>,
    status: Signal<&'static str>,
    notice: RwSignal<Outcome>,
    /// Whether residents' names link to their pages.
    linked: bool,
    fulfil: ServerAction<FulfilRedemption>,
    cancel: ServerAction<CancelRedemption>,
) -> impl IntoView {
    let chip = move |value: &'static str, label: &'static str| {
        view! {
            <a href=href("/admin/rewards", &[("status", &value)]) class="chip" aria-current=move || (status.get() == value).then_some("true")>
                {label}
            </a>
        }
    };
    let chips = move || {
        view! {
            <nav class="chips" aria-label="Redemption status">
                {chip("open", "Open")}
                {chip("fulfilled", "Handed over")}
                {chip("cancelled", "Cancelled")}
                {chip("all", "All")}
            </nav>
        }
    };
    const COLUMNS: &[(&str, &str)] =
        &[("Date", ""), ("Resident", ""), ("Reward", ""), ("Points", "num"), ("Status", ""), ("", "actions")];
    view! {
        <Panel title="Redemptions" id="redemptions-title" tools=chips>
            <OutcomeNotice notice />
            <AsyncSection of=redemptions let(list)>
                {match list {
                    Some(list) if list.items.is_empty() => {
                        let message = if status.get() == "open" {
                            "No redemptions are waiting to be handed over."
                        } else {
                            "No redemptions here."
                        };
                        view! { <p class="empty">{message}</p> }.into_any()
                    }
                    Some(list) => {
                        let (current, pages, filter) = (list.page, list.pages(), status.get());
                        let link = move |page: i64| href("/admin/rewards", &[("status", &filter), ("page", &page)]);
                        view! {
                            <DataTable columns=COLUMNS class="table redemptions">
                                {list.items.into_iter().map(|r| view! {
                                    <RedemptionRow redemption=r linked fulfil cancel />
                                }).collect_view()}
                            </DataTable>
                            <Pager current pages link label="Redemption pages" />
                        }
                        .into_any()
                    }
                    None => ().into_any(),
                }}
            </AsyncSection>
        </Panel>
    }
}

/// "Catalogue": a card per reward, with its edit form for managers.
#[component]
fn CataloguePanel(
    catalogue: Loaded<Vec<RewardView>>,
    manage: Signal<bool>,
    edit: ServerAction<SaveReward>,
    editing: RwSignal<Option<String>>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <Panel title="Catalogue" id="catalogue-title" tools=|| ()>
            <AsyncSection of=catalogue let(rewards)>
                {if rewards.is_empty() {
                    view! { <p class="empty">"There are no rewards in the catalogue yet."</p> }.into_any()
                } else {
                    let manage = manage.get();
                    view! {
                        // Keyed by content: a changed reward gets a fresh card
                        // (its form shows what was saved), the others keep
                        // their state, and no form moves to another reward.
                        <div class="reward-cards">
                            <For
                                each=move || rewards.clone()
                                key=|r| (r.id, r.name.clone(), r.description.clone(), r.cost_points, r.stock, r.active)
                                let(reward)
                            >
                                <RewardCard reward manage edit editing saved />
                            </For>
                        </div>
                    }
                    .into_any()
                }}
            </AsyncSection>
        </Panel>
    }
}

/// "Add a reward": an empty form again after each reward added.
#[component]
fn AddRewardPanel(add: ServerAction<SaveReward>, notice: RwSignal<Outcome>) -> impl IntoView {
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let form = reset_on_success(add);
    view! {
        <Panel title="Add a reward" id="add-reward-title">
            <OutcomeNotice notice />
            <ActionForm action=add node_ref=form attr:class="reward-form">
                <RewardFields prefix="new-reward" reward=None error />
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=add.pending()>"Add reward"</button>
                </div>
            </ActionForm>
        </Panel>
    }
}

/// One redemption in the table, with "Mark handed over" and "Cancel and
/// return points" while it is open.
#[component]
fn RedemptionRow(
    redemption: RedemptionView,
    /// Whether the resident's name links to their page in the console.
    linked: bool,
    fulfil: ServerAction<FulfilRedemption>,
    cancel: ServerAction<CancelRedemption>,
) -> impl IntoView {
    let r = redemption;
    let open = r.status == RedemptionStatus::Open;
    // Short words, as on the filter chips above the table.
    let (badge, status) = match r.status {
        RedemptionStatus::Open => ("badge warn", "Open"),
        RedemptionStatus::Fulfilled => ("badge ok", "Handed over"),
        RedemptionStatus::Cancelled => ("badge muted", "Cancelled"),
    };
    let what = format!("{} for {}", r.reward, r.resident_name);
    let (fulfil_label, cancel_label) =
        (format!("Mark handed over: {what}"), format!("Cancel and return points: {what}"));
    let resident = if linked {
        view! { <a href=format!("/admin/users/{}", r.resident_id)>{r.resident_name.clone()}</a> }.into_any()
    } else {
        view! { <span>{r.resident_name.clone()}</span> }.into_any()
    };
    let busy = move || fulfil.pending().get() || cancel.pending().get();
    let fields = vec![("redemption_id", r.id.to_string())];
    view! {
        <tr data-testid="redemption-row">
            <td data-label="Date" class="date">{r.created_at}</td>
            <td data-label="Resident">
                <span class="person">{resident}</span>
                <span class="sub">{r.resident_email}</span>
            </td>
            <td data-label="Reward">{r.reward.clone()}</td>
            <td data-label="Points" class="num">{format_points(r.cost_points)}</td>
            <td data-label="Status">
                <span class=badge title=r.status.label()>{status}</span>
                {r.decided_at.map(|at| view! { <span class="sub">{at}</span> })}
            </td>
            <td class="actions">
                {open.then(|| view! {
                    <div class="row-actions">
                        <RowAction action=fulfil idempotent=true fields=fields.clone() class="small primary"
                            disabled=Signal::derive(busy) label=fulfil_label text="Mark handed over" />
                        <RowAction action=cancel idempotent=true fields class="small danger"
                            disabled=Signal::derive(busy) label=cancel_label text="Cancel and return points" />
                    </div>
                })}
            </td>
        </tr>
    }
}

/// A reward of the catalogue; for managers, with its edit form.
#[component]
fn RewardCard(
    reward: RewardView,
    manage: bool,
    edit: ServerAction<SaveReward>,
    /// The reward the edit forms last sent (its id).
    editing: RwSignal<Option<String>>,
    /// The reward the edit forms last saved (its id).
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = reward.id.to_string();
    let mine = {
        let id = id.clone();
        move |slot: Option<String>| slot.as_deref() == Some(id.as_str())
    };
    let error = {
        let mine = mine.clone();
        Signal::derive(
            move || {
                if mine(editing.get()) {
                    edit.value().get().and_then(Result::err)
                } else {
                    None
                }
            },
        )
    };
    let (offered, offered_class) =
        if reward.active { ("Offered", "badge ok") } else { ("Not offered", "badge muted") };
    view! {
        <article class="card reward-card" data-testid="reward-card">
            <div class="reward-head">
                <h3>{reward.name.clone()}</h3>
                <span class=offered_class>{offered}</span>
            </div>
            <p class="reward-cost"><strong>{format_points(reward.cost_points)}</strong> " points"</p>
            <p class="reward-stock" class:out=reward.stock == 0>{stock_text(reward.stock)}</p>
            {(!reward.description.is_empty()).then(|| view! {
                <p class="reward-description">{reward.description.clone()}</p>
            })}
            {move || mine(saved.get()).then(|| view! {
                <p class="notice success" role="status">"Saved."</p>
            })}
            {manage.then(|| {
                let prefix = format!("reward-{id}");
                view! {
                    <details class="reward-edit" open=error.get_untracked().is_some()>
                        <summary>"Edit " {reward.name.clone()}</summary>
                        <ActionForm action=edit attr:class="reward-form">
                            <input type="hidden" name="reward_id" value=id.clone() />
                            <FormError error />
                            <RewardFields prefix reward=Some(reward.clone()) error />
                            <div class="form-actions">
                                <button type="submit" class="primary" disabled=edit.pending()>"Save reward"</button>
                            </div>
                        </ActionForm>
                    </details>
                }
            })}
        </article>
    }
}

/// The fields of a reward form: `Name`, `Description`, `Cost (points)`,
/// `Stock` and `Offered to residents`, filled in from `reward` if given.
#[component]
fn RewardFields(
    #[prop(into)] prefix: String,
    reward: Option<RewardView>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = move |field: &str| format!("{prefix}-{field}");
    let (name, description, cost, stock, active) = match reward {
        Some(r) => (r.name, r.description, r.cost_points.to_string(), r.stock.to_string(), r.active),
        None => (String::new(), String::new(), String::new(), String::new(), true),
    };
    view! {
        <div class="field field-name">
            <label for=id("name")>"Name"</label>
            <input id=id("name") name="name" required maxlength="80" value=name />
            <FieldError error field="name" />
        </div>
        <div class="field field-cost">
            <label for=id("cost")>"Cost (points)"</label>
            <input id=id("cost") name="cost_points" type="number" inputmode="numeric" required min="1" max="1000000" step="1" value=cost />
            <FieldError error field="cost_points" />
        </div>
        <div class="field field-stock">
            <label for=id("stock")>"Stock"</label>
            <input id=id("stock") name="stock" type="number" inputmode="numeric" required min="0" max="100000" step="1" value=stock />
            <FieldError error field="stock" />
        </div>
        <div class="field field-description">
            <label for=id("description")>"Description"</label>
            <textarea id=id("description") name="description" rows="2" maxlength="300">{description}</textarea>
            <FieldError error field="description" />
        </div>
        <label class="check">
            <input type="checkbox" name="active" value="on" checked=active />
            " Offered to residents"
        </label>
    }
}
