//! Azure platform defaults: what a resource effectively has where its source omits a
//! property (or gives `null`). Filled values carry the declaration's span, so a finding
//! about an omission points at the resource.

use serde_json::{Map, Value};

use super::resource::Resource;

/// One platform default: on resources of `kinds`, `pointer` is `value` when omitted.
struct PlatformDefault {
    kinds: &'static [&'static str],
    pointer: &'static str,
    value: DefaultValue,
}

/// A default's value: a string or a flag.
#[derive(Clone, Copy)]
enum DefaultValue {
    Text(&'static str),
    Flag(bool),
}

impl DefaultValue {
    fn to_json(self) -> Value {
        match self {
            DefaultValue::Text(s) => Value::String(s.to_owned()),
            DefaultValue::Flag(b) => Value::Bool(b),
        }
    }
}

/// The defaults moat's rules depend on. Source: the ARM REST API specs and the resources
/// `az resource show` prints — an omitted `publicNetworkAccess` is public.
const DEFAULTS: &[PlatformDefault] = &[
    PlatformDefault {
        kinds: &[
            "Microsoft.Storage/storageAccounts",
            "Microsoft.KeyVault/vaults",
            "Microsoft.ContainerRegistry/registries",
            "Microsoft.MachineLearningServices/workspaces",
            "Microsoft.Sql/servers",
            "Microsoft.CognitiveServices/accounts",
            "Microsoft.Search/searchServices",
        ],
        pointer: "/properties/publicNetworkAccess",
        value: DefaultValue::Text("Enabled"),
    },
    // Azure AI services and AI Search accept keys unless `disableLocalAuth` is true.
    PlatformDefault {
        kinds: &[
            "Microsoft.CognitiveServices/accounts",
            "Microsoft.Search/searchServices",
        ],
        pointer: "/properties/disableLocalAuth",
        value: DefaultValue::Flag(false),
    },
    // No `identity` block: no managed identity.
    PlatformDefault {
        kinds: &[
            "Microsoft.CognitiveServices/accounts",
            "Microsoft.Search/searchServices",
        ],
        pointer: "/identity/type",
        value: DefaultValue::Text("None"),
    },
    // Application Insights: ingestion and query from public networks default to Enabled.
    PlatformDefault {
        kinds: &["Microsoft.Insights/components"],
        pointer: "/properties/publicNetworkAccessForIngestion",
        value: DefaultValue::Text("Enabled"),
    },
    PlatformDefault {
        kinds: &["Microsoft.Insights/components"],
        pointer: "/properties/publicNetworkAccessForQuery",
        value: DefaultValue::Text("Enabled"),
    },
    // A workspace without `managedNetwork` has no managed VNet.
    PlatformDefault {
        kinds: &["Microsoft.MachineLearningServices/workspaces"],
        pointer: "/properties/managedNetwork/isolationMode",
        value: DefaultValue::Text("Disabled"),
    },
    // AKS: the API server is public unless the cluster is private.
    PlatformDefault {
        kinds: &["Microsoft.ContainerService/managedClusters"],
        pointer: "/properties/apiServerAccessProfile/enablePrivateCluster",
        value: DefaultValue::Flag(false),
    },
    PlatformDefault {
        kinds: &[
            "Microsoft.Storage/storageAccounts",
            "Microsoft.KeyVault/vaults",
        ],
        pointer: "/properties/networkAcls/defaultAction",
        value: DefaultValue::Text("Allow"),
    },
    PlatformDefault {
        kinds: &["Microsoft.ContainerRegistry/registries"],
        pointer: "/properties/networkRuleSet/defaultAction",
        value: DefaultValue::Text("Allow"),
    },
    // Storage and Key Vault REST APIs: bypass "AzureServices" when not specified; ACR's
    // networkRuleBypassOptions defaults to AzureServices too.
    PlatformDefault {
        kinds: &[
            "Microsoft.Storage/storageAccounts",
            "Microsoft.KeyVault/vaults",
        ],
        pointer: "/properties/networkAcls/bypass",
        value: DefaultValue::Text("AzureServices"),
    },
    PlatformDefault {
        kinds: &["Microsoft.ContainerRegistry/registries"],
        pointer: "/properties/networkRuleBypassOptions",
        value: DefaultValue::Text("AzureServices"),
    },
    // Storage REST API: "The default value is null, which is equivalent to true" (shared
    // key), and "the default interpretation is TLS 1.0" (minimum TLS version).
    PlatformDefault {
        kinds: &["Microsoft.Storage/storageAccounts"],
        pointer: "/properties/allowSharedKeyAccess",
        value: DefaultValue::Flag(true),
    },
    PlatformDefault {
        kinds: &["Microsoft.Storage/storageAccounts"],
        pointer: "/properties/minimumTlsVersion",
        value: DefaultValue::Text("TLS1_0"),
    },
];

/// Compute types whose nodes get public IPs unless `enableNodePublicIp` is false
/// (Machine Learning REST API: "Default: true").
const NODE_PUBLIC_IP_COMPUTES: &[&str] = &["AmlCompute", "ComputeInstance"];

/// Fills the platform defaults a resource's source omits (absent or `null`), recording
/// the declaration span for each filled pointer. Values the source gives are kept.
pub fn fill_defaults(resource: &mut Resource) {
    for default in DEFAULTS {
        if default.kinds.iter().any(|k| resource.is(k)) {
            fill(resource, default.pointer, default.value);
        }
    }
    if resource.is("Microsoft.MachineLearningServices/workspaces/computes") {
        let json = resource.body.json();
        let compute_type = json
            .pointer("/properties/computeType")
            .and_then(Value::as_str);
        if compute_type.is_some_and(|t| NODE_PUBLIC_IP_COMPUTES.contains(&t)) {
            fill(
                resource,
                "/properties/properties/enableNodePublicIp",
                DefaultValue::Flag(true),
            );
        }
    }
    if resource.is("Microsoft.DBforPostgreSQL/flexibleServers")
        || resource.is("Microsoft.DBforMySQL/flexibleServers")
    {
        // A server in a delegated subnet (VNet integration) has no public endpoint; the
        // MySQL flexible server REST API says the same ("Disabled when server has VNet
        // integration").
        let json = resource.body.json();
        let delegated = json
            .pointer("/properties/network/delegatedSubnetResourceId")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty());
        let value = if delegated { "Disabled" } else { "Enabled" };
        fill(
            resource,
            "/properties/network/publicNetworkAccess",
            DefaultValue::Text(value),
        );
    }
}

