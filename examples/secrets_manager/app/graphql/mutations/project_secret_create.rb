# frozen_string_literal: true

module Mutations
  class ProjectSecretCreate < SecretsMutation
    graphql_name "ProjectSecretCreate"

    argument :project_path, ID, required: true, description: "Project of the secret."
    argument :name, String, required: true, description: "Name of the project secret."
    argument :description, String, required: false, description: "Description of the project secret."
    argument :secret, String, required: true, description: "Value of the project secret."
    argument :environment, String, required: true, description: "Environments that can access the secret."
    argument :branch, String, required: true, description: "Branches that can access the secret."
    argument :rotation_interval_days, Integer, required: false,
                                               description: "Number of days between rotation reminders for the secret."

    field :project_secret, Types::ProjectSecretType, null: true, description: "Project secret."

    def resolve(project_path:, secret:, **args)
      project = authorized_project!(project_path, :create_project_secrets)
      raise_if_namespace_inactive!(project)
      service = Secrets::CreateService.new(project, current_user, authorize: lambda { |s|
                                                                               authorize_secret!(:create_secret, s)
                                                                             })
      payload(:project_secret, service.execute(value: secret, **args))
    end
  end
end
