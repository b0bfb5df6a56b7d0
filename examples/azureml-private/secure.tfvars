# The private design, as variables.tf intends it. `--var-file secure.tfvars` takes
# precedence over leaky.auto.tfvars: `moat scan . --var-file secure.tfvars` is clean.

workspace_public_network_access = false
workspace_identity_type         = "SystemAssigned, UserAssigned"
storage_public_network_access   = false
storage_default_action          = "Deny"
landing_public_network_access   = false
landing_shared_key_access       = false
key_vault_public_network_access = false
registry_sku                    = "Premium"
registry_public_network_access  = false
ssh_source_prefix               = "10.40.250.0/26"
workspace_dns_zones             = ["api", "notebooks"]
postgres_allow_all              = false

sql_firewall_rules = {
  office = { start = "203.0.113.10", end = "203.0.113.20" }
}
