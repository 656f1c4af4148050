# frozen_string_literal: true

module Secrets
  # Shared by the services on one project's or group's secrets.
  class BaseService
    INACTIVE = SecretsManagers::INACTIVE
    CAS_MISMATCH = "This secret has been modified recently. Please refresh the page and try again."

    # `authorize` is called with the secret before it is written or
    # deleted (after GitLab's validations), and raises to refuse.
    # `permit` is called with (action, name) where GitLab's services reach
    # OpenBao with the person's own token (:read before a lookup, :create,
    # :update, :delete before the write), and raises to refuse there.
    def initialize(owner, user = nil, authorize: nil, permit: nil)
      @owner = owner
      @user = user
      @authorize = authorize
      @permit = permit
    end

    private

    attr_reader :owner, :user

    def authorize!(secret) = @authorize&.call(secret)
    def permit!(action, name) = @permit&.call(action, name)

    # GitLab's exclusive lease per project or group: writes to one owner's
    # secrets run one at a time, so the limit check and the insert, or a
    # read and its check-and-set, cannot interleave (within this process).
    LEASES = Hash.new { |leases, key| leases[key] = Mutex.new }
    LEASES_LOCK = Mutex.new

    def with_lease(&)
      lease = LEASES_LOCK.synchronize { LEASES["#{owner.class.name}/#{owner.id}"] }
      lease.owned? ? yield : lease.synchronize(&)
    end

    def active? = owner.secrets_manager&.active? || false
    def inactive = Result.error(INACTIVE)
    def project? = owner.is_a?(Project)
    def not_found = Result.error("#{owner.secrets_scope_name.capitalize} secret does not exist.", reason: :not_found)

    # GitLab's ReadMetadataService: the named secret, or why not.
    def find(name)
      return inactive unless active?
      return Result.error("Name #{SecretRecord::NAME_FORMAT_MESSAGE}") unless SecretRecord::NAME_FORMAT.match?(name)

      permit!(:read, name)
      secret = owner.secret_records.find_by(name:)
      secret ? Result.success(secret) : not_found
    end

    def error_response(secret) = Result.error(secret.errors.full_messages.to_sentence, secret:)

    def rotation_info_for(name, version, days)
      return nil if days.nil?

      SecretRotationInfo.new((project? ? :project : :group) => owner, secret_name: name,
                             secret_metadata_version: version, rotation_interval_days: days)
    end

    def rotation_info_invalid(secret, info)
      info.errors.full_messages.each { |m| secret.errors.add(:base, "Rotation configuration error: #{m}") }
      error_response(secret)
    end

    # Pipelines' access follows the secret's scopes: rebuild the native
    # model, and with OpenBao rewrite the CI policies (groups' too).
    def refresh_ci_policies
      return SecretStore.current.sync_policies(owner) unless project?

      ProjectAccess.reset!(owner.id)
      SecretStore.current.sync_policies(owner)
    end
  end
end
