//! A generated Terraform deployment for the benchmarks: private Azure ML "units" (network,
//! NSG, storage, key vault, registry, workspace, compute, private endpoints with DNS zone
//! groups, PostgreSQL) spread over a few root modules, two units (50 resources) per file.
//!
//! Names come from variables, locals and string templates; resources reference each other;
//! service endpoints come from a local module called with `for_each`, DNS links use
//! `for_each`. About one resource in ten is a deliberate
//! violation, chosen by a fixed pseudo-random sequence so every run writes the same files.

pub mod bicep;
pub mod export;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Root modules (folders) the resources are spread over.
const ROOT_MODULES: usize = 4;
/// Resource instances in one unit.
const UNIT_RESOURCES: usize = 25;
/// Units per `.tf` file.
const UNITS_PER_FILE: usize = 2;
/// Resource instances every root module has besides its units (resource group, log
/// analytics, application insights, five private DNS zones).
const SHARED_RESOURCES: usize = 8;
/// Private DNS zones each module creates and each unit links to its virtual network.
const ZONES: &[(&str, &str)] = &[
    ("blob", "privatelink.blob.core.windows.net"),
    ("vault", "privatelink.vaultcore.azure.net"),
    ("registry", "privatelink.azurecr.io"),
    ("api", "privatelink.api.azureml.ms"),
    ("notebooks", "privatelink.notebooks.azure.net"),
];

/// What [`write`] produced.
pub struct Written {
    /// Terraform resource instances (after `for_each`).
    pub resources: usize,
    /// Instances written with a deliberate violation.
    pub violations: usize,
}

/// The generated input kinds: a Terraform corpus, a Bicep corpus, and `az graph query`
/// exports (flat, hub-and-spoke private DNS, and flat minified onto one line).
pub const KINDS: &[&str] = &[
    "terraform",
    "bicep",
    "export-flat",
    "export-hub",
    "export-minified",
];

/// The rules input `kind` plants its violations for. Hardening rules added since (shared
/// keys, registry data endpoints, ML dependencies without private endpoints) judge settings
/// the generators leave at their defaults, and are not counted.
pub fn planted(kind: &str) -> &'static [&'static str] {
    match kind {
        "terraform" => &[
            "storage-public-access",
            "keyvault-public-access",
            "acr-public-access",
            "acr-sku-not-premium",
            "ml-workspace-public-access",
            "ml-uai-private-storage",
            "nsg-open-inbound",
            "private-endpoint-missing-dns",
            "postgres-public-access",
        ],
        "bicep" => &["storage-public-access"],
        _ => &[
            "storage-public-access",
            "nsg-open-inbound",
            "private-endpoint-missing-dns",
        ],
    }
}

/// Writes input `kind` (one of [`KINDS`]) of about `size` resources into `dir`:
/// (resources, resources with a violation).
pub fn generate(kind: &str, dir: &Path, size: usize) -> io::Result<(usize, usize)> {
    let export = |layout, minified| {
        let shape = export::Shape {
            layout,
            minified,
            pages: 1,
        };
        export::write(dir, size, shape).map(|w| (w.resources, w.violations))
    };
    match kind {
        "terraform" => write(dir, size).map(|w| (w.resources, w.violations)),
        "bicep" => bicep::write(dir, size).map(|w| (w.resources, w.violations)),
        "export-flat" => export(export::Layout::Flat, false),
        "export-hub" => export(export::Layout::HubSpoke, false),
        "export-minified" => export(export::Layout::Flat, true),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unknown input kind {kind}"),
        )),
    }
}

