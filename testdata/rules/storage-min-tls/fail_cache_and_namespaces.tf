# Redis, Service Bus and Event Hubs take the minimum TLS version as "1.0" / "1.1" / "1.2";
# Terraform accepts it written as a number too.
resource "azurerm_redis_cache" "features" {
  name                = "redis-contoso-features"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
  minimum_tls_version = "1.1"
}

resource "azurerm_servicebus_namespace" "jobs" {
  name                = "sb-contoso-jobs"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  sku                 = "Standard"
  minimum_tls_version = "1.0"
}

resource "azurerm_eventhub_namespace" "telemetry" {
  name                = "evh-contoso-telemetry"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  sku                 = "Standard"
  minimum_tls_version = 1.1
}
