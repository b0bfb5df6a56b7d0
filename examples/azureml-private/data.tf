# Feature store and metadata databases used by training pipelines.

resource "azurerm_postgresql_flexible_server" "metadata" {
  name                          = "psql-${local.name}"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  version                       = "16"
  sku_name                      = "GP_Standard_D2s_v3"
  storage_mb                    = 65536
  public_network_access_enabled = var.postgres_allow_all
  zone                          = "1"

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = data.azurerm_client_config.current.tenant_id
  }
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "anywhere" {
  count            = var.postgres_allow_all ? 1 : 0
  name             = "allow-all"
  server_id        = azurerm_postgresql_flexible_server.metadata.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

resource "azurerm_mssql_server" "features" {
  name                          = "sql-${local.name}-${local.suffix}"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  version                       = "12.0"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = length(var.sql_firewall_rules) > 0

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = "00000000-0000-0000-0000-000000000001"
    azuread_authentication_only = true
  }
}

resource "azurerm_mssql_firewall_rule" "rule" {
  for_each         = var.sql_firewall_rules
  name             = each.key
  server_id        = azurerm_mssql_server.features.id
  start_ip_address = each.value.start
  end_ip_address   = each.value.end
}
