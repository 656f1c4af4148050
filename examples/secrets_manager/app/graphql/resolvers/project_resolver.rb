# frozen_string_literal: true

module Resolvers
  # GitLab's `project(fullPath:)`: null unless the user is a member.
  class ProjectResolver < SecretsResolver
    type Types::ProjectType, null: true
    argument :full_path, ID, required: true, description: "Full path of the project."

    def resolve(full_path:)
      project = Project.find_by(full_path:)
      user = context[:current_user]
      return nil if project.nil? || user.nil? || user.blocked

      Authz.rbac.max_access_level(user.id, project.full_path).to_i.positive? ? project : nil
    end
  end
end
