//! Use cases of the programme (the rewards programme): collections and points, rewards
//! and redemptions, dashboards, reference data (staff accounts are in
//! `staff.rs`). Every
//! function here takes an already checked caller (see `endpoint::require_*`);
//! input is validated here, with a message per field.

use super::{
    audit::Subject,
    auth::{AdminSession, UserSession},
    db::{
        self,
        admins::AdminRow,
        idempotency::{Guarded, IdempotencyKey},
        programme::{self as p, PointsError, RedeemError, SaveError},
        residents::ResidentRow,
    },
    endpoint::{audit, internal},
    events::LiveEvent,
    format, input,
    paging::PageRequest,
    state::AppState,
};
use crate::{
    domain::{AuditKind, RedemptionStatus, Weight},
    error::AppError,
    realm::Realm,
    wire::{
        programme::{
            CollectionView, LedgerEntryView, NextCollection, NotificationView, ProgrammeFigures,
            RedemptionView, ResidentDashboard, ResidentDetail, RewardView, RewardsOverview, ScheduleDay,
            WasteTypeView, WeekTotal,
        },
        Page,
    },
};

/// Largest single points correction, either way.
const MAX_CORRECTION: i64 = 100_000;
/// Largest reward cost and stock a form accepts.
const MAX_COST: i64 = 1_000_000;
const MAX_STOCK: i64 = 100_000;
const MAX_POINTS_PER_KG: i64 = 10_000;
pub const PER_PAGE: i64 = 20;

/// Tells the resident's open pages that their data changed.
fn resident_changed(state: &AppState, resident_id: i64) {
    state.events.publish(Realm::User, resident_id, LiveEvent::AccountChanged);
}

// ------------------------------------------------------- idempotent writes

/// The idempotency key a write form sent, checked: at most one write per
/// key and account (see `db::idempotency`). Forms without one (older pages,
/// scripts) are served as before.
fn guard_key<'a>(
    raw: Option<&'a str>,
    realm: Realm,
    account_id: i64,
    endpoint: &'static str,
) -> Result<Option<IdempotencyKey<'a>>, AppError> {
    let Some(key) = raw.map(str::trim).filter(|k| !k.is_empty()) else { return Ok(None) };
    let well_formed = (8..=64).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(AppError::invalid(
            "idempotency_key",
            "This form is out of date. Reload the page and try again.",
        ));
    }
    Ok(Some(IdempotencyKey { realm, account_id, endpoint, key }))
}

/// The answer a write gave the first time its key was used.
fn replayed<T: serde::de::DeserializeOwned>(answer: &str) -> Result<T, AppError> {
    serde_json::from_str(answer).map_err(|e| internal("idempotent replay", e))
}

// ------------------------------------------------------------------ views

fn collection_view(c: p::CollectionRow) -> CollectionView {
    CollectionView {
        id: c.id,
        resident_id: c.resident_id,
        resident_name: c.resident_name,
        waste_type: c.waste_type,
        centikg: c.centikg,
        points: c.points,
        recorded_at: format::date_time(c.recorded_at),
        recorded_by: c.recorded_by,
    }
}

fn reward_view(r: p::RewardRow) -> RewardView {
    RewardView {
        id: r.id,
        name: r.name,
        description: r.description,
        cost_points: r.cost_points,
        stock: r.stock,
        active: r.active,
    }
}

