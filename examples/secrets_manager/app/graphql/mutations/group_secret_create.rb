# frozen_string_literal: true

module Mutations
  class GroupSecretCreate < SecretsMutation
    graphql_name "GroupSecretCreate"

    argument :group_path, ID, required: true, description: "Group of the secret."
    argument :name, String, required: true, description: "Name of the group secret."
    argument :description, String, required: false, description: "Description of the group secret."
    argument :secret, String, required: true, description: "Value of the group secret."
    argument :environment, String, required: true, description: "Environment that can access the secret."
    argument :protected, Boolean, required: true,
                                  description: "Whether the secret is only accessible from protected branches."
    argument :rotation_interval_days, Integer, required: false,
                                               description: "Number of days between rotation reminders for the secret."

    field :group_secret, Types::GroupSecretType, null: true, description: "Group secret."

    def resolve(group_path:, secret:, **args)
      group = authorized_group!(group_path, :create_secret)
      raise_if_namespace_inactive!(group)
      service = Secrets::CreateService.new(group, current_user, permit: GroupAccess.permit(group, current_user))
      payload(:group_secret, service.execute(value: secret, **args))
    end
  end
end
