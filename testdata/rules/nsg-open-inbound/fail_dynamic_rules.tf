# Rules generated from a variable's default (no tfvars): one opens RDP to the internet.
variable "inbound_rules" {
  type = list(object({
    name     = string
    priority = number
    port     = string
    source   = string
  }))
  default = [
    { name = "allow-https", priority = 100, port = "443", source = "Internet" },
    { name = "allow-rdp", priority = 110, port = "3389", source = "*" },
    { name = "allow-lb", priority = 120, port = "*", source = "AzureLoadBalancer" },
  ]
}

resource "azurerm_resource_group" "app" {
  name     = "rg-app-frontend"
  location = "westeurope"
}

resource "azurerm_network_security_group" "app" {
  name                = "nsg-app-frontend"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name

  dynamic "security_rule" {
    for_each = var.inbound_rules
    content {
      name                       = security_rule.value.name
      priority                   = security_rule.value.priority
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = security_rule.value.port
      source_address_prefix      = security_rule.value.source
      destination_address_prefix = "*"
    }
  }
}
