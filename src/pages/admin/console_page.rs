use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::{
    api::admin::{current_admin, programme_figures},
    components::{week_chart::kg_total, AsyncSection, StaffFrame, WeekChart},
    domain::format_points,
    wire::AuditEntryView,
};

/// `/admin`: the console's overview.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    // Residents by status, the programme's figures and recent actions: one
    // server function, one connection for its reads.
    let figures = Resource::new(|| (), |_| programme_figures());
    let can_read_audit = move || me.get().and_then(Result::ok).is_some_and(|s| s.role.can_read_audit());
    view! {
        <Title text="Console" />
        <StaffFrame me>
            <div class="page-head">
                <h1>"Console"</h1>
                {move || me.get().and_then(Result::ok).map(|s| view! {
                    <p class="lede">"Signed in as " {s.name} " · " {s.role.label()}</p>
                })}
            </div>
            <AsyncSection of=figures fallback=|| view! { <p class="loading">"Loading the programme’s figures…"</p> } let(f)>
                    {let s = f.residents;
                    view! {
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
                        <section class="stats" aria-label="Programme">
                            <div class="stat">
                                <span class="stat-value" data-testid="points-issued">{format_points(f.points_issued)}</span>
                                <span class="stat-label">"Points issued"</span>
                            </div>
                            <div class="stat">
                                <span class="stat-value" data-testid="kg-this-month">{kg_total(f.centikg_this_month)}</span>
                                <span class="stat-label">"Collected this month"</span>
                            </div>
                            <a class="stat" href="/admin/rewards">
                                <span class="stat-value" data-testid="open-redemptions">{format_points(f.open_redemptions)}</span>
                                <span class="stat-label">"Open redemptions"</span>
                            </a>
                        </section>
                        <div class="console-grid">
                            <section class="panel chart-panel">
                                <h2>"Kilograms collected per week (last 12 weeks)"</h2>
                                <WeekChart weeks=f.weekly />
                            </section>
                            <section class="panel">
                                <div class="panel-head">
                                    <h2>{if can_read_audit() { "Recent staff actions" } else { "Your recent actions" }}</h2>
                                    {can_read_audit().then(|| view! { <a href="/admin/audit" class="small-link">"Audit log"</a> })}
                                </div>
                                <RecentActions actions=f.recent_actions />
                            </section>
                        </div>
                    }}
            </AsyncSection>
        </StaffFrame>
    }
}

/// The last few things staff did: when, what, to whom, in short.
#[component]
fn RecentActions(actions: Vec<AuditEntryView>) -> impl IntoView {
    if actions.is_empty() {
        return Either::Left(view! { <p class="empty">"No staff actions yet."</p> });
    }
    Either::Right(view! {
        <ul class="activity" data-testid="recent-actions">
            {actions.into_iter().map(|a| {
                let account = if a.account_email.is_empty() { None } else { Some(a.account_email) };
                let detail = if a.detail.is_empty() { None } else { Some(a.detail) };
                view! {
                    <li>
                        <p class="activity-kind">{a.kind}</p>
                        {detail.map(|d| view! { <p class="activity-detail">{d}</p> })}
                        <p class="activity-meta">
                            {a.at}
                            {account.map(|email| view! { " · " <span class="activity-account">{email}</span> })}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}
