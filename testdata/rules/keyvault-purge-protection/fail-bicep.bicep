// Purge protection explicitly off.

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-mlw-prod-weu'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enablePurgeProtection: false
  }
}
