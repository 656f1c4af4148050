# frozen_string_literal: true

# GitLab's SecretsManagement::GroupSecretsPermission.
class GroupSecretsPermission < BaseSecretsPermission
  RESOURCE_TYPE = "Group"

  def resource_type = RESOURCE_TYPE

  private

  def member_role_has_access_to_resource?(member_role)
    NamespacePaths.self_and_ancestors(resource.full_path).include?(member_role.namespace_path)
  end
end
