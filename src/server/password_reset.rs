//! Password reset by mail, for both realms: an enumeration-safe request,
//! hashed single-use links tied to the password.
//!
//! A request mails a link holding a random token; only its SHA-256 is
//! stored, with the account, an expiry and a fingerprint of the password
//! hash it was issued against (so any password change voids it). Opening
//! the link moves the token out of the URL into a short-lived, realm-named
//! cookie and redirects to the bare confirm page; setting the new password
//! uses the token up, signs nobody in, and ends the account's other sessions
//! of that realm only when asked. The other realm is never read or written.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use secrecy::SecretString;
use tower_sessions::cookie::{time::Duration as CookieDuration, Cookie, SameSite};

use super::{
    accounts::{Account, RealmAccounts},
    audit::{self, Subject},
    auth::{realm_session::ClientInfo, throttle, RealmSession},
    db::{self, resets::ResetRow, Db},
    endpoint::{self, internal},
    mail::Mail,
    security::sha256_hex,
    state::AppState,
};
use crate::{
    domain::{AuditKind, AuditOutcome, Email, NewPassword, PersonName},
    error::AppError,
    live::EndReason,
    realm::Realm,
};

/// Random bytes in a token (256 bits).
const TOKEN_BYTES: usize = 32;

/// Ties a link to the password hash it was issued against.
fn fingerprint(password_hash: &str) -> String {
    sha256_hex(password_hash.as_bytes())
}

fn new_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether a string could be one of our tokens at all.
fn well_formed(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The absolute link mailed for `token`, from the configured site URL
/// (never from the request's Host header).
pub fn link(site_url: &str, realm: Realm, token: &str) -> String {
    format!("{}{}/confirm?token={token}", site_url.trim_end_matches('/'), realm.password_reset_path())
}

fn reset_mail(realm: Realm, account: &Account, link: &str, lifetime_minutes: u64) -> Mail {
    let (what, subject) = match realm {
        Realm::User => ("resident account", "Reset your Eko password"),
        Realm::Admin => ("staff account", "Reset your Eko staff password"),
    };
    let body = format!(
        "Hello {name},\n\n\
         Someone asked to reset the password of your Eko {what} ({email}).\n\
         To choose a new password, open this link within {lifetime_minutes} minutes:\n\n\
         {link}\n\n\
         The link works once, and it does not sign you in.\n\
         If you did not ask for it, ignore this message: your password stays as it is.\n\n\
         Eko, City Environment and Natural Resources Office, San Pedro City\n",
        name = account.name,
        email = account.email,
    );
    Mail { to_name: account.name.clone(), to_email: account.email.clone(), subject: subject.to_owned(), body }
}

/// Handles "Send reset link". The request is counted by the throttle
/// (same work for every email); everything that depends on whether the
/// account exists (the lookup, the link, the mail, the audit record)
/// happens after the answer has gone, so neither the answer nor its timing
/// tells whether there is an account.
pub async fn request<R: RealmAccounts>(
    state: &AppState,
    client: &ClientInfo,
    email: &str,
) -> Result<(), AppError> {
    let realm = R::REALM;
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    throttle::reset_request(&state.db, &state.settings.throttle, realm, email.as_str(), client).await?;
    let (state, client) = (state.clone(), client.clone());
    tokio::spawn(async move {
        if let Err(err) = issue_link::<R>(&state, &client, &email).await {
            tracing::error!(realm = realm.as_str(), error = %format!("{err:#}"), "password reset mail failed");
        }
    });
    Ok(())
}

/// Stores a new link for the account (voiding its earlier one) and mails it.
async fn issue_link<R: RealmAccounts>(
    state: &AppState,
    client: &ClientInfo,
    email: &Email,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let realm = R::REALM;
    let account = R::usable_by_email(&state.db, email).await.context("reset account lookup")?;
    let Some(account) = account else {
        let subject = Subject::email(email.as_str());
        audit::record(
            &state.db,
            realm,
            AuditKind::PasswordResetRequested,
            AuditOutcome::NoAccount,
            client,
            subject,
        )
        .await;
        return Ok(());
    };
    let token = new_token();
    let lifetime = state.settings.reset_link_lifetime;
    let expires_at = db::now() + lifetime.as_secs() as i64;
    let token_hash = sha256_hex(token.as_bytes());
    let fingerprint = fingerprint(&account.password_hash);
    db::resets::insert(&state.db, realm, &token_hash, account.id, &fingerprint, expires_at)
        .await
        .context("reset link insert")?;
    let mail =
        reset_mail(realm, &account, &link(&state.settings.site_url, realm, &token), lifetime.as_secs() / 60);
    let subject = Subject::account(account.id, &account.email);
    audit::record(&state.db, realm, AuditKind::PasswordResetRequested, AuditOutcome::Sent, client, subject)
        .await;
    state.mailer.send(mail).await.context("password reset mail")?;
    tracing::info!(realm = realm.as_str(), account_id = account.id, "password reset mail sent");
    Ok(())
}

fn link_unusable() -> AppError {
    AppError::invalid("token", "This reset link has expired or was already used. Ask for a new one below.")
}

/// The account a token may reset, if the link is still good.
async fn usable<R: RealmAccounts>(db: &Db, token: &str) -> Result<(ResetRow, Account), AppError> {
    let realm = R::REALM;
    if !well_formed(token) {
        return Err(link_unusable());
    }
    let row = db::resets::find(db, realm, &sha256_hex(token.as_bytes()))
        .await
        .map_err(|e| internal("reset link lookup", e))?
        .ok_or_else(link_unusable)?;
    if row.expires_at <= db::now() {
        return Err(link_unusable());
    }
    let account = R::usable_by_id(db, row.account_id)
        .await
        .map_err(|e| internal("reset account lookup", e))?
        .filter(|a| fingerprint(&a.password_hash) == row.password_fingerprint)
        .ok_or_else(link_unusable)?;
    Ok((row, account))
}

/// The email a still-good link resets (shown on the confirm page).
pub async fn inspect<R: RealmAccounts>(state: &AppState, token: Option<&str>) -> Result<String, AppError> {
    let (_, account) = usable::<R>(&state.db, token.unwrap_or_default()).await?;
    Ok(account.email)
}

/// What the "Set new password" form sends.
#[derive(Debug)]
pub struct NewPasswordForm<'a> {
    pub new: &'a str,
    pub confirm: &'a str,
    pub sign_out_others: bool,
}

