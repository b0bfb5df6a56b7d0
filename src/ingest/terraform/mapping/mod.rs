//! azurerm resources → canonical ARM-shaped resources. One function per Terraform type,
//! grouped by service; each reads the attribute names of every supported provider major
//! version and fills the provider's defaults for what is omitted.

mod ai;
mod builder;
mod compute;
mod database;
mod network;
mod services;

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::instance::Instance;
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::model::{id, Provenance, Resource, Span};
pub use builder::Builder;

/// A change a split child resource makes to its parent
/// (`azurerm_storage_account_network_rules` → the account's `networkAcls`).
#[derive(Debug, Clone)]
pub struct Patch {
    /// The id of the resource to change.
    pub target: String,
    /// The JSON pointer to set.
    pub pointer: String,
    /// The value to set there.
    pub value: Json,
    /// Spans for the pointer and pointers under it.
    pub spans: Vec<(String, Span)>,
    /// Where the values under the pointer were set, when they came through variables.
    pub provenance: BTreeMap<String, Vec<Provenance>>,
}

/// What one Terraform instance becomes.
#[derive(Debug, Default)]
pub struct Mapped {
    /// Canonical resources (a private endpoint also yields its DNS zone group).
    pub resources: Vec<Resource>,
    /// Changes to other resources.
    pub patches: Vec<Patch>,
    /// The instance's `id` attribute as Terraform would know it.
    pub id: Value,
}

impl Mapped {
    fn one(resource: Resource) -> Mapped {
        Mapped {
            id: Value::String(resource.id.to_string()),
            resources: vec![resource],
            patches: Vec::new(),
        }
    }
}

type MapFn = fn(&Instance) -> Mapped;

/// Every mapped Terraform type.
const MAPPINGS: &[(&str, MapFn)] = &[
    ("azurerm_resource_group", network::resource_group),
    ("azurerm_virtual_network", network::virtual_network),
    ("azurerm_subnet", network::subnet),
    (
        "azurerm_virtual_network_dns_servers",
        network::virtual_network_dns_servers,
    ),
    (
        "azurerm_network_security_group",
        network::network_security_group,
    ),
    (
        "azurerm_network_security_rule",
        network::network_security_rule,
    ),
    (
        "azurerm_subnet_network_security_group_association",
        network::subnet_nsg_association,
    ),
    (
        "azurerm_virtual_network_gateway",
        network::virtual_network_gateway,
    ),
    ("azurerm_network_interface", network::network_interface),
    ("azurerm_public_ip", network::public_ip),
    (
        "azurerm_virtual_network_peering",
        network::virtual_network_peering,
    ),
    (
        "azurerm_private_dns_resolver",
        network::private_dns_resolver,
    ),
    (
        "azurerm_private_dns_resolver_inbound_endpoint",
        network::private_dns_resolver_inbound_endpoint,
    ),
    (
        "azurerm_private_dns_resolver_outbound_endpoint",
        network::private_dns_resolver_outbound_endpoint,
    ),
    (
        "azurerm_private_dns_resolver_dns_forwarding_ruleset",
        network::dns_forwarding_ruleset,
    ),
    (
        "azurerm_private_dns_resolver_virtual_network_link",
        network::dns_forwarding_ruleset_link,
    ),
    ("azurerm_private_endpoint", network::private_endpoint),
    ("azurerm_private_dns_zone", network::private_dns_zone),
    (
        "azurerm_private_dns_zone_virtual_network_link",
        network::private_dns_zone_link,
    ),
    ("azurerm_storage_account", services::storage_account),
    (
        "azurerm_storage_account_network_rules",
        services::storage_account_network_rules,
    ),
    ("azurerm_storage_container", services::storage_container),
    ("azurerm_key_vault", services::key_vault),
    ("azurerm_container_registry", services::container_registry),
    (
        "azurerm_application_insights",
        services::application_insights,
    ),
    (
        "azurerm_log_analytics_workspace",
        services::log_analytics_workspace,
    ),
    (
        "azurerm_user_assigned_identity",
        services::user_assigned_identity,
    ),
    ("azurerm_redis_cache", services::redis_cache),
    (
        "azurerm_servicebus_namespace",
        services::servicebus_namespace,
    ),
    ("azurerm_eventhub_namespace", services::eventhub_namespace),
    (
        "azurerm_machine_learning_workspace",
        compute::machine_learning_workspace,
    ),
    (
        "azurerm_machine_learning_compute_instance",
        compute::compute_instance,
    ),
    (
        "azurerm_machine_learning_compute_cluster",
        compute::compute_cluster,
    ),
    (
        "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint",
        compute::outbound_rule_private_endpoint,
    ),
    (
        "azurerm_machine_learning_datastore_blobstorage",
        compute::datastore_blob,
    ),
    (
        "azurerm_machine_learning_datastore_datalake_gen2",
        compute::datastore_datalake_gen2,
    ),
    (
        "azurerm_machine_learning_inference_cluster",
        compute::inference_cluster,
    ),
    ("azurerm_cognitive_account", ai::cognitive_account),
    ("azurerm_ai_services", ai::ai_services),
    ("azurerm_search_service", ai::search_service),
    ("azurerm_kubernetes_cluster", ai::kubernetes_cluster),
    (
        "azurerm_postgresql_flexible_server",
        database::postgresql_flexible_server,
    ),
    (
        "azurerm_postgresql_flexible_server_firewall_rule",
        database::postgresql_firewall_rule,
    ),
    ("azurerm_mssql_server", database::mssql_server),
    ("azurerm_mssql_firewall_rule", database::mssql_firewall_rule),
    ("azurerm_sql_server", database::mssql_server),
    ("azurerm_sql_firewall_rule", database::sql_firewall_rule),
    (
        "azurerm_mysql_flexible_server",
        database::mysql_flexible_server,
    ),
    (
        "azurerm_mysql_flexible_server_firewall_rule",
        database::mysql_firewall_rule,
    ),
    ("azurerm_linux_virtual_machine", compute::virtual_machine),
    ("azurerm_windows_virtual_machine", compute::virtual_machine),
    ("azurerm_virtual_machine", compute::legacy_virtual_machine),
    ("azurerm_key_vault_secret", services::key_vault_secret),
    ("azurerm_linux_web_app", services::web_app),
    ("azurerm_windows_web_app", services::web_app),
    ("azurerm_linux_function_app", services::web_app),
    ("azurerm_windows_function_app", services::web_app),
    ("azurerm_app_service", services::web_app),
    ("azurerm_function_app", services::web_app),
];

