variable "project" {
  description = "Short project name used in every resource name."
  type        = string
  default     = "fraud"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "address_space" {
  type    = string
  default = "10.40.0.0/16"
}

variable "ssh_source_prefix" {
  description = "Where SSH to compute is allowed from: the Bastion subnet."
  type        = string
  default     = "10.40.250.0/26"
}

variable "workspace_public_network_access" {
  type    = bool
  default = false
}

variable "workspace_identity_type" {
  type    = string
  default = "SystemAssigned, UserAssigned"
}

variable "storage_public_network_access" {
  type    = bool
  default = false
}

variable "storage_default_action" {
  type    = string
  default = "Deny"
}

variable "key_vault_public_network_access" {
  type    = bool
  default = false
}

variable "registry_sku" {
  type    = string
  default = "Premium"
}

variable "registry_public_network_access" {
  type    = bool
  default = false
}

variable "dns_zone_names" {
  description = "Private DNS zones to create and link, by key."
  type        = map(string)
  default = {
    api       = "privatelink.api.azureml.ms"
    notebooks = "privatelink.notebooks.azure.net"
    blob      = "privatelink.blob.core.windows.net"
    file      = "privatelink.file.core.windows.net"
    vault     = "privatelink.vaultcore.azure.net"
    registry  = "privatelink.azurecr.io"
    sql       = "privatelink.database.windows.net"
    postgres  = "privatelink.postgres.database.azure.com"
  }
}

variable "workspace_dns_zones" {
  description = "Zone keys the workspace's private endpoint registers in."
  type        = list(string)
  default     = ["api", "notebooks"]
}

variable "postgres_allow_all" {
  description = "Temporary escape hatch for the data team's laptop access."
  type        = bool
  default     = false
}

variable "sql_firewall_rules" {
  type = map(object({ start = string, end = string }))
  default = {
    office = { start = "203.0.113.10", end = "203.0.113.20" }
  }
}

variable "landing_public_network_access" {
  type    = bool
  default = false
}

variable "appinsights_public_network_access" {
  description = "Application Insights ingestion and query from public networks."
  type        = bool
  default     = false
}

variable "landing_shared_key_access" {
  description = "Partners upload with account keys when true; Entra ID only when false."
  type        = bool
  default     = false
}
