param exposure string = 'Enabled'

module kv 'kv.bicep' = {
  name: 'kv'
  params: {
    publicAccess: exposure
  }
}
