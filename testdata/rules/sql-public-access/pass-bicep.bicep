resource server 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'sql-mlprod'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    publicNetworkAccess: 'Disabled'
  }

  resource allowAll 'firewallRules' = {
    name: 'AllowAll'
    properties: {
      startIpAddress: '0.0.0.0'
      endIpAddress: '255.255.255.255'
    }
  }
}
