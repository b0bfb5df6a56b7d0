// dataEndpointEnabled omitted: off.

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'crmlwprodweu'
  location: resourceGroup().location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}
