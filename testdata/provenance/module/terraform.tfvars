vault_public = true
