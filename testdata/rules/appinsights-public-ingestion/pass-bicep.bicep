// Both ingestion and query are closed to public networks.

resource appi 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-mlw-weu'
  location: 'westeurope'
  kind: 'web'
  properties: {
    Application_Type: 'web'
    publicNetworkAccessForIngestion: 'Disabled'
    publicNetworkAccessForQuery: 'Disabled'
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
    applicationInsights: appi.id
  }
}
