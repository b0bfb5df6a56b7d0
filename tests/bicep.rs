//! A realistic leaky Azure ML deployment in Bicep (a `.bicepparam` file, indexed resource
//! and property loops, conditions, `parent`, nested children, `existing`, interpolated names
//! and object keys, resource collections referenced by index, a local module): every
//! headline violation is reported at the right resource and line, nothing else, and the
//! same deployment in ARM (testdata/arm/leaky-ml) gives the same verdicts.

use std::collections::BTreeSet;
use std::path::Path;

use moat::engine::builtin_rules;
use moat::scan::{scan, LoadOptions, Scan};

fn scan_dir(relative: &str) -> Scan {
    let rules = builtin_rules().expect("built-in rules");
    let result = scan(
        &LoadOptions {
            paths: vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)],
            ..LoadOptions::default()
        },
        &rules,
    );
    assert!(
        result.loaded.diagnostics.is_empty(),
        "{:?}",
        result.loaded.diagnostics
    );
    result
}

/// (rule, resource type, resource name, line) of every finding.
fn findings(result: &Scan) -> BTreeSet<(String, String, String, usize)> {
    let graph = &result.loaded.graph;
    result
        .verdicts
        .findings
        .iter()
        .map(|f| {
            let r = graph.get(f.resource);
            let line = result
                .loaded
                .sources
                .get(f.span.file)
                .line_col(f.span.start)
                .line;
            (f.rule_id.clone(), r.kind.to_string(), r.name.clone(), line)
        })
        .collect()
}

#[test]
fn leaky_ml_deployment_findings_are_exactly_the_planted_ones() {
    let found = findings(&scan_dir("testdata/bicep/leaky-ml"));
    let expected: BTreeSet<(String, String, String, usize)> = [
        // A Basic registry cannot be firewalled: the finding points at its SKU.
        (
            "acr-public-access",
            "Microsoft.ContainerRegistry/registries",
            "crcontosoml",
            170,
        ),
        (
            "acr-sku-not-premium",
            "Microsoft.ContainerRegistry/registries",
            "crcontosoml",
            170,
        ),
        (
            "ml-uai-private-storage",
            "Microsoft.MachineLearningServices/workspaces",
            "mlw-contoso",
            181,
        ),
        (
            "nsg-open-inbound",
            "Microsoft.Network/networkSecurityGroups/securityRules",
            "nsg-contoso-ml/allow-rdp",
            96,
        ),
        (
            "nsg-open-inbound",
            "Microsoft.Network/networkSecurityGroups/securityRules",
            "nsg-contoso-ml/allow-ssh",
            96,
        ),
        (
            "private-endpoint-missing-dns",
            "Microsoft.Network/privateEndpoints",
            "pe-mlw",
            248,
        ),
        (
            "sql-public-access",
            "Microsoft.Sql/servers",
            "sql-contoso-features",
            270,
        ),
        (
            "storage-public-access",
            "Microsoft.Storage/storageAccounts",
            "stcontosolake",
            146,
        ),
        // A private workspace with no managed network and no compute in a subnet.
        (
            "ml-managed-network-outbound-open",
            "Microsoft.MachineLearningServices/workspaces",
            "mlw-contoso",
            177,
        ),
        // Omissions: purge protection, shared key access and minimum TLS left to the
        // API's defaults (off, allowed, TLS 1.0).
        (
            "ml-dependency-public",
            "Microsoft.ContainerRegistry/registries",
            "crcontosoml",
            166,
        ),
        (
            "keyvault-purge-protection",
            "Microsoft.KeyVault/vaults",
            "kv-contoso-ml",
            4,
        ),
        // db-public-access: public endpoint with an all-addresses firewall rule.
        (
            "db-public-access",
            "Microsoft.Sql/servers",
            "sql-contoso-features",
            257,
        ),
        (
            "storage-min-tls",
            "Microsoft.Storage/storageAccounts",
            "stcontosolake",
            146,
        ),
        (
            "storage-min-tls",
            "Microsoft.Storage/storageAccounts",
            "stcontosoml",
            129,
        ),
        (
            "storage-shared-key",
            "Microsoft.Storage/storageAccounts",
            "stcontosolake",
            146,
        ),
        (
            "storage-shared-key",
            "Microsoft.Storage/storageAccounts",
            "stcontosoml",
            129,
        ),
    ]
    .into_iter()
    .map(|(a, b, c, l)| (a.to_owned(), b.to_owned(), c.to_owned(), l))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn bicep_and_arm_deployments_give_the_same_verdicts() {
    let without_line = |s: BTreeSet<(String, String, String, usize)>| -> BTreeSet<_> {
        s.into_iter().map(|(a, b, c, _)| (a, b, c)).collect()
    };
    let bicep = scan_dir("testdata/bicep/leaky-ml");
    let arm = scan_dir("testdata/arm/leaky-ml");
    assert_eq!(without_line(findings(&bicep)), without_line(findings(&arm)));
    let resources = |s: &Scan| -> BTreeSet<(String, String)> {
        s.loaded
            .graph
            .resources()
            .iter()
            .map(|r| (r.kind.to_string(), r.name.clone()))
            .collect()
    };
    assert_eq!(resources(&bicep), resources(&arm));
}
