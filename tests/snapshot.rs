//! Live snapshots end to end, through the snapshot reader's API: every rule's
//! `fail-snapshot*` / `pass-snapshot*` fixtures (a file, or a folder of export files that
//! form one snapshot) and a realistic exported subscription.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use moat::diagnostic::Diagnostic;
use moat::engine::{builtin_rules, check, Finding, Rule};
use moat::ingest::{json, read_text, snapshot};
use moat::model::{Graph, Sources};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// One snapshot: the files read, the graph over every resource in them, and the problems.
struct Snapshot {
    sources: Sources,
    graph: Graph,
    diagnostics: Vec<Diagnostic>,
}

/// Reads an export file, or every `.json` file of a folder, as one snapshot.
fn load(path: &Path) -> Snapshot {
    let mut files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .expect("fixture folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    let mut sources = Sources::default();
    let mut resources = Vec::new();
    let mut diagnostics = Vec::new();
    for file in files {
        let text = read_text(&file).expect("readable fixture");
        let id = sources.add(file.clone(), text);
        let doc = json::parse(&sources, id).expect("valid JSON");
        assert!(
            snapshot::recognise(&doc.value),
            "{} is not recognised",
            file.display()
        );
        let (r, d) = snapshot::ingest(&doc, id, &sources);
        resources.extend(r);
        diagnostics.extend(d);
    }
    Snapshot {
        sources,
        graph: Graph::new(resources),
        diagnostics,
    }
}

fn findings(snapshot: &Snapshot, rules: &[Rule]) -> Vec<Finding> {
    check(&snapshot.graph, rules).findings
}

/// (file name, line) of a finding.
fn location(snapshot: &Snapshot, finding: &Finding) -> (String, usize) {
    let file = snapshot.sources.get(finding.span.file);
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (name, file.line_col(finding.span.start).line)
}

/// Every fail fixture and where its finding must point: (fixture, file, line).
/// Omissions (the key vault's) point at the resource's `"id"` line.
const FAILS: &[(&str, &str, usize)] = &[
    (
        "hardcoded-secret/fail-snapshot.json",
        "fail-snapshot.json",
        8,
    ),
    (
        "vnet-custom-dns-no-private-resolution/fail-snapshot.json",
        "fail-snapshot.json",
        23,
    ),
    ("vm-public-ip/fail-snapshot.json", "fail-snapshot.json", 30),
    ("subnet-no-nsg/fail-snapshot.json", "fail-snapshot.json", 15),
    (
        "private-dns-zone-unlinked/fail-snapshot.json",
        "fail-snapshot.json",
        69,
    ),
    (
        "nsg-open-outbound-internet/fail-snapshot.json",
        "fail-snapshot.json",
        67,
    ),
    (
        "nsg-broad-inbound-source/fail-snapshot.json",
        "fail-snapshot.json",
        17,
    ),
    (
        "db-public-access/fail-snapshot.json",
        "fail-snapshot.json",
        10,
    ),
    (
        "acr-data-endpoint/fail-snapshot.json",
        "fail-snapshot.json",
        11,
    ),
    (
        "storage-trusted-services/fail-snapshot.json",
        "fail-snapshot.json",
        14,
    ),
    (
        "keyvault-trusted-services/fail-snapshot.json",
        "fail-snapshot.json",
        18,
    ),
    (
        "acr-trusted-services/fail-snapshot.json",
        "fail-snapshot.json",
        12,
    ),
    (
        "private-endpoint-missing-for-dependency/fail-snapshot.json",
        "fail-snapshot.json",
        5,
    ),
    (
        "ml-dependency-public/fail-snapshot.json",
        "fail-snapshot.json",
        40,
    ),
    (
        "vpn-gateway-basic-sku/fail-snapshot.json",
        "fail-snapshot.json",
        14,
    ),
    (
        "private-endpoint-manual-approval/fail-snapshot.json",
        "fail-snapshot.json",
        13,
    ),
    (
        "db-allow-azure-services/fail-snapshot-split",
        "sql-firewall-rules.json",
        7,
    ),
    (
        "ml-compute-ssh-public/fail-snapshot.json",
        "fail-snapshot.json",
        16,
    ),
    (
        "ml-compute-public-ip/fail-snapshot.json",
        "fail-snapshot.json",
        15,
    ),
    (
        "ml-compute-local-auth/fail-snapshot.json",
        "fail-snapshot.json",
        11,
    ),
    (
        "storage-shared-key/fail-snapshot.json",
        "fail-snapshot.json",
        11,
    ),
    (
        "storage-min-tls/fail-snapshot.json",
        "fail-snapshot.json",
        12,
    ),
    (
        "storage-blob-anonymous-access/fail-snapshot.json",
        "fail-snapshot.json",
        10,
    ),
    (
        "keyvault-purge-protection/fail-snapshot.json",
        "fail-snapshot.json",
        19,
    ),
    (
        "acr-anonymous-pull/fail-snapshot.json",
        "fail-snapshot.json",
        10,
    ),
    ("acr-admin-user/fail-snapshot.json", "fail-snapshot.json", 9),
    (
        "acr-public-access/fail-snapshot.json",
        "fail-snapshot.json",
        46,
    ),
    (
        "acr-sku-not-premium/fail-snapshot.json",
        "fail-snapshot.json",
        98,
    ),
    (
        "keyvault-public-access/fail-snapshot.json",
        "fail-snapshot.json",
        5,
    ),
    (
        "ml-uai-private-storage/fail-snapshot.json",
        "fail-snapshot.json",
        102,
    ),
    (
        "ml-workspace-public-access/fail-snapshot.json",
        "fail-snapshot.json",
        29,
    ),
    ("nsg-open-inbound/fail-snapshot-split", "nsg-rules.json", 56),
    (
        "nsg-open-inbound/fail-snapshot-rdp-udp.json",
        "fail-snapshot-rdp-udp.json",
        21,
    ),
    (
        "private-endpoint-missing-dns/fail-snapshot-split",
        "pe-dns-zone-groups.json",
        6,
    ),
    (
        "postgres-public-access/fail-snapshot-split",
        "pg-firewall-rules.json",
        12,
    ),
    (
        "sql-public-access/fail-snapshot-split",
        "sql-firewall-rules.json",
        3,
    ),
    (
        "storage-public-access/fail-snapshot.json",
        "fail-snapshot.json",
        77,
    ),
    (
        "ml-workspace-no-private-endpoint/fail-snapshot.json",
        "fail-snapshot.json",
        44,
    ),
    (
        "ml-workspace-no-private-endpoint/fail-unreachable-snapshot.json",
        "fail-unreachable-snapshot.json",
        107,
    ),
    (
        "ml-managed-network-outbound-open/fail-snapshot.json",
        "fail-snapshot.json",
        17,
    ),
    (
        "ml-managed-network-missing-outbound-pe/fail-snapshot.json",
        "fail-snapshot.json",
        41,
    ),
    (
        "ml-compute-no-vnet/fail-snapshot.json",
        "fail-snapshot.json",
        22,
    ),
    (
        "ml-image-build-compute-missing/fail-snapshot.json",
        "fail-snapshot.json",
        20,
    ),
    (
        "appinsights-public-ingestion/fail-snapshot.json",
        "fail-snapshot.json",
        5,
    ),
    (
        "ai-service-public/fail-snapshot.json",
        "fail-snapshot.json",
        22,
    ),
    (
        "aks-not-private/fail-snapshot.json",
        "fail-snapshot.json",
        5,
    ),
];

#[test]
fn rule_fixtures_fail_at_the_right_line_and_pass_clean() {
    let rules = builtin_rules().expect("built-in rules");
    let mut seen_fail = BTreeSet::new();
    let mut seen_pass = BTreeSet::new();
    for rule in &rules {
        let dir = testdata().join("rules").join(&rule.id);
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let fixture = format!("{}/{name}", rule.id);
            if !name.contains("-snapshot") || name.ends_with(".snap") {
                continue;
            }
            let snapshot = load(&path);
            assert!(
                snapshot.diagnostics.is_empty(),
                "{fixture}: {:?}",
                snapshot.diagnostics
            );
            let found: Vec<Finding> = findings(&snapshot, &rules)
                .into_iter()
                .filter(|f| f.rule_id == rule.id)
                .collect();
            let where_: Vec<(String, usize)> =
                found.iter().map(|f| location(&snapshot, f)).collect();
            if name.starts_with("pass") {
                assert!(found.is_empty(), "{fixture}: unexpected {where_:?}");
                seen_pass.insert(rule.id.clone());
            } else {
                let (_, file, line) = FAILS
                    .iter()
                    .find(|(f, _, _)| *f == fixture)
                    .unwrap_or_else(|| panic!("{fixture}: add it to FAILS; found {where_:?}"));
                assert!(
                    where_.contains(&((*file).to_owned(), *line)),
                    "{fixture}: expected a finding at {file}:{line}, got {where_:?}"
                );
                seen_fail.insert(rule.id.clone());
            }
        }
    }
    for rule in &rules {
        assert!(
            seen_fail.contains(&rule.id),
            "{}: no fail-snapshot fixture",
            rule.id
        );
        assert!(
            seen_pass.contains(&rule.id),
            "{}: no pass-snapshot fixture",
            rule.id
        );
    }
}

