//! One paging rule for every list the browser pages through: pages count
//! from 1 (the first when none is named) up to [`PageRequest::LAST`]; any
//! other number is a clear error on the `page` field, never a guess. Each
//! list keeps its own page size.

use crate::{error::AppError, wire::Page};

/// A page number the browser asked for, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest(i64);

impl PageRequest {
    pub const LAST: i64 = 100_000;
    pub const FIRST: PageRequest = PageRequest(1);

    pub fn parse(page: Option<i64>) -> Result<Self, AppError> {
        match page.unwrap_or(1) {
            n if (1..=Self::LAST).contains(&n) => Ok(Self(n)),
            _ => Err(AppError::invalid("page", "That page does not exist.")),
        }
    }

    /// The SQL `LIMIT` and `OFFSET` of this page, `per_page` items a page.
    pub fn window(self, per_page: i64) -> (i64, i64) {
        (per_page, (self.0 - 1) * per_page)
    }

    /// This page of a list, with what the pager needs.
    pub fn of<T>(self, items: Vec<T>, per_page: i64, total: i64) -> Page<T> {
        Page { items, page: self.0, per_page, total }
    }
}

#[cfg(test)]
mod tests {
    use super::PageRequest;

    #[test]
    fn pages_count_from_one_and_stop_at_the_last() {
        assert_eq!(PageRequest::parse(None).unwrap(), PageRequest::FIRST);
        assert_eq!(PageRequest::parse(Some(3)).unwrap().window(20), (20, 40));
        assert_eq!(PageRequest::parse(Some(PageRequest::LAST)).unwrap().window(50), (50, 4_999_950));
        for bad in [0, -1, PageRequest::LAST + 1, i64::MAX, i64::MIN] {
            assert!(PageRequest::parse(Some(bad)).is_err(), "page {bad}");
        }
    }
}
