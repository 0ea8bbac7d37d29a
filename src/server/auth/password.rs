//! Argon2id password hashing, always off the async executor, and never
//! more at once than the machine has cores: each hash holds ~19 MiB, so an
//! unbounded burst of sign-ins would exhaust memory. Beyond the bound,
//! requests wait briefly in line, then are answered 503 with Retry-After.
//! Each hash runs on a thread of its own at a lowered scheduling priority,
//! so that pages keep answering at full speed while sign-ins burn CPU.

use std::{sync::Arc, time::Duration};

use anyhow::{anyhow, Context};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use secrecy::{ExposeSecret, SecretString};

use crate::server::config::Argon2Cost;

/// How long a password check may wait for a free worker before the
/// request is turned away (503).
pub const QUEUE_WAIT: Duration = Duration::from_secs(5);

/// Every password worker stayed busy for [`QUEUE_WAIT`].
#[derive(Debug, thiserror::Error)]
#[error("every password worker is busy")]
pub struct Busy;

/// The answer for a failed password operation: 503 when busy, else the
/// generic internal error (logged with `context`).
pub fn work_failed(context: &str, err: anyhow::Error) -> crate::error::AppError {
    if err.is::<Busy>() {
        tracing::warn!("{context}: password workers busy, request turned away");
        crate::error::AppError::Busy { retry_after_seconds: 2 }
    } else {
        crate::server::endpoint::internal(context, format!("{err:#}"))
    }
}

/// Hashes and verifies passwords with one set of Argon2id parameters.
#[derive(Clone)]
pub struct Passwords {
    argon2: Arc<Argon2<'static>>,
    /// One permit per concurrent hash: bounds memory and CPU under bursts.
    workers: Arc<tokio::sync::Semaphore>,
    /// How long a request waits for a permit before it is turned away.
    queue_wait: Duration,
    /// Verified against when the account does not exist, so that unknown
    /// emails cost the same work as known ones.
    dummy_hash: Arc<str>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passwords(argon2id)")
    }
}

impl Passwords {
    pub fn new(cost: Argon2Cost) -> anyhow::Result<Self> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| anyhow!("invalid Argon2 parameters: {e}"))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let dummy_hash = hash_with(&argon2, "a password nobody has, to spend equal work")?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Self {
            argon2: Arc::new(argon2),
            workers: Arc::new(tokio::sync::Semaphore::new(cores)),
            queue_wait: QUEUE_WAIT,
            dummy_hash: dummy_hash.into(),
        })
    }

    /// The same with `workers` hashes at a time and `queue_wait` in line.
    pub fn bounded(cost: Argon2Cost, workers: usize, queue_wait: Duration) -> anyhow::Result<Self> {
        let mut passwords = Self::new(cost)?;
        passwords.workers = Arc::new(tokio::sync::Semaphore::new(workers.max(1)));
        passwords.queue_wait = queue_wait;
        Ok(passwords)
    }

    /// A free worker, waiting at most the queue wait ([`QUEUE_WAIT`]).
    async fn worker(&self) -> anyhow::Result<tokio::sync::OwnedSemaphorePermit> {
        match tokio::time::timeout(self.queue_wait, self.workers.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(Busy.into()),
        }
    }

    /// A PHC string (`$argon2id$…`) for the password.
    pub async fn hash(&self, password: SecretString) -> anyhow::Result<String> {
        let argon2 = self.argon2.clone();
        let permit = self.worker().await?;
        in_background(move || {
            let _permit = permit;
            hash_with(&argon2, password.expose_secret())
        })
        .await
        .context("password hashing task failed")?
    }

    /// Whether the password matches the stored hash. With no hash (unknown
    /// account) the dummy hash is checked instead and the answer is false.
    pub async fn verify(&self, password: SecretString, stored: Option<String>) -> anyhow::Result<bool> {
        let argon2 = self.argon2.clone();
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.to_string());
        let permit = self.worker().await?;
        let matches = in_background(move || {
            let _permit = permit;
            let parsed = PasswordHash::new(&hash).map_err(|e| anyhow!("stored hash is malformed: {e}"))?;
            Ok::<_, anyhow::Error>(
                argon2.verify_password(password.expose_secret().as_bytes(), &parsed).is_ok(),
            )
        })
        .await
        .context("password verification task failed")??;
        Ok(known && matches)
    }
}

