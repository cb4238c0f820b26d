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
