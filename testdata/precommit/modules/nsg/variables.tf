variable "name" {
  type = string
}

variable "source_prefix" {
  type    = string
  default = "10.0.0.0/8"
}
