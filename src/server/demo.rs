//! `eko demo`: fills a fresh database with a believable programme, to show
//! the portal to the office or to look at pages with data in them: staff
//! of every role, residents across the barangays (most approved, some
//! pending, one suspended, one rejected), twelve weeks of collections,
//! a rewards catalogue and redemptions in every state.

use anyhow::{bail, Context};
use rand::{rngs::StdRng, Rng, SeedableRng};
use secrecy::SecretString;

use super::{
    audit::{self, Subject},
    auth::{realm_session::ClientInfo, Passwords},
    db::{self, collections, ledger, reference, Db},
    format,
};
use crate::{
    domain::{AccountStatus, AdminRole, AuditKind, AuditOutcome, Email, PersonName, RedemptionStatus},
    realm::Realm,
};

/// Password of every demo staff account (printed by the command).
pub const STAFF_PASSWORD: &str = "eko demo staff password";
/// Password of every demo resident (printed by the command).
pub const RESIDENT_PASSWORD: &str = "eko demo resident password";

const STAFF: [(&str, &str, AdminRole); 4] = [
    ("Carmen Reyes", "carmen.reyes@cenro.sanpedro.example", AdminRole::SuperAdmin),
    ("Ramon Villanueva", "ramon.villanueva@cenro.sanpedro.example", AdminRole::OperationsManager),
    ("Liza Mercado", "liza.mercado@cenro.sanpedro.example", AdminRole::ContentRewardsManager),
    ("Paolo Santiago", "paolo.santiago@cenro.sanpedro.example", AdminRole::SecurityAnalyst),
];

const GIVEN: [&str; 24] = [
    "Maria", "Jose", "Ana", "Juan", "Rosa", "Mark", "Grace", "Paolo", "Liza", "Ramon", "Joy", "Carlo", "Bea",
    "Miguel", "Kristine", "Rafael", "Angelica", "Noel", "Marites", "Jericho", "Divina", "Arnel", "Camille",
    "Lito",
];
const FAMILY: [&str; 20] = [
    "Dela Cruz",
    "Santos",
    "Reyes",
    "Garcia",
    "Mendoza",
    "Bautista",
    "Villanueva",
    "Ramos",
    "Aquino",
    "Castillo",
    "Flores",
    "Navarro",
    "Torres",
    "Domingo",
    "Peñaflor",
    "Manalo",
    "Salazar",
    "Pascual",
    "Lacson",
    "Soriano",
];

const REWARDS: [(&str, &str, i64, i64); 8] = [
    ("Seedling kit", "Three vegetable seedlings and a bag of compost from the city nursery.", 120, 60),
    ("Reusable eco bag", "Sturdy woven bag for the market.", 150, 80),
    ("LED bulb (9 W)", "Energy-saving bulb, about 80% less power than an incandescent.", 250, 40),
    ("Canvas tote", "Eko canvas tote bag.", 300, 35),
    ("Stainless tumbler", "Insulated 500 ml tumbler: skip the plastic cups.", 400, 25),
    ("Rice, 2 kg", "Two kilograms of well-milled rice, claimable at the CENRO office.", 600, 30),
    ("Grocery voucher ₱200", "Voucher for partner groceries in San Pedro.", 900, 20),
    ("Solar lamp", "Rechargeable solar lamp for brownouts.", 2500, 5),
];

