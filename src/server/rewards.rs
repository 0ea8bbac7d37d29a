//! Rewards and redemptions: residents redeem points for rewards, staff
//! keep the catalogue and hand rewards over (or cancel, giving the points
//! back). Every function here takes an already checked caller (see
//! `endpoint::require_*`); input is validated here, with a message per
//! field.

use super::{
    audit::Subject,
    auth::UserSession,
    db::{
        idempotency::Guarded,
        reference::SaveError,
        residents::ResidentRow,
        rewards::{self as r, RedeemError, RedemptionRow, RewardRow},
    },
    endpoint::{audit, internal, Staff},
    format,
    idempotency::{guard_key, replayed},
    input,
    paging::PageRequest,
    residents,
    state::AppState,
};
use crate::{
    domain::{AuditKind, RedemptionFilter, RedemptionStatus},
    error::AppError,
    realm::Realm,
    wire::{
        programme::{RedemptionView, RewardView, RewardsOverview},
        Page,
    },
};

/// Largest reward cost and stock a form accepts.
const MAX_COST: i64 = 1_000_000;
const MAX_STOCK: i64 = 100_000;
const PER_PAGE: i64 = 20;

pub fn reward_view(r: RewardRow) -> RewardView {
    RewardView {
        id: r.id,
        name: r.name,
        description: r.description,
        cost_points: r.cost_points,
        stock: r.stock,
        active: r.active,
    }
}

pub fn redemption_view(d: RedemptionRow) -> RedemptionView {
    RedemptionView {
        id: d.id,
        resident_id: d.resident_id,
        resident_name: d.resident_name,
        resident_email: d.resident_email,
        reward: d.reward,
        cost_points: d.cost_points,
        status: d.status,
        created_at: format::date_time(d.created_at),
        decided_at: d.decided_at.map(format::date_time),
    }
}

pub async fn rewards_overview(
    state: &AppState,
    resident: &ResidentRow,
    page: PageRequest,
) -> Result<RewardsOverview, AppError> {
    let db = &state.db;
    let fail = |e| internal("rewards overview", e);
    let (limit, offset) = page.window(PER_PAGE);
    let points = resident.points;
    let rewards = r::offered(db).await.map_err(fail)?;
    let (redemptions, total) =
        r::redemptions(db, Some(resident.id), RedemptionFilter::All, limit, offset).await.map_err(fail)?;
    Ok(RewardsOverview {
        points,
        rewards: rewards.iter().cloned().map(reward_view).collect(),
        redemptions: page.of(redemptions.into_iter().map(redemption_view).collect(), PER_PAGE, total),
        open_redemptions: resident.open_redemptions,
    })
}

/// Redeems a reward for the signed-in resident.
pub async fn redeem(
    state: &AppState,
    session: &UserSession,
    resident: &ResidentRow,
    reward_id: &str,
    idempotency_key: Option<&str>,
) -> Result<(), AppError> {
    let reward_id = input::id(reward_id, "reward_id", "a reward")?;
    let key = guard_key(idempotency_key, Realm::User, resident.id, "redeem")?;
    let redeemed = r::redeem(&state.db, resident.id, reward_id, key).await.map_err(|e| match e {
        RedeemError::Unavailable => {
            AppError::Conflict("That reward is out of stock or no longer offered.".into())
        }
        RedeemError::NotEnoughPoints => {
            AppError::Conflict("You do not have enough points for that reward.".into())
        }
        RedeemError::Db(e) => internal("redeem", e),
    })?;
    let (redemption_id, name, cost) = match redeemed {
        Guarded::Fresh(done) => done,
        Guarded::Replayed(answer) => return replayed(&answer),
    };
    tracing::info!(resident_id = resident.id, redemption_id, cost, "reward redeemed");
    let subject = Subject::account(resident.id, &resident.email).detail(format!("{name} for {cost} points"));
    audit(state, session, Realm::User, AuditKind::RewardRedeemed, subject).await;
    residents::data_changed(state, resident.id);
    Ok(())
}

