# Declared with azapi to pin the preview API the platform team tested with.
resource "azapi_resource" "postgres" {
  type      = "Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview"
  name      = "psql-${var.prefix}"
  location  = azurerm_resource_group.aml.location
  parent_id = azurerm_resource_group.aml.id
  tags      = local.tags

  body = jsonencode({
    sku = {
      name = "Standard_D2ds_v5"
      tier = "GeneralPurpose"
    }
    properties = {
      version                    = "16"
      administratorLogin         = "pgadmin"
      administratorLoginPassword = var.postgres_admin_password
      storage                    = { storageSizeGB = 64 }
      availabilityZone           = "1"
    }
  })
}

# "Temporary" rule from the first load test.
resource "azurerm_postgresql_flexible_server_firewall_rule" "all" {
  name             = "AllowAll"
  server_id        = azapi_resource.postgres.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

resource "azurerm_mssql_server" "metadata" {
  name                         = "sql-${var.prefix}"
  location                     = azurerm_resource_group.aml.location
  resource_group_name          = azurerm_resource_group.aml.name
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.sql_admin_password
  minimum_tls_version          = "1.2"
  tags                         = local.tags
}

resource "azurerm_mssql_firewall_rule" "office" {
  name             = "AllowOffice"
  server_id        = azurerm_mssql_server.metadata.id
  start_ip_address = var.office_ip_range.start
  end_ip_address   = var.office_ip_range.end
}
