# frozen_string_literal: true

module Secrets
  # GitLab's (Project|Group)Secrets::CreateService, in its order of checks
  # and with its texts. The write has two phases, as in GitLab: the secret
  # is stored with `create_started_at` (CREATE_IN_PROGRESS, CREATE_STALE
  # after 30 s if never finished), the CI policies are refreshed, then the
  # creation is marked complete (metadata version 2, as OpenBao counts it).
  class CreateService < BaseService
    # scope: { branch: } for a project secret, { protected: } for a group's.
    def execute(name:, value:, environment:, description: nil, rotation_interval_days: nil, **scope)
      with_lease do
        next inactive unless active?
        next limit_reached if owner.secret_records.count >= limit

        secret = owner.secret_records.new(name:, description:, environment:, **scope)
        store(secret, value, rotation_info_for(name, 1, rotation_interval_days))
      end
    end

    private

    def limit = owner.secrets_manager.secrets_limit

    def limit_reached
      Result.error("Maximum number of secrets (#{limit}) for this #{owner.secrets_scope_name} has been reached. " \
                   "Please delete unused secrets or contact your administrator to increase the limit.",
                   reason: :secrets_limit_exceeded)
    end

    def store(secret, value, info)
      return error_response(secret) unless secret.valid?

      authorize!(secret)
      permit!(:read, secret.name) # GitLab's existence check reads the metadata
      return exists(secret) if owner.secret_records.exists?(name: secret.name)
      return value_too_long(secret) if value.bytesize > SecretRecord::MAX_VALUE_BYTES
      return rotation_info_invalid(secret, info) if info && !info.upsert

      permit!(:create, secret.name)
      start(secret, value, info)
      refresh_ci_policies
      secret.update!(create_completed_at: Time.current, metadata_version: 2)
      Result.success(secret)
    rescue ActiveRecord::RecordNotUnique
      exists(secret)
    end

    # The record claims the name before the value is written anywhere, so a
    # concurrent create of the same name can never overwrite a value.
    def start(secret, value, info)
      secret.update!(create_started_at: Time.current, metadata_version: 1, rotation_info: info)
      SecretStore.current.provision(owner) if project?
      SecretStore.current.write(secret, value, user:)
      secret.save!
    rescue SecretStore::Denied
      secret.destroy! # OpenBao refused the person: the name is free again
      raise
    end

    def exists(secret)
      secret.errors.add(:base, "Secret already exists.")
      error_response(secret)
    end

    def value_too_long(secret)
      secret.errors.add(:base, SecretRecord::VALUE_TOO_LONG)
      error_response(secret)
    end
  end
end
