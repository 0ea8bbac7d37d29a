//! The catalogue of `/admin/rewards`: a card per reward, edited in place
//! by managers, and the form that adds one.

use leptos::prelude::*;

use super::Loaded;
use crate::{
    api::admin::SaveReward,
    components::{
        reset_on_success, AsyncSection, Checkbox, FieldError, FormError, Outcome, OutcomeNotice, Panel,
    },
    domain::format_points,
    error::AppError,
    wire::programme::RewardView,
};

/// "12 in stock" or "Out of stock".
fn stock_text(stock: i64) -> String {
    match stock {
        0 => "Out of stock".to_owned(),
        n => format!("{} in stock", format_points(n)),
    }
}
/// After each reward added or saved the catalogue is fetched again.
/// Returns which reward the edit forms last sent and which they last saved
/// (its card shows the outcome).
pub(super) fn saved_rewards(
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
/// "Catalogue": a card per reward, with its edit form for managers.
#[component]
pub(super) fn CataloguePanel(
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
pub(super) fn AddRewardPanel(add: ServerAction<SaveReward>, notice: RwSignal<Outcome>) -> impl IntoView {
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
        <Checkbox name="active" label=" Offered to residents" checked=active />
    }
}
