// Local auth explicitly on.

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' existing = {
  name: 'mlw-prod-weu'
}

resource compute 'Microsoft.MachineLearningServices/workspaces/computes@2024-04-01' = {
  parent: workspace
  name: 'ci-mlw-dev'
  location: resourceGroup().location
  properties: {
    computeType: 'ComputeInstance'
    disableLocalAuth: false
    properties: {
      vmSize: 'Standard_DS3_v2'
      enableNodePublicIp: false
    }
  }
}
