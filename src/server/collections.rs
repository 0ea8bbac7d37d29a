//! Collections and points: staff record what was collected (crediting its
//! points) and correct balances; the console lists collections and shows a
//! resident's ledger. Every function here takes an already checked caller
//! (see `endpoint::require_*`); input is validated here, with a message per
//! field.

use super::{
    audit::Subject,
    db::{
        self,
        collections::{self as c, CollectionRow},
        idempotency::Guarded,
        ledger::{self, PointsError},
        rewards as r,
    },
    endpoint::{audit, internal, Staff},
    format,
    idempotency::{guard_key, replayed},
    input,
    paging::PageRequest,
    residents,
    rewards::redemption_view,
    state::AppState,
};
use crate::{
    domain::{AuditKind, RedemptionFilter, Weight},
    error::AppError,
    realm::Realm,
    wire::{
        programme::{CollectionView, LedgerEntryView, ResidentDetail},
        Page,
    },
};

/// Largest single points correction, either way.
const MAX_CORRECTION: i64 = 100_000;
const PER_PAGE: i64 = 20;

pub fn collection_view(c: CollectionRow) -> CollectionView {
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

/// Records a collection for a resident and credits the points.
pub async fn record_collection(
    staff: &Staff,
    resident_id: &str,
    waste_type_id: &str,
    kg: &str,
    idempotency_key: Option<&str>,
) -> Result<i64, AppError> {
    let Staff { state, session, admin } = staff;
    let resident_id = input::id(resident_id, "resident_id", "a resident")?;
    let waste_type_id = input::id(waste_type_id, "waste_type_id", "a waste type")?;
    let weight = Weight::parse(kg).map_err(|m| AppError::invalid("kg", m))?;
    let key = guard_key(idempotency_key, Realm::Admin, admin.id, "record_collection")?;
    let recorded =
        c::record_collection(&state.db, resident_id, waste_type_id, weight.0, admin.id, db::now(), key)
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
    residents::data_changed(state, resident_id);
    Ok(recorded.points)
}

/// A correction of a resident's points: a new ledger entry, never an edit.
pub async fn correct_points(
    staff: &Staff,
    resident_id: &str,
    delta: &str,
    note: &str,
    idempotency_key: Option<&str>,
) -> Result<i64, AppError> {
    let Staff { state, session, admin } = staff;
    let resident_id = input::id(resident_id, "resident_id", "a resident")?;
    let delta = input::whole(delta, "delta", "correction", -MAX_CORRECTION, MAX_CORRECTION)?;
    if delta == 0 {
        return Err(AppError::invalid("delta", "A correction of zero points changes nothing."));
    }
    let note = input::text(note, "note", "reason", 200, true)?;
    let key = guard_key(idempotency_key, Realm::Admin, admin.id, "correct_points")?;
    let corrected = ledger::correct_points(&state.db, resident_id, delta, &note, admin.id, key)
        .await
        .map_err(|e| match e {
            PointsError::WouldGoNegative => {
                AppError::invalid("delta", "The resident does not have that many points to take away.")
            }
            PointsError::NoResident | PointsError::NoWasteType => {
                AppError::NotFound("That resident is not an approved resident.".into())
            }
            PointsError::Db(e) => internal("correct points", e),
        })?;
    let balance = match corrected {
        Guarded::Fresh(balance) => balance,
        Guarded::Replayed(answer) => return replayed(&answer),
    };
    let subject = Subject { account_id: Some(resident_id), ..Subject::default() }
        .by_admin(admin.id)
        .detail(format!("{delta:+} points: {note}"));
    audit(state, session, Realm::User, AuditKind::PointsCorrected, subject).await;
    residents::data_changed(state, resident_id);
    Ok(balance)
}

pub async fn resident_detail(
    staff: &Staff,
    resident_id: i64,
    ledger_page: PageRequest,
) -> Result<ResidentDetail, AppError> {
    let Staff { state, admin, .. } = staff;
    let db = &state.db;
    let fail = |e| internal("resident detail", e);
    let resident = db::residents::find(db, resident_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| AppError::NotFound("There is no such resident.".into()))?;
    let (limit, offset) = ledger_page.window(PER_PAGE);
    let (points, _) = ledger::balance_and_ledger_sum(db, resident_id).await.map_err(fail)?;
    let (ledger, total) = ledger::ledger(db, resident_id, limit, offset).await.map_err(fail)?;
    let (collections, _) = c::collections(db, Some(resident_id), 10, 0).await.map_err(fail)?;
    let (redemptions, _) =
        r::redemptions(db, Some(resident_id), RedemptionFilter::All, 10, 0).await.map_err(fail)?;
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
                    kind: l.kind.as_str().to_owned(),
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
        c::collections(&state.db, None, limit, offset).await.map_err(|e| internal("collections", e))?;
    Ok(page.of(rows.into_iter().map(collection_view).collect(), PER_PAGE, total))
}
