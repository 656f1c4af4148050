# frozen_string_literal: true

# GitLab's Provision{Project,Group}SecretsManagerWorker: prepares where the
# owner's secrets will live, then activates the secrets manager. Safe to
# run twice.
class ProvisionSecretsManagerJob < ApplicationJob
  queue_as :default

  def perform(secrets_manager, _user_id = nil)
    return unless secrets_manager.provisioning?

    SecretStore.current.provision_secrets_manager(secrets_manager)
    secrets_manager.activate!
    # The default role policies exist once the secrets manager is active.
    SecretStore.current.sync_policies(secrets_manager.owner)
  end
end
