use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::user::current_resident,
    components::{
        account_panels::own_account_panels, passkeys::passkey_panel, two_step::two_step_panel, ResidentFrame,
    },
    realm::UserRealm,
};

/// `/account`: the resident's details and signed-in sessions.
#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_resident());
    let (_, panels) = own_account_panels::<UserRealm>();
    view! {
        <Title text="Account" />
        <ResidentFrame me>
            <div class="page-head">
                <h1>"Account"</h1>
                {move || me.get().and_then(Result::ok).map(|r| view! { <p class="lede">{r.name} " · " {r.email}</p> })}
            </div>
            {panels()}
            {two_step_panel::<UserRealm>()}
            {passkey_panel::<UserRealm>()}
        </ResidentFrame>
    }
}
