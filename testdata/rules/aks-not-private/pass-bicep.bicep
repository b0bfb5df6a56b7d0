// The attached cluster is private.

resource aks 'Microsoft.ContainerService/managedClusters@2024-02-01' = {
  name: 'aks-ml-weu'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-ml-weu'
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
        mode: 'System'
      }
    ]
    apiServerAccessProfile: {
      enablePrivateCluster: true
    }
  }
}

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

resource inf 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  name: 'inference'
  parent: ws
  properties: {
    computeType: 'AKS'
    resourceId: aks.id
    properties: {
      clusterPurpose: 'FastProd'
    }
  }
}
