# frozen_string_literal: true

module SecretsPermissions
  # GitLab's {Project,Group}SecretsPermissions::UpdateService: validates the
  # permission with GitLab's rules and stores it, replacing the principal's
  # previous one.
  class UpdateService
    def initialize(resource, current_user)
      @resource = resource
      @user = current_user
    end

    def execute(principal_id:, principal_type:, actions:, expired_at:)
      DefaultRolePolicies.ensure!(@resource)
      store = Store.new(@resource)
      permission = store.permission_class.new(principal_id:, principal_type:, actions:, granted_by: @user.id,
                                              expired_at: expired_at&.to_s, resource: @resource)
      unless permission.valid?
        return Result.new(success: false, payload: { secrets_permission: permission },
                          message: permission.errors.full_messages.to_sentence)
      end

      store.save(permission)
      Result.new(success: true, payload: { secrets_permission: permission })
    end
  end
end