/// Sets the new password and uses the link up. Nobody is signed in. When
/// asked, the account's sessions of this realm end (except this browser's
/// own session of the same account, if it has one) and their open pages say
/// the password changed. The other realm is not touched.
pub async fn confirm<R: RealmAccounts>(
    state: &AppState,
    session: &RealmSession<R>,
    token: Option<&str>,
    form: NewPasswordForm<'_>,
) -> Result<(), AppError> {
    let realm = R::REALM;
    let token = token.unwrap_or_default();
    let (_, account) = usable::<R>(&state.db, token).await?;
    let email = Email::parse(&account.email).map_err(|_| AppError::Internal)?;
    let name = PersonName::parse(&account.name).ok();
    let new = NewPassword::parse(form.new, &email, name.as_ref())
        .map_err(|m| AppError::invalid("new_password", m))?;
    if form.new != form.confirm {
        return Err(AppError::invalid("confirm_password", "The two new passwords are not the same."));
    }
    let hash = state
        .passwords
        .hash(SecretString::from(new.expose().to_owned()))
        .await
        .map_err(|e| crate::server::auth::password::work_failed("password hashing", e))?;
    // Only one request can take the link, however many race for it.
    let taken = db::resets::take(&state.db, realm, &sha256_hex(token.as_bytes()))
        .await
        .map_err(|e| internal("reset link use", e))?
        .filter(|row| {
            row.account_id == account.id && row.password_fingerprint == fingerprint(&account.password_hash)
        });
    if taken.is_none() {
        return Err(link_unusable());
    }
    R::set_password_hash(&state.db, account.id, &hash).await.map_err(|e| internal("password update", e))?;
    db::resets::delete_for_account(&state.db, realm, account.id)
        .await
        .map_err(|e| internal("reset links void", e))?;
    throttle::clear_account(&state.db, realm, &account.email).await?;

    let mut ended = 0;
    if form.sign_out_others {
        let own = session.peek().await?.filter(|s| s.account_id == account.id).and(session.id_hash());
        ended = state
            .endings
            .end_others_of(realm, account.id, own.as_deref().unwrap_or(""), EndReason::PasswordChanged)
            .await
            .map_err(|e| internal("end sessions", e))?;
    }
    tracing::info!(realm = realm.as_str(), account_id = account.id, ended, "password reset");
    let subject =
        Subject::account(account.id, &account.email).detail(format!("{ended} session(s) signed out"));
    audit::record(&state.db, realm, AuditKind::PasswordReset, AuditOutcome::Ok, session.client(), subject)
        .await;
    Ok(())
}

