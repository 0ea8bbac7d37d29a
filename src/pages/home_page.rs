use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::PublicLayout;

/// The front door: residents one way, staff the other.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Welcome" />
        <PublicLayout>
            <section class="hero">
                <h1>"Recycle, earn points, get rewards"</h1>
                <p class="lede">
                    "Hand in your sorted recyclables at your barangay's collection day, earn points for every kilo, "
                    "and redeem them for rewards from the City Environment and Natural Resources Office."
                </p>
                <div class="hero-actions">
                    <a class="button primary" href="/register">"Create an account"</a>
                    <a class="button" href="/login">"Resident sign-in"</a>
                </div>
            </section>
            <section class="cards three">
                <article class="card">
                    <h2>"1. Register"</h2>
                    <p>"Sign up with your barangay. The CENRO office approves new accounts, usually within a working day."</p>
                </article>
                <article class="card">
                    <h2>"2. Hand in recyclables"</h2>
                    <p>"PET bottles, paper, cans, glass and e-waste are weighed and credited to your account."</p>
                </article>
                <article class="card">
                    <h2>"3. Redeem rewards"</h2>
                    <p>"Trade your points for rewards from the programme's catalogue."</p>
                </article>
            </section>
            <p class="staff-link">"CENRO staff: " <a href="/admin/login">"sign in to the console"</a></p>
        </PublicLayout>
    }
}
