prefix             = "aml-parity"
location           = "westeurope"
vendor_rdp_enabled = true

office_ip_range = {
  start = "203.0.113.0"
  end   = "203.0.113.255"
}

tags = {
  workload    = "aml"
  environment = "parity"
  owner       = "data-platform"
}
