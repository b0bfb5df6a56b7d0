variable "sql_admin_password" {
  type      = string
  sensitive = true
  default   = "NotFlaggedBecauseItIsAVariable1!"
}

resource "random_password" "vm" {
  length  = 24
  special = true
}

resource "azurerm_mssql_server" "sql" {
  name                          = "sql-mlw-prod"
  resource_group_name           = "rg-mlw-prod-weu"
  location                      = "westeurope"
  version                       = "12.0"
  administrator_login           = "sqladmin"
  administrator_login_password  = var.sql_admin_password
  public_network_access_enabled = false
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                            = "vm-ml"
  resource_group_name             = "rg-mlw-prod-weu"
  location                        = "westeurope"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = random_password.vm.result
  disable_password_authentication = false
  network_interface_ids           = ["/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Network/networkInterfaces/nic-vm"]

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

resource "azurerm_linux_web_app" "app" {
  name                = "app-mlw-prod"
  resource_group_name = "rg-mlw-prod-weu"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Web/serverFarms/asp-ml"

  site_config {}

  app_settings = {
    "DB_PASSWORD"                    = "@Microsoft.KeyVault(SecretUri=https://kv-mlw-prod.vault.azure.net/secrets/db-password)"
    "APPINSIGHTS_INSTRUMENTATIONKEY" = "00000000-0000-0000-0000-000000000000"
    "API_TOKEN"                      = var.sql_admin_password
  }
}
