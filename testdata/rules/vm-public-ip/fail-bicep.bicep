resource r0 'Microsoft.Network/publicIPAddresses@2023-11-01' = {
  name: 'pip-jumpbox'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
  }
}

resource r1 'Microsoft.Network/networkInterfaces@2023-11-01' = {
  name: 'nic-jumpbox'
  location: 'westeurope'
  properties: {
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Dynamic'
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml', 'snet-vms')
          }
          publicIPAddress: {
            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip-jumpbox')
          }
        }
      }
    ]
  }
}
