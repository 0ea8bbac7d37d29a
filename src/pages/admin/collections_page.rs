//! `/admin/collections`: record collections, the latest collections, and
//! the reference data they rest on (waste types, collection days).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    api::{
        admin::{
            collection_schedules, current_admin, recent_collections, resident_list, waste_types,
            RecordCollection, SaveWasteType, SetCollectionDay,
        },
        user::barangays,
    },
    components::{
        error_alert, href, live_gate::RefreshOnLiveChange, page_param, submission_error, AsyncSection,
        DataTable, FieldError, FormError, IdempotencyField, Pager, Panel, StaffFrame,
    },
    domain::{format_points, programme::WEEKDAYS, AdminRole, Weight},
    error::AppError,
    wire::{
        programme::{CollectionView, ScheduleDay, WasteTypeView},
        Barangay, Page, ResidentSummary, StaffProfile,
    },
};

type Loaded<T> = Resource<Result<T, AppError>>;

/// The signed-in staff member's role. Lists the role may not see are not
/// asked for at all (rather than asked for and refused).
async fn role_of(me: Loaded<StaffProfile>) -> Result<AdminRole, AppError> {
    me.await.map(|s| s.role)
}

/// `/admin/collections`: record a collection (operations), recent
/// collections (staff who see residents), waste types and collection days.
#[component]
pub fn CollectionsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let record = ServerAction::<RecordCollection>::new();
    let edit_type = ServerAction::<SaveWasteType>::new();
    let add_type = ServerAction::<SaveWasteType>::new();
    let set_day = ServerAction::<SetCollectionDay>::new();
    let query = use_query_map();
    let search = Signal::derive(move || query.read().get("q").unwrap_or_default());
    let page = page_param("page");

    let residents = Resource::new(
        move || search.get(),
        move |q| async move {
            if !role_of(me).await?.can_run_collections() {
                return Ok(None);
            }
            resident_list(Some("approved".into()), Some(q), Some(1)).await.map(Some)
        },
    );
    let recent = Resource::new(
        move || (page(), record.version().get()),
        move |(page, _)| async move {
            if !role_of(me).await?.can_view_residents() {
                return Ok(None);
            }
            recent_collections(Some(page)).await.map(Some)
        },
    );
    // Waste types are fetched again only after a successful save: a failed
    // edit keeps its row's form open with the message under it.
    let types_changed = RwSignal::new(0_u32);
    for action in [edit_type, add_type] {
        Effect::watch(
            move || action.version().get(),
            move |_, _, _| {
                if matches!(action.value().get_untracked(), Some(Ok(()))) {
                    types_changed.update(|n| *n += 1);
                }
            },
            false,
        );
    }
    let types = Resource::new(move || types_changed.get(), |_| waste_types());
    let schedules = Resource::new(move || set_day.version().get(), |_| collection_schedules());
    let barangay_list = Resource::new(|| (), |_| barangays());

    let can_run =
        move || me.get_untracked().and_then(Result::ok).is_some_and(|s| s.role.can_run_collections());
    view! {
        <Title text="Collections" />
        <StaffFrame me>
            <RefreshOnLiveChange refetch=move || recent.refetch() />
            <div class="page-head">
                <h1>"Collections"</h1>
                <p class="lede">"What residents hand in, the points it earns, and when each barangay is collected."</p>
            </div>
            <div class="collections-top">
                {can_run().then(|| view! { <RecordPanel record residents types search /> })}
                <RecentPanel recent search />
            </div>
            <div class="collections-reference">
                <WasteTypesSection types edit_type add_type can_edit=can_run() />
                <ScheduleSection schedules barangays=barangay_list set_day can_edit=can_run() />
            </div>
        </StaffFrame>
    }
}

/// "Record a collection": find the resident, choose the waste type, weigh.
#[component]
fn RecordPanel(
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
                <div class="field">
                    <label for="resident_id">"Resident"</label>
                    <ResidentChoice residents search chosen=chosen_resident />
                    <FieldError error field="resident_id" />
                </div>
                <div class="field">
                    <label for="waste_type_id">"Waste type"</label>
                    <WasteTypeChoice types chosen=chosen_type />
                    <FieldError error field="waste_type_id" />
                </div>
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
                        <select
                            id="resident_id"
                            name="resident_id"
                            required
                            on:change=move |ev| chosen.set(event_target_value(&ev))
                        >
                            {several.then(|| view! { <option value="">"Choose a resident"</option> })}
                            {list.items.into_iter().map(|r| view! {
                                <option value=r.id>{format!("{} · {} · {}", r.name, r.email, r.barangay)}</option>
                            }).collect_view()}
                        </select>
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
                    <select
                        id="waste_type_id"
                        name="waste_type_id"
                        required
                        on:change=move |ev| chosen.set(event_target_value(&ev))
                    >
                        <option value="">"Choose a waste type"</option>
                        {active.into_iter().map(|t| view! {
                            <option value=t.id>{format!("{} · {} points per kg", t.name, format_points(t.points_per_kg))}</option>
                        }).collect_view()}
                    </select>
                    {none.then(|| view! { <p class="hint">"No waste type is in use: add one under Waste types."</p> })}
                }
            }
        </AsyncSection>
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

