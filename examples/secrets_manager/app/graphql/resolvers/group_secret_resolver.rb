# frozen_string_literal: true

module Resolvers
  class GroupSecretResolver < SecretsResolver
    type Types::GroupSecretType, null: true
    argument :group_path, ID, required: true, description: "Group the secret belongs to."
    argument :name, String, required: true, description: "Name of the group secret to view."

    def resolve(group_path:, name:)
      group = group!(group_path)
      read(group, name, permit: GroupAccess.permit(group, context[:current_user]))
    end
  end
end