fn redemption_view(d: p::RedemptionRow) -> RedemptionView {
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

fn waste_type_view(w: p::WasteTypeRow) -> WasteTypeView {
    WasteTypeView { id: w.id, name: w.name, points_per_kg: w.points_per_kg, active: w.active }
}

/// The next collection days within a week of `now`, soonest first.
pub fn next_collections(schedule: &[p::ScheduleRow], now: i64) -> Vec<NextCollection> {
    let today = format::local_midnight(now);
    (0..7)
        .filter_map(|days_away| {
            let day = today + days_away * 24 * 3600 + 12 * 3600;
            let weekday = format::iso_weekday(day);
            schedule.iter().find(|s| s.weekday == weekday).map(|s| NextCollection {
                label: match days_away {
                    0 => "Today".to_owned(),
                    1 => "Tomorrow".to_owned(),
                    _ => format::weekday_day_month(day),
                },
                days_away,
                note: s.note.clone(),
            })
        })
        .collect()
}

// -------------------------------------------------------- resident side

pub async fn dashboard(state: &AppState, resident: &ResidentRow) -> Result<ResidentDashboard, AppError> {
    let db = &state.db;
    let fail = |e| internal("dashboard", e);
    // The balance comes with the resident's row; nothing here counts more
    // than the page shows.
    let points = resident.points;
    let mut on = db.reader().await.map_err(fail)?;
    let recent = p::latest_collections(&mut *on, Some(resident.id), 5, 0).await.map_err(fail)?;
    let schedule = p::schedules(&mut *on, Some(resident.barangay_id)).await.map_err(fail)?;
    let affordable = p::rewards(&mut *on, true).await.map_err(fail)?;
    let notifications = p::notifications(&mut *on, resident.id, 5).await.map_err(fail)?;
    let open = p::open_redemption_count(&mut *on, resident.id).await.map_err(fail)?;
    drop(on);
    Ok(ResidentDashboard {
        name: resident.name.clone(),
        barangay: resident.barangay.clone(),
        points,
        // Residents see the office, not which staff member recorded it.
        recent_collections: recent
            .into_iter()
            .map(|c| CollectionView { recorded_by: "CENRO staff".into(), ..collection_view(c) })
            .collect(),
        next_collections: next_collections(&schedule, db::now()),
        affordable: affordable
            .into_iter()
            .filter(|r| r.cost_points <= points)
            .take(4)
            .map(reward_view)
            .collect(),
        notifications: notifications
            .into_iter()
            .map(|(message, at)| NotificationView { message, at: format::date_time(at) })
            .collect(),
        open_redemptions: open,
    })
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
    let rewards = p::rewards(db.pool(), true).await.map_err(fail)?;
    let (redemptions, total) =
        p::redemptions(db, Some(resident.id), None, limit, offset).await.map_err(fail)?;
    let open_redemptions = p::open_redemption_count(db.pool(), resident.id).await.map_err(fail)?;
    Ok(RewardsOverview {
        points,
        rewards: rewards.into_iter().map(reward_view).collect(),
        redemptions: page.of(redemptions.into_iter().map(redemption_view).collect(), PER_PAGE, total),
        open_redemptions,
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
    let redeemed = p::redeem(&state.db, resident.id, reward_id, key).await.map_err(|e| match e {
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
    resident_changed(state, resident.id);
    Ok(())
}

// ------------------------------------------------------------ staff side

/// Records a collection for a resident and credits the points.
pub async fn record_collection(
    state: &AppState,
    session: &AdminSession,
    admin: &AdminRow,
    resident_id: &str,
    waste_type_id: &str,
    kg: &str,
    idempotency_key: Option<&str>,
) -> Result<i64, AppError> {
    let resident_id = input::id(resident_id, "resident_id", "a resident")?;
    let waste_type_id = input::id(waste_type_id, "waste_type_id", "a waste type")?;
    let weight = Weight::parse(kg).map_err(|m| AppError::invalid("kg", m))?;
    let key = guard_key(idempotency_key, Realm::Admin, admin.id, "record_collection")?;
    let recorded =
        p::record_collection(&state.db, resident_id, waste_type_id, weight.0, admin.id, db::now(), key)
            .await
            .map_err(|e| match e {
                PointsError::NoResident => AppError::invalid("resident_id", "Choose an approved resident."),
                PointsError::NoWasteType => {
                    AppError::invalid("waste_type_id", "Choose a waste type that is in use.")
                }
                PointsError::WouldGoNegative => AppError::Internal,
                PointsError::Db(e) => internal("record collection", e),
            })?;
    let recorded = match recorded {
        Guarded::Fresh(recorded) => recorded,
        Guarded::Replayed(answer) => return replayed(&answer),
    };
    let detail = format!("{weight} of {}: +{} points", recorded.waste_type, recorded.points);
    let subject =
        Subject { account_id: Some(resident_id), ..Subject::default() }.by_admin(admin.id).detail(detail);
    audit(state, session, Realm::User, AuditKind::CollectionRecorded, subject).await;
    resident_changed(state, resident_id);
    Ok(recorded.points)
}

/// A correction of a resident's points: a new ledger entry, never an edit.
pub async fn correct_points(
    state: &AppState,
    session: &AdminSession,
    admin: &AdminRow,
    resident_id: &str,
    delta: &str,
    note: &str,
    idempotency_key: Option<&str>,
) -> Result<i64, AppError> {
    let resident_id = input::id(resident_id, "resident_id", "a resident")?;
    let delta = input::whole(delta, "delta", "correction", -MAX_CORRECTION, MAX_CORRECTION)?;
    if delta == 0 {
        return Err(AppError::invalid("delta", "A correction of zero points changes nothing."));
    }
    let note = input::text(note, "note", "reason", 200, true)?;
    let key = guard_key(idempotency_key, Realm::Admin, admin.id, "correct_points")?;
    let corrected = p::correct_points(&state.db, resident_id, delta, &note, admin.id, key).await.map_err(
        |e| match e {
            PointsError::WouldGoNegative => {
                AppError::invalid("delta", "The resident does not have that many points to take away.")
            }
            PointsError::NoResident | PointsError::NoWasteType => {
                AppError::NotFound("That resident is not an approved resident.".into())
            }
            PointsError::Db(e) => internal("correct points", e),
        },
    )?;
    let balance = match corrected {
        Guarded::Fresh(balance) => balance,
        Guarded::Replayed(answer) => return replayed(&answer),
    };
    let subject = Subject { account_id: Some(resident_id), ..Subject::default() }
        .by_admin(admin.id)
        .detail(format!("{delta:+} points: {note}"));
    audit(state, session, Realm::User, AuditKind::PointsCorrected, subject).await;
    resident_changed(state, resident_id);
    Ok(balance)
}

pub async fn resident_detail(
    state: &AppState,
    admin: &AdminRow,
    resident_id: i64,
    ledger_page: PageRequest,
) -> Result<ResidentDetail, AppError> {
    let db = &state.db;
    let fail = |e| internal("resident detail", e);
    let resident = db::residents::find(db, resident_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| AppError::NotFound("There is no such resident.".into()))?;
    let (limit, offset) = ledger_page.window(PER_PAGE);
    let (points, _) = p::balance_and_ledger_sum(db, resident_id).await.map_err(fail)?;
    let (ledger, total) = p::ledger(db, resident_id, limit, offset).await.map_err(fail)?;
    let (collections, _) = p::collections(db, Some(resident_id), 10, 0).await.map_err(fail)?;
    let (redemptions, _) = p::redemptions(db, Some(resident_id), None, 10, 0).await.map_err(fail)?;
    Ok(ResidentDetail {
        id: resident.id,
        name: resident.name,
        email: resident.email,
        barangay: resident.barangay,
        status: resident.status,
        since: format::date(resident.created_at),
        points,
        ledger: ledger_page.of(
            ledger
                .into_iter()
                .map(|l| LedgerEntryView {
                    id: l.id,
                    delta: l.delta,
                    kind: l.kind,
                    note: l.note,
                    at: format::date_time(l.created_at),
                })
                .collect(),
            PER_PAGE,
            total,
        ),
        collections: collections.into_iter().map(collection_view).collect(),
        redemptions: redemptions.into_iter().map(redemption_view).collect(),
        can_record: admin.role.can_run_collections(),
    })
}

pub async fn recent_collections(
    state: &AppState,
    page: PageRequest,
) -> Result<Page<CollectionView>, AppError> {
    let (limit, offset) = page.window(PER_PAGE);
    let (rows, total) =
        p::collections(&state.db, None, limit, offset).await.map_err(|e| internal("collections", e))?;
    Ok(page.of(rows.into_iter().map(collection_view).collect(), PER_PAGE, total))
}

pub async fn waste_types(state: &AppState) -> Result<Vec<WasteTypeView>, AppError> {
    let rows = p::waste_types(&state.db).await.map_err(|e| internal("waste types", e))?;
    Ok(rows.into_iter().map(waste_type_view).collect())
}

pub async fn save_waste_type(
    state: &AppState,
    session: &AdminSession,
    admin: &AdminRow,
    waste_type_id: Option<&str>,
    name: &str,
    points_per_kg: &str,
    active: bool,
) -> Result<(), AppError> {
    let existing = match waste_type_id.map(str::trim).filter(|v| !v.is_empty()) {
        Some(raw) => Some(input::id(raw, "waste_type_id", "a waste type")?),
        None => None,
    };
    let name = input::text(name, "name", "name", 60, true)?;
    let ppk = input::whole(points_per_kg, "points_per_kg", "points per kg", 0, MAX_POINTS_PER_KG)?;
    p::save_waste_type(&state.db, existing, &name, ppk, active).await.map_err(|e| match e {
        SaveError::DuplicateName => AppError::invalid("name", "A waste type with this name exists already."),
        SaveError::NotFound => AppError::NotFound("There is no such waste type.".into()),
        SaveError::Db(e) => internal("save waste type", e),
    })?;
    let subject = Subject::default().by_admin(admin.id).detail(format!("{name}: {ppk} points/kg"));
    audit(state, session, Realm::Admin, AuditKind::WasteTypeSaved, subject).await;
    Ok(())
}

pub async fn schedules(state: &AppState) -> Result<Vec<ScheduleDay>, AppError> {
    let rows = p::schedules(state.db.pool(), None).await.map_err(|e| internal("schedules", e))?;
    Ok(rows
        .into_iter()
        .map(|s| ScheduleDay {
            barangay_id: s.barangay_id,
            barangay: s.barangay,
            weekday: s.weekday,
            note: s.note,
        })
        .collect())
}

pub async fn set_schedule(
    state: &AppState,
    session: &AdminSession,
    admin: &AdminRow,
    barangay_id: &str,
    weekday: &str,
    note: Option<&str>,
) -> Result<(), AppError> {
    let barangay_id = input::id(barangay_id, "barangay_id", "a barangay")?;
    let barangay = db::barangays::name(&state.db, barangay_id)
        .await
        .map_err(|e| internal("barangay lookup", e))?
        .ok_or_else(|| AppError::invalid("barangay_id", "Choose a barangay of San Pedro City."))?;
    let weekday = input::whole(weekday, "weekday", "weekday", 1, 7)?;
    let note = match note {
        Some(raw) => Some(input::text(raw, "note", "note", 80, false)?),
        None => None,
    };
    p::set_schedule(&state.db, barangay_id, weekday, note.as_deref())
        .await
        .map_err(|e| internal("save schedule", e))?;
    let what = if note.is_some() { "collected" } else { "not collected" };
    let detail = format!("{barangay}: {what} on {}", crate::domain::programme::weekday_name(weekday));
    audit(
        state,
        session,
        Realm::Admin,
        AuditKind::ScheduleSaved,
        Subject::default().by_admin(admin.id).detail(detail),
    )
    .await;
    Ok(())
}

pub async fn all_rewards(state: &AppState) -> Result<Vec<RewardView>, AppError> {
    let rows = p::rewards(state.db.pool(), false).await.map_err(|e| internal("rewards", e))?;
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

pub async fn save_reward(
    state: &AppState,
    session: &AdminSession,
    admin: &AdminRow,
    form: RewardForm<'_>,
) -> Result<(), AppError> {
    let existing = match form.reward_id.map(str::trim).filter(|v| !v.is_empty()) {
        Some(raw) => input::id(raw, "reward_id", "a reward")?,
        None => 0,
    };
    let row = p::RewardRow {
        id: existing,
        name: input::text(form.name, "name", "name", 80, true)?,
        description: input::text(form.description, "description", "description", 300, false)?,
        cost_points: input::whole(form.cost_points, "cost_points", "cost", 1, MAX_COST)?,
        stock: input::whole(form.stock, "stock", "stock", 0, MAX_STOCK)?,
        active: form.active,
    };
    p::save_reward(&state.db, &row).await.map_err(|e| match e {
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
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<RedemptionView>, AppError> {
    let status = match status.filter(|s| !s.is_empty()) {
        Some(s) => Some(RedemptionStatus::parse(s).ok_or(AppError::BadRequest)?),
        None => None,
    };
    let (limit, offset) = page.window(PER_PAGE);
    let (rows, total) = p::redemptions(&state.db, None, status, limit, offset)
        .await
        .map_err(|e| internal("redemptions", e))?;
    Ok(page.of(rows.into_iter().map(redemption_view).collect(), PER_PAGE, total))
}

/// Hands over (`fulfil`) or cancels an open redemption.
pub async fn close_redemption(
    state: &AppState,
    session: &AdminSession,
    admin: &AdminRow,
    redemption_id: &str,
    fulfil: bool,
    idempotency_key: Option<&str>,
) -> Result<(), AppError> {
    let redemption_id = input::id(redemption_id, "redemption_id", "a redemption")?;
    let to = if fulfil { RedemptionStatus::Fulfilled } else { RedemptionStatus::Cancelled };
    let endpoint = if fulfil { "fulfil_redemption" } else { "cancel_redemption" };
    let key = guard_key(idempotency_key, Realm::Admin, admin.id, endpoint)?;
    let closed = match p::close_redemption(&state.db, redemption_id, to, admin.id, key)
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
    resident_changed(state, resident_id);
    Ok(())
}

/// The console's figures. "Recent staff actions" is audit data: roles that
/// may read the audit log see everyone's, others only their own.
pub async fn figures(state: &AppState, viewer: &AdminRow) -> Result<ProgrammeFigures, AppError> {
    let db = &state.db;
    let fail = |e| internal("console figures", e);
    let now = db::now();
    const WEEKS: i64 = 12;
    let start = format::week_start(now) - (WEEKS - 1) * 7 * 24 * 3600;
    let mut on = db.reader().await.map_err(fail)?;
    let weekly = p::weekly_centikg(&mut *on, start, WEEKS).await.map_err(fail)?;
    let open = p::all_open_redemption_count(&mut *on).await.map_err(fail)?;
    let points_issued = p::points_issued(&mut *on).await.map_err(fail)?;
    let centikg_this_month = p::centikg_since(&mut *on, format::month_start(now)).await.map_err(fail)?;
    let actor_admin_id = if viewer.role.can_read_audit() { 0 } else { viewer.id };
    let filter = db::audit::Filter { admin_actions_only: true, actor_admin_id, ..Default::default() };
    let recent = db::audit::entries(&mut *on, &filter, 6, 0).await.map_err(fail)?;
    drop(on);
    Ok(ProgrammeFigures {
        points_issued,
        centikg_this_month,
        open_redemptions: open,
        weekly: weekly
            .into_iter()
            .enumerate()
            .map(|(i, centikg)| WeekTotal {
                label: format::day_month(start + i as i64 * 7 * 24 * 3600 + 12 * 3600),
                centikg,
            })
            .collect(),
        recent_actions: recent.into_iter().map(super::audit::entry_view).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(weekday: i64, note: &str) -> p::ScheduleRow {
        p::ScheduleRow { barangay_id: 1, barangay: "Cuyab".into(), weekday, note: note.into() }
    }

    #[test]
    fn next_collections_put_today_and_tomorrow_first() {
        let saturday = 1_795_811_400; // Saturday 28 Nov 2026, 04:30 in Manila
        let next = next_collections(&[day(2, "Recyclables"), day(6, "E-waste"), day(7, "Glass")], saturday);
        let labels: Vec<_> = next.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["Today", "Tomorrow", "Tuesday, 1 Dec"]);
        assert_eq!(next[0].note, "E-waste");
    }
}
