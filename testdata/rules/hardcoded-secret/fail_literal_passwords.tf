resource "azurerm_mssql_server" "sql" {
  name                          = "sql-mlw-prod"
  resource_group_name           = "rg-mlw-prod-weu"
  location                      = "westeurope"
  version                       = "12.0"
  administrator_login           = "sqladmin"
  administrator_login_password  = "Sup3r-S3cret!Value"
  public_network_access_enabled = false
}

resource "azurerm_key_vault_secret" "db" {
  name         = "db-password"
  value        = "An0ther-S3cret!Value"
  key_vault_id = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.KeyVault/vaults/kv-mlw-prod"
}

resource "azurerm_linux_web_app" "app" {
  name                = "app-mlw-prod"
  resource_group_name = "rg-mlw-prod-weu"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Web/serverFarms/asp-ml"

  site_config {}

  app_settings = {
    "STORAGE_CONNECTION" = "DefaultEndpointsProtocol=https;AccountName=stml;AccountKey=c2VjcmV0a2V5c2VjcmV0a2V5;EndpointSuffix=core.windows.net"
    "FEATURE_FLAG"       = "on"
  }
}
