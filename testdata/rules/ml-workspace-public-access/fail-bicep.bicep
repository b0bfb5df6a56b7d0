param workspaceName string = 'mlw-prod'

// publicNetworkAccess omitted: the workspace is public
resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: workspaceName
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    friendlyName: workspaceName
    storageAccount: resourceId('Microsoft.Storage/storageAccounts', 'stmlprod')
  }
}
