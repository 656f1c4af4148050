# frozen_string_literal: true

module Mutations
  # What GitLab 19.4's four secrets-permission mutations share: the project
  # or group only when the user has the ability (else GitLab's not-available
  # error) and it is not archived or pending deletion
  # (RequiresActiveNamespace), and the error list: the permission's full
  # messages, then the service message (the same texts joined, so a single
  # error appears twice, exactly as GitLab answers).
  class SecretsPermissionMutation < SecretsMutation
    private

    def update_permission(resource, principal:, actions:, expired_at:)
      raise_if_namespace_inactive!(resource)
      result = SecretsPermissions::UpdateService.new(resource, current_user)
                                                .execute(principal_id: principal[:id], principal_type: principal[:type],
                                                         actions:, expired_at:)
      return { secrets_permission: result.payload[:secrets_permission], errors: [] } if result.success?

      { secrets_permission: nil, errors: error_messages(result) }
    end

    def delete_permission(resource, principal:)
      raise_if_namespace_inactive!(resource)
      result = SecretsPermissions::DeleteService.new(resource, current_user)
                                                .execute(principal_id: principal[:id], principal_type: principal[:type])
      return { secrets_permission: nil, errors: [] } if result.success?

      { secrets_permission: nil, errors: [result.message] }
    end

    def error_messages(result)
      errors = result.payload&.dig(:secrets_permission)&.errors&.full_messages || []
      errors << result.message if result.error? && result.message.present?
      errors
    end
  end
end
