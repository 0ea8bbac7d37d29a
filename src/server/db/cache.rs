//! Reference data kept in memory: read on almost every resident page,
//! changed by a few staff actions. Each read of it from the database is a
//! statement, and on SQLite each statement is a hand-off to the
//! connection's thread and back, a large share of a page's cost
//! (bench/README.md).
//!
//! A value is dropped when this process changes what it was read from
//! (after the change is committed), and in any case after [`SHARED_TTL`]: a
//! change made by another instance on the same database shows within that
//! time.

use std::{
    future::Future,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

use super::{reference::ScheduleRow, rewards::RewardRow};

/// How long a value read here may be served without reading it again.
pub const SHARED_TTL: Duration = Duration::from_secs(5);

/// The cached reference data of one database.
#[derive(Debug, Default)]
pub struct ReferenceCache {
    /// Rewards on offer (active and in stock), cheapest first.
    pub offered_rewards: Cached<Vec<RewardRow>>,
    /// Every barangay's collection days.
    pub schedules: Cached<Vec<ScheduleRow>>,
}

/// One value read through: loaded on first use, served until it is
/// [`invalidate`](Cached::invalidate)d or [`SHARED_TTL`] has passed.
#[derive(Debug)]
pub struct Cached<T> {
    slot: Mutex<Slot<T>>,
    ttl: Duration,
}

#[derive(Debug)]
struct Slot<T> {
    value: Option<(Instant, Arc<T>)>,
    /// Counts invalidations: a load that began before one may not store
    /// what it read, which may predate the change.
    generation: u64,
}

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Self::with_ttl(SHARED_TTL)
    }
}

impl<T> Cached<T> {
    pub fn with_ttl(ttl: Duration) -> Self {
        Self { slot: Mutex::new(Slot { value: None, generation: 0 }), ttl }
    }

    /// The value, or what `load` reads (kept for the next callers unless
    /// the value was invalidated meanwhile). Concurrent misses each load.
    pub async fn get_or_load<E, F, Fut>(&self, load: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let (generation, started) = {
            let slot = self.lock();
            if let Some((read_at, value)) = &slot.value {
                if read_at.elapsed() < self.ttl {
                    return Ok(Arc::clone(value));
                }
            }
            (slot.generation, Instant::now())
        };
        let value = Arc::new(load().await?);
        let mut slot = self.lock();
        if slot.generation == generation {
            // Aged from when the read began: a change committed during it
            // elsewhere is covered by the same TTL.
            slot.value = Some((started, Arc::clone(&value)));
        }
        Ok(value)
    }

    /// Forgets the value; call it after the change is committed.
    pub fn invalidate(&self) {
        let mut slot = self.lock();
        slot.generation += 1;
        slot.value = None;
    }

    fn lock(&self) -> MutexGuard<'_, Slot<T>> {
        // Nothing panics while holding it; a poisoned slot is still whole.
        self.slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    async fn counted(loads: &AtomicUsize, value: u32) -> Result<u32, ()> {
        loads.fetch_add(1, Ordering::SeqCst);
        Ok(value)
    }

    #[tokio::test]
    async fn a_value_is_read_once_until_invalidated() {
        let cached = Cached::default();
        let loads = AtomicUsize::new(0);
        assert_eq!(*cached.get_or_load(|| counted(&loads, 1)).await.unwrap(), 1);
        assert_eq!(*cached.get_or_load(|| counted(&loads, 2)).await.unwrap(), 1);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        cached.invalidate();
        assert_eq!(*cached.get_or_load(|| counted(&loads, 3)).await.unwrap(), 3);
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_value_is_read_again_after_its_ttl() {
        let cached = Cached::with_ttl(Duration::from_millis(50));
        let loads = AtomicUsize::new(0);
        cached.get_or_load(|| counted(&loads, 1)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(*cached.get_or_load(|| counted(&loads, 2)).await.unwrap(), 2);
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_read_overtaken_by_a_change_is_not_kept() {
        let cached = Arc::new(Cached::default());
        let (reading, read) = tokio::sync::oneshot::channel::<()>();
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let slow = tokio::spawn({
            let cached = Arc::clone(&cached);
            async move {
                cached
                    .get_or_load(|| async move {
                        reading.send(()).unwrap();
                        released.await.unwrap();
                        Ok::<_, ()>("before the change")
                    })
                    .await
            }
        });
        read.await.unwrap();
        // The change commits and invalidates while the old value is in flight.
        cached.invalidate();
        release.send(()).unwrap();
        assert_eq!(*slow.await.unwrap().unwrap(), "before the change", "its own caller gets what it read");
        let next = cached.get_or_load(|| async { Ok::<_, ()>("after the change") }).await.unwrap();
        assert_eq!(*next, "after the change");
    }

    #[tokio::test]
    async fn a_failed_read_keeps_nothing() {
        let cached = Cached::<u32>::default();
        assert!(cached.get_or_load(|| async { Err::<u32, _>("down") }).await.is_err());
        assert_eq!(*cached.get_or_load(|| async { Ok::<_, ()>(7) }).await.unwrap(), 7);
    }
}
