resource "azurerm_postgresql_flexible_server" "db" {
  name                = "psql-mlw-prod"
  resource_group_name = "rg-mlw-prod-weu"
  location            = "westeurope"
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"
  delegated_subnet_id = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-db"
  private_dns_zone_id = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Network/privateDnsZones/psql-mlw-prod.private.postgres.database.azure.com"
}

resource "azurerm_mysql_flexible_server" "db" {
  name                          = "mysql-mlw-prod"
  resource_group_name           = "rg-mlw-prod-weu"
  location                      = "westeurope"
  sku_name                      = "GP_Standard_D2ds_v4"
  public_network_access_enabled = false
}

variable "sql_public" {
  type = bool
}

# Not known statically: undecided, not a finding.
resource "azurerm_mssql_server" "sql" {
  name                          = "sql-mlw-prod"
  resource_group_name           = "rg-mlw-prod-weu"
  location                      = "westeurope"
  version                       = "12.0"
  public_network_access_enabled = var.sql_public
}
