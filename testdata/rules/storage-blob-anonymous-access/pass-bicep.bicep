// Anonymous access disallowed; the container is private.

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stmlwprodweu01'
  location: resourceGroup().location
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource models 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'models'
  properties: {
    publicAccess: 'None'
  }
}
