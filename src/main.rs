//! The Eko server binary: a thin shell over the library.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eko::server::cli::run().await
}
