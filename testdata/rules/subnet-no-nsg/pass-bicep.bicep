resource r0 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {
  name: 'nsg-pe'
  location: 'westeurope'
  properties: {
    securityRules: []
  }
}

resource r1 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-ml'
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
          networkSecurityGroup: {
            id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-pe')
          }
        }
      }
      {
        name: 'snet-unused'
        properties: {
          addressPrefix: '10.0.1.0/24'
        }
      }
    ]
  }
}

resource r2 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-kv'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml', 'snet-pe')
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

resource r3 'Microsoft.Network/virtualNetworkGateways@2023-11-01' = {
  name: 'vgw-ml'
  location: 'westeurope'
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    sku: {
      name: 'VpnGw1AZ'
      tier: 'VpnGw1AZ'
    }
    ipConfigurations: [
      {
        name: 'default'
        properties: {
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-gw', 'GatewaySubnet')
          }
        }
      }
    ]
  }
}

resource r4 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-gw'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'GatewaySubnet'
        properties: {
          addressPrefix: '10.0.0.0/24'
        }
      }
    ]
  }
}
