//! The accounts of each realm, for the flows both realms share (password
//! change, password reset): each realm's marker says where its accounts are
//! and which of them may use the flows, and the flows are written once,
//! generic over the realm. What only one realm has (a resident's
//! registration and review, staff roles) stays with that realm.

use std::future::Future;

use super::db::{self, Db};
use crate::{
    domain::{AccountStatus, Email},
    realm::{AdminRealm, RealmMarker, UserRealm},
};

/// An account as the shared flows see it.
#[derive(Debug)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
}

/// Where a realm keeps its accounts.
pub trait RealmAccounts: RealmMarker {
    /// The account with this email, if it is in good standing (an approved
    /// resident, an active staff member).
    fn usable_by_email(db: &Db, email: &Email) -> impl Future<Output = sqlx::Result<Option<Account>>> + Send;

    /// The account with this id, if it is in good standing.
    fn usable_by_id(db: &Db, id: i64) -> impl Future<Output = sqlx::Result<Option<Account>>> + Send;

    /// The stored password hash of an account, whatever its standing.
    fn password_hash(db: &Db, id: i64) -> impl Future<Output = sqlx::Result<Option<String>>> + Send;

    /// Replaces an account's password hash with one its owner chose.
    fn set_password_hash(db: &Db, id: i64, hash: &str) -> impl Future<Output = sqlx::Result<()>> + Send;
}

impl RealmAccounts for UserRealm {
    async fn usable_by_email(db: &Db, email: &Email) -> sqlx::Result<Option<Account>> {
        match db::residents::credentials(db, email).await? {
            Some(c) if c.status == AccountStatus::Approved => Self::usable_by_id(db, c.id).await,
            _ => Ok(None),
        }
    }

    async fn usable_by_id(db: &Db, id: i64) -> sqlx::Result<Option<Account>> {
        match db::residents::find(db, id).await? {
            Some(r) if r.status == AccountStatus::Approved => {
                let password_hash = db::residents::password_hash(db, id).await?.unwrap_or_default();
                Ok(Some(Account { id, email: r.email, name: r.name, password_hash }))
            }
            _ => Ok(None),
        }
    }

    async fn password_hash(db: &Db, id: i64) -> sqlx::Result<Option<String>> {
        db::residents::password_hash(db, id).await
    }

    async fn set_password_hash(db: &Db, id: i64, hash: &str) -> sqlx::Result<()> {
        db::residents::set_password_hash(db, id, hash).await
    }
}

impl RealmAccounts for AdminRealm {
    async fn usable_by_email(db: &Db, email: &Email) -> sqlx::Result<Option<Account>> {
        Ok(db::admins::find_by_email(db, email).await?.filter(|a| a.active).map(|a| Account {
            id: a.id,
            email: a.email,
            name: a.name,
            password_hash: a.password_hash,
        }))
    }

    async fn usable_by_id(db: &Db, id: i64) -> sqlx::Result<Option<Account>> {
        Ok(db::admins::find(db, id).await?.filter(|a| a.active).map(|a| Account {
            id,
            email: a.email,
            name: a.name,
            password_hash: a.password_hash,
        }))
    }

    async fn password_hash(db: &Db, id: i64) -> sqlx::Result<Option<String>> {
        db::admins::password_hash(db, id).await
    }

    async fn set_password_hash(db: &Db, id: i64, hash: &str) -> sqlx::Result<()> {
        db::admins::set_password_hash(db, id, hash).await
    }
}
