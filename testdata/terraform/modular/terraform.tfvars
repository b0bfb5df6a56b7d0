prefix = "shop"

storage_accounts = [
  { name = "stshopdata" },
  { name = "stshoplanding", public = true },
]

nsg_rules = {
  https-from-frontdoor = { priority = 100, port = "443", source = "AzureFrontDoor.Backend" }
  ssh-from-anywhere    = { priority = 200, port = "22", source = "0.0.0.0/0" }
  sql-from-vnet        = { priority = 300, port = "1433", source = "VirtualNetwork" }
}
