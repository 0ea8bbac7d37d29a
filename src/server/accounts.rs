//! The accounts of each realm, for the flows both realms share (sign-in,
//! password change, password reset): each realm's marker says where its
//! accounts are and which of them may use the flows, and the flows are
//! written once, generic over the realm. What only one realm has (a
//! resident's registration and review, staff roles) stays with that realm.

use std::future::Future;

use super::{
    auth::RealmSession,
    db::{self, Db},
    endpoint, residents, staff,
    state::AppState,
};
use crate::{
    domain::{AccountStatus, Email},
    error::AppError,
    realm::{AdminRealm, RealmMarker, UserRealm},
};

/// An account as the shared flows see it.
#[derive(Debug)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    /// Where it must go right after signing in (a temporary password to
    /// change), if anywhere.
    pub first_stop: Option<&'static str>,
}

/// An account that has just proved its password.
#[derive(Debug)]
pub struct Authenticated {
    pub id: i64,
    pub email: String,
    /// Where it must go before anything else (a temporary password to
    /// change), if anywhere.
    pub first_stop: Option<&'static str>,
}

/// Who is signed in to a realm session, as the shared flows need them.
#[derive(Debug)]
pub struct SignedInAccount {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// Where a realm keeps its accounts.
pub trait RealmAccounts: RealmMarker {
    /// The account signed in to this request's session of the realm, by
    /// the guard of the realm's own account page (a staff member who must
    /// still change a temporary password passes it).
    fn signed_in(
    ) -> impl Future<Output = Result<(AppState, RealmSession<Self>, SignedInAccount), AppError>> + Send;

    /// The account these credentials sign in. Every failure (unknown email,
    /// wrong password, an account not in good standing) is the same
    /// `InvalidCredentials`, after the same password work.
    fn authenticate(
        state: &AppState,
        email: &str,
        password: &str,
    ) -> impl Future<Output = Result<Authenticated, AppError>> + Send;

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
    async fn signed_in() -> Result<(AppState, RealmSession<Self>, SignedInAccount), AppError> {
        let (state, session, r) = endpoint::require_resident().await?;
        Ok((state, session, SignedInAccount { id: r.id, email: r.email, name: r.name }))
    }

    async fn authenticate(state: &AppState, email: &str, password: &str) -> Result<Authenticated, AppError> {
        let id = residents::authenticate(state, email, password).await?;
        Ok(Authenticated { id, email: email.to_owned(), first_stop: None })
    }

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
                Ok(Some(Account { id, email: r.email, name: r.name, password_hash, first_stop: None }))
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

/// Where a staff member with a temporary password goes first.
const CHANGE_TEMPORARY_PASSWORD: &str = "/admin/account?required=1";

fn staff_account(a: db::admins::AdminRow) -> Account {
    Account {
        id: a.id,
        email: a.email,
        name: a.name,
        password_hash: a.password_hash,
        first_stop: a.must_change_password.then_some(CHANGE_TEMPORARY_PASSWORD),
    }
}

impl RealmAccounts for AdminRealm {
    async fn signed_in() -> Result<(AppState, RealmSession<Self>, SignedInAccount), AppError> {
        let endpoint::Staff { state, session, admin: a } = endpoint::require_admin_even_temporary().await?;
        Ok((state, session, SignedInAccount { id: a.id, email: a.email, name: a.name }))
    }

    async fn authenticate(state: &AppState, email: &str, password: &str) -> Result<Authenticated, AppError> {
        let admin = staff::authenticate(state, email, password).await?;
        let first_stop = admin.must_change_password.then_some(CHANGE_TEMPORARY_PASSWORD);
        Ok(Authenticated { id: admin.id, email: admin.email, first_stop })
    }

    async fn usable_by_email(db: &Db, email: &Email) -> sqlx::Result<Option<Account>> {
        Ok(db::admins::find_by_email(db, email).await?.filter(|a| a.active).map(staff_account))
    }

    async fn usable_by_id(db: &Db, id: i64) -> sqlx::Result<Option<Account>> {
        Ok(db::admins::find(db, id).await?.filter(|a| a.active).map(staff_account))
    }

    async fn password_hash(db: &Db, id: i64) -> sqlx::Result<Option<String>> {
        db::admins::password_hash(db, id).await
    }

    async fn set_password_hash(db: &Db, id: i64, hash: &str) -> sqlx::Result<()> {
        db::admins::set_password_hash(db, id, hash).await
    }
}
