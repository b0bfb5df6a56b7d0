@allowed([
  'Enabled'
  'Disabled'
])
param publicAccess string = 'Disabled'

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'mlprodst'
  location: 'westeurope'
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    publicNetworkAccess: publicAccess
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
    }
  }
}
