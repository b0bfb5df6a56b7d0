//! Storage, Key Vault, Container Registry, Application Insights, Log Analytics and
//! managed identities.

use serde_json::{json, Value as Json};

use super::builder::{as_text, comma_list, enabled, negated, same, Builder};
use super::{child, parent_from_id, text, text_or_unknown, top_level, Mapped, Patch};
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::ingest::terraform::instance::Instance;
use crate::model::id;

/// `ip_rules` / `virtual_network_subnet_ids` as ARM `ipRules` / `virtualNetworkRules`.
fn network_acl_lists(b: &mut Builder<'_>, attr_prefix: &str, pointer: &str) {
    let inst = b.inst();
    let ip_rules = format!("{attr_prefix}ip_rules");
    if let Some(ips) = inst.get(&ip_rules).and_then(Value::as_list) {
        let rules: Vec<Json> = ips
            .iter()
            .map(|ip| json!({"value": ip.to_json(), "action": "Allow"}))
            .collect();
        b.set(
            &format!("{pointer}/ipRules"),
            Json::Array(rules),
            inst.span(&ip_rules),
        );
    }
    let subnets = format!("{attr_prefix}virtual_network_subnet_ids");
    if let Some(ids) = inst.get(&subnets).and_then(Value::as_list) {
        let rules: Vec<Json> = ids
            .iter()
            .map(|id| json!({"id": id.to_json(), "action": "Allow"}))
            .collect();
        b.set(
            &format!("{pointer}/virtualNetworkRules"),
            Json::Array(rules),
            inst.span(&subnets),
        );
    }
}

/// `azurerm_storage_account`.
pub fn storage_account(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    let sku = match (
        inst.get("account_tier"),
        inst.get("account_replication_type"),
    ) {
        (Some(Value::String(tier)), Some(Value::String(replication))) => {
            json!(format!("{tier}_{replication}"))
        }
        _ => json!(UNKNOWN_MARKER),
    };
    b.set("/sku/name", sku, inst.span("account_tier"));
    b.attr_or(&["account_kind"], "/kind", same, json!("StorageV2"));
    b.public_network_access();
    b.attr_or(
        &[
            "allow_nested_items_to_be_public",
            "allow_blob_public_access",
        ],
        "/properties/allowBlobPublicAccess",
        same,
        json!(false),
    );
    b.attr_or(
        &["shared_access_key_enabled"],
        "/properties/allowSharedKeyAccess",
        same,
        json!(true),
    );
    b.attr_or(
        &["min_tls_version"],
        "/properties/minimumTlsVersion",
        same,
        json!("TLS1_2"),
    );
    b.attr_or(
        &["is_hns_enabled"],
        "/properties/isHnsEnabled",
        same,
        json!(false),
    );
    b.attr_or(
        &["network_rules.0.default_action"],
        "/properties/networkAcls/defaultAction",
        same,
        json!("Allow"),
    );
    b.attr_or(
        &["network_rules.0.bypass"],
        "/properties/networkAcls/bypass",
        comma_list,
        json!("AzureServices"),
    );
    network_acl_lists(&mut b, "network_rules.0.", "/properties/networkAcls");
    if inst.is_set("network_rules.0") {
        b.set_span("/properties/networkAcls", inst.span("network_rules.0"));
    }
    top_level(b, "Microsoft.Storage/storageAccounts")
}

/// `azurerm_storage_account_network_rules`: sets the account's `networkAcls`.
pub fn storage_account_network_rules(inst: &Instance) -> Mapped {
    let target = text(inst, "storage_account_id").or_else(|| {
        // An unknown group names the account the same way the account's own mapping does.
        let rg = text_or_unknown(inst, "resource_group_name");
        let name = text(inst, "storage_account_name")?;
        Some(id::build(
            id::PLACEHOLDER_SUBSCRIPTION,
            &rg,
            "Microsoft.Storage/storageAccounts",
            &name,
        ))
    });
    let Some(target) = target else {
        return Mapped::default();
    };
    let mut b = Builder::new(inst);
    b.attr_or(&["default_action"], "/defaultAction", same, json!("Allow"));
    b.attr_or(&["bypass"], "/bypass", comma_list, json!("AzureServices"));
    network_acl_lists(&mut b, "", "");
    let (body, spans) = b.into_parts();
    let mut patch_spans = vec![("/properties/networkAcls".to_owned(), inst.head)];
    patch_spans.extend(
        spans
            .into_iter()
            .map(|(p, s)| (format!("/properties/networkAcls{p}"), s)),
    );
    let provenance = inst.provenance(patch_spans.iter().map(|(p, s)| (p, s)));
    Mapped {
        id: Value::String(format!("{target}/networkRules")),
        resources: Vec::new(),
        patches: vec![Patch {
            target,
            pointer: "/properties/networkAcls".into(),
            value: body,
            spans: patch_spans,
            provenance,
        }],
    }
}

