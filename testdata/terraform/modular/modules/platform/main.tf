variable "prefix" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "vault_dns_zone_id" {
  type    = string
  default = null
}

variable "public_access" {
  description = "Whether the vault accepts traffic from all networks."
  type        = bool
  default     = true
}

resource "azurerm_key_vault" "this" {
  name                          = "kv-${var.prefix}"
  resource_group_name           = var.resource_group_name
  location                      = var.location
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  public_network_access_enabled = var.public_access
}

module "vault_endpoint" {
  source = "../private-endpoint"

  name                = "pe-${var.prefix}-vault"
  resource_group_name = var.resource_group_name
  location            = var.location
  subnet_id           = var.subnet_id
  target_id           = azurerm_key_vault.this.id
  subresource         = "vault"
  dns_zone_ids        = var.vault_dns_zone_id == null ? [] : [var.vault_dns_zone_id]
}

module "cache_endpoint" {
  source = "../private-endpoint"
  count  = 2

  name                = "pe-${var.prefix}-vault-${count.index}"
  resource_group_name = var.resource_group_name
  location            = var.location
  subnet_id           = var.subnet_id
  target_id           = azurerm_key_vault.this.id
  subresource         = "vault"
  dns_zone_ids        = count.index == 0 ? [var.vault_dns_zone_id] : []
}

output "vault_id" {
  value = azurerm_key_vault.this.id
}
