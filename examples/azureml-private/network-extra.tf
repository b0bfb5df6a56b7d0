# The rest of the network the guides ask for: an NSG on the endpoint subnet, outbound
# traffic from training compute denied, a jumpbox reached through Bastion, an analytics
# network whose endpoint resolves through a linked zone, and secrets kept out of the code.
# The quick-start values (SSH open to "*") stand for the shortcuts the team took: each
# shortcut below is what `moat scan` reports in the leaky configuration.

locals {
  shortcuts = var.ssh_source_prefix == "*"
}

resource "azurerm_network_security_group" "endpoints" {
  name                = "nsg-${local.name}-endpoints"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
}

# Shortcut: the endpoint subnet is left without its NSG (subnet-no-nsg).
resource "azurerm_subnet_network_security_group_association" "endpoints" {
  count                     = local.shortcuts ? 0 : 1
  subnet_id                 = azurerm_subnet.endpoints.id
  network_security_group_id = azurerm_network_security_group.endpoints.id
}

# Training nodes reach only the service tags the training NSG allows; nothing else leaves.
resource "azurerm_network_security_rule" "deny_internet_outbound" {
  count                       = local.shortcuts ? 0 : 1
  name                        = "DenyInternetOutbound"
  resource_group_name         = azurerm_resource_group.ml.name
  network_security_group_name = azurerm_network_security_group.training.name
  priority                    = 4000
  direction                   = "Outbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "*"
  destination_address_prefix  = "Internet"
}

# Shortcut: RDP to the jumpbox from "everywhere but written as two halves"
# (nsg-broad-inbound-source), and a public IP on its NIC (vm-public-ip).
resource "azurerm_network_security_rule" "jumpbox_rdp" {
  name                        = "AllowRdpToJumpbox"
  resource_group_name         = azurerm_resource_group.ml.name
  network_security_group_name = azurerm_network_security_group.training.name
  priority                    = 210
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefixes     = local.shortcuts ? ["0.0.0.0/1", "128.0.0.0/1"] : [var.ssh_source_prefix]
  destination_address_prefix  = azurerm_subnet.training.address_prefixes[0]
}

resource "azurerm_public_ip" "jumpbox" {
  count               = local.shortcuts ? 1 : 0
  name                = "pip-${local.name}-jumpbox"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_network_interface" "jumpbox" {
  name                = "nic-${local.name}-jumpbox"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location

  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = azurerm_subnet.training.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = local.shortcuts ? azurerm_public_ip.jumpbox[0].id : null
  }
}

# The analytics team's network, with its own endpoint to the workspace's key vault.
resource "azurerm_virtual_network" "analytics" {
  name                = "vnet-${local.name}-analytics"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  address_space       = ["10.41.0.0/16"]
  # Shortcut: on-premises DNS servers with nothing forwarding the privatelink zones
  # (vnet-custom-dns-no-private-resolution).
  dns_servers = local.shortcuts ? ["192.168.10.4", "192.168.10.5"] : []
}

resource "azurerm_subnet" "analytics_endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.analytics.name
  address_prefixes     = ["10.41.2.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "analytics_endpoints" {
  subnet_id                 = azurerm_subnet.analytics_endpoints.id
  network_security_group_id = azurerm_network_security_group.endpoints.id
}

resource "azurerm_private_endpoint" "analytics_vault" {
  name                = "pe-${local.name}-analytics-vault"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  subnet_id           = azurerm_subnet.analytics_endpoints.id

  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = azurerm_key_vault.ml.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.zone["vault"].id]
  }
}

# Shortcut: the vault zone is linked to the ML network only, not to the analytics network
# its endpoint's clients resolve from (private-dns-zone-unlinked).
resource "azurerm_private_dns_zone_virtual_network_link" "analytics_vault" {
  count                 = local.shortcuts ? 0 : 1
  name                  = "link-analytics"
  resource_group_name   = azurerm_resource_group.ml.name
  private_dns_zone_name = azurerm_private_dns_zone.zone["vault"].name
  virtual_network_id    = azurerm_virtual_network.analytics.id
}

# The feature store's password is set by the release pipeline (`az keyvault secret set`),
# never by this code. Shortcut: pasted from the wiki into it (hardcoded-secret).
resource "azurerm_key_vault_secret" "feature_store_pasted" {
  count        = local.shortcuts ? 1 : 0
  name         = "feature-store-password"
  value        = "Wiki-Pasted-Passw0rd!"
  key_vault_id = azurerm_key_vault.ml.id
}
