# frozen_string_literal: true

module Secrets
  # GitLab's (Project|Group)Secrets::DeleteService. Rotation records of the
  # deleted secret stay until the reminder job finds them orphaned.
  class DeleteService < BaseService
    def execute(name)
      with_lease do
        found = find(name)
        next found unless found.success?

        delete(found.secret)
      end
    end

    private

    def delete(secret)
      authorize!(secret)
      permit!(:delete, secret.name)
      SecretStore.current.delete(secret, user:)
      secret.destroy!
      refresh_ci_policies
      Result.success(secret)
    end
  end
end
