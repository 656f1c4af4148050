# frozen_string_literal: true

# GitLab's Deprovision{Project,Group}SecretsManagerWorker: removes every
# secret and permission of the owner (with OpenBao, its whole namespace),
# then the secrets manager record itself.
class DeprovisionSecretsManagerJob < ApplicationJob
  queue_as :default

  def perform(secrets_manager, _user_id = nil)
    return unless secrets_manager.deprovisioning?

    SecretStore.current.deprovision_secrets_manager(secrets_manager)
    secrets_manager.owner&.purge_secrets_manager_data!
    secrets_manager.destroy!
  end
end
