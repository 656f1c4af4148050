# frozen_string_literal: true

module Mutations
  class ProjectSecretUpdate < SecretsMutation
    graphql_name "ProjectSecretUpdate"

    argument :project_path, ID, required: true, description: "Project of the secret."
    argument :name, String, required: true, description: "Name of the project secret to update."
    argument :description, String, required: false, description: "New description of the project secret."
    argument :secret, String, required: false, description: "New value of the project secret."
    argument :environment, String, required: false, description: "New environments that can access the secret."
    argument :branch, String, required: false, description: "New branches that can access the secret."
    argument :rotation_interval_days, Integer, required: false,
                                               description: "Number of days between rotation reminders for the secret."
    argument :metadata_cas, Integer, required: true,
                                     description: "This should match the current metadata version of the project " \
                                                  "secret being updated."

    field :project_secret, Types::ProjectSecretType, null: true, description: "Updated project secret."

    def resolve(project_path:, secret: nil, **args)
      project = authorized_project!(project_path, :update_project_secrets)
      raise_if_namespace_inactive!(project)
      service = Secrets::UpdateService.new(project, current_user, authorize: lambda { |s|
                                                                               authorize_secret!(:update_secret, s)
                                                                             })
      payload(:project_secret, service.execute(value: secret, **args))
    end
  end
end