fn fill(resource: &mut Resource, pointer: &str, value: DefaultValue) {
    if resource
        .body
        .json()
        .pointer(pointer)
        .is_some_and(|v| !v.is_null())
    {
        return;
    }
    if insert(resource.body.make_mut(), pointer, value).is_some() {
        resource
            .spans
            .insert(pointer.to_owned(), resource.origin.span);
    }
}

/// Sets `pointer` (plain keys, no escapes) to `value`, creating objects on the way.
fn insert(body: &mut Value, pointer: &str, value: DefaultValue) -> Option<()> {
    let keys: Vec<&str> = pointer.split('/').skip(1).collect();
    let (last, parents) = keys.split_last()?;
    let mut node = body;
    for key in parents {
        node = object(node)?
            .entry((*key).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    object(node)?.insert((*last).to_owned(), value.to_json());
    Some(())
}

/// The node as an object, replacing `null` with an empty one. Any other value (an
/// unknown marker standing for a whole block) is kept: the default is then not filled.
fn object(node: &mut Value) -> Option<&mut Map<String, Value>> {
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    node.as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Origin, SourceFormat, Span};
    use serde_json::json;

    fn resource(kind: &str, body: Value) -> Resource {
        Resource {
            id: "".into(),
            kind: kind.into(),
            name: "r".into(),
            body: body.into(),
            origin: Origin {
                format: SourceFormat::Snapshot,
                address: "r".into(),
                span: Span::new(FileId(0), 3..7),
            },
            spans: Default::default(),
            lazy_spans: Default::default(),
            unit: Default::default(),
            provenance: Default::default(),
        }
    }

    #[test]
    fn fills_omitted_and_null_keeps_given() {
        let mut sa = resource(
            "Microsoft.Storage/storageAccounts",
            json!({"properties": {"publicNetworkAccess": null, "networkAcls": {"defaultAction": "Deny"}}}),
        );
        fill_defaults(&mut sa);
        assert_eq!(
            sa.body.json()["properties"]["publicNetworkAccess"],
            "Enabled"
        );
        assert_eq!(
            sa.body.json()["properties"]["networkAcls"]["defaultAction"],
            "Deny"
        );
        assert_eq!(
            sa.spans.get("/properties/publicNetworkAccess"),
            Some(&sa.origin.span)
        );
        assert!(!sa
            .spans
            .contains_key("/properties/networkAcls/defaultAction"));

        assert_eq!(sa.body.json()["properties"]["allowSharedKeyAccess"], true);
        assert_eq!(
            sa.body.json()["properties"]["networkAcls"]["bypass"],
            "AzureServices"
        );
        assert_eq!(sa.body.json()["properties"]["minimumTlsVersion"], "TLS1_0");

        let mut acr = resource("Microsoft.ContainerRegistry/registries", json!({}));
        fill_defaults(&mut acr);
        assert_eq!(
            acr.body.json()["properties"]["networkRuleSet"]["defaultAction"],
            "Allow"
        );
        assert_eq!(
            acr.body.json()["properties"]["networkRuleBypassOptions"],
            "AzureServices"
        );
    }

    #[test]
    fn an_unknown_block_stays_unknown() {
        let unknown = crate::eval::value::UNKNOWN_MARKER;
        let mut sa = resource(
            "Microsoft.Storage/storageAccounts",
            json!({"properties": {"publicNetworkAccess": "Disabled", "networkAcls": unknown}}),
        );
        fill_defaults(&mut sa);
        assert_eq!(sa.body.json()["properties"]["networkAcls"], unknown);
        let mut pg = resource(
            "Microsoft.DBforPostgreSQL/flexibleServers",
            json!({"properties": unknown}),
        );
        fill_defaults(&mut pg);
        assert_eq!(pg.body.json()["properties"], unknown);
        assert!(pg.spans.is_empty());
    }

    #[test]
    fn ml_clusters_and_instances_get_node_public_ips_other_computes_do_not() {
        let kind = "Microsoft.MachineLearningServices/workspaces/computes";
        let mut cluster = resource(kind, json!({"properties": {"computeType": "AmlCompute"}}));
        fill_defaults(&mut cluster);
        assert_eq!(
            cluster.body.json()["properties"]["properties"]["enableNodePublicIp"],
            true
        );
        let mut aks = resource(kind, json!({"properties": {"computeType": "AKS"}}));
        fill_defaults(&mut aks);
        assert!(aks.body.json()["properties"].get("properties").is_none());
    }

    #[test]
    fn postgres_in_a_delegated_subnet_is_private() {
        let mut delegated = resource(
            "Microsoft.DBforPostgreSQL/flexibleServers",
            json!({"properties": {"network": {"delegatedSubnetResourceId": "/subscriptions/s/x"}}}),
        );
        fill_defaults(&mut delegated);
        assert_eq!(
            delegated.body.json()["properties"]["network"]["publicNetworkAccess"],
            "Disabled"
        );
        let mut open = resource(
            "Microsoft.DBforPostgreSQL/flexibleServers",
            json!({"properties": null}),
        );
        fill_defaults(&mut open);
        assert_eq!(
            open.body.json()["properties"]["network"]["publicNetworkAccess"],
            "Enabled"
        );
    }

    #[test]
    fn mysql_flexible_is_public_unless_delegated() {
        let mut open = resource("Microsoft.DBforMySQL/flexibleServers", json!({}));
        fill_defaults(&mut open);
        assert_eq!(
            open.body.json()["properties"]["network"]["publicNetworkAccess"],
            "Enabled"
        );
    }
}
