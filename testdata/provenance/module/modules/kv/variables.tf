variable "name" {
  type = string
}

variable "resource_group" {
  type = string
}

variable "public" {
  type    = bool
  default = false
}
