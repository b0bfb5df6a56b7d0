// A private PostgreSQL flexible server without a private endpoint.

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2023-12-01-preview' = {
  name: 'psql-mlw-features'
  location: resourceGroup().location
  sku: {
    name: 'Standard_D2ds_v5'
    tier: 'GeneralPurpose'
  }
  properties: {
    version: '16'
    network: {
      publicNetworkAccess: 'Disabled'
    }
  }
}
