# frozen_string_literal: true

module Resolvers
  class GroupSecretsResolver < SecretsResolver
    type [Types::GroupSecretType], null: true
    argument :group_path, ID, required: true, description: "Group the secrets belong to."

    def resolve(group_path:)
      group = group!(group_path)
      group_list!(group)
      list(group)
    end
  end
end