/// Fills the database at `db`; refuses one that already has residents.
pub async fn fill(db: &Db, passwords: &Passwords) -> anyhow::Result<String> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM residents")
        .fetch_one(db.pool())
        .await
        .context("count residents")?;
    if existing > 0 {
        bail!("this database already has residents; run `eko demo` on a fresh database (e.g. DATABASE_URL=sqlite://data/demo.db?mode=rwc)");
    }
    let mut rng = StdRng::seed_from_u64(2026);
    let client = ClientInfo { ip: "127.0.0.1".into(), user_agent: "eko demo".into() };

    let staff_hash = passwords.hash(SecretString::from(STAFF_PASSWORD.to_owned())).await?;
    let mut staff_ids = Vec::new();
    for (name, email, role) in STAFF {
        let email = Email::parse(email).map_err(anyhow::Error::msg)?;
        let name = PersonName::parse(name).map_err(anyhow::Error::msg)?;
        let id = match db::admins::find_by_email(db, &email).await? {
            Some(a) => a.id,
            None => db::admins::insert(db, &email, &name, role, &staff_hash, false, false)
                .await
                .map_err(|e| anyhow::anyhow!("create demo staff: {e}"))?,
        };
        staff_ids.push(id);
    }
    let (super_admin, operations, rewards_manager) = (staff_ids[0], staff_ids[1], staff_ids[2]);

    let resident_hash = passwords.hash(SecretString::from(RESIDENT_PASSWORD.to_owned())).await?;
    let mut approved = Vec::new();
    let count = 54;
    for n in 0..count {
        let given = GIVEN[n % GIVEN.len()];
        let family = FAMILY[(n * 7 + n / GIVEN.len()) % FAMILY.len()];
        let name = PersonName::parse(&format!("{given} {family}")).map_err(anyhow::Error::msg)?;
        let local: String = format!("{given}.{family}.{n}").to_lowercase().replace(' ', "").replace('ñ', "n");
        let email = Email::parse(&format!("{local}@example.ph")).map_err(anyhow::Error::msg)?;
        let barangay = (n as i64 % 27) + 1;
        let id = db::residents::insert_pending(db, &email, &name, barangay, &resident_hash)
            .await
            .map_err(|e| anyhow::anyhow!("create demo resident: {e}"))?;
        let status = match n {
            0..=47 => AccountStatus::Approved,
            48 => AccountStatus::Suspended,
            49 => AccountStatus::Rejected,
            _ => AccountStatus::Pending,
        };
        if status != AccountStatus::Pending {
            let first = if status == AccountStatus::Rejected { status } else { AccountStatus::Approved };
            db::residents::transition(db, id, AccountStatus::Pending, first, operations, None).await?;
        }
        if status == AccountStatus::Suspended {
            db::residents::transition(db, id, AccountStatus::Approved, status, super_admin, None).await?;
        }
        if status == AccountStatus::Approved {
            ledger::add_notification(db, id, "Your account was approved. Welcome to Eko!").await?;
            approved.push((id, email.as_str().to_owned()));
        }
    }

    let types = reference::waste_types(db).await?;
    let weights = [30, 25, 15, 12, 4, 14]; // how often each type is brought
    let now = db::now();
    let start = format::week_start(now) - 11 * 7 * 24 * 3600;
    let mut collections = 0;
    for day in 0..(7 * 12) {
        let midnight = start + day * 24 * 3600;
        if midnight > now {
            break;
        }
        // Busier towards the end of the period: the programme is growing.
        let visits = rng.gen_range(0..=3) + (day / 21) as usize;
        for _ in 0..visits {
            let (resident_id, _) = approved[rng.gen_range(0..approved.len())];
            let pick = rng.gen_range(0..weights.iter().sum::<i32>());
            let mut acc = 0;
            let kind = types
                .iter()
                .zip(weights)
                .find(|(_, w)| {
                    acc += w;
                    pick < acc
                })
                .map(|(t, _)| t)
                .unwrap_or(&types[0]);
            let centikg = rng.gen_range(50..2_500);
            let at = (midnight + rng.gen_range(8 * 3600..16 * 3600)).min(now);
            collections::record_collection(db, resident_id, kind.id, centikg, operations, at, None).await?;
            collections += 1;
        }
    }
    let detail = format!("{collections} collections recorded from the demo");
    let subject = Subject::default().by_admin(operations).detail(detail);
    audit::record(db, Realm::User, AuditKind::CollectionRecorded, AuditOutcome::Ok, &client, subject).await;

    for (name, description, cost, stock) in REWARDS {
        let row = db::rewards::RewardRow {
            id: 0,
            name: name.into(),
            description: description.into(),
            cost_points: cost,
            stock,
            active: true,
        };
        db::rewards::save_reward(db, &row).await.map_err(|e| anyhow::anyhow!("create demo reward: {e}"))?;
        let subject = Subject::default().by_admin(rewards_manager).detail(format!("{name}: {cost} points"));
        audit::record(db, Realm::Admin, AuditKind::RewardSaved, AuditOutcome::Ok, &client, subject).await;
    }
    let rewards = db::rewards::rewards(db.pool(), true).await?;
    let mut redeemed = 0;
    for (n, (resident_id, email)) in approved.iter().enumerate().filter(|(n, _)| n % 3 == 0) {
        let (balance, _) = ledger::balance_and_ledger_sum(db, *resident_id).await?;
        let Some(reward) = rewards.iter().rev().find(|r| r.cost_points <= balance / 2) else { continue };
        let Ok(Some((redemption, name, _))) =
            db::rewards::redeem(db, *resident_id, reward.id, None).await.map(|g| g.fresh())
        else {
            continue;
        };
        redeemed += 1;
        let to = match n % 4 {
            0 => Some(RedemptionStatus::Fulfilled),
            3 => Some(RedemptionStatus::Cancelled),
            _ => None,
        };
        if let Some(to) = to {
            db::rewards::close_redemption(db, redemption, to, rewards_manager, None).await?;
            let kind = if to == RedemptionStatus::Fulfilled {
                AuditKind::RedemptionFulfilled
            } else {
                AuditKind::RedemptionCancelled
            };
            let subject = Subject::account(*resident_id, email).by_admin(rewards_manager).detail(name);
            audit::record(db, Realm::User, kind, AuditOutcome::Ok, &client, subject).await;
        }
    }
    Ok(format!(
        "Demo data: {} staff, {count} residents ({} approved), {collections} collections, {} rewards, {redeemed} redemptions.\n\
         Staff sign in at /admin/login, e.g. {} (super admin) or {} (operations), password: {STAFF_PASSWORD}\n\
         Residents sign in at /login, e.g. {}, password: {RESIDENT_PASSWORD}",
        STAFF.len(),
        approved.len(),
        REWARDS.len(),
        STAFF[0].1,
        STAFF[1].1,
        approved.first().map(|(_, e)| e.as_str()).unwrap_or("-"),
    ))
}
