// A manual connection.

resource endpoint 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-stmlwprodweu01-blob'
  location: resourceGroup().location
  properties: {
    subnet: {
      id: '/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-mlw-prod-weu/subnets/snet-endpoints'
    }
    manualPrivateLinkServiceConnections: [
      {
        name: 'blob'
        properties: {
          privateLinkServiceId: '/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Storage/storageAccounts/stmlwprodweu01'
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}
