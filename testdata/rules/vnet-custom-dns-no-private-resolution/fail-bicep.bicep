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
    ]
    dhcpOptions: {
      dnsServers: [
        '192.168.10.4'
        '192.168.10.5'
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
