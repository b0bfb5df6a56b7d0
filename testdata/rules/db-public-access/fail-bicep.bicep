resource r0 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'sql-mlw-prod'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    publicNetworkAccess: 'Enabled'
  }
}

resource r1 'Microsoft.Sql/servers/firewallRules@2023-05-01-preview' = {
  name: 'sql-mlw-prod/AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource r2 'Microsoft.DBforMySQL/flexibleServers@2023-12-30' = {
  name: 'mysql-mlw-prod'
  location: 'westeurope'
  properties: {
    version: '8.0.21'
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource r3 'Microsoft.DBforMySQL/flexibleServers/firewallRules@2023-12-30' = {
  name: 'mysql-mlw-prod/office'
  properties: {
    startIpAddress: '203.0.113.0'
    endIpAddress: '203.0.113.255'
  }
}
