//! Feeds arbitrary UTF-8 to the JSON dispatcher, in memory: as an ARM template beside a
//! parameter file, and as a live export. Parsing, recognition, template evaluation and
//! export reading may not panic, overflow the stack or run away.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use moat::ingest::json_inputs;
use moat::model::Sources;

/// A parameter file the fuzzed template picks up as its companion.
const PARAMETERS: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {"name": {"value": "x"}, "list": {"value": [1, 2]}}}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["fuzz/azuredeploy.json", "fuzz/export.json"] {
        let mut sources = Sources::default();
        let file = sources.add(PathBuf::from(name), text.into());
        let parameters = sources.add(
            PathBuf::from("fuzz/azuredeploy.parameters.json"),
            PARAMETERS.into(),
        );
        let _ = json_inputs::ingest(&[file, parameters], &[], &[], &sources);
    }
});
