# Rules generated from a map's default: only corporate ranges and service tags.
variable "rules" {
  type = map(object({ priority = number, ports = list(string), source = string }))
  default = {
    "allow-ssh-corp" = { priority = 100, ports = ["22"], source = "10.0.0.0/8" }
    "allow-lb"       = { priority = 110, ports = ["*"], source = "AzureLoadBalancer" }
    "allow-web"      = { priority = 120, ports = ["80", "443"], source = "Internet" }
  }
}

resource "azurerm_resource_group" "app" {
  name     = "rg-app-backend"
  location = "westeurope"
}

resource "azurerm_network_security_group" "app" {
  name                = "nsg-app-backend"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name

  dynamic "security_rule" {
    for_each = var.rules
    content {
      name                       = security_rule.key
      priority                   = security_rule.value.priority
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_ranges    = security_rule.value.ports
      source_address_prefix      = security_rule.value.source
      destination_address_prefix = "*"
    }
  }
}
