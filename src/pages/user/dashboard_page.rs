use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::user::current_resident, components::ResidentFrame};

/// `/dashboard`: the signed-in resident's home.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_resident());
    view! {
        <Title text="Dashboard" />
        <ResidentFrame me>
            {move || me.get().and_then(Result::ok).map(|r| {
                let first_name = r.name.split_whitespace().next().unwrap_or_default().to_owned();
                view! {
                    <div class="page-head">
                        <h1>"Dashboard"</h1>
                        <p class="lede">"Welcome back, " {first_name} "."</p>
                    </div>
                    <section class="cards two">
                        <article class="card">
                            <h2>"Your account"</h2>
                            <dl class="facts">
                                <dt>"Name"</dt><dd>{r.name.clone()}</dd>
                                <dt>"Email"</dt><dd>{r.email.clone()}</dd>
                                <dt>"Barangay"</dt><dd>{r.barangay.clone()}</dd>
                                <dt>"Status"</dt><dd><span class="badge ok">{r.status.label()}</span></dd>
                                <dt>"Member since"</dt><dd>{r.member_since.clone()}</dd>
                            </dl>
                        </article>
                        <article class="card">
                            <h2>"How it works"</h2>
                            <ol class="steps">
                                <li>"Sort your recyclables: PET bottles, paper and cardboard, metal cans, glass, e-waste."</li>
                                <li>"Bring them to " {r.barangay.clone()} "'s collection point on collection day."</li>
                                <li>"CENRO staff weigh them and credit points to your account."</li>
                            </ol>
                        </article>
                    </section>
                }
            })}
        </ResidentFrame>
    }
}
