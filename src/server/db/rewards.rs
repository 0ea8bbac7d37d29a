//! Rewards and their redemptions.
//!
//! Redeeming holds the points and takes one unit of stock in one
//! transaction, each through a conditional UPDATE that cannot go below
//! zero. So concurrent redemptions can neither overspend points nor
//! oversell stock, on SQLite (one writer at a time) as on PostgreSQL (row
//! locks, the condition re-checked after the wait).

use std::sync::Arc;

use sqlx::Row;

use super::{
    idempotency::{answer, claim, Guarded, IdempotencyKey},
    ledger::{ledger_entry, notify, LedgerEntry},
    now,
    reference::{save_error, SaveError},
    Db, Reader,
};
use crate::domain::{LedgerKind, RedemptionFilter, RedemptionStatus};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RewardRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub cost_points: i64,
    pub stock: i64,
    #[sqlx(try_from = "super::flag::Flag")]
    pub active: bool,
}

/// The catalogue: everything (staff) or what residents may redeem.
pub async fn rewards<'c>(on: impl Reader<'c>, only_available: bool) -> sqlx::Result<Vec<RewardRow>> {
    let filter = if only_available { "WHERE active = 1 AND stock > 0" } else { "" };
    sqlx::query_as(&format!(
        "SELECT id, name, description, cost_points, stock, active FROM rewards {filter} ORDER BY cost_points, name"
    ))
    .fetch_all(on)
    .await
}

/// The rewards on offer (active and in stock), cheapest first, read
/// through memory (`cache`): every change below drops them.
pub async fn offered(db: &Db) -> sqlx::Result<Arc<Vec<RewardRow>>> {
    db.cache().offered_rewards.get_or_load(|| rewards(db.pool(), true)).await
}

/// Adds a reward (`reward.id` 0) or updates one.
pub async fn save_reward(db: &Db, reward: &RewardRow) -> Result<i64, SaveError> {
    let saved = insert_or_update_reward(db, reward).await;
    db.cache().offered_rewards.invalidate();
    saved
}

