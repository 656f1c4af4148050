# frozen_string_literal: true

module Types
  class GroupSecretType < BaseObject
    graphql_name "GroupSecret"
    description "Represents a group secret"
    # GitLab 19.4's `authorize :read_secret`: GroupSecretPolicy delegates to
    # the group, so this is the group-level check (Reporters and above);
    # what the person's policies allow decides which secrets get here.
    pipeline_guard_authorize :read_secret, subject: ->(secret, _ctx) { secret.group }

    field :group, Types::GroupType, null: false, description: "Group the secret belongs to."
    field :name, String, null: false, description: "Name of the group secret."
    field :description, String, null: true, description: "Description of the group secret."
    field :environment, String, null: false, description: "Environments that can access the secret."
    field :protected, Boolean, null: false,
                               description: "Whether the secret is only accessible from protected branches."
    field :rotation_info, Types::SecretRotationInfoType, null: true,
                                                         description: "Rotation configuration for the secret."
    field :metadata_version, Integer, null: true, description: "Current metadata version of the group secret."
    field :created_at, Types::TimeType, null: true, description: "Timestamp when the secret creation started.",
                                        method: :created_at_for_api
    field :status, Types::SecretStatusEnum, null: false,
                                            description: "Computed lifecycle status of the secret, based on timestamps."
  end
end
