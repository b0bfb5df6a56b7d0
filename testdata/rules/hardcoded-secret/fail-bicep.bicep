@secure()
param adminPassword string = 'Sup3r-S3cret!Value'

resource r0 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'sql-mlw-prod'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: adminPassword
    publicNetworkAccess: 'Disabled'
  }
}
