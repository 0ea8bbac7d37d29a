//! One component per page, by realm.
//!
//! Every page but the home, not-found and resident sign-in pages (the
//! pages a first visit opens) is a lazy route. With `cargo leptos build
//! --split` (what `make release` builds) the code of a group of pages
//! becomes a wasm chunk of its own, fetched when one of them is opened (and
//! preloaded by the server-rendered HTML of that page): the main wasm holds
//! the framework, the frames and the resident sign-in page; a resident on a
//! phone fetches their own pages once signed in, and never the staff
//! console. Four groups, not one per page: for each set of split points
//! that share code, wasm-split cuts that code into a chunk of its own, and
//! twenty split points made 279 chunks (79 requests for one dashboard).

pub mod admin;
pub mod home_page;
pub mod not_found_page;
pub mod user;

/// Declares lazy routes whose views come from one lazily loaded function
/// (one wasm chunk for the group): `Route => group(Enum::Variant)`.
macro_rules! routes_in_chunk {
    ($group:ident, $preload:ident: $($route:ident => $page:expr, $doc:literal;)*) => {
        $(
            #[doc = $doc]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    $group($page).await
                }

                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}
pub(crate) use routes_in_chunk;
