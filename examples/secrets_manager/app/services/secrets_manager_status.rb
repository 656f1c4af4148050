# frozen_string_literal: true

# Whether a project's or group's secrets manager is active, and its OpenBao
# namespace path, for the permission and pipeline code.
module SecretsManagerStatus
  def self.active?(resource) = resource.secrets_manager&.active? || false

  def self.namespace_path(resource)
    resource.secrets_manager&.namespace_path ||
      (resource.is_a?(Group) ? "group_#{resource.id}" : "project_#{resource.id}")
  end
end
