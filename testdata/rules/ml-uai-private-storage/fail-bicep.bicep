resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-mlw'
  location: 'westeurope'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stmlprod'
  location: 'westeurope'
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-prod'
  location: 'westeurope'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    primaryUserAssignedIdentity: identity.id
    storageAccount: storage.id
  }
}
