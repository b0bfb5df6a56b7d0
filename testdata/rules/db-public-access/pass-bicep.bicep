resource r0 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'sql-mlw-prod'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    publicNetworkAccess: 'Disabled'
  }
}

resource r1 'Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview' = {
  name: 'psql-mlw-prod'
  location: 'westeurope'
  properties: {
    version: '16'
    network: {
      delegatedSubnetResourceId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml', 'snet-db')
      publicNetworkAccess: 'Disabled'
    }
  }
}
