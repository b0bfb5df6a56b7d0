// The registry is private and the workspace has no image-build compute.

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'crmlweu'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    adminUserEnabled: false
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
    containerRegistry: acr.id
  }
}
