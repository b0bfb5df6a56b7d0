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

// no private DNS zone group: clients resolve the public address
resource endpoint 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe-st-blob'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml', 'snet-pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'blob'
        properties: {
          privateLinkServiceId: storage.id
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}
