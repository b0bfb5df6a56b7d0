var rules = [
  {
    name: 'AllowBatchNodeManagement'
    priority: 100
    source: 'BatchNodeManagement'
    ports: '29876-29877'
  }
  {
    name: 'AllowSshFromBastion'
    priority: 200
    source: '10.0.9.0/26'
    ports: '22'
  }
]

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-04-01' = {
  name: 'nsg-ml'
  location: 'westeurope'
  properties: {
    securityRules: [for rule in rules: {
      name: rule.name
      properties: {
        priority: rule.priority
        direction: 'Inbound'
        access: 'Allow'
        protocol: 'Tcp'
        sourceAddressPrefix: rule.source
        sourcePortRange: '*'
        destinationAddressPrefix: '*'
        destinationPortRange: rule.ports
      }
    }]
  }
}
