resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-mlprod'
  location: 'westeurope'
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}
