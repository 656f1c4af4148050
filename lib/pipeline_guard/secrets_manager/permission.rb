# frozen_string_literal: true

require "time"

module PipelineGuard
  module SecretsManager
    # A secrets permission: a principal (:user, :group, :role with 20, 30,
    # 40 or 50, :member_role), actions (:read or :read_metadata required;
    # :read_value, :write, :delete) and an optional expiry, plus the OpenBao
    # policies GitLab writes for it. Immutable.
    class Permission
      PRINCIPAL_TYPES = { user: "User", group: "Group", role: "Role", member_role: "MemberRole" }.freeze

      # Native: `new(principal_type:, principal_id:, actions:, expired_at:
      # nil, granted_by: nil, now: nil)`, frozen. expired_at: Time, Date,
      # RFC 3339 String or unix seconds; must lie after `now` (default: the
      # current time).

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