/// Writes a deployment of about `target` resource instances into `dir`, one folder per
/// root module.
pub fn write(dir: &Path, target: usize) -> io::Result<Written> {
    let per_module = target.div_ceil(ROOT_MODULES);
    let units = per_module
        .saturating_sub(SHARED_RESOURCES)
        .div_ceil(UNIT_RESOURCES)
        .max(1);
    let mut rng = Lcg(0x5eed);
    let mut written = Written {
        resources: 0,
        violations: 0,
    };
    for module in 0..ROOT_MODULES {
        let root = dir.join(format!("stack-{module:02}"));
        fs::create_dir_all(&root)?;
        fs::write(root.join("providers.tf"), PROVIDERS)?;
        fs::write(root.join("variables.tf"), variables(module))?;
        fs::write(root.join("shared.tf"), shared())?;
        let module_dir = root.join("modules/endpoint");
        fs::create_dir_all(&module_dir)?;
        fs::write(module_dir.join("main.tf"), ENDPOINT_MODULE)?;
        written.resources += SHARED_RESOURCES;
        for first in (0..units).step_by(UNITS_PER_FILE) {
            let mut text = String::new();
            for unit in first..(first + UNITS_PER_FILE).min(units) {
                let flaws = Flaws::draw(&mut rng);
                written.violations += flaws.count();
                written.resources += UNIT_RESOURCES;
                text.push_str(&unit_text(unit, &flaws));
            }
            fs::write(root.join(format!("units-{first:03}.tf")), text)?;
        }
    }
    Ok(written)
}

/// The local module every unit calls with `for_each` for its service endpoints.
const ENDPOINT_MODULE: &str = r#"variable "name" { type = string }
variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "subnet_id" { type = string }
variable "target_id" { type = string }
variable "subresource" { type = string }
variable "zone_id" { type = string }

resource "azurerm_private_endpoint" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  subnet_id           = var.subnet_id

  private_service_connection {
    name                           = "psc-${var.subresource}"
    private_connection_resource_id = var.target_id
    subresource_names              = [var.subresource]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.zone_id]
  }
}

output "id" {
  value = azurerm_private_endpoint.this.id
}
"#;

/// A small deterministic generator (Knuth's MMIX constants); no dependency, same corpus on
/// every machine.
struct Lcg(u64);

impl Lcg {
    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % 100 < percent
    }
}

/// The violations one unit carries; each is drawn independently.
struct Flaws {
    /// Storage account public, firewall default Allow (`storage-public-access`).
    storage_public: bool,
    /// Key vault public, ACL default Allow (`keyvault-public-access`).
    vault_public: bool,
    /// Standard-SKU public registry behind a private endpoint (`acr-public-access`,
    /// `acr-sku-not-premium`).
    registry_standard: bool,
    /// Workspace public (`ml-workspace-public-access`).
    workspace_public: bool,
    /// Workspace with only a user-assigned identity and private storage
    /// (`ml-uai-private-storage`).
    workspace_uai_only: bool,
    /// SSH open to `*` (`nsg-open-inbound`).
    ssh_open: bool,
    /// SSH open to `*` but shadowed by a higher-priority Deny: not a violation.
    ssh_shadowed: bool,
    /// Workspace endpoint without the notebooks zone (`private-endpoint-missing-dns`).
    endpoint_missing_zone: bool,
    /// PostgreSQL public with an all-addresses firewall rule (`postgres-public-access`).
    postgres_open: bool,
}

impl Flaws {
    /// Each flaw with a 35% chance: about 2.5 violating resources in a unit of 25.
    fn draw(rng: &mut Lcg) -> Flaws {
        Flaws {
            storage_public: rng.chance(35),
            vault_public: rng.chance(35),
            registry_standard: rng.chance(35),
            workspace_public: rng.chance(35),
            workspace_uai_only: rng.chance(35),
            ssh_open: rng.chance(35),
            ssh_shadowed: rng.chance(35),
            endpoint_missing_zone: rng.chance(35),
            postgres_open: rng.chance(35),
        }
    }

    /// Resources carrying at least one violation.
    fn count(&self) -> usize {
        // A UAI-only workspace is a violation only while its storage is private.
        let uai = self.workspace_uai_only && !self.storage_public;
        [
            self.storage_public,
            self.vault_public,
            self.registry_standard,
            self.workspace_public || uai,
            self.ssh_open && !self.ssh_shadowed,
            self.endpoint_missing_zone,
            self.postgres_open,
        ]
        .iter()
        .filter(|&&b| b)
        .count()
    }
}

