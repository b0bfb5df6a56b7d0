// No trusted-service exception.

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'crmlwprodweu'
  location: resourceGroup().location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    networkRuleBypassOptions: 'None'
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-prod-weu'
  location: resourceGroup().location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    containerRegistry: registry.id
    publicNetworkAccess: 'Disabled'
  }
}
