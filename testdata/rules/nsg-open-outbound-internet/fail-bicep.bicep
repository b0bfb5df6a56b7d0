resource r0 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-prod'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'mlw-prod/cpu-cluster'
  location: 'westeurope'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      enableNodePublicIp: false
      vmSize: 'STANDARD_DS3_V2'
      subnet: {
        id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml', 'snet-compute')
      }
    }
  }
}

resource r2 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {
  name: 'nsg-compute'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'aml-in'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'BatchNodeManagement'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '29876-29877'
        }
      }
    ]
  }
}

resource r3 'Microsoft.Network/virtualNetworks@2023-11-01' = {
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
        name: 'snet-compute'
        properties: {
          addressPrefix: '10.0.0.0/24'
          networkSecurityGroup: {
            id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-compute')
          }
        }
      }
    ]
  }
}
