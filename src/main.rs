//! The Eko server binary: a thin shell over the library.

/// jemalloc instead of glibc's malloc: a page's render is many small
/// allocations across threads, where it is markedly faster (bench/README.md).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    eko::server::cli::run().await
}
