# frozen_string_literal: true

module Resolvers
  class GroupSecretsManagerResolver < SecretsResolver
    type Types::GroupSecretsManagerType, null: true
    argument :group_path, ID, required: true, description: "Group of the secrets manager."

    def resolve(group_path:) = group!(group_path).secrets_manager
  end
end
