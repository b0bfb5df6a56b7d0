// Both services are private, keyless and have a managed identity.

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

resource oai 'Microsoft.CognitiveServices/accounts@2023-05-01' = {
  name: 'oai-ml-weu'
  location: 'westeurope'
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: 'oai-ml-weu'
    publicNetworkAccess: 'Disabled'
    disableLocalAuth: true
  }
  identity: {
    type: 'SystemAssigned'
  }
}

resource srch 'Microsoft.Search/searchServices@2023-11-01' = {
  name: 'srch-ml-weu'
  location: 'westeurope'
  sku: {
    name: 'standard'
  }
  properties: {
    publicNetworkAccess: 'disabled'
    disableLocalAuth: true
  }
  identity: {
    type: 'SystemAssigned'
  }
}
