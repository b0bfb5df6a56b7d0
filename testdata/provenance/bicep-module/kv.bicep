param publicAccess string = 'Disabled'

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-team-weu-001'
  location: 'westeurope'
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enablePurgeProtection: true
    publicNetworkAccess: publicAccess
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}