/// `container_access_type` as ARM `publicAccess`: `private` → `None`, `blob` → `Blob`,
/// `container` → `Container`.
fn container_access(v: &Value) -> Json {
    match v.as_str() {
        Some("private") => json!("None"),
        Some("blob") => json!("Blob"),
        Some("container") => json!("Container"),
        _ => v.to_json(),
    }
}

/// `azurerm_storage_container`: a child of the account's blob service, named by
/// `storage_account_id` (v4+) or `storage_account_name` (≤ v3, no resource group given).
pub fn storage_container(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.attr_or(
        &["container_access_type"],
        "/properties/publicAccess",
        container_access,
        json!("None"),
    );
    let (rg, account) = if inst.get("storage_account_id").is_some() {
        parent_from_id(inst, "storage_account_id")
    } else {
        (
            UNKNOWN_MARKER.to_owned(),
            text(inst, "storage_account_name").unwrap_or_else(|| UNKNOWN_MARKER.to_owned()),
        )
    };
    child(
        b,
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        &rg,
        &format!("{account}/default"),
    )
}

/// `azurerm_key_vault`.
pub fn key_vault(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.set("/properties/sku/family", json!("A"), inst.head);
    b.attr(&["sku_name"], "/properties/sku/name", same);
    b.attr(&["tenant_id"], "/properties/tenantId", same);
    b.public_network_access();
    b.attr_or(
        &["rbac_authorization_enabled", "enable_rbac_authorization"],
        "/properties/enableRbacAuthorization",
        same,
        json!(false),
    );
    b.attr_or(
        &["purge_protection_enabled"],
        "/properties/enablePurgeProtection",
        same,
        json!(false),
    );
    b.attr_or(
        &["soft_delete_retention_days"],
        "/properties/softDeleteRetentionInDays",
        same,
        json!(90),
    );
    b.attr_or(
        &["network_acls.0.default_action"],
        "/properties/networkAcls/defaultAction",
        same,
        json!("Allow"),
    );
    b.attr_or(
        &["network_acls.0.bypass"],
        "/properties/networkAcls/bypass",
        same,
        json!("AzureServices"),
    );
    network_acl_lists(&mut b, "network_acls.0.", "/properties/networkAcls");
    top_level(b, "Microsoft.KeyVault/vaults")
}

/// `azurerm_key_vault_secret`: a child of the vault named by `key_vault_id`; its value
/// only when written as a literal.
pub fn key_vault_secret(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.attr(&["tags"], "/tags", same);
    b.attr(&["content_type"], "/properties/contentType", same);
    b.secret(&["value"], "/properties/value");
    let (rg, vault) = parent_from_id(inst, "key_vault_id");
    child(b, "Microsoft.KeyVault/vaults/secrets", &rg, &vault)
}

/// App Service and Function apps (`azurerm_linux_web_app`, …): app settings and connection
/// strings as ARM `siteConfig`, each value only when written as a literal.
pub fn web_app(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    if let Some(Value::Object(settings)) = inst.get("app_settings") {
        for (i, (name, value)) in settings.iter().enumerate() {
            let path = format!("app_settings.{name}");
            let value = if inst.literals.contains(&path) {
                value.to_json()
            } else {
                json!(UNKNOWN_MARKER)
            };
            let pointer = format!("/properties/siteConfig/appSettings/{i}");
            b.set(
                &pointer,
                json!({"name": name, "value": value}),
                inst.span(&path),
            );
        }
    }
    for i in 0..inst.block_count("connection_string") {
        let at = |attr: &str| format!("connection_string.{i}.{attr}");
        let pointer = |p: &str| format!("/properties/siteConfig/connectionStrings/{i}{p}");
        b.attr(&[&at("name")], &pointer("/name"), same);
        b.attr(&[&at("type")], &pointer("/type"), same);
        b.secret(&[&at("value")], &pointer("/connectionString"));
    }
    top_level(b, "Microsoft.Web/sites")
}

