//! Publishing the bound port to a file, for scripts that start the server.

use std::io;
use std::path::Path;

/// Writes `port` (digits only, no newline) to `path` atomically: a reader sees
/// either no file or the whole number.
pub fn write(path: &Path, port: u16) -> io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    std::fs::write(&temp, port.to_string())?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_just_the_number() {
        let path = std::env::temp_dir().join(format!("pf-port-file-{}", std::process::id()));
        write(&path, 4242).expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "4242");
        write(&path, 80).expect("overwrite");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "80");
        std::fs::remove_file(&path).expect("cleanup");
    }
}
