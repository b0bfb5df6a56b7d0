resource r0 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-hub'
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
      {
        name: 'snet-dns-in'
        properties: {
          addressPrefix: '10.0.1.0/24'
        }
      }
    ]
    dhcpOptions: {
      dnsServers: [
        '10.0.1.4'
      ]
    }
  }
}

resource r1 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-kv'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'snet-pe')
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

resource r2 'Microsoft.Network/dnsResolvers@2023-11-01' = {
  name: 'dnspr-hub'
  location: 'westeurope'
  properties: {
    virtualNetwork: {
      id: resourceId('Microsoft.Network/virtualNetworks', 'vnet-hub')
    }
  }
}

resource r3 'Microsoft.Network/dnsResolvers/inboundEndpoints@2023-11-01' = {
  name: 'dnspr-hub/inbound'
  location: 'westeurope'
  properties: {
    ipConfigurations: [
      {
        privateIpAddress: '10.0.1.4'
        privateIpAllocationMethod: 'Static'
        subnet: {
          id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'snet-dns-in')
        }
      }
    ]
  }
}
