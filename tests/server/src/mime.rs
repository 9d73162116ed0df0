//! Content types of static files.

use std::path::Path;

/// The `Content-Type` for a file, from its extension.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|ext| ext.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ts" => "text/typescript; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_extensions() {
        let ct = |name: &str| content_type(Path::new(name));
        assert_eq!(ct("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            ct("pkg/parallel_fetch.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(ct("a.mjs"), "text/javascript; charset=utf-8");
        assert_eq!(ct("parallel_fetch_bg.wasm"), "application/wasm");
        assert_eq!(ct("APP.CSS"), "text/css; charset=utf-8");
        assert_eq!(ct("package.json"), "application/json");
        assert_eq!(ct("a.js.map"), "application/json");
        assert_eq!(ct("logo.svg"), "image/svg+xml");
        assert_eq!(ct("logo.png"), "image/png");
        assert_eq!(ct("parallel_fetch.d.ts"), "text/typescript; charset=utf-8");
        assert_eq!(ct("README"), "application/octet-stream");
    }
}
