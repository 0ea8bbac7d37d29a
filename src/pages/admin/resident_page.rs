//! `/admin/users/:id`: one resident, their points ledger, collections and
//! redemptions, with the forms that record a collection or correct points.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::admin::{current_admin, resident_detail, waste_types, CorrectPoints, RecordCollection},
    components::{
        href, page_param, reset_on_success, submission_error, AsyncSection, DataTable, FieldError, FormError,
        IdempotencyField, Pager, Panel, RedemptionBadge, StaffFrame,
    },
    domain::{format_points, AccountStatus, Weight},
    error::AppError,
    wire::{
        programme::{CollectionView, LedgerEntryView, RedemptionView, ResidentDetail, WasteTypeView},
        Page,
    },
};

const NO_SUCH_RESIDENT: &str = "There is no such resident.";

/// `/admin/users/:id`: one resident, their points ledger, collections and
/// redemptions.
#[component]
pub fn ResidentDetailPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_admin());
    let params = use_params_map();
    let resident_id =
        move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).filter(|id| *id > 0);
    let page = page_param("page");
    let record = ServerAction::<RecordCollection>::new();
    let correct = ServerAction::<CorrectPoints>::new();
    // Reload only after a change went through: a rejected form keeps what
    // was typed into it.
    let changes = RwSignal::new(0u32);
    for succeeded in [
        Signal::derive(move || matches!(record.value().get(), Some(Ok(_)))),
        Signal::derive(move || matches!(correct.value().get(), Some(Ok(_)))),
    ] {
        Effect::watch(
            move || succeeded.get(),
            move |ok, _, _| {
                if *ok {
                    changes.update(|n| *n += 1);
                }
            },
            false,
        );
    }
    let detail = Resource::new(
        move || (resident_id(), page(), changes.get()),
        |(id, page, _)| async move {
            match id {
                Some(id) => resident_detail(id, Some(page)).await,
                None => Err(AppError::NotFound(NO_SUCH_RESIDENT.into())),
            }
        },
    );
    let kinds = Resource::new(|| (), |_| waste_types());
    view! {
        <Title text="Resident" />
        <StaffFrame me>
            <p class="back-link"><a href="/admin/users">"← Residents"</a></p>
            <AsyncSection of=detail on_error=resident_error let(d)>
                <ResidentBody d record correct kinds />
            </AsyncSection>
        </StaffFrame>
    }
}

/// The page when the resident cannot be shown: not found, or not for this
/// role.
fn resident_error(error: AppError) -> AnyView {
    let (heading, message) = match error {
        AppError::NotFound(m) => ("Resident not found", m),
        AppError::Forbidden => ("Resident", "Your role does not include residents.".to_owned()),
        other => ("Resident", other.to_string()),
    };
    view! {
        <Title text=heading />
        <div class="page-head"><h1>{heading}</h1></div>
        <p class="notice" role="alert">{message}</p>
    }
    .into_any()
}

#[component]
fn ResidentBody(
    d: ResidentDetail,
    record: ServerAction<RecordCollection>,
    correct: ServerAction<CorrectPoints>,
    kinds: Resource<Result<Vec<WasteTypeView>, AppError>>,
) -> impl IntoView {
    let ResidentDetail {
        id,
        name,
        email,
        barangay,
        status,
        since,
        points,
        ledger,
        collections,
        redemptions,
        can_record,
    } = d;
    let status_class = match status {
        AccountStatus::Approved => "badge ok",
        AccountStatus::Pending => "badge wait",
        AccountStatus::Rejected | AccountStatus::Suspended => "badge off",
    };
    let forms = if !can_record {
        None
    } else if status == AccountStatus::Approved {
        Some(
            view! {
                <div class="cards two resident-forms">
                    <RecordForm resident_id=id record kinds />
                    <CorrectForm resident_id=id correct />
                </div>
            }
            .into_any(),
        )
    } else {
        Some(
            view! {
                <p class="notice">"Collections and corrections can be recorded for active residents only."</p>
            }
            .into_any(),
        )
    };
    view! {
        <Title text=name.clone() />
        <div class="page-head">
            <h1>{name}</h1>
        </div>
        <div class="resident-top">
            <section class="card" aria-labelledby="facts-heading">
                <h2 id="facts-heading">"Resident"</h2>
                <dl class="facts">
                    <dt>"Email"</dt><dd>{email}</dd>
                    <dt>"Barangay"</dt><dd>{barangay}</dd>
                    <dt>"Status"</dt><dd><span class=status_class>{status.label()}</span></dd>
                    <dt>"Since"</dt><dd>{since}</dd>
                </dl>
            </section>
            <div class="stat balance-stat">
                <span class="stat-value" data-testid="points-balance">{format_points(points)}</span>
                <span class="stat-label">"Points balance"</span>
            </div>
        </div>
        {forms}
        <Ledger resident_id=id ledger />
        <Collections collections />
        <Redemptions redemptions />
    }
}