/// Looks an account up by email and checks its password, spending the same
/// Argon2 work whether or not the email is known or even well formed.
/// Returns the account only when the password matches.
pub async fn account_with_password<A, F>(
    passwords: &Passwords,
    email: &str,
    password: &str,
    find: F,
    hash_of: impl Fn(&A) -> String,
) -> Result<Option<A>, crate::error::AppError>
where
    F: AsyncFnOnce(&crate::domain::Email) -> sqlx::Result<Option<A>>,
{
    use crate::server::endpoint::internal;
    let account = match crate::domain::Email::parse(email) {
        Ok(email) => find(&email).await.map_err(|e| internal("credentials lookup", e))?,
        Err(_) => None,
    };
    let matches = passwords
        .verify(SecretString::from(password.to_owned()), account.as_ref().map(&hash_of))
        .await
        .map_err(|e| work_failed("password verification", e))?;
    Ok(account.filter(|_| matches))
}

/// How much lower than the server's own threads password work runs (a nice
/// value: the scheduler gives a thread at nice 10 about a tenth of the CPU
/// time of one at 0 when both want it, and all of it when the rest idle).
const BACKGROUND_NICE: i32 = 10;

/// Runs `work` on a new thread at [`BACKGROUND_NICE`] and awaits its result.
/// A thread per hash costs microseconds against tens of milliseconds of
/// Argon2, and the lowered priority dies with the thread (an unprivileged
/// process may lower a thread's priority but never raise it back, so pooled
/// threads could not be lent out).
async fn in_background<T, F>(work: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("eko-password".into())
        .spawn(move || {
            lower_this_threads_priority();
            let _ = tx.send(work());
        })
        .context("cannot start a password thread")?;
    rx.await.map_err(|_| anyhow!("the password thread stopped without an answer"))
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // On Linux the nice value belongs to the thread: `who = 0` is the caller.
    // Never raises the priority of a server that already runs lowered.
    // SAFETY: get/setpriority have no memory effects; a failure leaves the
    // priority as it was, which is harmless.
    unsafe {
        let current = libc::getpriority(libc::PRIO_PROCESS, 0);
        libc::setpriority(libc::PRIO_PROCESS, 0, current.max(BACKGROUND_NICE));
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

fn hash_with(argon2: &Argon2<'_>, password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("password hashing failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Passwords {
        Passwords::new(Argon2Cost { memory_kib: 64, iterations: 1, parallelism: 1 }).unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let p = cheap();
        let hash = p.hash(SecretString::from("river stones and reeds")).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(p.verify(SecretString::from("river stones and reeds"), Some(hash.clone())).await.unwrap());
        assert!(!p.verify(SecretString::from("river stones and weeds"), Some(hash)).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn beyond_the_workers_and_the_queue_wait_a_password_check_is_turned_away_as_busy() {
        let slow = Argon2Cost { memory_kib: 32 * 1024, iterations: 4, parallelism: 1 };
        let p = Passwords::bounded(slow, 1, Duration::from_millis(10)).unwrap();
        let checks = (0..6).map(|_| {
            let p = p.clone();
            tokio::spawn(async move { p.verify(SecretString::from("some password to check"), None).await })
        });
        let results: Vec<_> =
            futures::future::join_all(checks).await.into_iter().map(Result::unwrap).collect();
        let busy = results.iter().filter(|r| r.as_ref().is_err_and(|e| e.is::<Busy>())).count();
        assert!(busy >= 1, "one worker, a 10 ms line: some checks are turned away");
        assert!(results.iter().any(|r| matches!(r, Ok(false))), "the first one is checked");
        assert_eq!(
            work_failed("test", Busy.into()),
            crate::error::AppError::Busy { retry_after_seconds: 2 },
            "answered 503 with Retry-After"
        );
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn password_work_runs_at_a_lowered_priority() {
        // SAFETY: getpriority only reads.
        let nice = in_background(|| unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }).await.unwrap();
        let own = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        assert_eq!(nice, own.max(BACKGROUND_NICE));
        assert_eq!(
            own,
            unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) },
            "the caller's priority is untouched"
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let p = cheap();
        assert!(!p
            .verify(SecretString::from("a password nobody has, to spend equal work"), None)
            .await
            .unwrap());
    }
}