pub async fn all_rewards(state: &AppState) -> Result<Vec<RewardView>, AppError> {
    let rows = r::rewards(state.db.pool(), false).await.map_err(|e| internal("rewards", e))?;
    Ok(rows.into_iter().map(reward_view).collect())
}

/// What the reward form sends.
#[derive(Debug)]
pub struct RewardForm<'a> {
    pub reward_id: Option<&'a str>,
    pub name: &'a str,
    pub description: &'a str,
    pub cost_points: &'a str,
    pub stock: &'a str,
    pub active: bool,
}

pub async fn save_reward(staff: &Staff, form: RewardForm<'_>) -> Result<(), AppError> {
    let Staff { state, session, admin } = staff;
    let existing = match form.reward_id.map(str::trim).filter(|v| !v.is_empty()) {
        Some(raw) => input::id(raw, "reward_id", "a reward")?,
        None => 0,
    };
    let row = RewardRow {
        id: existing,
        name: input::text(form.name, "name", "name", 80, true)?,
        description: input::text(form.description, "description", "description", 300, false)?,
        cost_points: input::whole(form.cost_points, "cost_points", "cost", 1, MAX_COST)?,
        stock: input::whole(form.stock, "stock", "stock", 0, MAX_STOCK)?,
        active: form.active,
    };
    r::save_reward(&state.db, &row).await.map_err(|e| match e {
        SaveError::DuplicateName => AppError::invalid("name", "A reward with this name exists already."),
        SaveError::NotFound => AppError::NotFound("There is no such reward.".into()),
        SaveError::Db(e) => internal("save reward", e),
    })?;
    let detail = format!("{}: {} points, {} in stock", row.name, row.cost_points, row.stock);
    audit(
        state,
        session,
        Realm::Admin,
        AuditKind::RewardSaved,
        Subject::default().by_admin(admin.id).detail(detail),
    )
    .await;
    // Residents' pages list rewards: they refresh on their own next visit.
    Ok(())
}

pub async fn redemptions(
    state: &AppState,
    filter: RedemptionFilter,
    page: PageRequest,
) -> Result<Page<RedemptionView>, AppError> {
    let (limit, offset) = page.window(PER_PAGE);
    let (rows, total) = r::redemptions(&state.db, None, filter, limit, offset)
        .await
        .map_err(|e| internal("redemptions", e))?;
    Ok(page.of(rows.into_iter().map(redemption_view).collect(), PER_PAGE, total))
}

/// Hands over (`fulfil`) or cancels an open redemption.
pub async fn close_redemption(
    staff: &Staff,
    redemption_id: &str,
    fulfil: bool,
    idempotency_key: Option<&str>,
) -> Result<(), AppError> {
    let Staff { state, session, admin } = staff;
    let redemption_id = input::id(redemption_id, "redemption_id", "a redemption")?;
    let to = if fulfil { RedemptionStatus::Fulfilled } else { RedemptionStatus::Cancelled };
    let endpoint = if fulfil { "fulfil_redemption" } else { "cancel_redemption" };
    let key = guard_key(idempotency_key, Realm::Admin, admin.id, endpoint)?;
    let closed = match r::close_redemption(&state.db, redemption_id, to, admin.id, key)
        .await
        .map_err(|e| internal("close redemption", e))?
    {
        Guarded::Fresh(closed) => closed,
        Guarded::Replayed(answer) => return replayed(&answer),
    };
    let (resident_id, name) = closed
        .ok_or_else(|| AppError::Conflict("That redemption was already handed over or cancelled.".into()))?;
    let kind = if fulfil { AuditKind::RedemptionFulfilled } else { AuditKind::RedemptionCancelled };
    let subject =
        Subject { account_id: Some(resident_id), ..Subject::default() }.by_admin(admin.id).detail(name);
    audit(state, session, Realm::User, kind, subject).await;
    residents::data_changed(state, resident_id);
    Ok(())
}
