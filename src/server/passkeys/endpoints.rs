//! The server functions of either realm, each answering through
//! `endpoint::respond` (status codes, no internals leaked).

use super::*;
use crate::wire::passkeys::PasskeyPanel;

async fn signed_in<R: RealmAccounts, T, F>(run: F) -> Result<T, AppError>
where
    F: AsyncFnOnce(&AppState, &RealmSession<R>, &SignedInAccount) -> Result<T, AppError>,
{
    endpoint::respond(
        async {
            let (state, session, account) = R::signed_in().await?;
            run(&state, &session, &account).await
        }
        .await,
    )
}

async fn anyone<R: RealmAccounts, T, F>(run: F) -> Result<T, AppError>
where
    F: AsyncFnOnce(&AppState, &RealmSession<R>) -> Result<T, AppError>,
{
    endpoint::respond(
        async {
            let state = endpoint::state()?;
            let session = endpoint::session::<R>().await?;
            run(&state, &session).await
        }
        .await,
    )
}

pub async fn panel<R: RealmAccounts>() -> Result<PasskeyPanel, AppError> {
    signed_in::<R, _, _>(async |state, _, account| super::panel::<R>(state, account.id).await).await
}

pub async fn add_begin<R: RealmAccounts>(name: &str) -> Result<PasskeyChallenge, AppError> {
    signed_in::<R, _, _>(async |state, session, account| {
        begin_registration(state, session, account, name).await
    })
    .await
}

pub async fn add<R: RealmAccounts>(token: &str, credential: &str) -> Result<(), AppError> {
    signed_in::<R, _, _>(async |state, session, account| {
        finish_registration(state, session, account, token, credential).await
    })
    .await
}

pub async fn remove<R: RealmAccounts>(id: &str, sign_out_others: bool) -> Result<(), AppError> {
    signed_in::<R, _, _>(async |state, session, account| {
        super::remove(state, session, account, id, sign_out_others).await
    })
    .await
}

pub async fn sign_in_begin<R: RealmAccounts>() -> Result<PasskeyChallenge, AppError> {
    anyone::<R, _, _>(async |state, session| begin_sign_in(state, session).await).await
}

pub async fn sign_in<R: RealmAccounts>(
    token: &str,
    credential: &str,
    next: Option<&str>,
) -> Result<String, AppError> {
    anyone::<R, _, _>(async |state, session| finish_sign_in(state, session, token, credential, next).await)
        .await
}

pub async fn second_step_begin<R: RealmAccounts>() -> Result<PasskeyChallenge, AppError> {
    anyone::<R, _, _>(async |state, session| begin_second_step(state, session).await).await
}

pub async fn second_step<R: RealmAccounts>(token: &str, credential: &str) -> Result<String, AppError> {
    anyone::<R, _, _>(async |state, session| finish_second_step(state, session, token, credential).await)
        .await
}
