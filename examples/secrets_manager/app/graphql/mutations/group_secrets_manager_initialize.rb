# frozen_string_literal: true

module Mutations
  class GroupSecretsManagerInitialize < SecretsMutation
    graphql_name "GroupSecretsManagerInitialize"

    argument :group_path, ID, required: true, description: "Group of the secrets manager."

    field :group_secrets_manager, Types::GroupSecretsManagerType, null: true,
                                                                  description: "Group secrets manager."

    def resolve(group_path:)
      owner = authorized_group!(group_path, :provision_secrets_manager)
      raise_if_namespace_inactive!(owner)
      manager, error = SecretsManagers.initialize_for(owner, user: current_user)
      { group_secrets_manager: manager, errors: [error].compact }
    end
  end
end