#[test]
fn leaky_subscription_reports_every_mistake_and_nothing_else() {
    let rules = builtin_rules().expect("built-in rules");
    let snapshot = load(&testdata().join("snapshot/leaky-subscription"));
    assert!(
        snapshot.diagnostics.is_empty(),
        "{:?}",
        snapshot.diagnostics
    );
    let found: BTreeSet<(String, String, String)> = findings(&snapshot, &rules)
        .iter()
        .map(|f| {
            let r = snapshot.graph.get(f.resource);
            (f.rule_id.clone(), r.kind.to_string(), r.name.clone())
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = [
        (
            "acr-public-access",
            "Microsoft.ContainerRegistry/registries",
            "crmlwprodweu",
        ),
        (
            "appinsights-public-ingestion",
            "Microsoft.Insights/components",
            "appi-mlw-prod-weu",
        ),
        (
            "db-allow-azure-services",
            "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
            "psql-mlw-featurestore/AllowAllAzureServicesAndResourcesWithinAzureIps_2024-5-14_10-2-33",
        ),
        (
            "keyvault-public-access",
            "Microsoft.KeyVault/vaults",
            "kv-mlw-prod-weu",
        ),
        (
            "ml-dependency-public",
            "Microsoft.ContainerRegistry/registries",
            "crmlwprodweu",
        ),
        (
            "ml-dependency-public",
            "Microsoft.Insights/components",
            "appi-mlw-prod-weu",
        ),
        (
            "ml-dependency-public",
            "Microsoft.KeyVault/vaults",
            "kv-mlw-prod-weu",
        ),
        (
            "ml-uai-private-storage",
            "Microsoft.MachineLearningServices/workspaces",
            "mlw-prod-weu",
        ),
        (
            "nsg-open-inbound",
            "Microsoft.Network/networkSecurityGroups/securityRules",
            "nsg-snet-training/Allow-RDP-Debug",
        ),
        (
            "postgres-public-access",
            "Microsoft.DBforPostgreSQL/flexibleServers",
            "psql-mlw-featurestore",
        ),
        (
            "private-endpoint-missing-dns",
            "Microsoft.Network/privateEndpoints",
            "pe-mlw-prod-weu",
        ),
        (
            "private-endpoint-missing-dns",
            "Microsoft.Network/privateEndpoints",
            "pe-stmlwprodweu001-file",
        ),
        // The network rules of #10 on the same export: the feature store's public endpoint,
        // the training subnet's open outbound, the workspace zone linked to no client
        // network, the endpoint subnet without an NSG.
        (
            "db-public-access",
            "Microsoft.DBforPostgreSQL/flexibleServers",
            "psql-mlw-featurestore",
        ),
        (
            "nsg-open-outbound-internet",
            "Microsoft.Network/virtualNetworks/subnets",
            "vnet-mlw-prod-weu/snet-training",
        ),
        (
            "private-dns-zone-unlinked",
            "Microsoft.Network/privateEndpoints",
            "pe-mlw-prod-weu",
        ),
        (
            "subnet-no-nsg",
            "Microsoft.Network/virtualNetworks/subnets",
            "vnet-mlw-prod-weu/snet-private-endpoints",
        ),
    ]
    .iter()
    .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn leaky_subscription_children_attach_to_their_parents() {
    let snapshot = load(&testdata().join("snapshot/leaky-subscription"));
    let graph = &snapshot.graph;
    let find = |kind: &str, name: &str| {
        graph
            .of_type(kind)
            .iter()
            .copied()
            .find(|&i| graph.get(i).name == name)
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    };
    let pe = find("Microsoft.Network/privateEndpoints", "pe-mlw-prod-weu");
    let group = find(
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        "pe-mlw-prod-weu/default",
    );
    assert_eq!(graph.parent(group), Some(pe));
    let nsg = find(
        "Microsoft.Network/networkSecurityGroups",
        "nsg-snet-training",
    );
    let json = graph.get(nsg).body.json();
    let rules = json
        .pointer("/properties/securityRules")
        .and_then(|r| r.as_array())
        .map_or(0, Vec::len);
    assert_eq!(rules, 4, "inline and dumped rules merge by id");
    let rule = find(
        "Microsoft.Network/networkSecurityGroups/securityRules",
        "nsg-snet-training/Allow-RDP-Debug",
    );
    assert_eq!(graph.parent(rule), Some(nsg));
    let zone = find(
        "Microsoft.Network/privateDnsZones",
        "privatelink.api.azureml.ms",
    );
    assert_eq!(graph.children(zone).len(), 1, "one virtual network link");
    let ws = graph.get(find(
        "Microsoft.MachineLearningServices/workspaces",
        "mlw-prod-weu",
    ));
    assert_eq!(
        ws.body.json()["type"],
        "Microsoft.MachineLearningServices/workspaces"
    );
    assert_eq!(ws.origin.address, ws.id);
    assert_eq!(
        ws.body.json()["properties"]["provisioningState"],
        "Succeeded"
    );
}

#[test]
fn resources_listed_without_properties_are_undecided_with_one_warning() {
    let rules = builtin_rules().expect("built-in rules");
    let snapshot = load(&testdata().join("snapshot/resource-list"));
    let [warning] = snapshot.diagnostics.as_slice() else {
        panic!("one warning expected, got {:?}", snapshot.diagnostics)
    };
    assert!(warning.path.ends_with("az-resource-list.json"));
    assert!(
        warning.message.starts_with("8 resource(s)"),
        "{}",
        warning.message
    );
    assert!(warning.message.contains("az graph query"));
    let verdicts = check(&snapshot.graph, &rules);
    let found: Vec<(String, String)> = verdicts
        .findings
        .iter()
        .map(|f| {
            (
                f.rule_id.clone(),
                snapshot.graph.get(f.resource).name.clone(),
            )
        })
        .collect();
    // The graph export omits allowSharedKeyAccess: null, which the Storage API reads as true.
    assert_eq!(
        found,
        [
            ("storage-shared-key".to_owned(), "stappdata".to_owned()),
            ("storage-public-access".to_owned(), "stappdata".to_owned())
        ]
    );
    assert!(verdicts.findings.iter().all(|f| !f.message.contains('{')));
    let undecided: BTreeSet<String> = verdicts
        .undecided
        .iter()
        .map(|u| snapshot.graph.get(u.resource).name.clone())
        .collect();
    for name in [
        "kv-app", "crapp", "sql-app", "psql-app", "mlw-app", "pe-app",
    ] {
        assert!(
            undecided.contains(name),
            "{name} not undecided: {undecided:?}"
        );
    }
}
