# Every resource and data source of the AWS provider's WorkSpaces service
# (aws_workspaces_*), run by terraform_test.go against workspaces-local. The
# test writes provider.tf (see README, "Terraform") and terraform.tfvars.json.
# var.updated switches to the second configuration, which must apply in place.

variable "directory_id" {
  type = string
}

variable "image_id" {
  type = string
}

variable "updated" {
  type    = bool
  default = false
}

# A MANUAL WorkSpace created with the SDK (provider 5.100.0 accepts only
# ALWAYS_ON and AUTO_STOP in aws_workspaces_workspace), read by user name.
variable "manual_user" {
  type    = string
  default = ""
}

resource "aws_workspaces_ip_group" "office" {
  name        = "office"
  description = "Office networks"
  rules {
    source      = "203.0.113.0/24"
    description = "HQ"
  }
  rules {
    source = "198.51.100.16/28"
  }
  dynamic "rules" {
    for_each = var.updated ? ["198.51.100.64/26"] : []
    content {
      source      = rules.value
      description = "branch"
    }
  }
  tags = { team = "it" }
}

resource "aws_workspaces_ip_group" "vpn" {
  name = "vpn"
  rules {
    source      = "192.0.2.0/24"
    description = "VPN"
  }
  tags = var.updated ? { team = "net", stage = "updated" } : { team = "net", env = "test" }
}

resource "aws_workspaces_directory" "main" {
  directory_id = var.directory_id
  subnet_ids   = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  ip_group_ids = [aws_workspaces_ip_group.office.id, aws_workspaces_ip_group.vpn.id]
  tags         = { env = "test" }

  self_service_permissions {
    change_compute_type  = true
    increase_volume_size = true
    rebuild_workspace    = true
    restart_workspace    = var.updated
    switch_running_mode  = true
  }

  workspace_access_properties {
    device_type_android    = "ALLOW"
    device_type_chromeos   = "ALLOW"
    device_type_ios        = "DENY"
    device_type_linux      = "DENY"
    device_type_osx        = "ALLOW"
    device_type_web        = var.updated ? "ALLOW" : "DENY"
    device_type_windows    = "ALLOW"
    device_type_zeroclient = "DENY"
  }

  workspace_creation_properties {
    custom_security_group_id            = "sg-0123456789abcdef0"
    default_ou                          = "OU=WorkSpaces,DC=corp,DC=example,DC=com"
    enable_internet_access              = true
    enable_maintenance_mode             = true
    user_enabled_as_local_administrator = true
  }

  saml_properties {
    relay_state_parameter_name = "RelayState"
    status                     = "ENABLED_WITH_DIRECTORY_LOGIN_FALLBACK"
    user_access_url            = "https://sso.example.com/saml/workspaces"
  }

  # SAML must be enabled before certificate-based authentication; the
  # provider sends them in that order.
  certificate_based_auth_properties {
    certificate_authority_arn = "arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/12345678-1234-1234-1234-123456789012"
    status                    = "ENABLED"
  }
}

data "aws_workspaces_bundle" "value" {
  bundle_id = "wsb-bh8rsxt14"
}

data "aws_workspaces_bundle" "performance" {
  bundle_id = "wsb-b0s22j3d7"
}

data "aws_workspaces_bundle" "by_name" {
  owner = "AMAZON"
  name  = "Standard with Windows 11"
}

# The update changes the compute type, then the user volume (two calls, each
# followed by the provider's fixed one-minute wait).
resource "aws_workspaces_workspace" "always_on" {
  directory_id = aws_workspaces_directory.main.id
  bundle_id    = data.aws_workspaces_bundle.value.id
  user_name    = "alice"
  workspace_properties {
    running_mode         = "ALWAYS_ON"
    compute_type_name    = var.updated ? "STANDARD" : "VALUE"
    root_volume_size_gib = 80
    user_volume_size_gib = var.updated ? 50 : 10
  }
  tags = { owner = "alice" }
}

