resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' existing = {
  name: 'vnet-ml'
}

resource psqlSubnet 'Microsoft.Network/virtualNetworks/subnets@2023-04-01' existing = {
  parent: vnet
  name: 'snet-psql'
}

resource zone 'Microsoft.Network/privateDnsZones@2020-06-01' existing = {
  name: 'mlprod.private.postgres.database.azure.com'
}

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: 'psql-mlprod'
  location: 'westeurope'
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '15'
    network: {
      delegatedSubnetResourceId: psqlSubnet.id
      privateDnsZoneArmResourceId: zone.id
    }
  }

  resource allowAll 'firewallRules' = {
    name: 'AllowAll'
    properties: {
      startIpAddress: '0.0.0.0'
      endIpAddress: '255.255.255.255'
    }
  }
}