const PROVIDERS: &str = r#"terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}

provider "azurerm" {
  features {}
}

data "azurerm_client_config" "current" {}
"#;

fn variables(module: usize) -> String {
    r#"variable "project" {
  type    = string
  default = "bench@M"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "address_space" {
  description = "Each unit takes a /16 of it."
  type        = string
  default     = "10.0.0.0/8"
}

variable "bastion_prefix" {
  type    = string
  default = "10.255.250.0/26"
}

variable "registry_sku" {
  type    = string
  default = "Premium"
}

variable "storage_default_action" {
  type    = string
  default = "Deny"
}

variable "workspace_public_network_access" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = { owner = "platform", cost_center = "ml" }
}
"#
    .replace("@M", &format!("{module:02}"))
}

fn shared() -> String {
    let mut zones = String::new();
    for (key, zone) in ZONES {
        writeln!(zones, "    {key:<9} = \"{zone}\"").unwrap();
    }
    r#"locals {
  name   = "${var.project}-${var.environment}"
  suffix = substr(md5(local.name), 0, 6)
  tags   = merge(var.tags, { project = var.project, environment = var.environment })
  zones = {
@ZONES  }
  subresources = { blob = "blob", vault = "vault", registry = "registry" }
}

resource "azurerm_resource_group" "shared" {
  name     = "rg-${local.name}-shared"
  location = var.location
  tags     = local.tags
}

resource "azurerm_log_analytics_workspace" "shared" {
  name                = "log-${local.name}"
  resource_group_name = azurerm_resource_group.shared.name
  location            = azurerm_resource_group.shared.location
  sku                 = "PerGB2018"
  retention_in_days   = 30
}

resource "azurerm_application_insights" "shared" {
  name                = "appi-${local.name}"
  resource_group_name = azurerm_resource_group.shared.name
  location            = azurerm_resource_group.shared.location
  workspace_id        = azurerm_log_analytics_workspace.shared.id
  application_type    = "web"
}

resource "azurerm_private_dns_zone" "zone" {
  for_each            = local.zones
  name                = each.value
  resource_group_name = azurerm_resource_group.shared.name
}
"#
    .replace("@ZONES", &zones)
}

