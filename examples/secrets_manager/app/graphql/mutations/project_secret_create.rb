# frozen_string_literal: true

module Mutations
  class ProjectSecretCreate < BaseMutation
    graphql_name "ProjectSecretCreate"

    argument :project_path, ID, required: true, description: "Project of the secret."
    argument :name, String, required: true, description: "Name of the project secret."
    argument :description, String, required: false, description: "Description of the project secret."
    argument :secret, String, required: true, description: "Value of the project secret."
    argument :environment, String, required: true, description: "Environments that can access the secret."
    argument :branch, String, required: true, description: "Branches that can access the secret."

    field :project_secret, Types::ProjectSecretType, null: true, description: "Project secret."

    def resolve(project_path:, name:, secret:, environment:, branch:, description: nil)
      project = authorized_project!(project_path, :create_project_secrets)
      record = Secret.new(project:, name:, description:, environment:, branch:)
      return { project_secret: nil, errors: record.errors.full_messages } unless record.valid?

      authorize_secret!(:create_secret, record)
      SecretStore.current.provision(project)
      SecretStore.current.write(record, secret)
      record.save!

      SecretStore.current.sync_policies(project)
      { project_secret: record, errors: [] }
    end
  end
end
