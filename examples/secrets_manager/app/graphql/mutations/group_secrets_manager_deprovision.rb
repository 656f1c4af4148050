# frozen_string_literal: true

module Mutations
  class GroupSecretsManagerDeprovision < SecretsMutation
    graphql_name "GroupSecretsManagerDeprovision"

    argument :group_path, ID, required: true, description: "Group of the secrets manager."

    field :group_secrets_manager, Types::GroupSecretsManagerType, null: true,
                                                                  description: "Group secrets manager."

    def resolve(group_path:)
      owner = authorized_group!(group_path, :deprovision_secrets_manager)
      manager, error = SecretsManagers.initiate_deprovision(owner.secrets_manager, user: current_user, owner:)
      { group_secrets_manager: manager, errors: [error].compact }
    end
  end
end
