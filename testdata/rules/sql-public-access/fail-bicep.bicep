param firewallRanges array = [
  {
    name: 'office'
    start: '203.0.113.0'
    end: '203.0.113.255'
  }
  {
    name: 'everyone'
    start: '0.0.0.0'
    end: '255.255.255.255'
  }
]

resource server 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'sql-mlprod'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    minimalTlsVersion: '1.2'
  }
}

resource rules 'Microsoft.Sql/servers/firewallRules@2023-05-01-preview' = [for range in firewallRanges: {
  parent: server
  name: range.name
  properties: {
    startIpAddress: range.start
    endIpAddress: range.end
  }
}]
