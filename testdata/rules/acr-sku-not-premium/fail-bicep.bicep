param registrySku string = 'Basic'

var registryName = 'crmlprod'

resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' existing = {
  name: 'vnet-ml'

  resource peSubnet 'subnets' existing = {
    name: 'snet-pe'
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: 'westeurope'
  sku: {
    name: registrySku
  }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource endpoint 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe-acr'
  location: 'westeurope'
  properties: {
    subnet: {
      id: vnet::peSubnet.id
    }
    privateLinkServiceConnections: [
      {
        name: 'acr'
        properties: {
          privateLinkServiceId: registry.id
          groupIds: [
            'registry'
          ]
        }
      }
    ]
  }
}
