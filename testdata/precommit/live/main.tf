module "jump" {
  source        = "../modules/nsg"
  name          = "nsg-jump"
  source_prefix = "10.1.0.0/16"
}