/// One unit: 25 resource instances named `u<unit>`.
fn unit_text(unit: usize, f: &Flaws) -> String {
    let pick =
        |flaw: bool, bad: &str, good: &str| -> String { if flaw { bad } else { good }.to_owned() };
    let shadow_rule = if f.ssh_shadowed {
        r#"
  security_rule {
    name                       = "DenySsh"
    priority                   = 150
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
"#
    } else {
        ""
    };
    let notebooks = pick(
        f.endpoint_missing_zone,
        "",
        ",\n      azurerm_private_dns_zone.zone[\"notebooks\"].id",
    );
    let replacements = [
        ("@SHADOW", shadow_rule.to_owned()),
        ("@NOTEBOOKS", notebooks),
        (
            "@SSH_SOURCE",
            pick(f.ssh_open || f.ssh_shadowed, "\"*\"", "var.bastion_prefix"),
        ),
        ("@STORAGE_PUBLIC", pick(f.storage_public, "true", "false")),
        (
            "@STORAGE_ACTION",
            pick(f.storage_public, "\"Allow\"", "var.storage_default_action"),
        ),
        ("@VAULT_PUBLIC", pick(f.vault_public, "true", "false")),
        ("@VAULT_ACTION", pick(f.vault_public, "Allow", "Deny")),
        (
            "@REGISTRY_SKU",
            pick(f.registry_standard, "\"Standard\"", "var.registry_sku"),
        ),
        (
            "@REGISTRY_PUBLIC",
            pick(f.registry_standard, "true", "false"),
        ),
        (
            "@WORKSPACE_PUBLIC",
            pick(
                f.workspace_public,
                "true",
                "var.workspace_public_network_access",
            ),
        ),
        (
            "@IDENTITY",
            pick(
                f.workspace_uai_only,
                "UserAssigned",
                "SystemAssigned, UserAssigned",
            ),
        ),
        ("@PG_PUBLIC", pick(f.postgres_open, "true", "false")),
        (
            "@PG_END",
            pick(f.postgres_open, "255.255.255.255", "203.0.113.20"),
        ),
        (
            "@PG_START",
            pick(f.postgres_open, "0.0.0.0", "203.0.113.10"),
        ),
        ("@N", unit.to_string()),
        ("@U", format!("u{unit:03}")),
    ];
    replacements
        .iter()
        .fold(UNIT.to_owned(), |text, (from, to)| text.replace(from, to))
}

const UNIT: &str = r#"
# ---- unit @U -------------------------------------------------------------------------

resource "azurerm_resource_group" "@U" {
  name     = "rg-${local.name}-@U"
  location = var.location
  tags     = merge(local.tags, { unit = "@U" })
}

resource "azurerm_virtual_network" "@U" {
  name                = "vnet-${local.name}-@U"
  resource_group_name = azurerm_resource_group.@U.name
  location            = azurerm_resource_group.@U.location
  address_space       = [cidrsubnet(var.address_space, 8, @N)]
  tags                = local.tags
}

resource "azurerm_subnet" "@U_training" {
  name                 = "snet-training"
  resource_group_name  = azurerm_resource_group.@U.name
  virtual_network_name = azurerm_virtual_network.@U.name
  address_prefixes     = [cidrsubnet(azurerm_virtual_network.@U.address_space[0], 8, 1)]
}

resource "azurerm_subnet" "@U_endpoints" {
  name                              = "snet-endpoints"
  resource_group_name               = azurerm_resource_group.@U.name
  virtual_network_name              = azurerm_virtual_network.@U.name
  address_prefixes                  = [cidrsubnet(azurerm_virtual_network.@U.address_space[0], 8, 2)]
  private_endpoint_network_policies = "Disabled"
}

resource "azurerm_network_security_group" "@U" {
  name                = "nsg-${local.name}-@U"
  resource_group_name = azurerm_resource_group.@U.name
  location            = azurerm_resource_group.@U.location

  security_rule {
    name                       = "AllowBatchNodeManagement"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "29876-29877"
    source_address_prefix      = "BatchNodeManagement"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "AllowAzureMachineLearning"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "44224"
    source_address_prefix      = "AzureMachineLearning"
    destination_address_prefix = "*"
  }
@SHADOW}

resource "azurerm_network_security_rule" "@U_ssh" {
  name                        = "AllowSsh"
  resource_group_name         = azurerm_resource_group.@U.name
  network_security_group_name = azurerm_network_security_group.@U.name
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = @SSH_SOURCE
  destination_address_prefix  = azurerm_subnet.@U_training.address_prefixes[0]
}

resource "azurerm_subnet_network_security_group_association" "@U" {
  subnet_id                 = azurerm_subnet.@U_training.id
  network_security_group_id = azurerm_network_security_group.@U.id
}

resource "azurerm_storage_account" "@U" {
  name                            = "st${var.project}${local.suffix}@U"
  resource_group_name             = azurerm_resource_group.@U.name
  location                        = azurerm_resource_group.@U.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  public_network_access_enabled   = @STORAGE_PUBLIC
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  tags                            = local.tags
}

resource "azurerm_storage_account_network_rules" "@U" {
  storage_account_id = azurerm_storage_account.@U.id
  default_action     = @STORAGE_ACTION
  bypass             = ["AzureServices"]
}

resource "azurerm_key_vault" "@U" {
  name                          = "kv-${local.suffix}-@U"
  resource_group_name           = azurerm_resource_group.@U.name
  location                      = azurerm_resource_group.@U.location
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  rbac_authorization_enabled    = true
  purge_protection_enabled      = true
  public_network_access_enabled = @VAULT_PUBLIC

  network_acls {
    default_action = "@VAULT_ACTION"
    bypass         = "AzureServices"
  }
}

resource "azurerm_container_registry" "@U" {
  name                          = "cr${var.project}${local.suffix}@U"
  resource_group_name           = azurerm_resource_group.@U.name
  location                      = azurerm_resource_group.@U.location
  sku                           = @REGISTRY_SKU
  admin_enabled                 = false
  public_network_access_enabled = @REGISTRY_PUBLIC
  network_rule_bypass_option    = "AzureServices"
}

resource "azurerm_user_assigned_identity" "@U" {
  name                = "id-${local.name}-@U"
  resource_group_name = azurerm_resource_group.@U.name
  location            = azurerm_resource_group.@U.location
}

resource "azurerm_machine_learning_workspace" "@U" {
  name                           = "mlw-${local.name}-@U"
  resource_group_name            = azurerm_resource_group.@U.name
  location                       = azurerm_resource_group.@U.location
  application_insights_id        = azurerm_application_insights.shared.id
  key_vault_id                   = azurerm_key_vault.@U.id
  storage_account_id             = azurerm_storage_account.@U.id
  container_registry_id          = azurerm_container_registry.@U.id
  public_network_access_enabled  = @WORKSPACE_PUBLIC
  primary_user_assigned_identity = azurerm_user_assigned_identity.@U.id

  identity {
    type         = "@IDENTITY"
    identity_ids = [azurerm_user_assigned_identity.@U.id]
  }
}

resource "azurerm_machine_learning_compute_cluster" "@U" {
  name                          = "cpu-@U"
  location                      = azurerm_resource_group.@U.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.@U.id
  vm_priority                   = "Dedicated"
  vm_size                       = "Standard_DS3_v2"
  subnet_resource_id            = azurerm_subnet.@U_training.id
  node_public_ip_enabled        = false
  local_auth_enabled            = false

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 4
    scale_down_nodes_after_idle_duration = "PT15M"
  }

  identity {
    type = "SystemAssigned"
  }
}

