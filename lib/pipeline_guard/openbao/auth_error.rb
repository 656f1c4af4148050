# frozen_string_literal: true

module PipelineGuard
  module OpenBao
    # A login refused by JwtAuth (declared with the other exceptions in
    # errors.rb). The message is OpenBao's text verbatim.
    class AuthError
      # The stage of OpenBao's login that refused it: :request (missing
      # role/token, oidc role, CIDR binding), :token (signature, algorithm,
      # iss/sub/aud/exp/nbf/iat), :identity (user claim, claim mappings,
      # groups claim), :bound_claims, or :internal (OpenBao would answer
      # HTTP 500). nil when raised by other code.
      attr_reader :kind
    end
  end
end
