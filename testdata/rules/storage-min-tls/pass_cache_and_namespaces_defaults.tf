# azurerm defaults minimum_tls_version to "1.2" on Redis, Service Bus and Event Hubs.
resource "azurerm_redis_cache" "features" {
  name                = "redis-contoso-features"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
}

resource "azurerm_servicebus_namespace" "jobs" {
  name                = "sb-contoso-jobs"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  sku                 = "Standard"
}

resource "azurerm_eventhub_namespace" "telemetry" {
  name                = "evh-contoso-telemetry"
  location            = "westeurope"
  resource_group_name = "rg-ml"
  sku                 = "Standard"
  minimum_tls_version = 1.2
}