/// `azurerm_container_registry`.
pub fn container_registry(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr_or(&["sku"], "/sku/name", same, json!("Basic"));
    b.attr_or(
        &["admin_enabled"],
        "/properties/adminUserEnabled",
        same,
        json!(false),
    );
    b.public_network_access();
    b.attr_or(
        &["network_rule_set.0.default_action"],
        "/properties/networkRuleSet/defaultAction",
        same,
        json!("Allow"),
    );
    b.attr_or(
        &["network_rule_bypass_option"],
        "/properties/networkRuleBypassOptions",
        same,
        json!("AzureServices"),
    );
    b.attr_or(
        &["anonymous_pull_enabled"],
        "/properties/anonymousPullEnabled",
        same,
        json!(false),
    );
    b.attr_or(
        &["data_endpoint_enabled"],
        "/properties/dataEndpointEnabled",
        same,
        json!(false),
    );
    b.attr_or(
        &["zone_redundancy_enabled"],
        "/properties/zoneRedundancy",
        enabled,
        json!("Disabled"),
    );
    top_level(b, "Microsoft.ContainerRegistry/registries")
}

/// Azure Monitor's ingestion and query access from public networks (Application Insights,
/// Log Analytics): both default to enabled.
fn monitor_network_access(b: &mut Builder<'_>) {
    b.attr_or(
        &["internet_ingestion_enabled"],
        "/properties/publicNetworkAccessForIngestion",
        enabled,
        json!("Enabled"),
    );
    b.attr_or(
        &["internet_query_enabled"],
        "/properties/publicNetworkAccessForQuery",
        enabled,
        json!("Enabled"),
    );
}

/// `azurerm_application_insights`.
pub fn application_insights(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["application_type"], "/kind", same);
    b.attr(&["application_type"], "/properties/Application_Type", same);
    b.attr(&["workspace_id"], "/properties/WorkspaceResourceId", same);
    monitor_network_access(&mut b);
    top_level(b, "Microsoft.Insights/components")
}

/// `azurerm_log_analytics_workspace`.
pub fn log_analytics_workspace(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["sku"], "/properties/sku/name", same);
    b.attr(&["retention_in_days"], "/properties/retentionInDays", same);
    monitor_network_access(&mut b);
    top_level(b, "Microsoft.OperationalInsights/workspaces")
}

/// `azurerm_redis_cache`: `minimum_tls_version` defaults to `1.2`, public network access to on.
pub fn redis_cache(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["sku_name"], "/properties/sku/name", same);
    tls_and_public_access(&mut b);
    top_level(b, "Microsoft.Cache/redis")
}

/// `azurerm_servicebus_namespace`.
pub fn servicebus_namespace(inst: &Instance) -> Mapped {
    messaging_namespace(inst, "Microsoft.ServiceBus/namespaces")
}

/// `azurerm_eventhub_namespace`.
pub fn eventhub_namespace(inst: &Instance) -> Mapped {
    messaging_namespace(inst, "Microsoft.EventHub/namespaces")
}

/// Service Bus and Event Hubs namespaces: the same TLS, network and local-auth arguments.
fn messaging_namespace(inst: &Instance, kind: &str) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["sku"], "/sku/name", same);
    tls_and_public_access(&mut b);
    b.attr_or(
        &["local_auth_enabled"],
        "/properties/disableLocalAuth",
        negated,
        json!(false),
    );
    top_level(b, kind)
}

/// `minimum_tls_version` (azurerm default `1.2`; a number is read as its text) and
/// `public_network_access_enabled` (default on).
fn tls_and_public_access(b: &mut Builder<'_>) {
    b.attr_or(
        &["minimum_tls_version"],
        "/properties/minimumTlsVersion",
        as_text,
        json!("1.2"),
    );
    b.public_network_access();
}

/// `azurerm_user_assigned_identity`.
pub fn user_assigned_identity(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    top_level(b, "Microsoft.ManagedIdentity/userAssignedIdentities")
}
