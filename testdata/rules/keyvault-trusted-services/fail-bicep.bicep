// No trusted-service exception.

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-mlw-prod-weu'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'None'
    }
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: 'mlw-prod-weu'
  location: resourceGroup().location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    keyVault: vault.id
    publicNetworkAccess: 'Disabled'
  }
}
