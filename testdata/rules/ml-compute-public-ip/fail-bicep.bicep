// A compute instance with public IPs.

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' existing = {
  name: 'mlw-prod-weu'
}

resource compute 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  parent: workspace
  name: 'ci-mlw-dev'
  location: resourceGroup().location
  properties: {
    computeType: 'ComputeInstance'
    disableLocalAuth: true
    properties: {
      vmSize: 'Standard_DS3_v2'
      enableNodePublicIp: true
      subnet: {
        id: '/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-mlw-prod-weu/subnets/snet-training'
      }
    }
  }
}
