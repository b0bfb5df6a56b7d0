using 'main.bicep'

// Opened for the migration; see ticket 4711.
param publicAccess = 'Enabled'
