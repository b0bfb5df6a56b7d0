# A second, generative-AI workspace next to the training one, with the services it calls: an
# Azure OpenAI account, a data lake read through a datastore, and an AKS cluster for
# inference. It stays private in both configurations; what the wiki's quick start
# (leaky.auto.tfvars, which among others opens the registry) also opens here follows
# `local.quick_start`. `moat scan .` reports the rules of ml-extra; with
# `--var-file secure.tfvars` they pass.

locals {
  quick_start = var.registry_public_network_access
}

resource "azurerm_application_insights" "genai" {
  name                = "appi-${local.name}-genai"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  workspace_id        = azurerm_log_analytics_workspace.ml.id
  application_type    = "web"

  # appinsights-public-ingestion when open.
  internet_ingestion_enabled = local.quick_start
  internet_query_enabled     = local.quick_start
}

resource "azurerm_machine_learning_workspace" "genai" {
  name                          = "mlw-${local.name}-genai"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  application_insights_id       = azurerm_application_insights.genai.id
  key_vault_id                  = azurerm_key_vault.ml.id
  storage_account_id            = azurerm_storage_account.ml.id
  container_registry_id         = azurerm_container_registry.ml.id
  public_network_access_enabled = false
  high_business_impact          = true

  identity {
    type = "SystemAssigned"
  }

  # ml-managed-network-outbound-open when compute may reach the whole internet.
  managed_network {
    isolation_mode = local.quick_start ? "AllowInternetOutbound" : "AllowOnlyApprovedOutbound"
  }
}

# ml-workspace-no-private-endpoint: the quick start skips the endpoint.
resource "azurerm_private_endpoint" "genai" {
  count               = local.quick_start ? 0 : 1
  name                = "pe-${local.name}-genai"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "psc-genai"
    private_connection_resource_id = azurerm_machine_learning_workspace.genai.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.zone["api"].id, azurerm_private_dns_zone.zone["notebooks"].id]
  }
}

# Curated training data, private in both configurations.
resource "azurerm_storage_account" "lake" {
  name                          = "stlake${var.project}${local.suffix}"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  is_hns_enabled                = true
  public_network_access_enabled = false
  shared_access_key_enabled     = false
  min_tls_version               = "TLS1_2"
}

resource "azurerm_storage_container" "curated" {
  name               = "curated"
  storage_account_id = azurerm_storage_account.lake.id
}

resource "azurerm_machine_learning_datastore_blobstorage" "curated" {
  name                 = "curated"
  workspace_id         = azurerm_machine_learning_workspace.genai.id
  storage_container_id = azurerm_storage_container.curated.id
}

# ml-managed-network-missing-outbound-pe: without this rule the managed network cannot
# reach the private lake.
resource "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint" "lake" {
  count               = local.quick_start ? 0 : 1
  name                = "lake-blob"
  workspace_id        = azurerm_machine_learning_workspace.genai.id
  service_resource_id = azurerm_storage_account.lake.id
  sub_resource_target = "blob"
}

# ai-service-public: public, key-based and identity-less in the quick start.
resource "azurerm_cognitive_account" "openai" {
  name                          = "oai-${local.name}"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  kind                          = "OpenAI"
  sku_name                      = "S0"
  custom_subdomain_name         = "oai-${local.name}-${local.suffix}"
  public_network_access_enabled = local.quick_start
  local_auth_enabled            = local.quick_start

  dynamic "identity" {
    for_each = local.quick_start ? [] : ["SystemAssigned"]
    content {
      type = identity.value
    }
  }
}

# aks-not-private: the inference cluster's API server is public in the quick start.
resource "azurerm_kubernetes_cluster" "inference" {
  name                    = "aks-${local.name}-inference"
  resource_group_name     = azurerm_resource_group.ml.name
  location                = azurerm_resource_group.ml.location
  dns_prefix              = "aks-${local.name}"
  private_cluster_enabled = !local.quick_start

  default_node_pool {
    name           = "system"
    node_count     = 3
    vm_size        = "Standard_D4s_v5"
    vnet_subnet_id = azurerm_subnet.training.id
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_inference_cluster" "inference" {
  name                          = "inference"
  location                      = azurerm_resource_group.ml.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.genai.id
  kubernetes_cluster_id         = azurerm_kubernetes_cluster.inference.id
  cluster_purpose               = "FastProd"
}

# ml-compute-no-vnet: the quick start's GPU cluster on the training workspace skips the subnet.
resource "azurerm_machine_learning_compute_cluster" "gpu" {
  name                          = "gpu-cluster"
  location                      = azurerm_resource_group.ml.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ml.id
  vm_priority                   = "LowPriority"
  vm_size                       = "Standard_NC6s_v3"
  subnet_resource_id            = local.quick_start ? null : azurerm_subnet.training.id
  node_public_ip_enabled        = local.quick_start
  local_auth_enabled            = false

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 2
    scale_down_nodes_after_idle_duration = "PT15M"
  }

  identity {
    type = "SystemAssigned"
  }
}
