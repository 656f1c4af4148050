# frozen_string_literal: true

require "time"

module PipelineGuard
  module SecretsManager
    # A secrets permission: a principal (:user, :role with 20, 30 or 40,
    # :member_role; GitLab 19.4 has no :group principal and no Owner grant),
    # actions (:read, :read_metadata or :read_value required; :write,
    # :delete) and an optional expiry, plus the OpenBao policies GitLab
    # writes for it. Immutable.
    class Permission
      PRINCIPAL_TYPES = { user: "User", role: "Role", member_role: "MemberRole" }.freeze

      # Native: `new(principal_type:, principal_id:, actions:, expired_at:
      # nil, granted_by: nil, now: nil)`, frozen. expired_at: Time, Date,
      # RFC 3339 String or unix seconds; must lie after `now` (default: the
      # current time).

      # The role policies GitLab 19.4 writes when a secrets manager is
      # provisioned, { name => HCL } (or JSON text): for :project Owner
      # (users/roles/50: read, write, delete) and Maintainer
      # (users/roles/40: read, write); for :group Owner only. The Owner's
      # cannot be built with `new` (no Owner grant in 19.4).
      def self.default_role_policies(kind = :project, format: :hcl)
        _default_role_policies(kind.to_s, SecretsManager.json_format?(format))
      end

      # expired_at as the native constructor takes it (RFC 3339 text).
      def self.expiry_text(value)
        case value
        when nil, String then value
        when Integer then Time.at(value).utc.iso8601
        when DateTime, Time then value.to_time.utc.iso8601
        when Date then value.iso8601
        else raise TypeError, "expired_at must be a Time, Date, String or Integer"
        end
      end
      private_class_method :expiry_text

      # Expiry as a UTC Time, or nil.
      def expired_at
        at = _expired_at
        at && Time.at(at).utc
      end

      # Expired at `now` (default: PipelineGuard.clock's now)?
      def expired?(now: nil)
        _expired(RBAC.unix(now))
      end

      # All policies to write: the management policy and, when :read_value
      # is granted, the api/ read policy. { name => hcl } (or JSON text).
      def openbao_policies(format: :hcl)
        _openbao_policies(SecretsManager.json_format?(format))
      end

      def inspect
        "#<#{self.class} #{principal_type}=#{principal_id} actions=#{actions.inspect} " \
          "expired_at=#{expired_at.inspect}>"
      end
      alias to_s inspect
    end
  end
end