/// "Recent collections", newest first, a page at a time.
#[component]
fn RecentPanel(recent: Loaded<Option<Page<CollectionView>>>, search: Signal<String>) -> impl IntoView {
    let loading =
        || view! { <section class="panel recent-panel"><p class="loading">"Loading…"</p></section> };
    let on_error = |error: AppError| {
        view! { <section class="panel recent-panel">{error_alert(error)}</section> }.into_any()
    };
    const COLUMNS: &[(&str, &str)] = &[
        ("Date", ""),
        ("Resident", ""),
        ("Waste type", ""),
        ("Weight", "num"),
        ("Points", "num"),
        ("Recorded by", ""),
    ];
    view! {
        <AsyncSection of=recent fallback=loading on_error let(list)>
            {list.map(|list| {
                let (current, pages, total) = (list.page, list.pages(), list.total);
                let q = search.get_untracked();
                let link = move |page: i64| href("/admin/collections", &[("q", &q), ("page", &page)]);
                let body = if list.items.is_empty() {
                    view! { <p class="empty">"No collections recorded yet."</p> }.into_any()
                } else {
                    view! {
                        <DataTable columns=COLUMNS class="table compact">
                            {list.items.into_iter().map(|c| view! {
                                <tr data-testid="collection-row">
                                    <td data-label="Date">{c.recorded_at}</td>
                                    <td data-label="Resident">
                                        <a href=format!("/admin/users/{}", c.resident_id)>{c.resident_name}</a>
                                    </td>
                                    <td data-label="Waste type">{c.waste_type}</td>
                                    <td data-label="Weight" class="num">{Weight(c.centikg).to_string()}</td>
                                    <td data-label="Points" class="num">{format!("+{}", format_points(c.points))}</td>
                                    <td data-label="Recorded by">{c.recorded_by}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                    }
                    .into_any()
                };
                let count = move || view! { <span class="hint">{format_points(total)} " in all"</span> };
                view! {
                    <Panel title="Recent collections" id="recent-heading" class="recent-panel" tools=count>
                        {body}
                        <Pager current pages link label="Collection pages" />
                    </Panel>
                }
            })}
        </AsyncSection>
    }
}

/// "Waste types": the rates; operations staff edit them row by row.
#[component]
fn WasteTypesSection(
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
                                <div class="field">
                                    <label for="new-type-name">"Name"</label>
                                    <input id="new-type-name" name="name" required maxlength="60" autocomplete="off" />
                                    <FieldError error=add_error field="name" />
                                </div>
                                <div class="field narrow">
                                    <label for="new-type-points">"Points per kg"</label>
                                    <input id="new-type-points" name="points_per_kg" inputmode="numeric" required maxlength="6" autocomplete="off" />
                                    <FieldError error=add_error field="points_per_kg" />
                                </div>
                                <label class="check">
                                    <input type="checkbox" name="active" value="on" checked />
                                    " In use"
                                </label>
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
                            <label class="check">
                                <input type="checkbox" name="active" value="on" checked=active />
                                " In use"
                            </label>
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
fn ScheduleSection(
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
                                <div class="field">
                                    <label for="barangay_id">"Barangay"</label>
                                    <select id="barangay_id" name="barangay_id" required>
                                        <option value="">"Choose a barangay"</option>
                                        {all.into_iter().map(|b| view! { <option value=b.id>{b.name}</option> }).collect_view()}
                                    </select>
                                    <FieldError error field="barangay_id" />
                                </div>
                                <div class="field narrow">
                                    <label for="weekday">"Weekday"</label>
                                    <select id="weekday" name="weekday" required>
                                        {WEEKDAYS.iter().enumerate().map(|(i, day)| view! {
                                            <option value=i + 1>{*day}</option>
                                        }).collect_view()}
                                    </select>
                                    <FieldError error field="weekday" />
                                </div>
                                <div class="field">
                                    <label for="schedule-note">"Note"</label>
                                    <input id="schedule-note" name="note" maxlength="80" placeholder="e.g. plastics and glass only" autocomplete="off" />
                                    <FieldError error field="note" />
                                </div>
                                <label class="check">
                                    <input type="checkbox" name="collected" value="on" checked />
                                    " Collected"
                                </label>
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
