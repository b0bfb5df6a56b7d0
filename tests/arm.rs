//! A realistic leaky Azure ML deployment in ARM (parameters and a parameter file,
//! variables with `copy`, resource and property copy loops, conditions, nested child
//! resources, a nested deployment, comments, multi-line strings): every headline violation
//! is reported at the right resource, and nothing else.

use std::collections::BTreeSet;
use std::path::Path;

use moat::engine::builtin_rules;
use moat::scan::{scan, LoadOptions};

#[test]
fn leaky_ml_deployment_findings_are_exactly_the_planted_ones() {
    let rules = builtin_rules().expect("built-in rules");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/arm/leaky-ml");
    let result = scan(
        &LoadOptions {
            paths: vec![dir],
            ..LoadOptions::default()
        },
        &rules,
    );
    assert!(
        result.loaded.diagnostics.is_empty(),
        "{:?}",
        result.loaded.diagnostics
    );
    let graph = &result.loaded.graph;
    let found: BTreeSet<(String, String, String)> = result
        .verdicts
        .findings
        .iter()
        .map(|f| {
            let r = graph.get(f.resource);
            (f.rule_id.clone(), r.kind.to_string(), r.name.clone())
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = [
        (
            "acr-public-access",
            "Microsoft.ContainerRegistry/registries",
            "crcontosoml",
        ),
        (
            "acr-sku-not-premium",
            "Microsoft.ContainerRegistry/registries",
            "crcontosoml",
        ),
        (
            "ml-uai-private-storage",
            "Microsoft.MachineLearningServices/workspaces",
            "mlw-contoso",
        ),
        (
            "nsg-open-inbound",
            "Microsoft.Network/networkSecurityGroups/securityRules",
            "nsg-contoso-ml/allow-rdp",
        ),
        (
            "nsg-open-inbound",
            "Microsoft.Network/networkSecurityGroups/securityRules",
            "nsg-contoso-ml/allow-ssh",
        ),
        (
            "private-endpoint-missing-dns",
            "Microsoft.Network/privateEndpoints",
            "pe-mlw",
        ),
        (
            "sql-public-access",
            "Microsoft.Sql/servers",
            "sql-contoso-features",
        ),
        (
            "storage-public-access",
            "Microsoft.Storage/storageAccounts",
            "stcontosolake",
        ),
        // A private workspace with no managed network and no compute in a subnet.
        (
            "ml-managed-network-outbound-open",
            "Microsoft.MachineLearningServices/workspaces",
            "mlw-contoso",
        ),
        // Omissions: the template leaves purge protection, shared key access and the
        // minimum TLS version to the API's defaults (off, allowed, TLS 1.0).
        (
            "ml-dependency-public",
            "Microsoft.ContainerRegistry/registries",
            "crcontosoml",
        ),
        (
            "keyvault-purge-protection",
            "Microsoft.KeyVault/vaults",
            "kv-contoso-ml",
        ),
        // The all-addresses firewall rule behind sql-public-access also keeps the public
        // endpoint at db-public-access's own severity.
        (
            "db-public-access",
            "Microsoft.Sql/servers",
            "sql-contoso-features",
        ),
        (
            "storage-min-tls",
            "Microsoft.Storage/storageAccounts",
            "stcontosolake",
        ),
        (
            "storage-min-tls",
            "Microsoft.Storage/storageAccounts",
            "stcontosoml",
        ),
        (
            "storage-shared-key",
            "Microsoft.Storage/storageAccounts",
            "stcontosolake",
        ),
        (
            "storage-shared-key",
            "Microsoft.Storage/storageAccounts",
            "stcontosoml",
        ),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    .collect();
    assert_eq!(found, expected);
}
