//! Azure AI services (Cognitive Services / OpenAI accounts), AI Search and the AKS clusters
//! a workspace attaches.

use serde_json::json;

use super::builder::{negated, same, Builder};
use super::compute::identity;
use super::{top_level, Mapped};
use crate::ingest::terraform::instance::Instance;

/// `identity`, or `"None"` when the block is omitted (no managed identity).
fn identity_or_none(b: &mut Builder<'_>) {
    let inst = b.inst();
    if inst.is_set("identity.0") {
        identity(b);
    } else {
        b.set("/identity/type", json!("None"), inst.head);
    }
}

/// Network ACLs and authentication shared by `azurerm_cognitive_account` and
/// `azurerm_ai_services`.
fn cognitive_common(b: &mut Builder<'_>) {
    b.common();
    identity_or_none(b);
    b.attr(&["kind"], "/kind", same);
    b.attr(&["sku_name"], "/sku/name", same);
    b.attr(
        &["custom_subdomain_name"],
        "/properties/customSubDomainName",
        same,
    );
    b.attr(
        &["network_acls.0.default_action"],
        "/properties/networkAcls/defaultAction",
        same,
    );
}

/// `azurerm_cognitive_account` (Azure AI services, OpenAI, …): public network access and
/// local (key) authentication both default to enabled.
pub fn cognitive_account(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    cognitive_common(&mut b);
    b.public_network_access();
    b.attr_or(
        &["local_auth_enabled"],
        "/properties/disableLocalAuth",
        negated,
        json!(false),
    );
    top_level(b, "Microsoft.CognitiveServices/accounts")
}

/// `azurerm_ai_services` (azurerm v4): an account of kind `AIServices` whose
/// `public_network_access` is a string (default `Enabled`).
pub fn ai_services(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    cognitive_common(&mut b);
    b.set("/kind", json!("AIServices"), inst.head);
    b.attr_or(
        &["public_network_access"],
        "/properties/publicNetworkAccess",
        same,
        json!("Enabled"),
    );
    b.attr_or(
        &["local_authentication_enabled"],
        "/properties/disableLocalAuth",
        negated,
        json!(false),
    );
    top_level(b, "Microsoft.CognitiveServices/accounts")
}

/// `azurerm_search_service`: public network access and API-key authentication both
/// default to enabled.
pub fn search_service(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    identity_or_none(&mut b);
    b.attr(&["sku"], "/sku/name", same);
    b.public_network_access();
    b.attr_or(
        &["local_authentication_enabled"],
        "/properties/disableLocalAuth",
        negated,
        json!(false),
    );
    top_level(b, "Microsoft.Search/searchServices")
}

/// `azurerm_kubernetes_cluster`: the API server's exposure (`private_cluster_enabled`
/// defaults to false; authorized ranges in `api_server_access_profile`, or in
/// `api_server_authorized_ip_ranges` before azurerm v4).
pub fn kubernetes_cluster(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    identity(&mut b);
    b.attr_or(
        &["private_cluster_enabled"],
        "/properties/apiServerAccessProfile/enablePrivateCluster",
        same,
        json!(false),
    );
    b.attr(
        &[
            "api_server_access_profile.0.authorized_ip_ranges",
            "api_server_authorized_ip_ranges",
        ],
        "/properties/apiServerAccessProfile/authorizedIPRanges",
        same,
    );
    b.attr(&["dns_prefix"], "/properties/dnsPrefix", same);
    top_level(b, "Microsoft.ContainerService/managedClusters")
}
