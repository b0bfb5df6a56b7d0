// The datastore's storage account is private and no outbound rule reaches it.

resource lake 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stlakeweu01'
  location: 'westeurope'
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    isHnsEnabled: true
    publicNetworkAccess: 'Disabled'
  }
}

resource ws 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-weu'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  sku: {
    name: 'Basic'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}

resource store 'Microsoft.MachineLearningServices/workspaces/datastores@2024-04-01' = {
  name: 'lake'
  parent: ws
  properties: {
    datastoreType: 'AzureBlob'
    accountName: 'stlakeweu01'
    containerName: 'raw'
    credentials: {
      credentialsType: 'None'
    }
  }
}
