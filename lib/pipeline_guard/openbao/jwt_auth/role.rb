# frozen_string_literal: true

module PipelineGuard
  module OpenBao
    class JwtAuth
      # A validated role of a JwtAuth mount; immutable (write_role stores a
      # new one). Obtain with JwtAuth#role or #write_role.
      class Role
        # Runs the claims part of a login on claims you already trust (a
        # token verified elsewhere): everything OpenBao checks after the
        # signature, with the mount's bound_issuer. Returns a Login or
        # raises AuthError. `now`: as for JwtAuth#login.
        def authenticate(claims, now: nil)
          parts = JwtAuth.__send__(:time_parts, now)
          _authenticate(claims, *parts)
        end

        def claim_mappings
          _claim_mappings.to_h
        end

        def to_h
          {
            name:, role_type:, bound_audiences:, bound_subject:, bound_claims_type:,
            bound_claims:, claim_mappings:, user_claim:, user_claim_json_pointer: user_claim_json_pointer?,
            groups_claim:, clock_skew_leeway:, expiration_leeway:, not_before_leeway:,
            token_policies:, token_ttl:, token_max_ttl:, token_type:
          }
        end

        def initialize_copy(_other)
          raise TypeError, "PipelineGuard::OpenBao::JwtAuth::Role cannot be copied"
        end
      end
    end
  end
end
