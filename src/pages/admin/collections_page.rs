//! `/admin/collections`: record collections, the latest collections, and
//! the reference data they rest on (waste types, collection days).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        admin::{
            collection_schedules, current_admin, recent_collections, resident_list, waste_types,
            RecordCollection, SaveWasteType, SetCollectionDay,
        },
        user::barangays,
    },
    components::{
        error_alert, href, live_gate::RefreshOnLiveChange, page_param, AsyncSection, DataTable, Pager, Panel,
        StaffFrame,
    },
    domain::{format_points, AdminRole, Weight},
    error::AppError,
    wire::{programme::CollectionView, Page, StaffProfile},
};

mod record_panel;
mod reference_data;

use record_panel::RecordPanel;
use reference_data::{ScheduleSection, WasteTypesSection};

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
