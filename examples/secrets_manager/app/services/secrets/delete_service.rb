# frozen_string_literal: true

module Secrets
  # GitLab's (Project|Group)Secrets::DeleteService. Rotation records of the
  # deleted secret stay until the reminder job finds them orphaned.
  class DeleteService < BaseService
    def execute(name)
      found = find(name)
      return found unless found.success?

      secret = found.secret
      authorize!(secret)
      SecretStore.current.delete(secret)
      secret.destroy!
      refresh_ci_policies
      Result.success(secret)
    end
  end
end
