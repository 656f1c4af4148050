# frozen_string_literal: true

module Types
  class ProjectSecretType < BaseObject
    graphql_name "ProjectSecret"
    description "Representation of a project secret."
    pipeline_guard_authorize :read_secret

    field :project, Types::ProjectType, null: false, description: "Project the secret belongs to."
    field :name, String, null: false, description: "Name of the project secret."
    field :description, String, null: true, description: "Description of the project secret."
    field :environment, String, null: false, description: "Environments that can access the secret."
    field :branch, String, null: false, description: "Branches that can access the secret."
    field :rotation_info, Types::SecretRotationInfoType, null: true,
                                                         description: "Rotation configuration for the secret."
    field :metadata_version, Integer, null: true, description: "Current metadata version of the project secret."
    field :created_at, Types::TimeType, null: true, description: "Timestamp when the secret creation started.",
                                        method: :created_at_for_api
    field :status, Types::SecretStatusEnum, null: false,
                                            description: "Computed lifecycle status of the secret, based on timestamps."
  end
end
