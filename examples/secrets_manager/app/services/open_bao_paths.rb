# frozen_string_literal: true

# GitLab 19.4's OpenBao namespace scheme (SecretsManagers::PathBuilder):
#   project: org_<organization>/group_<root group>/project_<id>
#   group:   org_<organization>/group_<root group>/group_<id>
# The app has one organization.
module OpenBaoPaths
  ORGANIZATION_ID = 1

  module_function

  def for(owner)
    leaf = owner.is_a?(Group) ? "group_#{owner.id}" : "project_#{owner.id}"
    "org_#{ORGANIZATION_ID}/group_#{root_group_id(owner)}/#{leaf}"
  end

  # The id of the top-level group above (or equal to) the owner.
  def root_group_id(owner)
    root_path = owner.full_path.split("/").first
    return owner.id if owner.is_a?(Group) && owner.full_path == root_path

    Group.find_by(full_path: root_path)&.id || raise(ArgumentError, "no root group for #{owner.full_path}")
  end
end
