//! The names of the site's compiled files (style sheet, JS glue, wasm, the
//! split build's manifest) and the tags that load them, worked out once per
//! process.
//!
//! With `hash-files`, cargo-leptos puts each file's content hash in its
//! name and lists the hashes in `hash.txt` beside the server binary. Leptos
//! 0.8's `HydrationScripts` and leptos_meta's `HashedStylesheet` read that
//! file on every page (the executable's path, two `stat`s, an open and two
//! reads: about 3 % of a dashboard's server CPU under load); Leptos 0.9
//! reads it once, as this does.

use std::{collections::HashMap, path::PathBuf, sync::OnceLock};

use leptos::{prelude::*, WasmSplitManifest};

/// What the document's `<head>` names, read once.
pub struct SiteFiles {
    pub stylesheet: String,
    js: String,
    wasm: String,
    /// The split build's preloads for lazy routes (none in a build without
    /// `--split`).
    split: Option<WasmSplitManifest>,
}

impl SiteFiles {
    /// The files of this process's build.
    pub fn get(options: &LeptosOptions) -> &'static SiteFiles {
        static FILES: OnceLock<SiteFiles> = OnceLock::new();
        FILES.get_or_init(|| {
            let beside_binary = |file: &str| Some(std::env::current_exe().ok()?.parent()?.join(file));
            let hashes = beside_binary(&options.hash_file)
                .filter(|_| options.hash_files)
                .and_then(|path| std::fs::read_to_string(path).ok())
                .unwrap_or_default();
            Self::named(options, &hashes, |name| {
                let path =
                    PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref()).join(name);
                std::fs::read_to_string(path).ok()
            })
        })
    }

    /// The names `hashes` (the text of `hash.txt`, empty when the build
    /// did not hash) gives, with the split manifest read by `read_pkg_file`.
    fn named(options: &LeptosOptions, hashes: &str, read_pkg_file: impl Fn(&str) -> Option<String>) -> Self {
        let hash_of = |kind: &str| {
            hashes.lines().find_map(|line| {
                let (file, hash) = line.split_once(':')?;
                (file.trim() == kind).then(|| hash.trim())
            })
        };
        let pkg = format!("/{}", options.site_pkg_dir);
        let name = |kind: &str, prefix: &str, extension: &str| match hash_of(kind) {
            Some(hash) => format!("{prefix}.{hash}.{extension}"),
            None => format!("{prefix}.{extension}"),
        };
        let output = options.output_name.as_ref();
        // The manifest lists, per lazy route, the chunks it needs: the
        // router's server side writes them as preloads into the page.
        let split = read_pkg_file(&name("manifest", "__wasm_split_manifest", "json"))
            .and_then(|text| serde_json::from_str::<HashMap<String, Vec<String>>>(&text).ok())
            .map(|preloads| {
                let loader = match hash_of("split") {
                    Some(hash) => format!("__wasm_split.{hash}.js"),
                    None => "__wasm_split.______________________.js".to_owned(),
                };
                WasmSplitManifest(ArcStoredValue::new((pkg.clone(), preloads, loader)))
            });
        Self {
            stylesheet: format!("{pkg}/{}", name("css", output, "css")),
            js: format!("{pkg}/{}", name("js", output, "js")),
            wasm: format!("{pkg}/{}", name("wasm", output, "wasm")),
            split,
        }
    }

    /// The module that loads the wasm and hydrates the page.
    fn boot_script(&self) -> String {
        // serde_json writes a JS string literal; the names come from the
        // build, never from a request.
        let js = serde_json::to_string(&self.js).unwrap_or_default();
        let wasm = serde_json::to_string(&self.wasm).unwrap_or_default();
        format!("import({js}).then(m=>m.default({{module_or_path:{wasm}}}).then(()=>m.hydrate()));")
    }
}

/// The page's wasm, preloaded, and the module that hydrates with it: what
/// Leptos' `HydrationScripts` writes, from names worked out once.
#[component]
pub fn HydrationScripts(options: LeptosOptions) -> impl IntoView {
    let files = SiteFiles::get(&options);
    if let Some(split) = &files.split {
        provide_context(split.clone());
    }
    // `crossorigin` (anonymous): the mode the loader fetches them in, so
    // the preloaded copies are the ones it uses.
    view! {
        <link rel="modulepreload" href=files.js.as_str() crossorigin="" />
        <link rel="preload" href=files.wasm.as_str() r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=leptos::nonce::use_nonce()>{files.boot_script()}</script>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LeptosOptions {
        LeptosOptions::builder().output_name("eko").site_pkg_dir("pkg").build()
    }

    #[test]
    fn hashed_builds_name_each_file_by_its_own_hash() {
        let hashes = "js: aaa\nwasm: bbb\ncss: ccc\nmanifest: ddd\nsplit: eee\n";
        let asked = std::cell::RefCell::new(Vec::new());
        let files = SiteFiles::named(&options(), hashes, |name| {
            asked.borrow_mut().push(name.to_owned());
            Some(r#"{"resident_page":["chunk_1.wasm"]}"#.to_owned())
        });
        assert_eq!(files.stylesheet, "/pkg/eko.ccc.css");
        assert_eq!(files.js, "/pkg/eko.aaa.js");
        assert_eq!(files.wasm, "/pkg/eko.bbb.wasm");
        assert_eq!(asked.into_inner(), ["__wasm_split_manifest.ddd.json"]);
        let (pkg, preloads, loader) = files.split.as_ref().expect("a split build").0.get_value();
        assert_eq!((pkg.as_str(), loader.as_str()), ("/pkg", "__wasm_split.eee.js"));
        assert_eq!(preloads["resident_page"], ["chunk_1.wasm"]);
        assert_eq!(
            files.boot_script(),
            r#"import("/pkg/eko.aaa.js").then(m=>m.default({module_or_path:"/pkg/eko.bbb.wasm"}).then(()=>m.hydrate()));"#
        );
    }

    #[test]
    fn unhashed_builds_use_the_plain_names_and_may_have_no_manifest() {
        let files = SiteFiles::named(&options(), "", |_| None);
        assert_eq!(
            (files.stylesheet.as_str(), files.js.as_str(), files.wasm.as_str()),
            ("/pkg/eko.css", "/pkg/eko.js", "/pkg/eko.wasm")
        );
        assert!(files.split.is_none());
    }
}
