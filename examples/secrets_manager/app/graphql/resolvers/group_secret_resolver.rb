# frozen_string_literal: true

module Resolvers
  class GroupSecretResolver < SecretsResolver
    type Types::GroupSecretType, null: true
    argument :group_path, ID, required: true, description: "Group the secret belongs to."
    argument :name, String, required: true, description: "Name of the group secret to view."

    def resolve(group_path:, name:) = read(group!(group_path), name)
  end
end
