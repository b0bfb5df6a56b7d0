// Storage firewall denies by default.

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stmlwprodweu01'
  location: resourceGroup().location
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-prod-weu'
  location: resourceGroup().location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    storageAccount: storage.id
    publicNetworkAccess: 'Disabled'
  }
}
