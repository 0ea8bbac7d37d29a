//! Reference data the staff keep: waste types (points per kilogram) and
//! each barangay's collection days. Every function here takes an already
//! checked caller (see `endpoint::require_*`); input is validated here,
//! with a message per field.

use super::{
    audit::Subject,
    db::{
        self,
        reference::{self as rd, SaveError, WasteTypeRow},
    },
    endpoint::{audit, internal, Staff},
    input,
    state::AppState,
};
use crate::{
    domain::AuditKind,
    error::AppError,
    realm::Realm,
    wire::programme::{ScheduleDay, WasteTypeView},
};

const MAX_POINTS_PER_KG: i64 = 10_000;

fn waste_type_view(w: WasteTypeRow) -> WasteTypeView {
    WasteTypeView { id: w.id, name: w.name, points_per_kg: w.points_per_kg, active: w.active }
}

pub async fn waste_types(state: &AppState) -> Result<Vec<WasteTypeView>, AppError> {
    let rows = rd::waste_types(&state.db).await.map_err(|e| internal("waste types", e))?;
    Ok(rows.into_iter().map(waste_type_view).collect())
}

pub async fn save_waste_type(
    staff: &Staff,
    waste_type_id: Option<&str>,
    name: &str,
    points_per_kg: &str,
    active: bool,
) -> Result<(), AppError> {
    let Staff { state, session, admin } = staff;
    let existing = match waste_type_id.map(str::trim).filter(|v| !v.is_empty()) {
        Some(raw) => Some(input::id(raw, "waste_type_id", "a waste type")?),
        None => None,
    };
    let name = input::text(name, "name", "name", 60, true)?;
    let ppk = input::whole(points_per_kg, "points_per_kg", "points per kg", 0, MAX_POINTS_PER_KG)?;
    rd::save_waste_type(&state.db, existing, &name, ppk, active).await.map_err(|e| match e {
        SaveError::DuplicateName => AppError::invalid("name", "A waste type with this name exists already."),
        SaveError::NotFound => AppError::NotFound("There is no such waste type.".into()),
        SaveError::Db(e) => internal("save waste type", e),
    })?;
    let subject = Subject::default().by_admin(admin.id).detail(format!("{name}: {ppk} points/kg"));
    audit(state, session, Realm::Admin, AuditKind::WasteTypeSaved, subject).await;
    Ok(())
}

pub async fn schedules(state: &AppState) -> Result<Vec<ScheduleDay>, AppError> {
    let rows = rd::schedules(state.db.pool(), None).await.map_err(|e| internal("schedules", e))?;
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
    staff: &Staff,
    barangay_id: &str,
    weekday: &str,
    note: Option<&str>,
) -> Result<(), AppError> {
    let Staff { state, session, admin } = staff;
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
    rd::set_schedule(&state.db, barangay_id, weekday, note.as_deref())
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
