# frozen_string_literal: true

module Mutations
  class GroupSecretDelete < SecretsMutation
    graphql_name "GroupSecretDelete"

    argument :group_path, ID, required: true, description: "Group of the secret."
    argument :name, String, required: true, description: "Name of the group secret."

    field :group_secret, Types::GroupSecretType, null: true, description: "Deleted group secret."

    def resolve(group_path:, name:)
      group = authorized_group!(group_path, :delete_secret)
      raise_if_namespace_inactive!(group)
      service = Secrets::DeleteService.new(group, current_user, permit: GroupAccess.permit(group, current_user))
      payload(:group_secret, service.execute(name))
    end
  end
end
