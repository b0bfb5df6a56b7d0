# The vault lives in another subscription's state; the group id alone says which zone it needs.
variable "shared_key_vault_id" {
  type    = string
  default = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-platform/providers/Microsoft.KeyVault/vaults/kv-platform-shared"
}

variable "vault_zone_id" {
  type    = string
  default = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"
}

resource "azurerm_resource_group" "app" {
  name     = "rg-billing"
  location = "westeurope"
}

resource "azurerm_private_endpoint" "shared_kv" {
  name                = "pe-kv-platform-shared"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  subnet_id           = "/subscriptions/0000/resourceGroups/rg-billing-net/providers/Microsoft.Network/virtualNetworks/vnet-billing/subnets/snet-pe"

  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = var.shared_key_vault_id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "platform-dns"
    private_dns_zone_ids = [var.vault_zone_id]
  }
}
