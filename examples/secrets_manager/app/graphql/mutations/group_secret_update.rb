# frozen_string_literal: true

module Mutations
  class GroupSecretUpdate < SecretsMutation
    graphql_name "GroupSecretUpdate"

    argument :group_path, ID, required: true, description: "Group of the secret."
    argument :name, String, required: true, description: "Name of the group secret to update."
    argument :description, String, required: false, description: "New description of the group secret."
    argument :secret, String, required: false, description: "New value of the group secret."
    argument :environment, String, required: false, description: "New environment that can access the secret."
    argument :protected, Boolean, required: false,
                                  description: "Whether the secret is only accessible from protected branches."
    argument :rotation_interval_days, Integer, required: false,
                                               description: "Number of days between rotation reminders for the secret."
    argument :metadata_cas, Integer, required: true,
                                     description: "This should match the current metadata version of the group " \
                                                  "secret being updated."

    field :group_secret, Types::GroupSecretType, null: true, description: "Updated group secret."

    def resolve(group_path:, secret: nil, **args)
      group = authorized_group!(group_path, :update_secret)
      raise_if_namespace_inactive!(group)
      service = Secrets::UpdateService.new(group, current_user, permit: GroupAccess.permit(group, current_user))
      payload(:group_secret, service.execute(value: secret, **args))
    end
  end
end