/// Maps an instance; `None` for types moat does not model.
pub fn map(inst: &Instance) -> Option<Mapped> {
    MAPPINGS
        .iter()
        .find(|(kind, _)| *kind == inst.kind)
        .map(|(_, f)| f(inst))
}

/// A known string attribute.
fn text(inst: &Instance, attr: &str) -> Option<String> {
    inst.get(attr).and_then(Value::as_str).map(str::to_owned)
}

/// A string attribute, or the unknown marker.
fn text_or_unknown(inst: &Instance, attr: &str) -> String {
    text(inst, attr).unwrap_or_else(|| UNKNOWN_MARKER.to_owned())
}

/// The resource's own name; its Terraform address when the name is not known statically.
fn own_name(inst: &Instance) -> String {
    text(inst, "name").unwrap_or_else(|| inst.address.clone())
}

/// The name segment of the resource's id: its name, or, when that is not known
/// statically, its address and file, so that the id stays unique across root modules
/// (every azurerm example has an `azurerm_resource_group.example`) and references to the
/// resource still resolve.
fn id_name(inst: &Instance) -> String {
    text(inst, "name").unwrap_or_else(|| format!("{}~{}", inst.address, inst.head.file.0))
}

/// Resource group and name of the parent an id attribute (`server_id`) points at.
fn parent_from_id(inst: &Instance, attr: &str) -> (String, String) {
    let Some(parent_id) = text(inst, attr) else {
        return (UNKNOWN_MARKER.to_owned(), UNKNOWN_MARKER.to_owned());
    };
    let name = id::parse(&parent_id).map_or_else(|| UNKNOWN_MARKER.to_owned(), |p| p.name);
    let rg = id::resource_group(&parent_id)
        .unwrap_or(UNKNOWN_MARKER)
        .to_owned();
    (rg, name)
}

/// Finishes a resource-group-scoped resource named by its `name` argument.
fn top_level(b: Builder<'_>, kind: &str) -> Mapped {
    let inst = b.inst();
    let rg = text_or_unknown(inst, "resource_group_name");
    let resource_id = id::build(id::PLACEHOLDER_SUBSCRIPTION, &rg, kind, &id_name(inst));
    Mapped::one(b.finish(kind, &own_name(inst), resource_id))
}

/// Finishes a child resource of the parent named `parent` in group `rg`.
fn child(b: Builder<'_>, kind: &str, rg: &str, parent: &str) -> Mapped {
    let inst = b.inst();
    let resource_id = id::build(
        id::PLACEHOLDER_SUBSCRIPTION,
        rg,
        kind,
        &format!("{parent}/{}", id_name(inst)),
    );
    Mapped::one(b.finish(kind, &format!("{parent}/{}", own_name(inst)), resource_id))
}
