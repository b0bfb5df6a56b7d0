// A VpnGw1AZ gateway.

resource gateway 'Microsoft.Network/virtualNetworkGateways@2023-11-01' = {
  name: 'vgw-hub-weu'
  location: resourceGroup().location
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
            id: '/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu/subnets/GatewaySubnet'
          }
          publicIPAddress: {
            id: '/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Network/publicIPAddresses/pip-vpn-hub-weu'
          }
        }
      }
    ]
  }
}
