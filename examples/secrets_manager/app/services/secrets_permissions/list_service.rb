# frozen_string_literal: true

module SecretsPermissions
  # GitLab's ListService, ordered as OpenBao lists the policies (by name).
  class ListService
    def initialize(resource, current_user)
      @resource = resource
      @user = current_user
    end

    def execute
      return Result.new(success: false, message: "Secrets manager is not active") unless
        SecretsManagerStatus.active?(@resource)

      DefaultRolePolicies.ensure!(@resource)
      permissions = Store.new(@resource).permissions.sort_by { |p| policy_name(p) }
      BaseSecretsPermission.preload_users(permissions)
      Result.new(success: true, payload: { secrets_permissions: permissions })
    end

    private

    def policy_name(permission)
      case permission.principal_type
      when "User" then "users/direct/user_#{permission.principal_id}"
      when "MemberRole" then "users/direct/member_role_#{permission.principal_id}"
      else "users/roles/#{permission.principal_id}"
      end
    end
  end
end
