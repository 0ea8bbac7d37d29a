//! `/rewards`: the rewards a resident can redeem, and their redemptions.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::user::{current_resident, rewards_overview, RedeemReward},
    components::{
        async_section::{LastShown, LiveSection},
        panel::Column,
        submission_error, DataTable, FormError, IdempotencyField, ListOrEmpty, Pager, Panel, RedemptionBadge,
        ResidentFrame,
    },
    domain::format_points,
    wire::{
        programme::{RedemptionView, RewardView, RewardsOverview},
        Page,
    },
};

/// `/rewards`: the catalogue with a `Redeem` button per reward, and the
/// resident's redemptions. Updates after a redeem and when staff hand a
/// reward over.
#[component]
pub fn RewardsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_resident());
    let redeem = ServerAction::<RedeemReward>::new();
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1);
    let overview =
        Resource::new(move || (page(), redeem.version().get()), |(page, _)| rewards_overview(Some(page)));
    let error = submission_error(redeem.value());
    let shown = LastShown::default();
    view! {
        <Title text="Rewards" />
        <ResidentFrame me>
            <div class="page-head">
                <h1>"Rewards"</h1>
                <p class="lede">"Spend your points on rewards. Redeemed rewards are handed over at the CENRO office."</p>
            </div>
            <FormError error />
            <LiveSection of=overview shown show=move |o, stale| view! { <Overview o redeem stale /> } />
        </ResidentFrame>
    }
}

/// The balance, the catalogue and the resident's redemptions (`stale`: the
/// last ones shown, while fresh ones load).
#[component]
fn Overview(
    o: RewardsOverview,
    redeem: ServerAction<RedeemReward>,
    #[prop(optional)] stale: bool,
) -> impl IntoView {
    let points = o.points;
    let within_reach = o.rewards.iter().filter(|r| r.cost_points <= points).count();
    let waiting = o.open_redemptions;
    // Read once the list is fresh: the newest redemption is the one just made.
    let redeemed = !stale && matches!(redeem.value().get_untracked(), Some(Ok(())));
    let newest = (o.redemptions.page == 1).then(|| o.redemptions.items.first().cloned()).flatten();
    let notice = redeemed.then_some(newest).flatten().map(|d| view! {
        <div class="notice success" role="status" data-testid="redeem-success">
            <p><strong>"You redeemed " {d.reward} " for " {format_points(d.cost_points)} " points."</strong></p>
            <p>"Pick it up at the CENRO office. It is listed under “Your redemptions” below until it is handed over."</p>
        </div>
    });
    view! {
        {notice}
        <div class="stats rewards-stats">
            <div class="stat">
                <span class="stat-value" data-testid="points-balance">{format_points(points)}</span>
                <span class="stat-label">"Your points"</span>
            </div>
            <div class="stat">
                <span class="stat-value">{within_reach}</span>
                <span class="stat-label">"Rewards you can redeem now"</span>
            </div>
            <div class="stat">
                <span class="stat-value">{waiting}</span>
                <span class="stat-label">"Waiting to be handed over"</span>
            </div>
        </div>
        <Panel title="Catalogue" id="catalogue-heading">
            <ListOrEmpty items=o.rewards empty=|| "No rewards are on offer right now. Check back soon." let(rewards)>
                <div class="offer-grid">
                    {rewards.into_iter().map(|r| view! {
                        <RewardCard reward=r points redeem />
                    }).collect_view()}
                </div>
            </ListOrEmpty>
        </Panel>
        <Redemptions redemptions=o.redemptions />
    }
}

/// One reward of the catalogue, with its own `Redeem` form.
#[component]
fn RewardCard(reward: RewardView, points: i64, redeem: ServerAction<RedeemReward>) -> impl IntoView {
    let short = (reward.cost_points - points).max(0);
    let affordable = short == 0;
    let hint_id = format!("reward-{}-hint", reward.id);
    let label = format!("Redeem {}", reward.name);
    view! {
        <article class="card offer-card" data-testid="reward-card">
            <h3>{reward.name}</h3>
            {(!reward.description.is_empty()).then(|| view! { <p class="offer-description">{reward.description}</p> })}
            <p class="offer-meta">
                <span class="offer-cost">{format_points(reward.cost_points)} " points"</span>
                <span class="offer-stock">{reward.stock} " left"</span>
            </p>
            <ActionForm action=redeem attr:class="offer-action">
                <IdempotencyField action=redeem />
                <input type="hidden" name="reward_id" value=reward.id />
                <button
                    type="submit"
                    class="primary"
                    aria-label=label
                    aria-describedby=(!affordable).then(|| hint_id.clone())
                    disabled=move || !affordable || redeem.pending().get()
                >
                    "Redeem"
                </button>
                {(!affordable).then(|| view! {
                    <p class="hint" id=hint_id>"You need " {format_points(short)} " more points."</p>
                })}
            </ActionForm>
        </article>
    }
}

#[component]
fn Redemptions(redemptions: Page<RedemptionView>) -> impl IntoView {
    let (current, pages) = (redemptions.page, redemptions.pages());
    let redemptions = redemptions.items;
    const COLUMNS: &[Column] = &[("Reward", ""), ("Points", "num"), ("Status", ""), ("Redeemed", "")];
    view! {
        <Panel title="Your redemptions" id="redemptions-heading">
            <ListOrEmpty items=redemptions empty=|| "You have not redeemed a reward yet." let(redemptions)>
                <DataTable columns=COLUMNS>
                    {redemptions.into_iter().map(|d| {
                        view! {
                            <tr data-testid="redemption-row">
                                <td data-label="Reward">{d.reward}</td>
                                <td data-label="Points" class="num">{format_points(d.cost_points)}</td>
                                <td data-label="Status"><RedemptionBadge status=d.status /></td>
                                <td data-label="Redeemed">{d.created_at}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            </ListOrEmpty>
            <Pager current pages link=|page| format!("/rewards?page={page}") label="Redemption pages" />
        </Panel>
    }
}
