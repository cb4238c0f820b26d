//! Checks of the size rules that a compiler cannot check (bench/analysis.md, "Size rules").
#![cfg(not(target_arch = "wasm32"))]

/// Computed classes are set as `~className={..}`: a non-literal `class={..}` (or `classes!`)
/// brings yew's `Classes` back into the wasm.
#[test]
fn no_component_gives_yew_a_computed_class() {
    let sources = [
        ("app.rs", include_str!("../src/components/app.rs")),
        ("avatar.rs", include_str!("../src/components/avatar.rs")),
        ("filters.rs", include_str!("../src/components/filters.rs")),
        (
            "pagination.rs",
            include_str!("../src/components/pagination.rs"),
        ),
        ("periods.rs", include_str!("../src/components/periods.rs")),
        (
            "profile_dialog.rs",
            include_str!("../src/components/profile_dialog.rs"),
        ),
        ("search.rs", include_str!("../src/components/search.rs")),
        ("states.rs", include_str!("../src/components/states.rs")),
        ("table.rs", include_str!("../src/components/table.rs")),
    ];
    for (file, source) in sources {
        for (number, line) in source.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            assert!(
                !code.contains("class={")
                    && !code.contains(" {class}")
                    && !code.contains("classes!"),
                "src/components/{file}:{}: use ~className={{..}} for a computed class",
                number + 1
            );
        }
    }
}

/// Server-only crates stay out of the widget's wasm build: the model's OpenAPI schemas
/// (`utoipa`, its `openapi` feature: feature unification would turn them on if the widget
/// ever depended on a crate that enables the feature) and the board page server's number
/// grouping (ICU4X's `icu_*` crates with their CLDR data, a host-only dependency: the
/// browser's own `Intl` formats in the wasm).
#[test]
fn the_wasm_build_does_not_pull_server_only_crates() {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--quiet",
            "--offline",
            "-p",
            "space-leaderboard",
            "--target",
            "wasm32-unknown-unknown",
            "--edges",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(tree.contains("leaderboard-model"), "{tree}");
    for server_only in ["utoipa", "icu_"] {
        assert!(
            !tree.lines().any(|line| line.starts_with(server_only)),
            "the widget's wasm build pulls {server_only}:\n{tree}"
        );
    }
}
