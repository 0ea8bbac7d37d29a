//! The inside of both realms' change-password forms.

use leptos::prelude::*;

use crate::{
    components::{FieldError, FormError},
    error::AppError,
};

/// `Current password`, `New password`, `Confirm new password`, the "sign
/// out my other sessions" option (ticked) and `Change password`.
#[component]
pub fn ChangePasswordFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] done: Signal<bool>,
) -> impl IntoView {
    view! {
        {move || done.get().then(|| view! {
            <p class="notice success" role="status" data-testid="password-changed">"Your password was changed."</p>
        })}
        <FormError error />
        <div class="field">
            <label for="current_password">"Current password"</label>
            <input id="current_password" type="password" name="current_password" autocomplete="current-password" required maxlength="1024" />
            <FieldError error field="current_password" />
        </div>
        <div class="field">
            <label for="new_password">"New password"</label>
            <input id="new_password" type="password" name="new_password" autocomplete="new-password" required minlength="12" maxlength="128" />
            <FieldError error field="new_password" />
        </div>
        <div class="field">
            <label for="confirm_password">"Confirm new password"</label>
            <input id="confirm_password" type="password" name="confirm_password" autocomplete="new-password" required minlength="12" maxlength="128" />
            <FieldError error field="confirm_password" />
        </div>
        <label class="check">
            <input type="checkbox" name="sign_out_others" value="on" checked />
            " Sign out my other sessions"
        </label>
        <button type="submit" class="primary">"Change password"</button>
    }
}