async fn insert_or_update_reward(db: &Db, reward: &RewardRow) -> Result<i64, SaveError> {
    if reward.id == 0 {
        return sqlx::query_scalar(
            "INSERT INTO rewards (name, description, cost_points, stock, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&reward.name)
        .bind(&reward.description)
        .bind(reward.cost_points)
        .bind(reward.stock)
        .bind(i64::from(reward.active))
        .bind(now())
        .fetch_one(db.pool())
        .await
        .map_err(save_error);
    }
    let done = sqlx::query(
        "UPDATE rewards SET name = $1, description = $2, cost_points = $3, stock = $4, active = $5 WHERE id = $6",
    )
    .bind(&reward.name)
    .bind(&reward.description)
    .bind(reward.cost_points)
    .bind(reward.stock)
    .bind(i64::from(reward.active))
    .bind(reward.id)
    .execute(db.pool())
    .await
    .map_err(save_error)?;
    if done.rows_affected() == 0 {
        return Err(SaveError::NotFound);
    }
    Ok(reward.id)
}

/// Why a redemption did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RedeemError {
    #[error("the reward is not available")]
    Unavailable,
    #[error("not enough points")]
    NotEnoughPoints,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Redeems one unit of a reward: stock down, points held, in one
/// transaction; neither can go below zero.
pub async fn redeem(
    db: &Db,
    resident_id: i64,
    reward_id: i64,
    key: Option<IdempotencyKey<'_>>,
) -> Result<Guarded<(i64, String, i64)>, RedeemError> {
    let mut tx = db.begin_write().await?;
    if let Some(answer) = claim(&mut tx, key).await? {
        return Ok(Guarded::Replayed(answer));
    }
    let reward = sqlx::query(
        "UPDATE rewards SET stock = stock - 1 WHERE id = $1 AND active = 1 AND stock > 0 RETURNING name, cost_points",
    )
    .bind(reward_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(RedeemError::Unavailable)?;
    let name: String = reward.try_get("name")?;
    let cost: i64 = reward.try_get("cost_points")?;
    let held = sqlx::query(
        "UPDATE residents SET points = points - $1 WHERE id = $2 AND status = 'approved' AND points >= $1",
    )
    .bind(cost)
    .bind(resident_id)
    .execute(&mut *tx)
    .await?;
    if held.rows_affected() == 0 {
        return Err(RedeemError::NotEnoughPoints);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO redemptions (resident_id, reward_id, cost_points, status, created_at) \
         VALUES ($1, $2, $3, 'open', $4) RETURNING id",
    )
    .bind(resident_id)
    .bind(reward_id)
    .bind(cost)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let entry = LedgerEntry { delta: -cost, kind: LedgerKind::Redemption, refs: (None, Some(id)), at: now() };
    ledger_entry(&mut tx, resident_id, entry, &name, None).await?;
    answer(&mut tx, key, "null").await?;
    tx.commit().await?;
    db.cache().offered_rewards.invalidate();
    Ok(Guarded::Fresh((id, name, cost)))
}

/// Closes an open redemption: fulfilled, or cancelled with the points and
/// the stock given back. Returns the resident and the reward's name, or
/// `None` if it was not open any more.
pub async fn close_redemption(
    db: &Db,
    redemption_id: i64,
    to: RedemptionStatus,
    admin_id: i64,
    key: Option<IdempotencyKey<'_>>,
) -> sqlx::Result<Guarded<Option<(i64, String)>>> {
    let mut tx = db.begin_write().await?;
    if let Some(answer) = claim(&mut tx, key).await? {
        return Ok(Guarded::Replayed(answer));
    }
    let row = sqlx::query(
        "UPDATE redemptions SET status = $1, decided_at = $2, decided_by = $3 WHERE id = $4 AND status = 'open' \
         RETURNING resident_id, reward_id, cost_points",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(admin_id)
    .bind(redemption_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(Guarded::Fresh(None)) };
    let resident_id: i64 = row.try_get("resident_id")?;
    let reward_id: i64 = row.try_get("reward_id")?;
    let cost: i64 = row.try_get("cost_points")?;
    let name: String = sqlx::query_scalar("SELECT name FROM rewards WHERE id = $1")
        .bind(reward_id)
        .fetch_one(&mut *tx)
        .await?;
    if to == RedemptionStatus::Cancelled {
        sqlx::query("UPDATE residents SET points = points + $1 WHERE id = $2")
            .bind(cost)
            .bind(resident_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE rewards SET stock = stock + 1 WHERE id = $1")
            .bind(reward_id)
            .execute(&mut *tx)
            .await?;
        let entry = LedgerEntry {
            delta: cost,
            kind: LedgerKind::Refund,
            refs: (None, Some(redemption_id)),
            at: now(),
        };
        ledger_entry(&mut tx, resident_id, entry, &name, Some(admin_id)).await?;
        let message = format!("Your redemption of {name} was cancelled; {cost} points returned.");
        notify(&mut tx, resident_id, &message, now()).await?;
    } else {
        notify(&mut tx, resident_id, &format!("Your reward {name} was handed over. Enjoy!"), now()).await?;
    }
    answer(&mut tx, key, "null").await?;
    tx.commit().await?;
    if to == RedemptionStatus::Cancelled {
        // The unit is back in stock.
        db.cache().offered_rewards.invalidate();
    }
    Ok(Guarded::Fresh(Some((resident_id, name))))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RedemptionRow {
    pub id: i64,
    pub resident_id: i64,
    pub resident_name: String,
    pub resident_email: String,
    pub reward: String,
    pub cost_points: i64,
    #[sqlx(try_from = "String")]
    pub status: RedemptionStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// Redemptions, newest first, of one resident or everyone, by the filter.
pub async fn redemptions(
    db: &Db,
    resident_id: Option<i64>,
    of_status: RedemptionFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<RedemptionRow>, i64)> {
    let filter = "($1 = 0 OR d.resident_id = $1) AND ($2 = '' OR d.status = $2)";
    let status = of_status.as_str();
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM redemptions d WHERE {filter}"))
        .bind(resident_id.unwrap_or(0))
        .bind(status)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT d.id, d.resident_id, r.name AS resident_name, r.email AS resident_email, w.name AS reward, \
         d.cost_points, d.status, d.created_at, d.decided_at \
         FROM redemptions d JOIN residents r ON r.id = d.resident_id JOIN rewards w ON w.id = d.reward_id \
         WHERE {filter} ORDER BY d.created_at DESC, d.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(resident_id.unwrap_or(0))
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    Ok((rows, total))
}
