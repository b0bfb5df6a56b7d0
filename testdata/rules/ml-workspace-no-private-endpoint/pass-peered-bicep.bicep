// The private workspace's amlworkspace endpoint is in the hub (where the VPN gateway is), and its
// compute cluster's spoke is peered with the hub: every client network reaches the endpoint.

resource hub 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-hub'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.10.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'GatewaySubnet'
        properties: {
          addressPrefix: '10.10.0.0/27'
        }
      }
      {
        name: 'snet-endpoints'
        properties: {
          addressPrefix: '10.10.1.0/24'
        }
      }
    ]
  }
}

resource train 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-train'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.20.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'snet-training'
        properties: {
          addressPrefix: '10.20.2.0/24'
        }
      }
    ]
  }
}

resource pip 'Microsoft.Network/publicIPAddresses@2023-11-01' = {
  name: 'pip-vpn'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
  }
}

resource vpn 'Microsoft.Network/virtualNetworkGateways@2023-11-01' = {
  name: 'vgw-onprem'
  location: 'westeurope'
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    sku: {
      name: 'VpnGw1'
      tier: 'VpnGw1'
    }
    ipConfigurations: [
      {
        name: 'default'
        properties: {
          publicIPAddress: {
            id: pip.id
          }
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', hub.name, 'GatewaySubnet')
          }
        }
      }
    ]
  }
}

resource ws 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-weu'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource cluster 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  parent: ws
  name: 'cpu-cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'Standard_DS3_v2'
      enableNodePublicIp: false
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', train.name, 'snet-training')
      }
      scaleSettings: {
        minNodeCount: 0
        maxNodeCount: 4
      }
    }
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-mlw-weu'
  location: 'westeurope'
  properties: {
    subnet: {
      id: resourceId('Microsoft.Network/virtualNetworks/subnets', hub.name, 'snet-endpoints')
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-mlw-weu'
        properties: {
          privateLinkServiceId: ws.id
          groupIds: [
            'amlworkspace'
          ]
        }
      }
    ]
  }
}

resource hubToTrain 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01' = {
  parent: hub
  name: 'hub-to-train'
  properties: {
    remoteVirtualNetwork: {
      id: train.id
    }
    allowVirtualNetworkAccess: true
    allowGatewayTransit: true
  }
}
