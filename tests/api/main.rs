//! Black-box HTTP tests: each test spawns its own app and database.

mod accounts;
mod audit;
mod backups;
mod cli;
mod fuzz;
mod guards;
mod hardening;
mod helpers;
mod isolation;
mod live;
mod passkeys;
mod passwords;
mod programme;
mod resets;
mod revocation;
mod sessions;
mod throttle;
mod two_step;
