# frozen_string_literal: true

# GitLab's SecretsManagement::ProjectSecretsPermission.
class ProjectSecretsPermission < BaseSecretsPermission
  RESOURCE_TYPE = "Project"

  def resource_type = RESOURCE_TYPE

  private

  # The member role must belong to the project's group or a group above it.
  def member_role_has_access_to_resource?(member_role)
    namespace = resource.full_path.split("/")[0...-1].join("/")
    NamespacePaths.self_and_ancestors(namespace).include?(member_role.namespace_path)
  end
end
