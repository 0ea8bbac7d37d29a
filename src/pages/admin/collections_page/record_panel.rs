//! "Record a collection" of `/admin/collections`: find the resident, choose
//! the waste type, weigh.

use leptos::prelude::*;
use leptos_router::components::Form;

use super::Loaded;
use crate::{
    api::admin::RecordCollection,
    components::{submission_error, AsyncSection, Field, FieldError, FormError, IdempotencyField, Panel},
    domain::{format_points, Weight},
    error::AppError,
    wire::{programme::WasteTypeView, Page, ResidentSummary},
};

/// "Record a collection": find the resident, choose the waste type, weigh.
#[component]
pub(super) fn RecordPanel(
    record: ServerAction<RecordCollection>,
    residents: Loaded<Option<Page<ResidentSummary>>>,
    types: Loaded<Vec<WasteTypeView>>,
    search: Signal<String>,
) -> impl IntoView {
    let error = submission_error(record.value());
    let kg = RwSignal::new(String::new());
    let chosen_type = RwSignal::new(String::new());
    let chosen_resident = RwSignal::new(String::new());
    // Whom the last collection was for, to name them in the notice.
    let recorded_for = RwSignal::new(None::<String>);
    let resident_name = move || {
        let list = residents.get_untracked()?.ok()??.items;
        let id = chosen_resident.get_untracked();
        match list.as_slice() {
            [only] => Some(only.name.clone()),
            _ => list.into_iter().find(|r| r.id.to_string() == id).map(|r| r.name),
        }
    };
    // After a recorded collection the weight is cleared (the resident and
    // waste type stay: people often hand in several kinds at once).
    Effect::watch(
        move || record.version().get(),
        move |_, _, _| {
            if matches!(record.value().get_untracked(), Some(Ok(_))) {
                kg.set(String::new());
            }
        },
        false,
    );
    let preview = Signal::derive(move || {
        let weight = Weight::parse(&kg.get()).ok()?;
        let id: i64 = chosen_type.get().parse().ok()?;
        let rate = types.get()?.ok()?.into_iter().find(|t| t.id == id)?.points_per_kg;
        Some(weight.points_at(rate))
    });
    view! {
        <Panel title="Record a collection" id="record-heading" class="record-panel">
            <Form method="GET" action="/admin/collections" noscroll=true attr:class="resident-search" attr:role="search">
                <label for="q">"Find resident"</label>
                <div class="search-row">
                    <input id="q" type="search" name="q" maxlength="100" placeholder="Name or email" autocomplete="off" prop:value=move || search.get() />
                    <button type="submit">"Search"</button>
                </div>
            </Form>
            {move || match record.value().get() {
                Some(Ok(points)) => Some(view! {
                    <p class="notice success" role="status" data-testid="collection-recorded">
                        "Collection recorded: " <strong>{format_points(points)} " points"</strong> " credited to "
                        {recorded_for.get_untracked().unwrap_or_else(|| "the resident".to_owned())} "."
                    </p>
                }),
                _ => None,
            }}
            <ActionForm action=record attr:class="stack" on:submit=move |_| recorded_for.set(resident_name())>
                <IdempotencyField action=record />
                <FormError error />
                <Field id="resident_id" label="Resident" error name="resident_id">
                    <ResidentChoice residents search chosen=chosen_resident />
                </Field>
                <Field id="waste_type_id" label="Waste type" error name="waste_type_id">
                    <WasteTypeChoice types chosen=chosen_type />
                </Field>
                <WeightField kg preview error />
                <button type="submit" class="primary" disabled=move || record.pending().get()>"Record collection"</button>
            </ActionForm>
        </Panel>
    }
}

