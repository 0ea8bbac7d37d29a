//! The reference data of `/admin/collections`: waste types and their
//! rates, and the weekdays each barangay is collected.

use leptos::prelude::*;

use super::Loaded;
use crate::{
    api::admin::{SaveWasteType, SetCollectionDay},
    components::{AsyncSection, Checkbox, Field, FieldError, FormError},
    domain::{format_points, programme::WEEKDAYS},
    error::AppError,
    wire::{
        programme::{ScheduleDay, WasteTypeView},
        Barangay,
    },
};

/// "Waste types": the rates; operations staff edit them row by row.
#[component]
pub(super) fn WasteTypesSection(
    types: Loaded<Vec<WasteTypeView>>,
    edit_type: ServerAction<SaveWasteType>,
    add_type: ServerAction<SaveWasteType>,
    can_edit: bool,
) -> impl IntoView {
    // Which row's form was sent last: its errors show under that row only.
    let editing = RwSignal::new(None::<i64>);
    let edit_error = Signal::derive(move || edit_type.value().get().and_then(Result::err));
    let add_error = Signal::derive(move || add_type.value().get().and_then(Result::err));
    let saved =
        move || [edit_type.value().get(), add_type.value().get()].iter().any(|v| matches!(v, Some(Ok(()))));
    view! {
        <details class="panel fold" open>
            <summary><h2>"Waste types"</h2></summary>
            {move || saved().then(|| view! { <p class="notice success" role="status">"Waste type saved."</p> })}
            <AsyncSection of=types let(list)>
                {view! {
                    {if list.is_empty() {
                        view! { <p class="empty">"No waste types yet."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap waste-types">
                                <table class="table compact">
                                    <thead>
                                        <tr>
                                            <th>"Name"</th>
                                            <th class="num">"Points per kg"</th>
                                            <th>"In use"</th>
                                            {can_edit.then(|| view! { <th class="actions"><span class="sr-only">"Edit"</span></th> })}
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|t| view! {
                                            <WasteTypeRow waste_type=t can_edit edit_type editing edit_error />
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                    {can_edit.then(|| view! {
                        <details class="add-form">
                            <summary class="button small">"New waste type…"</summary>
                            <ActionForm action=add_type attr:class="inline-fields">
                                <FormError error=add_error />
                                <Field id="new-type-name" label="Name" error=add_error name="name">
                                    <input id="new-type-name" name="name" required maxlength="60" autocomplete="off" />
                                </Field>
                                <Field id="new-type-points" label="Points per kg" error=add_error name="points_per_kg" class="narrow">
                                    <input id="new-type-points" name="points_per_kg" inputmode="numeric" required maxlength="6" autocomplete="off" />
                                </Field>
                                <Checkbox name="active" label=" In use" />
                                <button type="submit" class="primary">"Add waste type"</button>
                            </ActionForm>
                        </details>
                    })}
                }}
            </AsyncSection>
        </details>
    }
}

/// One waste type; for operations staff with an "Edit" fold holding its form.
#[component]
fn WasteTypeRow(
    waste_type: WasteTypeView,
    can_edit: bool,
    edit_type: ServerAction<SaveWasteType>,
    editing: RwSignal<Option<i64>>,
    edit_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let WasteTypeView { id, name, points_per_kg, active } = waste_type;
    let error = Signal::derive(move || if editing.get() == Some(id) { edit_error.get() } else { None });
    let field_id = move |field: &str| format!("type-{id}-{field}");
    view! {
        <tr data-testid="waste-type-row">
            <td data-label="Name">{name.clone()}</td>
            <td data-label="Points per kg" class="num">{format_points(points_per_kg)}</td>
            <td data-label="In use">
                {if active {
                    view! { <span class="badge ok">"In use"</span> }.into_any()
                } else {
                    view! { <span class="badge">"Not in use"</span> }.into_any()
                }}
            </td>
            {can_edit.then(|| view! {
                <td class="actions edit-cell">
                    <details class="row-edit">
                        <summary class="button small">"Edit" <span class="sr-only">" " {name.clone()}</span></summary>
                        <ActionForm action=edit_type attr:class="stack compact" on:submit=move |_| editing.set(Some(id))>
                            <input type="hidden" name="waste_type_id" value=id />
                            <FormError error />
                            <div class="field">
                                <label for=field_id("name")>"Name"</label>
                                <input id=field_id("name") name="name" value=name.clone() required maxlength="60" autocomplete="off" />
                                <FieldError error field="name" />
                            </div>
                            <div class="field">
                                <label for=field_id("points")>"Points per kg"</label>
                                <input id=field_id("points") name="points_per_kg" value=points_per_kg inputmode="numeric" required maxlength="6" autocomplete="off" />
                                <FieldError error field="points_per_kg" />
                            </div>
                            <Checkbox name="active" label=" In use" checked=active />
                            <button type="submit" class="small primary" aria-label=format!("Save {name}")>"Save"</button>
                        </ActionForm>
                    </details>
                </td>
            })}
        </tr>
    }
}

/// A barangay's week: the note of each collected weekday (Monday first).
struct BarangayWeek {
    name: String,
    days: [Option<String>; 7],
}

fn by_barangay(days: Vec<ScheduleDay>) -> Vec<BarangayWeek> {
    let mut weeks: Vec<(i64, BarangayWeek)> = Vec::new();
    for day in days {
        let Some(slot) = usize::try_from(day.weekday - 1).ok().filter(|i| *i < 7) else { continue };
        let position = match weeks.iter().position(|(id, _)| *id == day.barangay_id) {
            Some(p) => p,
            None => {
                weeks.push((day.barangay_id, BarangayWeek { name: day.barangay, days: Default::default() }));
                weeks.len() - 1
            }
        };
        weeks[position].1.days[slot] = Some(day.note);
    }
    weeks.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    weeks.into_iter().map(|(_, week)| week).collect()
}

/// "Collection schedule": which weekdays each barangay is collected.
#[component]
pub(super) fn ScheduleSection(
    schedules: Loaded<Vec<ScheduleDay>>,
    barangays: Loaded<Vec<Barangay>>,
    set_day: ServerAction<SetCollectionDay>,
    can_edit: bool,
) -> impl IntoView {
    let error = Signal::derive(move || set_day.value().get().and_then(Result::err));
    let saved = move || matches!(set_day.value().get(), Some(Ok(())));
    view! {
        <details class="panel fold" open>
            <summary><h2>"Collection schedule"</h2></summary>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let all = barangays.await.unwrap_or_default();
                    match schedules.await {
                        Ok(days) => {
                            let weeks = by_barangay(days);
                            let unscheduled: Vec<String> = all
                                .into_iter()
                                .filter(|b| !weeks.iter().any(|w| w.name == b.name))
                                .map(|b| b.name)
                                .collect();
                            view! {
                                {if weeks.is_empty() {
                                    view! { <p class="empty">"No collection days set yet."</p> }.into_any()
                                } else {
                                    view! { <ScheduleGrid weeks /> }.into_any()
                                }}
                                {(!unscheduled.is_empty()).then(|| view! {
                                    <p class="hint unscheduled">
                                        <strong>"No collection day yet: "</strong>
                                        {unscheduled.join(", ")}
                                    </p>
                                })}
                            }
                            .into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            {can_edit.then(|| view! {
                <h3 class="form-title">"Change a collection day"</h3>
                {move || saved().then(|| view! { <p class="notice success" role="status">"Collection day saved."</p> })}
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        let all = barangays.await.unwrap_or_default();
                        view! {
                            <ActionForm action=set_day attr:class="inline-fields">
                                <FormError error />
                                <Field id="barangay_id" label="Barangay" error name="barangay_id">
                                    <select id="barangay_id" name="barangay_id" required>
                                        <option value="">"Choose a barangay"</option>
                                        {all.into_iter().map(|b| view! { <option value=b.id>{b.name}</option> }).collect_view()}
                                    </select>
                                </Field>
                                <Field id="weekday" label="Weekday" error name="weekday" class="narrow">
                                    <select id="weekday" name="weekday" required>
                                        {WEEKDAYS.iter().enumerate().map(|(i, day)| view! {
                                            <option value=i + 1>{*day}</option>
                                        }).collect_view()}
                                    </select>
                                </Field>
                                <Field id="schedule-note" label="Note" error name="note">
                                    <input id="schedule-note" name="note" maxlength="80" placeholder="e.g. plastics and glass only" autocomplete="off" />
                                </Field>
                                <Checkbox name="collected" label=" Collected" />
                                <button type="submit" class="primary">"Save day"</button>
                            </ActionForm>
                            <p class="hint">"Untick Collected to stop collecting the barangay on that weekday."</p>
                        }
                    })}
                </Transition>
            })}
        </details>
    }
}

/// Barangays down, weekdays across, a dot where collected; notes last.
#[component]
fn ScheduleGrid(weeks: Vec<BarangayWeek>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="schedule-grid" data-testid="schedule">
                <thead>
                    <tr>
                        <th scope="col">"Barangay"</th>
                        {WEEKDAYS.iter().map(|day| view! {
                            <th scope="col" class="day"><abbr title=*day>{&day[..2]}</abbr></th>
                        }).collect_view()}
                        <th scope="col" class="notes">"Notes"</th>
                    </tr>
                </thead>
                <tbody>
                    {weeks.into_iter().map(|week| {
                        let notes = week
                            .days
                            .iter()
                            .zip(WEEKDAYS)
                            .filter_map(|(note, day)| match note {
                                Some(n) if !n.is_empty() => Some(format!("{}: {n}", &day[..3])),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                            .join(" · ");
                        view! {
                            <tr>
                                <th scope="row">{week.name}</th>
                                {week.days.into_iter().zip(WEEKDAYS).map(|(note, day)| {
                                    let collected = note.is_some();
                                    view! {
                                        <td class="day" class:on=collected>
                                            {collected.then(|| view! {
                                                <span class="dot" aria-hidden="true"></span>
                                                <span class="sr-only">{format!("Collected on {day}")}</span>
                                            })}
                                        </td>
                                    }
                                }).collect_view()}
                                <td class="notes">{notes.clone()}</td>
                            </tr>
                            // Phones have no room for the notes column: the notes get a line of their own.
                            {(!notes.is_empty()).then(|| view! {
                                <tr class="note-row"><td colspan="8">{notes}</td></tr>
                            })}
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
