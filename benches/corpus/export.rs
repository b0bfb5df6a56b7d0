//! A generated `az graph query` export for the benchmarks, the scale tests and
//! `examples/gen_export.rs`: spokes of 14 resources (a virtual network with two subnets, an
//! NSG, a storage account, a key vault, a Premium registry, a private endpoint with a DNS
//! zone group for each of the three, and a private DNS zone link per group id).
//!
//! In the [`Layout::HubSpoke`] layout the three `privatelink.*` zones are central (one hub
//! resource group) and linked to every spoke's network: the usual enterprise layout, where
//! every zone has as many links as there are spokes. In [`Layout::Flat`] every spoke has
//! its own three zones. About one spoke in three carries a deliberate violation, chosen by
//! a fixed hash of its number, so every run writes the same bytes.
//!
//! Self-contained (serde_json only) so tests and examples can include it by path.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The subscription every generated id lives in.
const SUBSCRIPTION: &str = "3b9c1f4e-7a2d-4c58-9e61-0f8a2b5d7c13";
/// The group ids every spoke has an endpoint for, with the zone each needs.
const ZONES: &[(&str, &str)] = &[
    ("blob", "privatelink.blob.core.windows.net"),
    ("vault", "privatelink.vaultcore.azure.net"),
    ("registry", "privatelink.azurecr.io"),
];
/// Resources of one spoke (hub zones aside; in the flat layout three more, its zones).
pub const SPOKE_RESOURCES: usize = 14;

/// Where the private DNS zones live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Every spoke has its own zones, linked to its own network only.
    Flat,
    /// Central zones in a hub group, each linked to every spoke's network.
    HubSpoke,
}

/// How the export is written.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Where the zones live.
    pub layout: Layout,
    /// All on one line (as `az … -o json | jq -c` writes it) instead of pretty-printed.
    pub minified: bool,
    /// Files the rows are split over (`page-000.json`, …), as a paged export is saved.
    pub pages: usize,
}

/// What [`write`] produced.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Rows (resources) written.
    pub resources: usize,
    /// Resources written with a deliberate violation.
    pub violations: usize,
    /// The files written.
    pub files: Vec<PathBuf>,
}

/// The violations of spoke `n`: a public storage account, SSH open to the internet, a
/// zone not linked to the spoke's network. Each in about one spoke in nine.
struct Flaws {
    storage_public: bool,
    ssh_open: bool,
    /// Index into [`ZONES`] of the zone not linked, if any.
    unlinked: Option<usize>,
}

impl Flaws {
    fn of(spoke: usize) -> Flaws {
        let h = (spoke as u64 ^ 0x5eed)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
        let roll = |shift: u32| (h >> shift).is_multiple_of(9);
        Flaws {
            storage_public: roll(0),
            ssh_open: roll(8),
            unlinked: roll(16).then(|| ((h >> 24) % ZONES.len() as u64) as usize),
        }
    }

    fn count(&self) -> usize {
        usize::from(self.storage_public)
            + usize::from(self.ssh_open)
            + usize::from(self.unlinked.is_some())
    }
}

/// Rows of one spoke in a layout (before a missing link).
fn spoke_rows(layout: Layout) -> usize {
    match layout {
        Layout::Flat => SPOKE_RESOURCES + ZONES.len(),
        Layout::HubSpoke => SPOKE_RESOURCES,
    }
}

/// Spokes needed for about `target` resources.
pub fn spokes_for(target: usize, layout: Layout) -> usize {
    target.div_ceil(spoke_rows(layout)).max(1)
}

/// Calls `row` with every row of an export of about `target` resources, and returns how
/// many rows and violations there were.
pub fn rows(target: usize, layout: Layout, mut row: impl FnMut(Value)) -> (usize, usize) {
    let spokes = spokes_for(target, layout);
    let mut count = 0;
    let mut violations = 0;
    if layout == Layout::HubSpoke {
        for (_, zone) in ZONES {
            row(zone_row("rg-hub-dns", zone));
            count += 1;
        }
    }
    for n in 0..spokes {
        let flaws = Flaws::of(n);
        violations += flaws.count();
        for value in spoke(n, layout, &flaws) {
            row(value);
            count += 1;
        }
    }
    (count, violations)
}

