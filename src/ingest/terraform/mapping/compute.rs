//! Azure Machine Learning (workspaces, compute instances and clusters) and virtual machines.

use serde_json::{json, Map, Value as Json};

use super::builder::{enabled, negated, same, Builder};
use super::{child, parent_from_id, top_level, Mapped};
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::ingest::terraform::instance::Instance;
use crate::model::Span;

/// `identity { type, identity_ids }` as ARM `identity`: `"SystemAssigned, UserAssigned"`
/// becomes `"SystemAssigned,UserAssigned"`, the ids become `userAssignedIdentities` keys.
fn identity(b: &mut Builder<'_>) {
    let inst = b.inst();
    if let Some(ty) = inst.get("identity.0.type") {
        let normalized = match ty {
            Value::String(s) => json!(s.split(',').map(str::trim).collect::<Vec<_>>().join(",")),
            other => other.to_json(),
        };
        b.set("/identity/type", normalized, inst.span("identity.0.type"));
    }
    if let Some(ids) = inst.get("identity.0.identity_ids").and_then(Value::as_list) {
        let map: Map<String, Json> = ids
            .iter()
            .map(|id| (id.as_str().unwrap_or(UNKNOWN_MARKER).to_owned(), json!({})))
            .collect();
        b.set(
            "/identity/userAssignedIdentities",
            Json::Object(map),
            inst.span("identity.0.identity_ids"),
        );
    }
}

/// `azurerm_machine_learning_workspace`.
pub fn machine_learning_workspace(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    identity(&mut b);
    b.attr_or(&["sku_name"], "/sku/name", same, json!("Basic"));
    b.attr_or(&["kind"], "/kind", same, json!("Default"));
    b.attr(&["friendly_name"], "/properties/friendlyName", same);
    b.attr(&["storage_account_id"], "/properties/storageAccount", same);
    b.attr(&["key_vault_id"], "/properties/keyVault", same);
    b.attr(
        &["application_insights_id"],
        "/properties/applicationInsights",
        same,
    );
    b.attr(
        &["container_registry_id"],
        "/properties/containerRegistry",
        same,
    );
    b.attr(
        &["image_build_compute_name"],
        "/properties/imageBuildCompute",
        same,
    );
    b.attr(
        &["primary_user_assigned_identity"],
        "/properties/primaryUserAssignedIdentity",
        same,
    );
    b.attr_or(
        &["public_network_access_enabled"],
        "/properties/publicNetworkAccess",
        enabled,
        json!("Enabled"),
    );
    b.attr(
        &["public_access_behind_virtual_network_enabled"],
        "/properties/allowPublicAccessWhenBehindVnet",
        same,
    );
    b.attr_or(
        &["high_business_impact"],
        "/properties/hbiWorkspace",
        same,
        json!(false),
    );
    b.attr_or(
        &["v1_legacy_mode_enabled"],
        "/properties/v1LegacyMode",
        same,
        json!(false),
    );
    b.attr_or(
        &["managed_network.0.isolation_mode"],
        "/properties/managedNetwork/isolationMode",
        same,
        json!("Disabled"),
    );
    top_level(b, "Microsoft.MachineLearningServices/workspaces")
}

/// Compute shared fields, under `properties.properties`.
fn compute_common(b: &mut Builder<'_>, compute_type: &str) {
    let head = b.inst().head;
    b.common();
    identity(b);
    b.set("/properties/computeType", json!(compute_type), head);
    b.attr(&["location"], "/properties/computeLocation", same);
    b.attr(&["description"], "/properties/description", same);
    b.attr_or(
        &["local_auth_enabled"],
        "/properties/disableLocalAuth",
        negated,
        json!(false),
    );
    b.attr(
        &["vm_size", "virtual_machine_size"],
        "/properties/properties/vmSize",
        same,
    );
    b.attr(
        &["subnet_resource_id"],
        "/properties/properties/subnet/id",
        same,
    );
    b.attr_or(
        &["node_public_ip_enabled"],
        "/properties/properties/enableNodePublicIp",
        same,
        json!(true),
    );
}

fn compute(b: Builder<'_>) -> Mapped {
    let (rg, workspace) = parent_from_id(b.inst(), "machine_learning_workspace_id");
    child(
        b,
        "Microsoft.MachineLearningServices/workspaces/computes",
        &rg,
        &workspace,
    )
}

/// `azurerm_machine_learning_compute_instance`.
pub fn compute_instance(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    compute_common(&mut b, "ComputeInstance");
    let ssh = if inst.is_set("ssh.0") {
        "Enabled"
    } else {
        "Disabled"
    };
    b.set(
        "/properties/properties/sshSettings/sshPublicAccess",
        json!(ssh),
        inst.span("ssh.0"),
    );
    compute(b)
}

/// `azurerm_machine_learning_compute_cluster`.
pub fn compute_cluster(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    compute_common(&mut b, "AmlCompute");
    b.attr(&["vm_priority"], "/properties/properties/vmPriority", same);
    b.attr_or(
        &["ssh_public_access_enabled"],
        "/properties/properties/remoteLoginPortPublicAccess",
        enabled,
        json!("Disabled"),
    );
    b.attr(
        &["scale_settings.0.min_node_count"],
        "/properties/properties/scaleSettings/minNodeCount",
        same,
    );
    b.attr(
        &["scale_settings.0.max_node_count"],
        "/properties/properties/scaleSettings/maxNodeCount",
        same,
    );
    compute(b)
}

/// The NICs of a virtual machine (`network_interface_ids`) as ARM `networkProfile`.
fn network_interfaces(b: &mut Builder<'_>) {
    let inst = b.inst();
    let Some(ids) = inst.get("network_interface_ids") else {
        return;
    };
    let span: Span = inst.span("network_interface_ids");
    let list: Vec<Json> = match ids.as_list() {
        Some(items) => items.iter().map(|i| json!({"id": i.to_json()})).collect(),
        None => vec![json!({"id": ids.to_json()})],
    };
    b.set(
        "/properties/networkProfile/networkInterfaces",
        Json::Array(list),
        span,
    );
}

/// `azurerm_linux_virtual_machine` / `azurerm_windows_virtual_machine`.
pub fn virtual_machine(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["size"], "/properties/hardwareProfile/vmSize", same);
    b.attr(
        &["admin_username"],
        "/properties/osProfile/adminUsername",
        same,
    );
    b.secret(&["admin_password"], "/properties/osProfile/adminPassword");
    b.attr(
        &["disable_password_authentication"],
        "/properties/osProfile/linuxConfiguration/disablePasswordAuthentication",
        same,
    );
    network_interfaces(&mut b);
    top_level(b, "Microsoft.Compute/virtualMachines")
}

/// The legacy `azurerm_virtual_machine`, whose OS profile is a block.
pub fn legacy_virtual_machine(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["vm_size"], "/properties/hardwareProfile/vmSize", same);
    b.attr(
        &["os_profile.0.admin_username"],
        "/properties/osProfile/adminUsername",
        same,
    );
    b.secret(
        &["os_profile.0.admin_password"],
        "/properties/osProfile/adminPassword",
    );
    network_interfaces(&mut b);
    top_level(b, "Microsoft.Compute/virtualMachines")
}
