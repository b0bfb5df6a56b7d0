//! Azure Machine Learning (workspaces, their managed-network outbound rules, compute
//! instances and clusters, attached inference (AKS) clusters, datastores) and virtual machines.

use serde_json::{json, Map, Value as Json};

use super::builder::{enabled, negated, same, Builder};
use super::{child, parent_from_id, top_level, Mapped};
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::ingest::terraform::instance::Instance;
use crate::model::Span;

/// `identity { type, identity_ids }` as ARM `identity`: `"SystemAssigned, UserAssigned"`
/// becomes `"SystemAssigned,UserAssigned"`, the ids become `userAssignedIdentities` keys.
pub(super) fn identity(b: &mut Builder<'_>) {
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
    b.public_network_access();
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
    serverless_compute(&mut b);
    top_level(b, "Microsoft.MachineLearningServices/workspaces")
}

/// `serverless_compute { subnet_id, public_ip_enabled }` as `serverlessComputeSettings`
/// (`public_ip_enabled` defaults to false: no public IP).
fn serverless_compute(b: &mut Builder<'_>) {
    let inst = b.inst();
    if !inst.is_set("serverless_compute.0") {
        return;
    }
    b.attr(
        &["serverless_compute.0.subnet_id"],
        "/properties/serverlessComputeSettings/serverlessComputeCustomSubnet",
        same,
    );
    b.attr_or(
        &["serverless_compute.0.public_ip_enabled"],
        "/properties/serverlessComputeSettings/serverlessComputeNoPublicIP",
        negated,
        json!(true),
    );
}

/// `azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint`: a
/// `workspaces/outboundRules` child of type `PrivateEndpoint`.
pub fn outbound_rule_private_endpoint(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.set("/properties/type", json!("PrivateEndpoint"), inst.head);
    b.set("/properties/category", json!("UserDefined"), inst.head);
    b.attr(
        &["service_resource_id"],
        "/properties/destination/serviceResourceId",
        same,
    );
    b.attr(
        &["sub_resource_target"],
        "/properties/destination/subresourceTarget",
        same,
    );
    b.attr_or(
        &["spark_enabled"],
        "/properties/destination/sparkEnabled",
        same,
        json!(false),
    );
    let (rg, workspace) = parent_from_id(inst, "workspace_id");
    child(
        b,
        "Microsoft.MachineLearningServices/workspaces/outboundRules",
        &rg,
        &workspace,
    )
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

/// `azurerm_machine_learning_inference_cluster`: an AKS cluster attached to a workspace,
/// a compute of type `AKS` whose `resourceId` is the cluster.
pub fn inference_cluster(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    identity(&mut b);
    b.set("/properties/computeType", json!("AKS"), inst.head);
    b.attr(&["location"], "/properties/computeLocation", same);
    b.attr(&["description"], "/properties/description", same);
    b.attr(&["kubernetes_cluster_id"], "/properties/resourceId", same);
    b.attr(
        &["cluster_purpose"],
        "/properties/properties/clusterPurpose",
        same,
    );
    compute(b)
}

/// The storage account a datastore's container id names: the segment after
/// `storageAccounts` in an ARM id, or the host's first label in a data-plane URL
/// (`https://<account>.blob.core.windows.net/<container>`, azurerm v3's container `id`).
fn account_of_container(container: &str) -> Option<String> {
    if let Some(rest) = container.split_once("://").map(|(_, r)| r) {
        return rest.split('.').next().map(str::to_owned);
    }
    let mut segments = container.split('/');
    segments.find(|s| s.eq_ignore_ascii_case("storageAccounts"))?;
    segments.next().map(str::to_owned)
}

fn datastore(inst: &Instance, datastore_type: &str) -> Mapped {
    let mut b = Builder::new(inst);
    b.set(
        "/properties/datastoreType",
        json!(datastore_type),
        inst.head,
    );
    b.attr(&["description"], "/properties/description", same);
    if let Some(container) = inst.get("storage_container_id") {
        let account = container
            .as_str()
            .and_then(account_of_container)
            .unwrap_or_else(|| UNKNOWN_MARKER.to_owned());
        b.set(
            "/properties/accountName",
            json!(account),
            inst.span("storage_container_id"),
        );
    }
    let (rg, workspace) = parent_from_id(inst, "workspace_id");
    child(
        b,
        "Microsoft.MachineLearningServices/workspaces/datastores",
        &rg,
        &workspace,
    )
}

/// `azurerm_machine_learning_datastore_blobstorage`.
pub fn datastore_blob(inst: &Instance) -> Mapped {
    datastore(inst, "AzureBlob")
}

/// `azurerm_machine_learning_datastore_datalake_gen2`.
pub fn datastore_datalake_gen2(inst: &Instance) -> Mapped {
    datastore(inst, "AzureDataLakeGen2")
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

#[cfg(test)]
mod tests {
    use super::account_of_container;

    #[test]
    fn a_container_id_names_its_account() {
        let arm = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/lake/blobServices/default/containers/raw";
        assert_eq!(account_of_container(arm).as_deref(), Some("lake"));
        let url = "https://lake.blob.core.windows.net/raw";
        assert_eq!(account_of_container(url).as_deref(), Some("lake"));
        assert_eq!(account_of_container("raw"), None);
    }
}
