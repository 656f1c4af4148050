# frozen_string_literal: true

module PipelineGuard
  module OpenBao
    class JwtAuth
      # A validated, compiled CEL role of a JwtAuth mount; immutable
      # (write_cel_role stores a new one). Obtain with JwtAuth#cel_role or
      # #write_cel_role.
      class CelRole
        # Runs the claims part of a CEL login on claims you already trust
        # (a token verified elsewhere): registered claims with the mount's
        # bound_issuer, then the program. Returns a Login or raises
        # AuthError. `now`: as for JwtAuth#cel_login.
        def authenticate(claims, now: nil)
          parts = JwtAuth.__send__(:time_parts, now)
          _authenticate(claims, *parts)
        end

        def to_h
          { name:, cel_program:, message:, bound_audiences:, clock_skew_leeway:,
            expiration_leeway:, not_before_leeway: }
        end

        def initialize_copy(_other)
          raise TypeError, "PipelineGuard::OpenBao::JwtAuth::CelRole cannot be copied"
        end
      end
    end
  end
end
