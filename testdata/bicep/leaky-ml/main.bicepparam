using './main.bicep'

param prefix = 'contoso'
param location = 'westeurope'
// the workspace itself was locked down
param workspacePublicAccess = 'Disabled'
param sqlAdminPassword = az.getSecret('00000000-0000-0000-0000-000000000000', 'rg-secrets', 'kv-secrets', 'sql-admin-password')