/// Writes the export of about `target` resources into `dir`.
pub fn write(dir: &Path, target: usize, shape: Shape) -> io::Result<Written> {
    fs::create_dir_all(dir)?;
    let pages = shape.pages.max(1);
    let spokes = spokes_for(target, shape.layout);
    let hub = if shape.layout == Layout::HubSpoke {
        ZONES.len()
    } else {
        0
    };
    let per_spoke = spoke_rows(shape.layout);
    let unlinked = (0..spokes)
        .filter(|&n| Flaws::of(n).unlinked.is_some())
        .count();
    let total = hub + spokes * per_spoke - unlinked;
    let per_page = total.div_ceil(pages);
    let mut written = Written::default();
    let mut page: Option<Page> = None;
    let mut result = Ok(());
    let (resources, violations) = rows(target, shape.layout, |value| {
        if result.is_err() {
            return;
        }
        result = (|| {
            if page.as_ref().is_none_or(|p| p.rows == per_page) {
                if let Some(done) = page.take() {
                    done.finish(shape.minified)?;
                }
                let path = if pages == 1 {
                    dir.join("resources.json")
                } else {
                    dir.join(format!("page-{:03}.json", written.files.len()))
                };
                written.files.push(path.clone());
                page = Some(Page::start(&path, shape.minified)?);
            }
            page.as_mut()
                .map_or(Ok(()), |p| p.row(&value, shape.minified))
        })();
    });
    result?;
    if let Some(done) = page {
        done.finish(shape.minified)?;
    }
    written.resources = resources;
    written.violations = violations;
    Ok(written)
}

/// One file of the export being written.
struct Page {
    out: BufWriter<fs::File>,
    rows: usize,
}

impl Page {
    fn start(path: &Path, minified: bool) -> io::Result<Page> {
        let mut out = BufWriter::with_capacity(1 << 20, fs::File::create(path)?);
        out.write_all(if minified {
            b"{\"data\":["
        } else {
            b"{\n  \"data\": ["
        })?;
        Ok(Page { out, rows: 0 })
    }

