//! One component per page, by realm.

pub mod admin;
pub mod home_page;
pub mod not_found_page;
pub mod password_fields;
pub mod sign_in_fields;
pub mod user;