/// The resident menu of the record form: the approved residents that match
/// the search, with a hint on how many.
#[component]
fn ResidentChoice(
    residents: Loaded<Option<Page<ResidentSummary>>>,
    search: Signal<String>,
    chosen: RwSignal<String>,
) -> impl IntoView {
    let loading = || view! { <select id="resident_id" disabled><option>"Loading…"</option></select> };
    view! {
        <AsyncSection of=residents fallback=loading let(list)>
            {match list {
                Some(list) if list.items.is_empty() => {
                    let q = search.get_untracked();
                    view! {
                        <select id="resident_id" disabled>
                            <option>"No approved resident matches"</option>
                        </select>
                        <p class="hint">
                            {if q.trim().is_empty() {
                                "There are no approved residents yet.".to_owned()
                            } else {
                                format!("Nobody approved matches “{}”. Try part of the name or the email.", q.trim())
                            }}
                        </p>
                    }.into_any()
                }
                Some(list) => {
                    let shown = list.items.len() as i64;
                    let several = shown > 1;
                    view! {
                        <Menu id="resident_id" chosen>
                            {several.then(|| view! { <option value="">"Choose a resident"</option> })}
                            {list.items.into_iter().map(|r| view! {
                                <option value=r.id>{format!("{} · {} · {}", r.name, r.email, r.barangay)}</option>
                            }).collect_view()}
                        </Menu>
                        <p class="hint">
                            {if list.total > shown {
                                format!("Showing {shown} of {} residents: search to narrow the list.", list.total)
                            } else if several {
                                format!("{shown} residents match.")
                            } else {
                                "One resident matches.".to_owned()
                            }}
                        </p>
                    }.into_any()
                }
                None => ().into_any(),
            }}
        </AsyncSection>
    }
}

/// The waste type menu of the record form (the types in use).
#[component]
fn WasteTypeChoice(types: Loaded<Vec<WasteTypeView>>, chosen: RwSignal<String>) -> impl IntoView {
    let loading = || view! { <select id="waste_type_id" disabled><option>"Loading…"</option></select> };
    view! {
        <AsyncSection of=types fallback=loading let(list)>
            {
                let active: Vec<_> = list.into_iter().filter(|t| t.active).collect();
                let none = active.is_empty();
                view! {
                    <Menu id="waste_type_id" chosen>
                        // As inner HTML: text would add a hydration marker here.
                        <option value="" inner_html="Choose a waste type"></option>
                        {active.into_iter().map(|t| view! {
                            <option value=t.id>{format!("{} · {} points per kg", t.name, format_points(t.points_per_kg))}</option>
                        }).collect_view()}
                    </Menu>
                    {none.then(|| view! { <p class="hint">"No waste type is in use: add one under Waste types."</p> })}
                }
            }
        </AsyncSection>
    }
}

/// A required menu of the record form (`id` names the field too), whose
/// choice `chosen` follows; `children` are its options.
#[component]
fn Menu<C>(id: &'static str, chosen: RwSignal<String>, children: TypedChildren<C>) -> impl IntoView
where
    C: IntoView + 'static,
{
    let options = children.into_inner();
    view! {
        <select id=id name=id required on:change=move |ev| chosen.set(event_target_value(&ev))>
            {options()}
        </select>
    }
}

/// `Weight (kg)`, with the points it would earn at the chosen rate.
#[component]
fn WeightField(
    kg: RwSignal<String>,
    preview: Signal<Option<i64>>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="kg">"Weight (kg)"</label>
            <input
                id="kg"
                name="kg"
                inputmode="decimal"
                autocomplete="off"
                required
                maxlength="12"
                placeholder="e.g. 12.5"
                aria-describedby="kg-hint"
                prop:value=move || kg.get()
                on:input=move |ev| kg.set(event_target_value(&ev))
            />
            <p class="hint" id="kg-hint">
                "Up to two decimals, at most " {Weight::MAX_KG} " kg."
                {move || preview.get().map(|p| view! {
                    <span class="points-preview">" Earns " {format_points(p)} " points."</span>
                })}
            </p>
            <FieldError error field="kg" />
        </div>
    }
}
