//! Dashboards: the resident's home page and the console's figures.

use super::db::admins::AdminRow;
use super::{
    collections::collection_view,
    db::{
        self, collections as c, dashboards as d, ledger, reference::ScheduleRow, residents::ResidentRow,
        rewards as r,
    },
    endpoint::internal,
    format,
    rewards::reward_view,
    state::AppState,
};
use crate::{
    error::AppError,
    wire::{
        programme::{
            CollectionView, NextCollection, NotificationView, ProgrammeFigures, ResidentDashboard, WeekTotal,
        },
        ConsoleSummary,
    },
};

/// The next collection days within a week of `now`, soonest first.
pub fn next_collections(schedule: &[ScheduleRow], now: i64) -> Vec<NextCollection> {
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

pub async fn dashboard(state: &AppState, resident: &ResidentRow) -> Result<ResidentDashboard, AppError> {
    let db = &state.db;
    let fail = |e| internal("dashboard", e);
    // The balance and the open redemptions come with the resident's row;
    // nothing here counts more than the page shows.
    let points = resident.points;
    // Collection days and rewards on offer come from memory (db::cache).
    let schedule = db::reference::schedule_of(db, resident.barangay_id).await.map_err(fail)?;
    let offered = r::offered(db).await.map_err(fail)?;
    let mut on = db.reader().await.map_err(fail)?;
    let recent = c::latest_collections(&mut *on, Some(resident.id), 5, 0).await.map_err(fail)?;
    let notifications = ledger::notifications(&mut *on, resident.id, 5).await.map_err(fail)?;
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
        affordable: offered
            .iter()
            .filter(|r| r.cost_points <= points)
            .take(4)
            .cloned()
            .map(reward_view)
            .collect(),
        notifications: notifications
            .into_iter()
            .map(|(message, at)| NotificationView { message, at: format::date_time(at) })
            .collect(),
        open_redemptions: resident.open_redemptions,
    })
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
    let weekly = d::weekly_centikg(&mut *on, start, WEEKS).await.map_err(fail)?;
    let headline = d::headline(&mut *on, format::month_start(now)).await.map_err(fail)?;
    let actor_admin_id = if viewer.role.can_read_audit() { 0 } else { viewer.id };
    let filter = db::audit::Filter { admin_actions_only: true, actor_admin_id, ..Default::default() };
    let recent = db::audit::entries(&mut *on, &filter, 6, 0).await.map_err(fail)?;
    drop(on);
    Ok(ProgrammeFigures {
        residents: ConsoleSummary {
            pending: headline.pending,
            active_residents: headline.approved,
            suspended_or_rejected: headline.suspended_or_rejected,
            can_review: viewer.role.can_manage_residents(),
        },
        points_issued: headline.points_issued,
        centikg_this_month: headline.centikg_since,
        open_redemptions: headline.open_redemptions,
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

    fn day(weekday: i64, note: &str) -> ScheduleRow {
        ScheduleRow { barangay_id: 1, barangay: "Cuyab".into(), weekday, note: note.into() }
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
