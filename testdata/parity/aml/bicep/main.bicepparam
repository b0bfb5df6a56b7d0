using './main.bicep'

param prefix = 'aml-parity'
param location = 'westeurope'
param vendorRdpEnabled = true
param postgresAdminPassword = getSecret('00000000-0000-0000-0000-000000000000', 'rg-aml-secrets', 'kv-aml-deploy', 'postgres-admin-password')
param sqlAdminPassword = getSecret('00000000-0000-0000-0000-000000000000', 'rg-aml-secrets', 'kv-aml-deploy', 'sql-admin-password')
param officeIpRange = {
  start: '203.0.113.0'
  end: '203.0.113.255'
}
param tags = {
  workload: 'aml'
  environment: 'parity'
  owner: 'data-platform'
}
