param publicNetworkAccess string = 'Enabled'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'crmlprod'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: publicNetworkAccess
  }
}
