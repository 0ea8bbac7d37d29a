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
        href, live_gate::RefreshOnLiveChange, page_param, report_outcome, AsyncSection, DataTable, Outcome,
        OutcomeNotice, Pager, Panel, PlainPostError, RowAction, StaffFrame,
    },
    domain::{format_points, RedemptionStatus},
    error::AppError,
    wire::{programme::RedemptionView, Page},
};

mod catalogue;

use catalogue::{saved_rewards, AddRewardPanel, CataloguePanel};

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
