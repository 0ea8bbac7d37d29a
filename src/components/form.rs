//! Form feedback.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// The error a plain (no-WASM) post was sent back to this page with, in
/// the `form_error` query parameter. Only the server can read it (the value
/// is sealed, see `server::form_errors`): it is decided while the page
/// renders on the server and handed to the browser with the page, so a URL
/// written by someone else never puts words on the page.
pub fn url_form_error() -> Option<AppError> {
    let query = use_query_map();
    leptos::server::SharedValue::new(move || {
        let raw = query.read_untracked().get("form_error");
        #[cfg(feature = "ssr")]
        let error = raw.and_then(|raw| crate::server::form_errors::open(&raw));
        #[cfg(not(feature = "ssr"))]
        let error: Option<AppError> = raw.and(None);
        error
    })
    .into_inner()
}

/// The error of a form's last submission: the action's, once it ran in the
/// browser; before that, the one a plain (no-WASM) post was sent back with
/// (see [`url_form_error`]).
pub fn submission_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Send + Sync + Clone + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let from_url = url_form_error();
    Signal::derive(move || match value.get() {
        Some(result) => result.err(),
        None => from_url.clone(),
    })
}

/// The error of the last submission, unless it belongs to a single field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid { .. }))
            .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
    }
}

/// The message for one field, shown under it.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|e| e.for_field(field))
            .map(|m| view! { <p class="field-error" id=format!("{field}-error")>{m}</p> })
    }
}

/// A form field: its label, the control (`children`, whose id is `id`),
/// and, given `error` and `name`, the server's message for that name.
/// `class` adds to `field` (a width, a grid slot).
///
/// It renders exactly what the same markup written inline did, hydration
/// markers included: typed children (boxed ones add a marker), the label
/// as inner HTML (text adds one; labels are this crate's literals, never
/// anyone's input), and no `FieldError` at all when there is no `name`
/// (an empty one still leaves its placeholder).
#[component]
pub fn Field<C>(
    #[prop(into)] id: String,
    label: &'static str,
    #[prop(optional, into)] error: Option<Signal<Option<AppError>>>,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] class: &'static str,
    children: TypedChildren<C>,
) -> impl IntoView
where
    C: IntoView + 'static,
{
    let class = if class.is_empty() { "field".to_owned() } else { format!("field {class}") };
    let children = children.into_inner();
    match error.zip(name) {
        Some((error, field)) => view! {
            <div class=class>
                <label for=id inner_html=label></label>
                {children()}
                <FieldError error field />
            </div>
        }
        .into_any(),
        None => view! {
            <div class=class>
                <label for=id inner_html=label></label>
                {children()}
            </div>
        }
        .into_any(),
    }
}

/// `<label class="check">`: a checkbox sending `name=on`, ticked unless
/// `checked` says otherwise, with `label` after the box. (The label is
/// dynamic text here, so the server adds a hydration marker after it.)
#[component]
pub fn Checkbox(
    name: &'static str,
    label: &'static str,
    #[prop(default = true)] checked: bool,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name=name value="on" checked=checked />
            {label}
        </label>
    }
}

/// The "sign out my other sessions" option, ticked: offered wherever a
/// change to the account's credentials could end its other sessions.
/// Written out rather than through [`Checkbox`], so it renders as static
/// markup, exactly as it did inline.
#[component]
pub fn SignOutOthers() -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name="sign_out_others" value="on" checked />
            " Sign out my other sessions"
        </label>
    }
}

/// What the last action of a list or section did: a message, or why it
/// failed.
pub type Outcome = Option<Result<String, AppError>>;

/// Keeps `notice` up to date with `action`: `success(input)` once it went
/// through, the error when it failed. With `fields_shown`, field errors are
/// left to the form's own `FieldError`s.
pub fn report_outcome<S>(
    action: ServerAction<S>,
    notice: RwSignal<Outcome>,
    fields_shown: bool,
    success: impl Fn(&S) -> String + 'static,
) where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    // The input is gone once the action is done: word the message now.
    let message = StoredValue::new(String::new());
    Effect::new(move || {
        if let Some(input) = action.input().get() {
            message.set_value(success(&input));
        }
    });
    Effect::watch(
        move || action.value().get(),
        move |value, _, _| match value {
            Some(Ok(_)) => notice.set(Some(Ok(message.get_value()))),
            Some(Err(AppError::Invalid { .. })) if fields_shown => notice.set(None),
            Some(Err(error)) => notice.set(Some(Err(error.clone()))),
            None => {}
        },
        false,
    );
}

/// The notice of an [`Outcome`]: a success message or the error.
#[component]
pub fn OutcomeNotice(notice: RwSignal<Outcome>) -> impl IntoView {
    move || {
        notice.get().map(|outcome| match outcome {
            Ok(message) => view! { <p class="notice success" role="status">{message}</p> }.into_any(),
            Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
        })
    }
}

/// A fresh idempotency key: 128 random bits as hex. Made on the server for
/// the first render and in the browser after each success; uniqueness per
/// account is all it needs (it is not a secret).
fn new_idempotency_key() -> String {
    #[cfg(feature = "ssr")]
    {
        format!("{:032x}", rand::random::<u128>())
    }
    #[cfg(all(not(feature = "ssr"), feature = "hydrate"))]
    {
        (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32)).collect()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        String::new()
    }
}

/// The hidden `idempotency_key` field of a write form: made when the form
/// is shown, kept for every retry of the same submission (a lost answer on
/// a poor connection, a double click), and renewed once `action` succeeds,
/// so the next submission is a new write. The server does the write once
/// per key and answers a repeat with the first answer.
#[component]
pub fn IdempotencyField<S>(action: ServerAction<S>) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let key = RwSignal::new(new_idempotency_key());
    Effect::watch(
        move || action.value().get(),
        move |value, _, _| {
            if matches!(value, Some(Ok(_))) {
                key.set(new_idempotency_key());
            }
        },
        false,
    );
    view! { <input type="hidden" name="idempotency_key" value=move || key.get() /> }
}

/// A form to bind to `action` (its `node_ref`) that empties itself each
/// time `action` succeeds, so the same entry is not sent twice by mistake.
pub fn reset_on_success<S>(action: ServerAction<S>) -> NodeRef<leptos::html::Form>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::watch(
        move || action.value().get(),
        move |value, _, _| {
            if let (Some(Ok(_)), Some(form)) = (value, form.get_untracked()) {
                form.reset();
            }
        },
        false,
    );
    form
}

/// The error a plain form post (no WASM) came back to this page with (see
/// [`url_form_error`]), for pages whose forms do not show it themselves;
/// old news once one of the page's actions ran (`acted`).
#[component]
pub fn PlainPostError(#[prop(into)] acted: Signal<bool>) -> impl IntoView {
    let from_url = StoredValue::new(url_form_error());
    move || {
        if acted.get() {
            return None;
        }
        from_url.get_value().map(|error| {
            let message = match error {
                AppError::Invalid { message, .. } => message,
                other => other.to_string(),
            };
            view! { <p class="form-error" role="alert">{message}</p> }
        })
    }
}
