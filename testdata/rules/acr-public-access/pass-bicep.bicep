resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'crmlprod'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Enabled'
    networkRuleSet: {
      defaultAction: 'Deny'
      ipRules: [
        {
          action: 'Allow'
          value: '203.0.113.0/24'
        }
      ]
    }
    networkRuleBypassOptions: 'AzureServices'
  }
}
