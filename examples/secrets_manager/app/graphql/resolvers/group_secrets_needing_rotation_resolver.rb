# frozen_string_literal: true

module Resolvers
  class GroupSecretsNeedingRotationResolver < SecretsResolver
    type [Types::GroupSecretType], null: true
    argument :group_path, ID, required: true, description: "Group the secrets belong to."

    def resolve(group_path:)
      group = group!(group_path)
      group_list!(group)
      needing_rotation(group)
    end
  end
end
