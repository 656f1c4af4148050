# frozen_string_literal: true

# Whether a project's or group's secrets manager is active, and its OpenBao
# namespace path, for the permission and pipeline code.
module SecretsManagerStatus
  def self.active?(resource)
    return true unless resource.respond_to?(:secrets_manager)

    resource.secrets_manager&.active? || false
  end

  def self.namespace_path(resource)
    resource.is_a?(Group) ? "group_#{resource.id}" : "project_#{resource.id}"
  end
end
