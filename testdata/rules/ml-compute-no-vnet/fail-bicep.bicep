// The cluster has no subnet and the workspace has no managed network.

resource ws 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-weu'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  sku: {
    name: 'Basic'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource cpu 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'cpu-cluster'
  parent: ws
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: 'STANDARD_DS3_V2'
      enableNodePublicIp: false
    }
  }
}
