//! Minifies the widget's stylesheet (src/styles/widget.css) with lightningcss into
//! `$OUT_DIR/widget.min.css`, which src/mount.rs compiles into the wasm: every embed downloads
//! it, and its comments and layout are bytes nobody reads. A stylesheet lightningcss cannot
//! parse fails the build (no error recovery: nothing is dropped silently).

use std::env;
use std::fs;
use std::path::Path;

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};

const SOURCE: &str = "src/styles/widget.css";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(error) = write_minified() {
        println!("cargo:warning={error}");
        std::process::exit(1);
    }
}

fn write_minified() -> Result<(), String> {
    let css =
        fs::read_to_string(SOURCE).map_err(|error| format!("cannot read {SOURCE}: {error}"))?;
    let mut sheet = StyleSheet::parse(&css, ParserOptions::default())
        .map_err(|error| format!("{SOURCE}: {error}"))?;
    sheet
        .minify(MinifyOptions::default())
        .map_err(|error| format!("{SOURCE}: {error}"))?;
    let minified = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(|error| format!("{SOURCE}: {error}"))?;
    let out_dir = env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let target = Path::new(&out_dir).join("widget.min.css");
    fs::write(&target, minified.code)
        .map_err(|error| format!("cannot write {}: {error}", target.display()))
}
