//! Ingestion: every source format becomes canonical resources.

pub mod arm;
pub mod bicep;
pub mod json;
pub mod json_inputs;
pub mod snapshot;
pub mod sniff;
pub mod terraform;

use std::path::Path;
use std::sync::Arc;

/// Files larger than this are reported, not read: no real IaC file comes close.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a text file, refusing what is too large, binary or not UTF-8.
pub fn read_text(path: &Path) -> Result<Arc<str>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MB, over the {} MB limit; not read",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    if let Some(pos) = bytes.iter().take(8192).position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at offset {pos}); not read"));
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map(Arc::from).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("not UTF-8 text (invalid byte at line {line}); not read")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_binary_and_invalid_utf8_and_strips_bom() {
        let dir = std::env::temp_dir().join(format!("moat-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("bin"), b"ab\0cd").unwrap();
        std::fs::write(dir.join("latin1"), b"ok\nbad \xe9\n").unwrap();
        std::fs::write(dir.join("bom"), b"\xEF\xBB\xBFx = 1").unwrap();
        assert!(read_text(&dir.join("bin")).unwrap_err().contains("binary"));
        assert!(read_text(&dir.join("latin1"))
            .unwrap_err()
            .contains("line 2"));
        assert_eq!(&*read_text(&dir.join("bom")).unwrap(), "x = 1");
        assert!(read_text(&dir.join("missing"))
            .unwrap_err()
            .contains("cannot read"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
