//! `/dashboard`: the resident's points, collection days, recent
//! collections, affordable rewards and notifications (the resident's view of the programme).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::user::{current_resident, resident_dashboard},
    components::{
        async_section::{LastShown, LiveSection},
        panel::Column,
        DataTable, ListOrEmpty, Panel, ResidentFrame,
    },
    domain::{format_points, Weight},
    wire::programme::{CollectionView, NextCollection, NotificationView, ResidentDashboard, RewardView},
};

/// `/dashboard`: the signed-in resident's home. Updates in place when staff
/// record a collection or hand over a reward.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_resident());
    let dashboard = Resource::new(|| (), |_| resident_dashboard());
    let shown = LastShown::default();
    view! {
        <Title text="Dashboard" />
        <ResidentFrame me>
            <div class="page-head">
                <h1>"Dashboard"</h1>
                {move || me.get().and_then(Result::ok).map(|r| {
                    let first_name = r.name.split_whitespace().next().unwrap_or_default().to_owned();
                    view! { <p class="lede">"Welcome back, " {first_name} ". Barangay " {r.barangay} "."</p> }
                })}
            </div>
            <LiveSection of=dashboard shown show=|d, _| view! { <DashboardBody d /> } />
        </ResidentFrame>
    }
}

#[component]
fn DashboardBody(d: ResidentDashboard) -> impl IntoView {
    let ResidentDashboard {
        barangay,
        points,
        recent_collections,
        next_collections,
        affordable,
        notifications,
        open_redemptions,
        ..
    } = d;
    view! {
        <div class="dash-top">
            <Balance points open_redemptions />
            <NextCollections barangay=barangay.clone() days=next_collections />
        </div>
        <div class="dash-grid">
            <div class="dash-main">
                <RecentCollections collections=recent_collections />
                <Affordable rewards=affordable />
            </div>
            <aside class="dash-side">
                <Notifications notifications />
                <section class="card" aria-labelledby="how-heading">
                    <h2 id="how-heading">"How it works"</h2>
                    <ol class="steps">
                        <li>"Sort your recyclables: PET bottles, paper and cardboard, metal cans, glass, e-waste."</li>
                        <li>"Bring them to " {barangay} "'s collection point on collection day."</li>
                        <li>"CENRO staff weigh them and credit points to your account."</li>
                        <li>"Redeem your points for rewards and pick them up at the CENRO office."</li>
                    </ol>
                </section>
            </aside>
        </div>
    }
}

/// The balance, large, with what is waiting to be handed over.
#[component]
fn Balance(points: i64, open_redemptions: i64) -> impl IntoView {
    let waiting = match open_redemptions {
        0 => None,
        1 => Some("1 reward is waiting to be handed over.".to_owned()),
        n => Some(format!("{n} rewards are waiting to be handed over.")),
    };
    view! {
        <section class="card balance-card" aria-labelledby="balance-heading">
            <h2 id="balance-heading" class="eyebrow">"Your points"</h2>
            <p class="balance">
                <span class="balance-value" data-testid="points-balance">{format_points(points)}</span>
                <span class="balance-unit">{if points == 1 { " point" } else { " points" }}</span>
            </p>
            {if points == 0 {
                view! { <p>"Bring your first recyclables on collection day to start earning points."</p> }.into_any()
            } else {
                view! { <p>"Spend them on rewards from the CENRO catalogue."</p> }.into_any()
            }}
            {waiting.map(|w| view! { <p class="balance-waiting" data-testid="open-redemptions">{w}</p> })}
            <p class="balance-link"><a href="/rewards">"See all rewards →"</a></p>
        </section>
    }
}

#[component]
fn NextCollections(barangay: String, days: Vec<NextCollection>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="next-heading">
            <h2 id="next-heading">"Next collection days"</h2>
            <p class="hint">"Barangay " {barangay}</p>
            <ListOrEmpty
                items=days
                empty=|| "No collection days are set for your barangay this week. Ask the CENRO office or your barangay hall."
                let(days)
            >
                <ul class="day-list" data-testid="next-collections">
                    {days.into_iter().map(|day| {
                        let soon = day.days_away <= 1;
                        view! {
                            <li class:soon=soon>
                                <span class="day-label">{day.label}</span>
                                {(!day.note.is_empty()).then(|| view! { <span class="day-note">{day.note}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </ListOrEmpty>
        </section>
    }
}

#[component]
fn RecentCollections(collections: Vec<CollectionView>) -> impl IntoView {
    const COLUMNS: &[Column] = &[("Date", ""), ("Waste", ""), ("Weight", "num"), ("Points", "num")];
    view! {
        <Panel title="Recent collections" id="recent-heading">
            <ListOrEmpty
                items=collections
                empty=|| "No collections yet. When staff weigh your recyclables, they appear here with the points you earned."
                let(collections)
            >
                <DataTable columns=COLUMNS class="table two-line">
                    {collections.into_iter().map(|c| view! {
                        <tr data-testid="collection-row">
                            <td data-label="Date" class="c-date">{c.recorded_at}</td>
                            <td data-label="Waste" class="c-waste">{c.waste_type}</td>
                            <td data-label="Weight" class="num c-weight">{Weight(c.centikg).to_string()}</td>
                            <td data-label="Points" class="num c-points points-plus">"+" {format_points(c.points)}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            </ListOrEmpty>
        </Panel>
    }
}

#[component]
fn Affordable(rewards: Vec<RewardView>) -> impl IntoView {
    let all_rewards = || view! { <a href="/rewards">"All rewards"</a> };
    let empty = || view! { "Not enough points for a reward yet. Keep collecting: " <a href="/rewards">"see what the rewards cost"</a> "." };
    view! {
        <Panel title="Rewards you can redeem now" id="afford-heading" tools=all_rewards>
            <ListOrEmpty items=rewards empty let(rewards)>
                <ul class="afford-list">
                    {rewards.into_iter().map(|r| view! {
                        <li>
                            <a href="/rewards" class="afford-link">
                                <span class="afford-name">{r.name}</span>
                                <span class="badge ok">{format_points(r.cost_points)} " points"</span>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </ListOrEmpty>
        </Panel>
    }
}

#[component]
fn Notifications(notifications: Vec<NotificationView>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="news-heading">
            <h2 id="news-heading">"Notifications"</h2>
            <ListOrEmpty items=notifications empty=|| "Nothing new." let(notifications)>
                <ul class="note-list" data-testid="notifications">
                    {notifications.into_iter().map(|n| view! {
                        <li>
                            <span>{n.message}</span>
                            <span class="note-at">{n.at}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </ListOrEmpty>
        </section>
    }
}
