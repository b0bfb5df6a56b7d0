//! `private-endpoint-dns-complete`: a private endpoint's DNS zone group holds every
//! private DNS zone its sub-resources need, and each zone in scope is linked to the
//! endpoint's virtual network.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{id, Graph, ResourceIndex};

/// The predicate's name.
pub const NAME: &str = "private-endpoint-dns-complete";

/// What it says.
pub const DOC: &str = "On a Microsoft.Network/privateEndpoints resource: it has a private DNS zone \
group; the group holds every zone the target's sub-resources (group ids) need in the Azure public \
cloud (amlworkspace → privatelink.api.azureml.ms + privatelink.notebooks.azure.net, blob → \
privatelink.blob.core.windows.net, vault → privatelink.vaultcore.azure.net, …); and every zone that \
is in scope is linked to the endpoint's virtual network when that network is in scope. False binds \
`{problem}`. With `args.dns_managed_by_policy: true` (private DNS zone groups are created by an Azure \
Policy DeployIfNotExists assignment), an endpoint without any zone group passes; a zone group that \
is written is still checked.";

/// Private DNS zones per (target type, group id), Azure public cloud.
/// Source: "Azure Private Endpoint private DNS zone values" (learn.microsoft.com).
const ZONES: &[(&str, &str, &[&str])] = &[
    (
        "Microsoft.MachineLearningServices/workspaces",
        "amlworkspace",
        &[
            "privatelink.api.azureml.ms",
            "privatelink.notebooks.azure.net",
        ],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "blob",
        &["privatelink.blob.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "blob_secondary",
        &["privatelink.blob.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "file",
        &["privatelink.file.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "queue",
        &["privatelink.queue.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "queue_secondary",
        &["privatelink.queue.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "table",
        &["privatelink.table.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "table_secondary",
        &["privatelink.table.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "web",
        &["privatelink.web.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "web_secondary",
        &["privatelink.web.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "dfs",
        &["privatelink.dfs.core.windows.net"],
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "dfs_secondary",
        &["privatelink.dfs.core.windows.net"],
    ),
    (
        "Microsoft.KeyVault/vaults",
        "vault",
        &["privatelink.vaultcore.azure.net"],
    ),
    (
        "Microsoft.ContainerRegistry/registries",
        "registry",
        &["privatelink.azurecr.io"],
    ),
    (
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "postgresqlServer",
        &["privatelink.postgres.database.azure.com"],
    ),
    (
        "Microsoft.DBforPostgreSQL/servers",
        "postgresqlServer",
        &["privatelink.postgres.database.azure.com"],
    ),
    (
        "Microsoft.Sql/servers",
        "sqlServer",
        &["privatelink.database.windows.net"],
    ),
    (
        "Microsoft.DocumentDB/databaseAccounts",
        "Sql",
        &["privatelink.documents.azure.com"],
    ),
    (
        "Microsoft.DocumentDB/databaseAccounts",
        "MongoDB",
        &["privatelink.mongo.cosmos.azure.com"],
    ),
    (
        "Microsoft.Web/sites",
        "sites",
        &["privatelink.azurewebsites.net"],
    ),
    (
        "Microsoft.CognitiveServices/accounts",
        "account",
        &["privatelink.cognitiveservices.azure.com"],
    ),
    (
        "Microsoft.Search/searchServices",
        "searchService",
        &["privatelink.search.windows.net"],
    ),
    (
        "Microsoft.EventHub/namespaces",
        "namespace",
        &["privatelink.servicebus.windows.net"],
    ),
    (
        "Microsoft.ServiceBus/namespaces",
        "namespace",
        &["privatelink.servicebus.windows.net"],
    ),
    (
        "Microsoft.Relay/namespaces",
        "namespace",
        &["privatelink.servicebus.windows.net"],
    ),
    (
        "Microsoft.Insights/privateLinkScopes",
        "azuremonitor",
        &[
            "privatelink.monitor.azure.com",
            "privatelink.oms.opinsights.azure.com",
            "privatelink.ods.opinsights.azure.com",
            "privatelink.agentsvc.azure-automation.net",
            "privatelink.blob.core.windows.net",
        ],
    ),
];

/// The zones a sub-resource needs. The target type decides when known; otherwise the
/// group id alone, when it belongs to one type only.
pub fn zones_for(target_type: Option<&str>, group_id: &str) -> Option<&'static [&'static str]> {
    let matching = |row: &&(&str, &str, &[&str])| row.1.eq_ignore_ascii_case(group_id);
    if let Some(t) = target_type {
        if let Some(row) = ZONES
            .iter()
            .filter(matching)
            .find(|row| row.0.eq_ignore_ascii_case(t))
        {
            return Some(row.2);
        }
    }
    let mut rows = ZONES.iter().filter(matching);
    let first = rows.next()?;
    rows.all(|row| row.2 == first.2).then_some(first.2)
}

/// The compiled predicate.
pub struct DnsComplete {
    /// Zone groups are deployed by Azure Policy: a missing group is not a finding.
    dns_managed_by_policy: bool,
}

impl DnsComplete {
    /// Reads `args: {dns_managed_by_policy: bool}` (optional).
    pub fn new(args: &Value) -> Result<DnsComplete, String> {
        super::known_args(NAME, args, &["dns_managed_by_policy"])?;
        let dns_managed_by_policy = match args.get("dns_managed_by_policy") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(format!(
                    "{NAME}: dns_managed_by_policy must be true or false, not {other}"
                ))
            }
        };
        Ok(DnsComplete {
            dns_managed_by_policy,
        })
    }
}

impl Predicate for DnsComplete {
    fn name(&self) -> &'static str {
        NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let endpoint = graph.get(subject);
        let needed = match needed_zones(graph, subject, &endpoint.body.json()) {
            Ok(needed) => needed,
            Err(reason) => return Outcome::unknown(reason),
        };
        let groups: Vec<ResourceIndex> = graph
            .children(subject)
            .iter()
            .copied()
            .filter(|&c| {
                graph
                    .get(c)
                    .is("Microsoft.Network/privateEndpoints/privateDnsZoneGroups")
            })
            .collect();
        if groups.is_empty() && self.dns_managed_by_policy {
            return Outcome::new(Truth::True);
        }
        if groups.is_empty() {
            return Outcome::new(Truth::False)
                .with_evidence(subject, "")
                .with_binding("problem", "has no private DNS zone group");
        }
        let mut present: Vec<(String, Option<ResourceIndex>, ResourceIndex, String)> = Vec::new();
        for &group in &groups {
            let json = graph.get(group).body.json();
            let configs = json
                .pointer("/properties/privateDnsZoneConfigs")
                .and_then(Value::as_array);
            for (i, config) in configs.into_iter().flatten().enumerate() {
                let pointer =
                    format!("/properties/privateDnsZoneConfigs/{i}/properties/privateDnsZoneId");
                match config
                    .pointer("/properties/privateDnsZoneId")
                    .and_then(Value::as_str)
                {
                    Some(zone_id)
                        if is_unknown_text(zone_id) && graph.resolve(group, zone_id).is_none() =>
                    {
                        return Outcome::unknown(
                            "a private DNS zone id of the zone group is not known statically",
                        )
                    }
                    Some(zone_id) => {
                        let zone = graph.resolve(group, zone_id);
                        let name = zone.map_or_else(
                            || id::last_name(zone_id).to_owned(),
                            |z| graph.get(z).name.clone(),
                        );
                        present.push((name.to_ascii_lowercase(), zone, group, pointer));
                    }
                    None => {}
                }
            }
        }
        let mut problems = Vec::new();
        let mut outcome = Outcome::new(Truth::False);
        for (zone, group_ids) in &needed {
            if !present.iter().any(|(name, ..)| name == zone) {
                if present.iter().any(|(name, ..)| is_unknown_text(name)) {
                    return Outcome::unknown(format!(
                        "a zone of the zone group is not known statically (is it {zone}?)"
                    ));
                }
                problems.push(format!(
                    "has a zone group that lacks {zone} (needed for '{group_ids}')"
                ));
                outcome = outcome.with_evidence(groups[0], "/properties/privateDnsZoneConfigs");
            }
        }
        if let Some(vnet) = endpoint_vnet(graph, subject, &endpoint.body.json()) {
            for (name, zone, group, pointer) in &present {
                let Some(zone) = zone else { continue };
                if !graph.relations().zone_linked_to(*zone, vnet) {
                    problems.push(format!(
                        "uses zone {name}, which is not linked to virtual network {}",
                        graph.get(vnet).name
                    ));
                    outcome = outcome.with_evidence(*group, pointer.clone());
                }
            }
        }
        if problems.is_empty() {
            return Outcome::new(Truth::True);
        }
        outcome.with_binding("problem", problems.join(", and "))
    }
}

/// Zones the endpoint's connections need → the group ids needing each.
fn needed_zones(
    graph: &Graph,
    endpoint: ResourceIndex,
    body: &Value,
) -> Result<BTreeMap<String, String>, String> {
    let mut needed: BTreeMap<String, String> = BTreeMap::new();
    for list in [
        "privateLinkServiceConnections",
        "manualPrivateLinkServiceConnections",
    ] {
        let connections = body
            .pointer(&format!("/properties/{list}"))
            .and_then(Value::as_array);
        for connection in connections.into_iter().flatten() {
            let target = connection
                .pointer("/properties/privateLinkServiceId")
                .and_then(Value::as_str);
            let target_type = match target {
                Some(t) if is_unknown_text(t) && graph.resolve(endpoint, t).is_none() => None,
                None => None,
                Some(t) => graph
                    .resolve(endpoint, t)
                    .map(|i| graph.get(i).kind.to_string())
                    .or_else(|| id::parse(t).map(|p| p.kind)),
            };
            let group_ids = connection
                .pointer("/properties/groupIds")
                .and_then(Value::as_array);
            for group_id in group_ids.into_iter().flatten().filter_map(Value::as_str) {
                if is_unknown_text(group_id) {
                    return Err(
                        "a group id (sub-resource) of the private endpoint is not known statically"
                            .into(),
                    );
                }
                for zone in zones_for(target_type.as_deref(), group_id)
                    .into_iter()
                    .flatten()
                {
                    let entry = needed.entry((*zone).to_owned()).or_default();
                    if !entry.is_empty() {
                        entry.push_str("', '");
                    }
                    entry.push_str(group_id);
                }
            }
        }
    }
    Ok(needed)
}

/// The virtual network of the endpoint's subnet, when it is in scope.
fn endpoint_vnet(graph: &Graph, endpoint: ResourceIndex, body: &Value) -> Option<ResourceIndex> {
    let subnet = body
        .pointer("/properties/subnet/id")
        .and_then(Value::as_str)?;
    graph.resolve(endpoint, id::parent(subnet)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use serde_json::json;

    fn resource(id: &str, kind: &str, body: Value) -> Resource {
        Resource::test(id, kind, body)
    }

    #[test]
    fn problems_read_as_a_predicate_of_the_endpoint() {
        let rg = "/subscriptions/s/resourceGroups/rg/providers";
        let ws = format!("{rg}/Microsoft.MachineLearningServices/workspaces/ws");
        let vnet = format!("{rg}/Microsoft.Network/virtualNetworks/vnet");
        let zone = format!("{rg}/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms");
        let pe = format!("{rg}/Microsoft.Network/privateEndpoints/pe");
        let graph = Graph::new(vec![
            resource(
                &ws,
                "Microsoft.MachineLearningServices/workspaces",
                json!({}),
            ),
            resource(&vnet, "Microsoft.Network/virtualNetworks", json!({})),
            resource(&zone, "Microsoft.Network/privateDnsZones", json!({})),
            resource(
                &pe,
                "Microsoft.Network/privateEndpoints",
                json!({"properties": {
                    "subnet": {"id": format!("{vnet}/subnets/pe")},
                    "privateLinkServiceConnections": [
                        {"properties": {"privateLinkServiceId": ws, "groupIds": ["amlworkspace"]}}
                    ]
                }}),
            ),
            resource(
                &format!("{pe}/privateDnsZoneGroups/default"),
                "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
                json!({"properties": {"privateDnsZoneConfigs": [
                    {"properties": {"privateDnsZoneId": zone}}
                ]}}),
            ),
        ]);
        let outcome = DnsComplete::new(&Value::Null)
            .expect("no args")
            .eval(&graph, 3);
        // Policy-managed DNS silences only a missing zone group, not a written incomplete one.
        let managed = DnsComplete::new(&json!({"dns_managed_by_policy": true}))
            .expect("valid option")
            .eval(&graph, 3);
        assert_eq!(managed, outcome);
        assert!(DnsComplete::new(&json!({"dns_managed_by_policy": "yes"})).is_err());
        assert!(DnsComplete::new(&json!({"managed": true})).is_err());
        assert_eq!(outcome.truth, Truth::False);
        assert_eq!(
            outcome.bindings,
            vec![(
                "problem".to_owned(),
                "has a zone group that lacks privatelink.notebooks.azure.net (needed for \
                 'amlworkspace'), and uses zone privatelink.api.azureml.ms, which is not linked \
                 to virtual network vnet"
                    .to_owned()
            )]
        );
    }

    #[test]
    fn zones_come_from_type_or_unambiguous_group_id() {
        assert_eq!(
            zones_for(
                Some("Microsoft.MachineLearningServices/workspaces"),
                "amlworkspace"
            ),
            Some(
                &[
                    "privatelink.api.azureml.ms",
                    "privatelink.notebooks.azure.net"
                ][..]
            )
        );
        assert_eq!(
            zones_for(None, "Blob"),
            Some(&["privatelink.blob.core.windows.net"][..])
        );
        assert_eq!(
            zones_for(None, "namespace"),
            Some(&["privatelink.servicebus.windows.net"][..])
        );
        assert_eq!(
            zones_for(Some("Contoso.X/y"), "vault"),
            Some(&["privatelink.vaultcore.azure.net"][..])
        );
        assert_eq!(zones_for(None, "unheard-of"), None);
    }
}
