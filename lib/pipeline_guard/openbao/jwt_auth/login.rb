# frozen_string_literal: true

module PipelineGuard
  module OpenBao
    class JwtAuth
      # A successful login: what OpenBao would return in `auth` (no token
      # is minted locally). Durations are whole seconds; 0 means the
      # mount's default. For a CEL login (#cel?) alias_name is nil when the
      # program returned no alias, and ttl / lease_duration is the lease
      # OpenBao computes.
      class Login
        def to_h
          {
            role_name:, alias_name:, display_name:, metadata:, groups:, policies:,
            no_default_policy: no_default_policy?, ttl:, max_ttl:, explicit_max_ttl:, period:,
            num_uses:, token_type:, bound_cidrs:, renewable: renewable?,
            alias_metadata:, lease_duration:, cel: cel?
          }
        end

        def ==(other)
          other.is_a?(Login) && _eql(other)
        end
        alias eql? ==

        def hash
          to_h.hash
        end
      end
    end
  end
end
