//! Format parity: one Azure ML deployment, written as Terraform, as an ARM template, as Bicep
//! and as an export of the live resources (`testdata/parity/aml/`), gives the same findings —
//! the same (rule id, resource type, resource name) — in every format, and exactly the expected
//! ones.
//!
//! Adding a format is one line in `RENDERINGS`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use moat::engine::{builtin_rules, Rule};
use moat::scan::{scan, LoadOptions, Scan};

/// Every rendering of the deployment: (format, folder under `testdata/parity/aml`).
const RENDERINGS: &[(&str, &str)] = &[
    ("terraform", "terraform"),
    ("arm", "arm"),
    ("snapshot", "snapshot"),
    ("bicep", "bicep"),
];

/// What every rendering must report. Beside each finding stands a compliant resource of the
/// same rule: storage `stamlparitypriv`, the endpoints of storage and registry, the NSG's
/// service-tag rule and its shadowed RDP rule, and the SQL server with a narrow firewall rule.
const EXPECTED: &[(&str, &str, &str)] = &[
    // Public database endpoints (the PostgreSQL one by default) and the endpoint subnet
    // without an NSG.
    (
        "db-public-access",
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "psql-aml-parity",
    ),
    (
        "db-public-access",
        "Microsoft.Sql/servers",
        "sql-aml-parity",
    ),
    (
        "subnet-no-nsg",
        "Microsoft.Network/virtualNetworks/subnets",
        "vnet-aml-parity/snet-pe",
    ),
    // Every rendering leaves shared key access to its default: allowed.
    (
        "storage-shared-key",
        "Microsoft.Storage/storageAccounts",
        "stamlparitypriv",
    ),
    (
        "storage-shared-key",
        "Microsoft.Storage/storageAccounts",
        "stamlparitypub",
    ),
    (
        "acr-public-access",
        "Microsoft.ContainerRegistry/registries",
        "cramlparity",
    ),
    (
        "acr-sku-not-premium",
        "Microsoft.ContainerRegistry/registries",
        "cramlparity",
    ),
    (
        "keyvault-public-access",
        "Microsoft.KeyVault/vaults",
        "kv-aml-parity",
    ),
    (
        "ml-uai-private-storage",
        "Microsoft.MachineLearningServices/workspaces",
        "mlw-aml-parity",
    ),
    (
        "ml-workspace-public-access",
        "Microsoft.MachineLearningServices/workspaces",
        "mlw-aml-parity",
    ),
    (
        "nsg-open-inbound",
        "Microsoft.Network/networkSecurityGroups/securityRules",
        "nsg-aml-training/Allow-SSH-Internet",
    ),
    (
        "postgres-public-access",
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "psql-aml-parity",
    ),
    (
        "private-endpoint-missing-dns",
        "Microsoft.Network/privateEndpoints",
        "pe-mlw-aml-parity",
    ),
    (
        "storage-public-access",
        "Microsoft.Storage/storageAccounts",
        "stamlparitypub",
    ),
];

type Key = (String, String, String);

fn rendering(folder: &str) -> PathBuf {
    Path::new("testdata/parity/aml").join(folder)
}

fn scan_rendering(folder: &str, rules: &[Rule]) -> Scan {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("cd to the crate");
    scan(
        &LoadOptions {
            paths: vec![rendering(folder)],
            ..LoadOptions::default()
        },
        rules,
    )
}

/// (rule id, resource type, resource name) of every finding.
fn finding_keys(scan: &Scan) -> BTreeSet<Key> {
    scan.verdicts
        .findings
        .iter()
        .map(|f| {
            let r = scan.loaded.graph.get(f.resource);
            (f.rule_id.clone(), r.kind.to_string(), r.name.clone())
        })
        .collect()
}

/// (rule id, resource type, resource name) of every verdict left undecided.
fn undecided_keys(scan: &Scan) -> BTreeSet<Key> {
    scan.verdicts
        .undecided
        .iter()
        .map(|u| {
            let r = scan.loaded.graph.get(u.resource);
            (u.rule_id.clone(), r.kind.to_string(), r.name.clone())
        })
        .collect()
}

fn expected() -> BTreeSet<Key> {
    EXPECTED
        .iter()
        .map(|(rule, kind, name)| ((*rule).into(), (*kind).into(), (*name).into()))
        .collect()
}

#[test]
fn every_rendering_reads_without_problems() {
    let rules = builtin_rules().expect("built-in rules");
    for (format, folder) in RENDERINGS {
        let result = scan_rendering(folder, &rules);
        let problems: Vec<String> = result
            .loaded
            .diagnostics
            .iter()
            .map(|d| format!("{:?} {}: {}", d.level, d.path.display(), d.message))
            .collect();
        assert!(
            problems.is_empty(),
            "{format}: input problems {problems:#?}"
        );
        assert!(
            result.loaded.graph.resources().len() > 20,
            "{format}: only {} resources read",
            result.loaded.graph.resources().len()
        );
        let undecided = undecided_keys(&result);
        assert!(
            undecided.is_empty(),
            "{format}: undecided verdicts {undecided:#?}"
        );
    }
}

#[test]
fn every_rendering_gives_the_expected_findings() {
    let rules = builtin_rules().expect("built-in rules");
    let expected = expected();
    let fired: BTreeSet<&str> = EXPECTED.iter().map(|(rule, _, _)| *rule).collect();
    assert!(fired.len() >= 8, "the deployment exercises too few rules");
    for (format, folder) in RENDERINGS {
        let found = finding_keys(&scan_rendering(folder, &rules));
        let missing: Vec<&Key> = expected.difference(&found).collect();
        let extra: Vec<&Key> = found.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{format}: missing {missing:#?}\nunexpected {extra:#?}"
        );
    }
}

#[test]
fn the_renderings_agree_with_each_other() {
    let rules = builtin_rules().expect("built-in rules");
    let results: Vec<(&str, BTreeSet<Key>)> = RENDERINGS
        .iter()
        .map(|(format, folder)| (*format, finding_keys(&scan_rendering(folder, &rules))))
        .collect();
    let (first, reference) = &results[0];
    for (format, found) in &results[1..] {
        assert_eq!(found, reference, "{format} disagrees with {first}");
    }
}

/// The resources the rules judge, as (type, name): a rendering that silently drops a
/// compliant resource (a copy loop cut short, a condition read as false) agrees on findings
/// but not here.
fn judged(scan: &Scan, rules: &[Rule]) -> BTreeSet<(String, String)> {
    scan.loaded
        .graph
        .resources()
        .iter()
        .filter(|r| {
            rules
                .iter()
                .any(|rule| rule.resources.iter().any(|k| r.is(k)))
        })
        .map(|r| (r.kind.to_string(), r.name.clone()))
        .collect()
}

#[test]
fn the_renderings_judge_the_same_resources() {
    let rules = builtin_rules().expect("built-in rules");
    let results: Vec<(&str, BTreeSet<(String, String)>)> = RENDERINGS
        .iter()
        .map(|(format, folder)| (*format, judged(&scan_rendering(folder, &rules), &rules)))
        .collect();
    let (first, reference) = &results[0];
    assert_eq!(reference.len(), 21, "{first}: {reference:#?}");
    for (format, found) in &results[1..] {
        assert_eq!(found, reference, "{format} disagrees with {first}");
    }
}
