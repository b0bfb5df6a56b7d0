//! Linear time: parses and lowers generated Bicep files of 1 MB and 5 MB.
//! Run with `cargo test --release --test bicep_perf -- --ignored --nocapture`.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use moat::ingest::bicep::{self, workspace};
use moat::model::Sources;

/// One block of varied declarations; `i` keeps names unique.
fn block(out: &mut String, i: usize) {
    let _ = write!(
        out,
        "@description('Parameter {i}')
@allowed([
  'a'
  'b'
])
param p{i} string = 'a'

var v{i} = {{
  name: 'st${{p{i}}}{i}'
  tags: union(tags, {{ index: '{i}' }})
  list: [for j in range(0, 3): {{
    id: j * {i} + 1
    enabled: j % 2 == 0 && !empty(p{i}) ? true : false
  }}]
}}

resource st{i} 'Microsoft.Storage/storageAccounts@2023-01-01' = if (deploy) {{
  name: v{i}.name
  location: resourceGroup().location
  sku: {{
    name: 'Standard_LRS'
  }}
  properties: {{
    minimumTlsVersion: 'TLS1_2'
    networkAcls: {{
      defaultAction: 'Deny'
      ipRules: [for ip in ips: {{
        value: ip
      }}]
    }}
  }}
  resource blob 'blobServices' = {{
    name: 'default'
  }}
}}

module m{i} './mod.bicep' = [for (x, k) in items: {{
  name: 'm{i}-${{k}}'
  params: {{
    value: x.?value ?? st{i}::blob.id
  }}
}}]

output o{i} string = st{i}.id
output q{i} object = {{
  a: st{i}.properties.primaryEndpoints.blob
}}

"
    );
}

fn generate(target_bytes: usize) -> String {
    let mut src = String::from(
        "param deploy bool = true\nvar tags = { team: 'x' }\nvar ips = ['10.0.0.1', '10.0.0.2']\nvar items = [{ value: 'a' }, {}]\n\n",
    );
    let mut i = 0;
    while src.len() < target_bytes {
        block(&mut src, i);
        i += 1;
    }
    src
}

const MODULE: &str = "param value string\nresource c 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {\n  name: 'x/default/${uniqueString(value)}'\n}\n";

/// Parses and lowers `text` as `main.bicep`; returns seconds and the resource count.
fn time_lowering(text: &str) -> (f64, usize) {
    let text: Arc<str> = Arc::from(text);
    let read = |path: &Path| -> Result<Arc<str>, String> {
        match path.to_str() {
            Some("main.bicep") => Ok(text.clone()),
            Some("mod.bicep") => Ok(Arc::from(MODULE)),
            _ => Err("missing".to_owned()),
        }
    };
    let start = Instant::now();
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let ws = workspace::load_with(
        &[PathBuf::from("main.bicep")],
        &mut sources,
        &mut diagnostics,
        &read,
    );
    let (resources, more) = bicep::ingest(&ws);
    let elapsed = start.elapsed().as_secs_f64();
    assert!(
        diagnostics.is_empty() && more.is_empty(),
        "{diagnostics:?} {more:?}"
    );
    (elapsed, resources.len())
}

#[test]
#[ignore]
fn five_megabytes_parse_and_lower_in_linear_time() {
    let small = generate(1 << 20);
    let large = generate(5 << 20);
    let (t_small, n_small) = time_lowering(&small);
    let (t_large, n_large) = time_lowering(&large);
    println!(
        "1 MB: {:.0} ms ({n_small} resources); 5 MB ({} bytes): {:.0} ms ({n_large} resources); ratio {:.2}",
        t_small * 1e3,
        large.len(),
        t_large * 1e3,
        t_large / t_small
    );
    assert!(n_large > 4 * n_small);
    // 5x the input must not cost more than 2x the linear expectation.
    assert!(t_large < t_small * 10.0 + 0.05);
}
