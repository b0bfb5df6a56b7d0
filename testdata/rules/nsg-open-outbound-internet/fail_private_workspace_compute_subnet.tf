resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "mlw-prod"
  location                      = "westeurope"
  resource_group_name           = "rg-mlw-prod-weu"
  application_insights_id       = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Insights/components/appi-ml"
  key_vault_id                  = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.KeyVault/vaults/kv-ml"
  storage_account_id            = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Storage/storageAccounts/stml"
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_virtual_network" "ml" {
  name                = "vnet-ml"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "compute" {
  name                 = "snet-compute"
  resource_group_name  = "rg-mlw-prod-weu"
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_network_security_group" "compute" {
  name                = "nsg-compute"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"

  security_rule {
    name                       = "aml-in"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "BatchNodeManagement"
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_range     = "29876-29877"
  }
}

resource "azurerm_subnet_network_security_group_association" "compute" {
  subnet_id                 = azurerm_subnet.compute.id
  network_security_group_id = azurerm_network_security_group.compute.id
}

resource "azurerm_machine_learning_compute_cluster" "cpu" {
  name                          = "cpu-cluster"
  location                      = "westeurope"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ml.id
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS3_V2"
  subnet_resource_id            = azurerm_subnet.compute.id
  node_public_ip_enabled        = false

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 2
    scale_down_nodes_after_idle_duration = "PT30M"
  }
}
