# Opened "temporarily" for a migration.
kv_public = true
