resource r0 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-spoke-ml'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'snet-pe'
        properties: {
          addressPrefix: '10.0.0.0/24'
        }
      }
    ]
  }
}

resource r1 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-sandbox'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: []
  }
}

resource r2 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-kv'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-spoke-ml', 'snet-pe')
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-kv'
        properties: {
          privateLinkServiceId: resourceId('Microsoft.KeyVault/vaults', 'kv-mlw-prod')
          groupIds: [
            'vault'
          ]
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = {
  name: 'pe-kv/default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'vault'
        properties: {
          privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net')
        }
      }
    ]
  }
}

resource r4 'Microsoft.Network/privateDnsZones@2023-11-01' = {
  name: 'privatelink.vaultcore.azure.net'
  location: 'global'
  properties: {}
}

resource r5 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2023-11-01' = {
  name: 'privatelink.vaultcore.azure.net/link-vnet-sandbox'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: resourceId('Microsoft.Network/virtualNetworks', 'vnet-sandbox')
    }
  }
}
