# frozen_string_literal: true

module Mutations
  class BaseMutation < GraphQL::Schema::RelayClassicMutation
    field :errors, [String], null: false, description: "Errors encountered during the mutation."

    private

    def current_user = context[:current_user]

    # GitLab's `authorized_find!`: the project, if the user has `ability` on it.
    def authorized_project!(project_path, ability)
      project = Project.find_by(full_path: project_path)
      allowed = project && PipelineGuard::GraphQL.authorized?(context, ability, project)
      raise PipelineGuard::GraphQL::ResourceNotAvailable unless allowed

      project
    end

    def authorize_secret!(ability, secret)
      allowed = PipelineGuard::GraphQL.authorized?(context, ability, secret)
      raise PipelineGuard::GraphQL::ResourceNotAvailable unless allowed
    end
  end
end
