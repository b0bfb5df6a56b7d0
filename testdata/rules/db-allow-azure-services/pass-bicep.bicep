// Only the office range.

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
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource rule 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2023-12-01-preview' = {
  parent: server
  name: 'office'
  properties: {
    startIpAddress: '198.51.100.0'
    endIpAddress: '198.51.100.255'
  }
}