module "@U_endpoints" {
  source = "./modules/endpoint"
  for_each = {
    blob     = azurerm_storage_account.@U.id
    vault    = azurerm_key_vault.@U.id
    registry = azurerm_container_registry.@U.id
  }
  name                = "pe-${local.name}-@U-${each.key}"
  resource_group_name = azurerm_resource_group.@U.name
  location            = azurerm_resource_group.@U.location
  subnet_id           = azurerm_subnet.@U_endpoints.id
  target_id           = each.value
  subresource         = local.subresources[each.key]
  zone_id             = azurerm_private_dns_zone.zone[each.key].id
}

resource "azurerm_private_endpoint" "@U_workspace" {
  name                = "pe-${local.name}-@U-mlw"
  resource_group_name = azurerm_resource_group.@U.name
  location            = azurerm_resource_group.@U.location
  subnet_id           = azurerm_subnet.@U_endpoints.id

  private_service_connection {
    name                           = "psc-mlw"
    private_connection_resource_id = azurerm_machine_learning_workspace.@U.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name = "default"
    private_dns_zone_ids = [
      azurerm_private_dns_zone.zone["api"].id@NOTEBOOKS
    ]
  }
}

resource "azurerm_private_dns_zone_virtual_network_link" "@U" {
  for_each              = local.zones
  name                  = "link-@U-${each.key}"
  resource_group_name   = azurerm_resource_group.shared.name
  private_dns_zone_name = azurerm_private_dns_zone.zone[each.key].name
  virtual_network_id    = azurerm_virtual_network.@U.id
}

resource "azurerm_postgresql_flexible_server" "@U" {
  name                          = "psql-${local.name}-@U"
  resource_group_name           = azurerm_resource_group.@U.name
  location                      = azurerm_resource_group.@U.location
  version                       = "16"
  sku_name                      = "GP_Standard_D2s_v3"
  storage_mb                    = 65536
  public_network_access_enabled = @PG_PUBLIC
  zone                          = "1"

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = data.azurerm_client_config.current.tenant_id
  }
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "@U" {
  name             = "office"
  server_id        = azurerm_postgresql_flexible_server.@U.id
  start_ip_address = "@PG_START"
  end_ip_address   = "@PG_END"
}
"#;
