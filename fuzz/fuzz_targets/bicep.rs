//! Feeds arbitrary UTF-8 to the Bicep parser and lowering (as a `.bicep` file that calls
//! an in-memory module, and as a `.bicepparam` file using it): nothing may panic, overflow
//! the stack or run away.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use moat::ingest::bicep::{self, workspace};
use moat::model::Sources;

/// A module the fuzzed file may call as `'m.bicep'`.
const MODULE: &str = "param p object = {}\nparam n string = 'x'\nresource r 'A.B/c@1' = [for (x, i) in range(0, 3): {\n  name: '${n}${i}'\n  properties: p\n}]\noutput o object = { id: r[0].id, all: p }\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for root in ["fuzz/main.bicep", "fuzz/main.bicepparam"] {
        let read = |path: &Path| -> Result<Arc<str>, String> {
            match path.to_str() {
                Some(p) if p == root => Ok(Arc::from(text)),
                Some("fuzz/m.bicep") => Ok(Arc::from(MODULE)),
                Some("fuzz/main.bicep") => Ok(Arc::from(text)),
                _ => Err("not in the fuzz file system".to_owned()),
            }
        };
        let mut sources = Sources::default();
        let mut diagnostics = Vec::new();
        let ws = workspace::load_with(
            &[PathBuf::from(root)],
            &mut sources,
            &mut diagnostics,
            &read,
        );
        let _ = bicep::ingest(&ws);
    }
});
