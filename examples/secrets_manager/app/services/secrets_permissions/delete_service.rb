# frozen_string_literal: true

module SecretsPermissions
  # GitLab's DeleteService: no validation beyond the principal's shape; a
  # principal without a permission deletes nothing and still succeeds.
  class DeleteService
    def initialize(resource, current_user)
      @resource = resource
      @user = current_user
    end

    def execute(principal_id:, principal_type:)
      return Result.new(success: false, message: "Secrets manager is not active") unless
        SecretsManagerStatus.active?(@resource)
      return Result.new(success: false, message: "Invalid principal") unless valid_principal?(principal_id,
                                                                                              principal_type)

      DefaultRolePolicies.ensure!(@resource)
      Store.new(@resource).delete(principal_type, principal_id)
      Result.new(success: true, payload: { secrets_permission: nil })
    end

    private

    def valid_principal?(principal_id, principal_type)
      BaseSecretsPermission::VALID_PRINCIPAL_TYPES.include?(principal_type) && principal_id.to_s.match?(/\A\d+\z/)
    end
  end
end