# The update grows the root volume 80 → 175 GiB (allowed with a 100 GiB user
# volume) and changes the auto-stop timeout.
resource "aws_workspaces_workspace" "auto_stop" {
  directory_id = aws_workspaces_directory.main.id
  bundle_id    = data.aws_workspaces_bundle.performance.id
  user_name    = "bob"
  workspace_properties {
    running_mode                              = "AUTO_STOP"
    running_mode_auto_stop_timeout_in_minutes = var.updated ? 180 : 120
    compute_type_name                         = "PERFORMANCE"
    root_volume_size_gib                      = var.updated ? 175 : 80
    user_volume_size_gib                      = 100
  }
  tags = var.updated ? { owner = "bob", cost = "lab" } : { owner = "bob" }
}

resource "aws_workspaces_connection_alias" "main" {
  connection_string = "desktop.example.com"
  tags              = var.updated ? { purpose = "failover", stage = "updated" } : { purpose = "failover" }
}

data "aws_workspaces_directory" "main" {
  directory_id = aws_workspaces_directory.main.id
}

data "aws_workspaces_image" "byol" {
  image_id = var.image_id
}

data "aws_workspaces_workspace" "by_id" {
  workspace_id = aws_workspaces_workspace.always_on.id
}

data "aws_workspaces_workspace" "by_user" {
  directory_id = aws_workspaces_directory.main.id
  user_name    = aws_workspaces_workspace.auto_stop.user_name
}

data "aws_workspaces_workspace" "manual" {
  count        = var.manual_user == "" ? 0 : 1
  directory_id = aws_workspaces_directory.main.id
  user_name    = var.manual_user
}

output "value_bundle" {
  value = {
    compute = data.aws_workspaces_bundle.value.compute_type[0].name
    root    = data.aws_workspaces_bundle.value.root_storage[0].capacity
    user    = data.aws_workspaces_bundle.value.user_storage[0].capacity
  }
}

output "performance_compute" {
  value = data.aws_workspaces_bundle.performance.compute_type[0].name
}

output "by_name_bundle_id" {
  value = data.aws_workspaces_bundle.by_name.id
}

output "directory" {
  value = {
    ip_group_ids      = sort(data.aws_workspaces_directory.main.ip_group_ids)
    directory_type    = data.aws_workspaces_directory.main.directory_type
    saml_status       = data.aws_workspaces_directory.main.saml_properties[0].status
    restart_workspace = data.aws_workspaces_directory.main.self_service_permissions[0].restart_workspace
    device_type_web   = data.aws_workspaces_directory.main.workspace_access_properties[0].device_type_web
    enable_internet   = data.aws_workspaces_directory.main.workspace_creation_properties[0].enable_internet_access
    certificate_auth  = data.aws_workspaces_directory.main.certificate_based_auth_properties[0].status
    tags              = data.aws_workspaces_directory.main.tags
  }
}

output "ip_group_ids" {
  value = [aws_workspaces_ip_group.office.id, aws_workspaces_ip_group.vpn.id]
}

output "image" {
  value = {
    name             = data.aws_workspaces_image.byol.name
    operating_system = data.aws_workspaces_image.byol.operating_system_type
    required_tenancy = data.aws_workspaces_image.byol.required_tenancy
    state            = data.aws_workspaces_image.byol.state
  }
}

output "workspace_ids" {
  value = [aws_workspaces_workspace.always_on.id, aws_workspaces_workspace.auto_stop.id]
}

output "by_id" {
  value = {
    user_name    = data.aws_workspaces_workspace.by_id.user_name
    compute_type = data.aws_workspaces_workspace.by_id.workspace_properties[0].compute_type_name
    user_volume  = data.aws_workspaces_workspace.by_id.workspace_properties[0].user_volume_size_gib
    tags         = data.aws_workspaces_workspace.by_id.tags
  }
}

output "by_user" {
  value = {
    id           = data.aws_workspaces_workspace.by_user.id
    running_mode = data.aws_workspaces_workspace.by_user.workspace_properties[0].running_mode
    root_volume  = data.aws_workspaces_workspace.by_user.workspace_properties[0].root_volume_size_gib
  }
}

output "manual_running_mode" {
  value = one(data.aws_workspaces_workspace.manual[*].workspace_properties[0].running_mode)
}

output "alias" {
  value = {
    id               = aws_workspaces_connection_alias.main.id
    state            = aws_workspaces_connection_alias.main.state
    owner_account_id = aws_workspaces_connection_alias.main.owner_account_id
  }
}
