# Gate fixture: every suppression syntax moat reads in HCL, one case each.

resource "azurerm_resource_group" "rg" {
  name     = "rg-gate"
  location = "westeurope"
}

# Checkov's syntax inside the block, for a Checkov id the rule lists.
resource "azurerm_storage_account" "cdn" {
  #checkov:skip=CKV_AZURE_35:CDN origin, reviewed by security
  name                          = "stgatecdn"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = true
  shared_access_key_enabled     = false
}

# An expired suppression: the finding is reported, with a warning.
resource "azurerm_network_security_group" "jump" {
  name                = "nsg-gate-jump"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name

  # moat:ignore nsg-open-inbound -- jump host, temporary until 2001-01-01
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

// moat:ignore keyvault-public-access -- lab vault, no secrets until 2999-12-31
resource "azurerm_key_vault" "lab" {
  name                = "kv-gate-lab"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"

  purge_protection_enabled = true
}

resource "azurerm_container_registry" "acr" {
  name                = "acrgate"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  sku                 = "Premium"
  public_network_access_enabled = true # moat:ignore acr-public-access
}

# moat:ignore sql-public-access -- nothing of this rule here
resource "azurerm_virtual_network" "vnet" {
  name                = "vnet-gate"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  address_space       = ["10.0.0.0/16"]
}

# A suppression on a module call covers what the module creates.
# moat:ignore storage-public-access -- the module's account is a public website
module "site" {
  source = "./mod"
  name   = "stgatesite"
}
