# frozen_string_literal: true

module Secrets
  # GitLab's (Project|Group)Secrets::UpdateService. `metadata_cas` must
  # match the stored metadata version (OpenBao's check-and-set); the write
  # has two phases (UPDATE_IN_PROGRESS, UPDATE_STALE after 30 s); every
  # update starts a new rotation record, so it counts as a rotation.
  class UpdateService < BaseService
    def execute(name:, metadata_cas:, value: nil, rotation_interval_days: nil, **changes)
      with_lease do
        found = find(name)
        next found unless found.success?

        prepare(found.secret, metadata_cas, rotation_interval_days, changes) do |secret, info|
          update(secret, value, metadata_cas, info)
        end
      end
    end

    private

    def prepare(secret, metadata_cas, rotation_interval_days, changes)
      authorize!(secret)
      secret.assign_attributes(changes.compact)
      return error_response(secret) unless secret.valid_for_update?

      info = rotation_info_for(secret.name, (metadata_cas || secret.metadata_version) + 1, rotation_interval_days)
      return rotation_info_invalid(secret, info) if info && !info.upsert

      yield secret, info
    end

    def update(secret, value, metadata_cas, info)
      permit!(:update, secret.name)
      return cas_mismatch(secret) unless start(secret, value, metadata_cas, info)

      refresh_ci_policies
      complete(secret, metadata_cas)
      Result.success(secret)
    end

    # Phase one, atomically with the check-and-set.
    def start(secret, value, metadata_cas, info)
      secret.class.transaction do
        current = secret.class.lock.find(secret.id).metadata_version
        return false if metadata_cas && metadata_cas != current

        secret.assign_attributes(update_started_at: Time.current, update_completed_at: nil, rotation_info: info,
                                 metadata_version: metadata_cas ? metadata_cas + 1 : current + 1)
        SecretStore.current.write(secret, value, user:) unless value.nil?
        secret.save!
      end
      true
    end

    # Phase two bumps the stored version once more (OpenBao's second
    # metadata write); the answer keeps the first, as GitLab's does.
    def complete(secret, metadata_cas)
      answered = secret.metadata_version
      secret.update!(update_completed_at: Time.current, metadata_version: answered + 1)
      secret.metadata_version = metadata_cas ? answered : nil
    end

    def cas_mismatch(secret)
      secret.errors.add(:base, CAS_MISMATCH)
      error_response(secret)
    end
  end
end
