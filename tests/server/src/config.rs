//! Server configuration: which directories are mounted under which URL prefixes.

use std::path::{Path, PathBuf};

/// How the server behaves besides its fixed API routes.
#[derive(Debug, Clone)]
pub struct Config {
    /// Static directories; for a request path the mount with the longest matching prefix wins.
    pub mounts: Vec<Mount>,
    /// Whether connections stay open for further requests (default `true`).
    ///
    /// With `false` every response carries `Connection: close`, so each request gets a
    /// fresh connection. Chromium silently resends a request once when a *reused*
    /// connection closes without an answer, which turns `drop_first=1` into a success;
    /// on fresh connections a dropped request is reported as a network error.
    pub keep_alive: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            mounts: Vec::new(),
            keep_alive: true,
        }
    }
}

/// A directory served as static files under a URL prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// URL prefix without a trailing slash; the root mount `/` is stored as `""`.
    prefix: String,
    /// The directory whose files are served.
    dir: PathBuf,
}

impl Mount {
    /// Mounts `dir` under the URL `prefix` (which must start with `/`).
    ///
    /// Fails with a readable message if the prefix is malformed or `dir` is not a directory.
    pub fn new(prefix: &str, dir: impl Into<PathBuf>) -> Result<Self, String> {
        let dir = dir.into();
        if !prefix.starts_with('/') {
            return Err(format!("mount prefix `{prefix}` must start with `/`"));
        }
        if prefix.split('/').any(|segment| segment == "..") {
            return Err(format!("mount prefix `{prefix}` must not contain `..`"));
        }
        if !dir.is_dir() {
            return Err(format!(
                "mount directory `{}` does not exist or is not a directory",
                dir.display()
            ));
        }
        Ok(Self {
            prefix: prefix.trim_end_matches('/').to_owned(),
            dir,
        })
    }

    /// Parses the CLI form `PREFIX=DIR`, e.g. `/pkg=pkg`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (prefix, dir) = spec
            .split_once('=')
            .ok_or_else(|| format!("mount `{spec}` is not of the form PREFIX=DIR"))?;
        if dir.is_empty() {
            return Err(format!("mount `{spec}` names no directory"));
        }
        Self::new(prefix, dir)
    }

    /// The URL prefix, `/` for the root mount.
    pub fn prefix(&self) -> &str {
        if self.prefix.is_empty() {
            "/"
        } else {
            &self.prefix
        }
    }

    /// The served directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The part of `path` below this mount (starting with `/` or empty), if the mount covers it.
    pub(crate) fn strip<'p>(&self, path: &'p str) -> Option<&'p str> {
        let rest = path.strip_prefix(self.prefix.as_str())?;
        (rest.is_empty() || rest.starts_with('/')).then_some(rest)
    }

    /// How specific the mount is: longer prefixes win.
    pub(crate) fn specificity(&self) -> usize {
        self.prefix.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> PathBuf {
        std::env::temp_dir()
    }

    #[test]
    fn root_mount_covers_every_path() {
        let mount = Mount::new("/", tmp()).expect("mount");
        assert_eq!(mount.prefix(), "/");
        assert_eq!(mount.strip("/"), Some("/"));
        assert_eq!(mount.strip("/a/b.js"), Some("/a/b.js"));
    }

    #[test]
    fn prefix_mount_matches_whole_segments_only() {
        let mount = Mount::new("/pkg/", tmp()).expect("mount");
        assert_eq!(mount.prefix(), "/pkg");
        assert_eq!(mount.strip("/pkg"), Some(""));
        assert_eq!(mount.strip("/pkg/x.wasm"), Some("/x.wasm"));
        assert_eq!(mount.strip("/pkgx/x.wasm"), None);
    }

    #[test]
    fn parse_rejects_malformed_specs() {
        assert!(Mount::parse("pkg").is_err());
        assert!(Mount::parse("pkg=.").is_err());
        assert!(Mount::parse("/pkg=").is_err());
        assert!(Mount::parse("/a/../b=.").is_err());
        assert!(Mount::parse("/x=/definitely/not/a/dir").is_err());
        assert!(Mount::parse(&format!("/x={}", tmp().display())).is_ok());
    }
}