    fn row(&mut self, value: &Value, minified: bool) -> io::Result<()> {
        if self.rows > 0 {
            self.out.write_all(b",")?;
        }
        if minified {
            serde_json::to_writer(&mut self.out, value)?;
        } else {
            let text = serde_json::to_string_pretty(value)?;
            for line in text.lines() {
                self.out.write_all(b"\n    ")?;
                self.out.write_all(line.as_bytes())?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(mut self, minified: bool) -> io::Result<()> {
        let tail = format!(
            "{}],{}\"count\": {},{}\"skip_token\": null{}}}\n",
            if minified { "" } else { "\n  " },
            if minified { "" } else { "\n  " },
            self.rows,
            if minified { "" } else { "\n  " },
            if minified { "" } else { "\n" },
        );
        self.out.write_all(tail.as_bytes())?;
        self.out.flush()
    }
}

fn group_id(group: &str) -> String {
    format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{group}")
}

fn arm_id(group: &str, kind: &str, name: &str) -> String {
    format!("{}/providers/{kind}/{name}", group_id(group))
}

/// A Resource Graph row: the columns `Resources` returns for every resource.
fn row(group: &str, kind: &str, name: &str, properties: Value) -> Value {
    with_id(arm_id(group, kind, name), group, kind, name, properties)
}

/// The row of a child resource: `segment` is the child type's last segment.
fn child_row(parent: &str, group: &str, kind: &str, name: &str, properties: Value) -> Value {
    let segment = kind.rsplit('/').next().unwrap_or(kind);
    with_id(
        format!("{parent}/{segment}/{name}"),
        group,
        kind,
        name,
        properties,
    )
}

fn with_id(id: String, group: &str, kind: &str, name: &str, properties: Value) -> Value {
    json!({
        "id": id,
        "name": name,
        "type": kind.to_ascii_lowercase(),
        "tenantId": "9a1c4e7b-2d5f-4a83-b6c0-1e9f7d3a5b28",
        "kind": "",
        "location": "westeurope",
        "resourceGroup": group,
        "subscriptionId": SUBSCRIPTION,
        "managedBy": "",
        "sku": null,
        "plan": null,
        "properties": properties,
        "tags": {"env": "prod", "costCenter": "platform"},
        "identity": null,
        "zones": null,
        "extendedLocation": null
    })
}

fn zone_row(group: &str, zone: &str) -> Value {
    row(
        group,
        "Microsoft.Network/privateDnsZones",
        zone,
        json!({"maxNumberOfRecordSets": 25000, "numberOfRecordSets": 1, "provisioningState": "Succeeded"}),
    )
}

/// The rows of spoke `n`.
fn spoke(n: usize, layout: Layout, flaws: &Flaws) -> Vec<Value> {
    let group = format!("rg-spoke-{n:06}");
    let vnet_name = format!("vnet-{n:06}");
    let vnet_id = arm_id(&group, "Microsoft.Network/virtualNetworks", &vnet_name);
    let nsg_name = format!("nsg-{n:06}");
    let nsg_id = arm_id(&group, "Microsoft.Network/networkSecurityGroups", &nsg_name);
    let (a, b) = ((n >> 8) % 256, n % 256);
    let zone_group = match layout {
        Layout::Flat => group.clone(),
        Layout::HubSpoke => "rg-hub-dns".to_owned(),
    };
    let mut rows = vec![
        row(
            &group,
            "Microsoft.Network/virtualNetworks",
            &vnet_name,
            json!({
                "addressSpace": {"addressPrefixes": [format!("10.{a}.{b}.0/24")]},
                "provisioningState": "Succeeded",
                "subnets": [
                    {"id": format!("{vnet_id}/subnets/snet-pe"), "name": "snet-pe",
                     "properties": {"addressPrefix": format!("10.{a}.{b}.0/26"),
                                    "privateEndpointNetworkPolicies": "Disabled"}},
                    {"id": format!("{vnet_id}/subnets/snet-work"), "name": "snet-work",
                     "properties": {"addressPrefix": format!("10.{a}.{b}.64/26"),
                                    "networkSecurityGroup": {"id": nsg_id}}}
                ]
            }),
        ),
        row(
            &group,
            "Microsoft.Network/networkSecurityGroups",
            &nsg_name,
            json!({"securityRules": [
                {"id": format!("{nsg_id}/securityRules/AllowHttpsFromVnet"), "name": "AllowHttpsFromVnet",
                 "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                                "sourcePortRange": "*", "destinationPortRange": "443",
                                "sourceAddressPrefix": "VirtualNetwork", "destinationAddressPrefix": "*"}},
                {"id": format!("{nsg_id}/securityRules/AllowSsh"), "name": "AllowSsh",
                 "properties": {"priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                                "sourcePortRange": "*", "destinationPortRange": "22",
                                "sourceAddressPrefix": if flaws.ssh_open { "*" } else { "10.255.0.0/24" },
                                "destinationAddressPrefix": "*"}}
            ]}),
        ),
        row(
            &group,
            "Microsoft.Storage/storageAccounts",
            &format!("st{n:010}"),
            json!({
                "publicNetworkAccess": if flaws.storage_public { "Enabled" } else { "Disabled" },
                "allowBlobPublicAccess": false,
                "minimumTlsVersion": "TLS1_2",
                "networkAcls": {"bypass": "AzureServices",
                                "defaultAction": if flaws.storage_public { "Allow" } else { "Deny" },
                                "ipRules": [], "virtualNetworkRules": []}
            }),
        ),
        row(
            &group,
            "Microsoft.KeyVault/vaults",
            &format!("kv-{n:06}"),
            json!({
                "enableRbacAuthorization": true,
                "enablePurgeProtection": true,
                "publicNetworkAccess": "Disabled",
                "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny"},
                "tenantId": "9a1c4e7b-2d5f-4a83-b6c0-1e9f7d3a5b28"
            }),
        ),
        {
            let mut registry = row(
                &group,
                "Microsoft.ContainerRegistry/registries",
                &format!("cr{n:06}"),
                json!({"adminUserEnabled": false, "publicNetworkAccess": "Disabled",
                       "networkRuleBypassOptions": "AzureServices"}),
            );
            registry["sku"] = json!({"name": "Premium", "tier": "Premium"});
            registry
        },
    ];
    let targets = [
        arm_id(
            &group,
            "Microsoft.Storage/storageAccounts",
            &format!("st{n:010}"),
        ),
        arm_id(&group, "Microsoft.KeyVault/vaults", &format!("kv-{n:06}")),
        arm_id(
            &group,
            "Microsoft.ContainerRegistry/registries",
            &format!("cr{n:06}"),
        ),
    ];
    for (i, ((group_name, zone), target)) in ZONES.iter().zip(&targets).enumerate() {
        let pe_name = format!("pe-{n:06}-{group_name}");
        let pe_id = arm_id(&group, "Microsoft.Network/privateEndpoints", &pe_name);
        rows.push(row(
            &group,
            "Microsoft.Network/privateEndpoints",
            &pe_name,
            json!({
                "subnet": {"id": format!("{vnet_id}/subnets/snet-pe")},
                "privateLinkServiceConnections": [{
                    "id": format!("{pe_id}/privateLinkServiceConnections/{pe_name}"),
                    "name": pe_name,
                    "properties": {"groupIds": [group_name], "privateLinkServiceId": target,
                                   "privateLinkServiceConnectionState": {"status": "Approved"}}
                }],
                "manualPrivateLinkServiceConnections": [],
                "provisioningState": "Succeeded"
            }),
        ));
        let zone_id = arm_id(&zone_group, "Microsoft.Network/privateDnsZones", zone);
        rows.push(child_row(
            &pe_id,
            &group,
            "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
            "default",
            json!({"privateDnsZoneConfigs": [{
                "name": zone.replace('.', "-"),
                "properties": {"privateDnsZoneId": zone_id}
            }]}),
        ));
        if layout == Layout::Flat {
            rows.push(zone_row(&group, zone));
        }
        if flaws.unlinked != Some(i) {
            rows.push(child_row(
                &zone_id,
                &zone_group,
                "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
                &format!("link-{n:06}"),
                json!({"registrationEnabled": false, "virtualNetwork": {"id": vnet_id},
                       "virtualNetworkLinkState": "Completed"}),
            ));
        }
    }
    rows
}
