//! The two blocks most pages are made of: a titled panel and a table.

use leptos::{
    either::{Either, EitherOf3},
    prelude::*,
};

/// `<section class="panel …">` with its `<h2>` (labelling the section when
/// it has an `id`), and `tools` beside the heading in a `panel-head` row.
#[component]
pub fn Panel(
    title: &'static str,
    /// The heading's id, which labels the section.
    #[prop(optional)]
    id: Option<&'static str>,
    /// Classes after `panel`.
    #[prop(optional)]
    class: Option<&'static str>,
    /// Beside the heading: filter chips, a count, a link.
    #[prop(optional, into)]
    tools: Option<ViewFnOnce>,
    children: Children,
) -> impl IntoView {
    let class = class.map_or_else(|| "panel".to_owned(), |more| format!("panel {more}"));
    let head = match tools {
        Some(tools) => Either::Left(view! {
            <div class="panel-head">
                <h2 id=id>{title}</h2>
                {tools.run()}
            </div>
        }),
        None => Either::Right(view! { <h2 id=id>{title}</h2> }),
    };
    view! {
        <section class=class aria-labelledby=id>
            {head}
            {children()}
        </section>
    }
}

/// A column of a [`DataTable`]: its heading and the heading cell's class
/// (`""` for none, `"num"` for figures, `"actions"` for buttons).
pub type Column = (&'static str, &'static str);

/// A table in its scrolling wrapper: the column headings, then the rows
/// (`children`).
#[component]
pub fn DataTable(
    columns: &'static [Column],
    /// The table's classes.
    #[prop(default = "table")]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class=class>
                <thead>
                    <tr>
                        {columns.iter().map(heading_cell).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// A column's `<th>`, with no `class` attribute where it has none.
fn heading_cell(&(heading, class): &Column) -> impl IntoView {
    match (heading.is_empty(), class.is_empty()) {
        (false, true) => EitherOf3::A(view! { <th>{heading}</th> }),
        (false, false) => EitherOf3::B(view! { <th class=class>{heading}</th> }),
        (true, _) => EitherOf3::C(view! { <th class=class></th> }),
    }
}
