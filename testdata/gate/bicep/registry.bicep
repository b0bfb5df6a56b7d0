resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrgatebicep'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}