/// An error about a field the form does not show (the hidden resident id).
fn hidden_field_error(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|e| e.for_field("resident_id"))
            .map(|m| view! { <p class="form-error" role="alert">{m}</p> })
    }
}

/// `aria-invalid` of a field: whether the last submission's error is its.
fn invalid(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> String {
    move || error.get().and_then(|e| e.for_field(field)).is_some().to_string()
}

/// The top of both forms of the page, inside their `ActionForm`: the
/// idempotency key, the notice once `action` went through (`success` of
/// what it returned), the errors and the resident.
#[component]
fn ResidentFormHead<S, N, NV>(
    action: ServerAction<S>,
    resident_id: i64,
    error: Signal<Option<AppError>>,
    success: N,
) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    N: Fn(S::Output) -> NV + Send + Sync + 'static,
    NV: IntoView + 'static,
{
    view! {
        <IdempotencyField action />
        {move || match action.value().get() {
            Some(Ok(output)) => Some(success(output)),
            _ => None,
        }}
        <FormError error />
        {hidden_field_error(error)}
        <input type="hidden" name="resident_id" value=resident_id />
    }
}

#[component]
fn RecordForm(
    resident_id: i64,
    record: ServerAction<RecordCollection>,
    kinds: Resource<Result<Vec<WasteTypeView>, AppError>>,
) -> impl IntoView {
    let error = submission_error(record.value());
    let success = |points| {
        view! { <p class="notice success" role="status">"Collection recorded: +" {format_points(points)} " points."</p> }
    };
    view! {
        <section class="card" aria-labelledby="record-heading">
            <h2 id="record-heading">"Record a collection"</h2>
            <ActionForm action=record node_ref=reset_on_success(record) attr:class="stack">
                <ResidentFormHead action=record resident_id error success />
                <div class="field">
                    <label for="waste_type_id">"Waste type"</label>
                    <select id="waste_type_id" name="waste_type_id" required aria-invalid=invalid(error, "waste_type_id")>
                        <option value="">"Choose a waste type"</option>
                        <Suspense>
                            {move || Suspend::new(async move {
                                kinds.await.unwrap_or_default().into_iter().filter(|k| k.active).map(|k| view! {
                                    <option value=k.id.to_string()>
                                        {format!("{} · {} points/kg", k.name, format_points(k.points_per_kg))}
                                    </option>
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    <FieldError error field="waste_type_id" />
                </div>
                <div class="field">
                    <label for="kg">"Weight (kg)"</label>
                    <input id="kg" name="kg" inputmode="decimal" autocomplete="off" required maxlength="12"
                        aria-describedby="kg-hint" aria-invalid=invalid(error, "kg") />
                    <p class="hint" id="kg-hint">"Up to two decimals, e.g. 12.35."</p>
                    <FieldError error field="kg" />
                </div>
                <button type="submit" class="primary" disabled=move || record.pending().get()>"Record collection"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn CorrectForm(resident_id: i64, correct: ServerAction<CorrectPoints>) -> impl IntoView {
    let error = submission_error(correct.value());
    let success = |balance| {
        view! { <p class="notice success" role="status">"Correction added. New balance: " {format_points(balance)} " points."</p> }
    };
    view! {
        <section class="card" aria-labelledby="correct-heading">
            <h2 id="correct-heading">"Correct points"</h2>
            <ActionForm action=correct node_ref=reset_on_success(correct) attr:class="stack">
                <ResidentFormHead action=correct resident_id error success />
                <div class="field">
                    <label for="delta">"Points (+/-)"</label>
                    <input id="delta" name="delta" autocomplete="off" required maxlength="8"
                        aria-describedby="delta-hint" aria-invalid=invalid(error, "delta") />
                    <p class="hint" id="delta-hint">"A whole number: 50 adds points, -20 takes them away."</p>
                    <FieldError error field="delta" />
                </div>
                <div class="field">
                    <label for="note">"Reason"</label>
                    <input id="note" name="note" autocomplete="off" required maxlength="200"
                        aria-invalid=invalid(error, "note") />
                    <FieldError error field="note" />
                </div>
                <button type="submit" disabled=move || correct.pending().get()>"Add correction"</button>
            </ActionForm>
        </section>
    }
}

fn signed(points: i64) -> String {
    if points > 0 {
        format!("+{}", format_points(points))
    } else {
        format_points(points)
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "collection" => "Collection",
        "redemption" => "Redemption",
        "refund" => "Refund",
        "correction" => "Correction",
        _ => "Other",
    }
}

#[component]
fn Ledger(resident_id: i64, ledger: Page<LedgerEntryView>) -> impl IntoView {
    let (current, pages) = (ledger.page, ledger.pages());
    let link = move |page: i64| href(&format!("/admin/users/{resident_id}"), &[("page", &page)]);
    view! {
        <Panel title="Points ledger" id="ledger-heading">
            {if ledger.items.is_empty() {
                let message = if current > 1 {
                    "No entries on this page."
                } else {
                    "No points yet: nothing has been recorded for this resident."
                };
                view! { <p class="empty">{message}</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=&[("Date", ""), ("Change", "num"), ("Kind", ""), ("Note", "")]>
                        {ledger.items.into_iter().map(|l| {
                            let class = if l.delta >= 0 { "num points-plus" } else { "num points-minus" };
                            view! {
                                <tr data-testid="ledger-row">
                                    <td data-label="Date">{l.at}</td>
                                    <td data-label="Change" class=class>{signed(l.delta)}</td>
                                    <td data-label="Kind">{kind_label(&l.kind)}</td>
                                    <td data-label="Note">{l.note}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
            <Pager current pages link label="Ledger pages" />
        </Panel>
    }
}

#[component]
fn Collections(collections: Vec<CollectionView>) -> impl IntoView {
    const COLUMNS: &[(&str, &str)] =
        &[("Date", ""), ("Waste", ""), ("Weight", "num"), ("Points", "num"), ("By", "")];
    view! {
        <Panel title="Recent collections" id="collections-heading">
            {if collections.is_empty() {
                view! { <p class="empty">"No collections recorded yet."</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=COLUMNS>
                        {collections.into_iter().map(|c| view! {
                            <tr>
                                <td data-label="Date">{c.recorded_at}</td>
                                <td data-label="Waste">{c.waste_type}</td>
                                <td data-label="Weight" class="num">{Weight(c.centikg).to_string()}</td>
                                <td data-label="Points" class="num points-plus">{signed(c.points)}</td>
                                <td data-label="By">{c.recorded_by}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
        </Panel>
    }
}

#[component]
fn Redemptions(redemptions: Vec<RedemptionView>) -> impl IntoView {
    view! {
        <Panel title="Redemptions" id="redemptions-heading">
            {if redemptions.is_empty() {
                view! { <p class="empty">"No rewards redeemed yet."</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=&[("Date", ""), ("Reward", ""), ("Points", "num"), ("Status", "")]>
                        {redemptions.into_iter().map(|r| view! {
                            <tr>
                                <td data-label="Date">{r.created_at}</td>
                                <td data-label="Reward">{r.reward}</td>
                                <td data-label="Points" class="num">{format_points(r.cost_points)}</td>
                                <td data-label="Status"><RedemptionBadge status=r.status /></td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
        </Panel>
    }
}
