# frozen_string_literal: true

module Resolvers
  # nil while the secrets manager is not active, as in GitLab.
  class GroupSecretsCountResolver < SecretsResolver
    type Integer, null: true
    argument :group_path, ID, required: true, description: "Full path of the group."

    def resolve(group_path:)
      group = group!(group_path)
      group.secrets_manager&.active? ? group.group_secrets.count : nil
    end
  end
end
