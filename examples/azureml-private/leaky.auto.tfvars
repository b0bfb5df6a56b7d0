# Copied from the team's "quick start" wiki page. Every value below undoes part of the
# private design in variables.tf; `moat scan` finds each one.

workspace_public_network_access = true
workspace_identity_type         = "UserAssigned"
landing_public_network_access   = true
landing_shared_key_access       = true
key_vault_public_network_access = true
registry_sku                    = "Standard"
registry_public_network_access  = true
ssh_source_prefix               = "*"
workspace_dns_zones             = ["api"]
postgres_allow_all              = true

sql_firewall_rules = {
  office   = { start = "203.0.113.10", end = "203.0.113.20" }
  everyone = { start = "0.0.0.0", end = "255.255.255.255" }
}
