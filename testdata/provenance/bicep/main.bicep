param location string = resourceGroup().location
param publicAccess string = 'Disabled'

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-app-weu-001'
  location: location
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