/// The `request_password_reset` server function of realm `R`.
pub async fn request_endpoint<R: RealmAccounts>(email: &str) -> Result<(), AppError> {
    let page = R::REALM.password_reset_path();
    endpoint::respond_from(
        Some(page),
        async {
            let state = endpoint::state()?;
            let session = endpoint::session::<R>().await?;
            request::<R>(&state, session.client(), email).await?;
            if endpoint::is_plain_form_post() {
                leptos_axum::redirect(&format!("{page}?sent=1"));
            }
            Ok(())
        }
        .await,
    )
}

/// The reset cookie's token of this request, for realm `R`.
async fn request_token<R: RealmAccounts>(state: &AppState) -> Result<Option<String>, AppError> {
    let headers: axum::http::HeaderMap =
        leptos_axum::extract().await.map_err(|e| internal("request headers", e))?;
    Ok(token_from(&headers, &cookie_name(state, R::REALM)))
}

/// The `password_reset_link` server function of realm `R`: whom the link
/// in this browser resets, or why it cannot be used.
pub async fn link_endpoint<R: RealmAccounts>() -> Result<String, AppError> {
    endpoint::respond(
        async {
            let state = endpoint::state()?;
            let token = request_token::<R>(&state).await?;
            inspect::<R>(&state, token.as_deref()).await
        }
        .await,
    )
}

/// The `reset_password` server function of realm `R`, with the form's
/// fields as posted: on success the link cookie is dropped and the browser
/// goes to the realm's sign-in page.
pub async fn confirm_endpoint<R: RealmAccounts>(
    new_password: String,
    confirm_password: String,
    sign_out_others: Option<String>,
) -> Result<(), AppError> {
    let realm = R::REALM;
    let form = NewPasswordForm {
        new: &new_password,
        confirm: &confirm_password,
        sign_out_others: sign_out_others.is_some(),
    };
    endpoint::respond_from(
        Some(&format!("{}/confirm", realm.password_reset_path())),
        async {
            let state = endpoint::state()?;
            let session = endpoint::session::<R>().await?;
            let token = request_token::<R>(&state).await?;
            confirm(&state, &session, token.as_deref(), form).await?;
            if let (Some(res), Ok(cookie)) = (
                leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
                HeaderValue::from_str(&token_cookie(&state, realm, None)),
            ) {
                res.append_header(header::SET_COOKIE, cookie);
            }
            leptos_axum::redirect(&format!(
                "{}?reason={}",
                realm.login_path(),
                crate::live::EndReason::PasswordReset.as_str()
            ));
            Ok(())
        }
        .await,
    )
}

/// The cookie that carries a reset token between the mailed link and the
/// form (named per realm, like the session cookies).
pub fn cookie_name(state: &AppState, realm: Realm) -> String {
    format!("{}_reset", state.settings.cookie_name(realm))
}

/// The reset token this request carries for `realm`, if any.
pub fn token_from(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value that stores (or, with `None`, removes) the token.
pub fn token_cookie(state: &AppState, realm: Realm, token: Option<&str>) -> String {
    let max_age = match token {
        Some(_) => CookieDuration::seconds(state.settings.reset_link_lifetime.as_secs() as i64),
        None => CookieDuration::ZERO,
    };
    Cookie::build((cookie_name(state, realm), token.unwrap_or_default().to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.production)
        .max_age(max_age)
        .build()
        .to_string()
}

/// Opening a mailed link (`…/password-reset/confirm?token=…`): the token
/// goes into the realm's reset cookie and the browser is sent to the bare
/// confirm page, so the token is out of the address bar, the history and
/// any `Referer` before the form is even shown.
pub async fn capture_link(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let path = req.uri().path();
    let Some(realm) = Realm::ALL.into_iter().find(|r| path == format!("{}/confirm", r.password_reset_path()))
    else {
        return next.run(req).await;
    };
    let query = req.uri().query().unwrap_or_default();
    let Some(token) = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .find_map(|(k, v)| (k == "token").then_some(v))
    else {
        return next.run(req).await;
    };
    let cookie = token_cookie(&state, realm, well_formed(&token).then_some(token.as_str()));
    let mut res =
        (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{}/confirm", realm.password_reset_path()))])
            .into_response();
    let headers = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        headers.append(header::SET_COOKIE, value);
    }
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(well_formed(&a) && well_formed(&b), "{a}");
        assert!(!well_formed("short"));
        assert!(!well_formed(&format!("{}=", &a[..42])));
    }

    #[test]
    fn links_come_from_the_site_url_of_the_realm() {
        assert_eq!(
            link("https://eko.example.ph/", Realm::Admin, "abc"),
            "https://eko.example.ph/admin/password-reset/confirm?token=abc"
        );
        assert_eq!(
            link("http://127.0.0.1:3000", Realm::User, "t"),
            "http://127.0.0.1:3000/password-reset/confirm?token=t"
        );
    }
}
