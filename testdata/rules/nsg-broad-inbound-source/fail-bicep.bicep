resource r0 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {
  name: 'nsg-jumpbox'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'ssh-half-internet'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '0.0.0.0/1'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
    ]
  }
}
