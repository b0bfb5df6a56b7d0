# Public access on, but the network rule set denies by default: only the build agents get in.
variable "build_agent_ips" {
  type    = list(string)
  default = ["198.51.100.10/32", "198.51.100.11/32"]
}

resource "azurerm_resource_group" "acr" {
  name     = "rg-registry"
  location = "westeurope"
}

resource "azurerm_container_registry" "ml" {
  name                = "acrmlfirewalled"
  resource_group_name = azurerm_resource_group.acr.name
  location            = azurerm_resource_group.acr.location
  sku                 = "Premium"

  network_rule_set {
    default_action = "Deny"

    dynamic "ip_rule" {
      for_each = var.build_agent_ips
      content {
        action   = "Allow"
        ip_range = ip_rule.value
      }
    }
  }
}
