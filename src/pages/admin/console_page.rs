use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::{
    api::admin::{console_summary, current_admin},
    components::StaffFrame,
};

/// `/admin`: the console's overview.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let summary = Resource::new(|| (), |_| console_summary());
    view! {
        <Title text="Console" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Console"</h1>
                {move || me.get().and_then(Result::ok).map(|s| view! {
                    <p class="lede">"Signed in as " {s.name} " · " {s.role.label()}</p>
                })}
            </div>
            <Suspense fallback=|| view! { <p class="loading">"Loading figures…"</p> }>
                {move || Suspend::new(async move {
                    match summary.await {
                    Ok(s) => Either::Left(view! {
                        <section class="stats">
                            <a class="stat" href="/admin/users">
                                <span class="stat-value" data-testid="pending-count">{s.pending}</span>
                                <span class="stat-label">"Pending approvals"</span>
                            </a>
                            <div class="stat">
                                <span class="stat-value">{s.active_residents}</span>
                                <span class="stat-label">"Active residents"</span>
                            </div>
                            <div class="stat">
                                <span class="stat-value">{s.suspended_or_rejected}</span>
                                <span class="stat-label">"Rejected or suspended"</span>
                            </div>
                        </section>
                        {(s.pending > 0 && s.can_review).then(|| view! {
                            <p class="notice">
                                {s.pending} " registration(s) waiting for review. "
                                <a href="/admin/users">"Review them"</a>
                            </p>
                        })}
                    }),
                    Err(e) => Either::Right(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </StaffFrame>
    }
}
