# frozen_string_literal: true

module PipelineGuard
  module JWT
    # The jwt gem's (2.9) claim API: `verify!` (decode options),
    # `verify_payload!`, `valid_payload?`, `payload_errors` and the checker
    # classes. Every check here is the one a verifying `decode` runs
    # (ClaimChecks, then the native checks), so the two never disagree; as
    # in `decode`, an enabled check without its expectation (`iss`, `aud`,
    # `sub`) raises ArgumentError instead of passing.
    module Claims
      Error = Struct.new(:message, keyword_init: true)
      VerificationContext = Struct.new(:payload, keyword_init: true)

      # What a single enabled check starts from: with these options `decode`
      # would check exp and nbf, the gem's claim API only what it is asked.
      NOTHING = { verify_expiration: false, verify_not_before: false }.freeze

      class << self
        # The gem's decode verifier: `options` as `decode` takes them, but a
        # check runs only when its `verify_*` option (or `required_claims`)
        # is given.
        def verify!(payload, options)
          DecodeVerifier.verify!(payload, options)
        end

        # `verify_payload!(payload, :exp, :nbf, iss: [...], exp: { leeway: 10 })`.
        def verify_payload!(payload, *options)
          Verifier.verify!(VerificationContext.new(payload:), *options)
        end

        def valid_payload?(payload, *options)
          payload_errors(payload, *options).empty?
        end

        # The Error (with `message`) of every failed check, in order.
        def payload_errors(payload, *options)
          Verifier.errors(VerificationContext.new(payload:), *options)
        end

        # Runs the enabled checks named in `checks` (decode option names)
        # on `payload`, and nothing else.
        def check!(payload, **checks)
          ClaimChecks.check!(payload, NOTHING.merge(checks))
        end
      end
    end
  end
end

require_relative "claims/audience"
require_relative "claims/expiration"
require_relative "claims/issued_at"
require_relative "claims/issuer"
require_relative "claims/jwt_id"
require_relative "claims/not_before"
require_relative "claims/numeric"
require_relative "claims/required"
require_relative "claims/subject"
require_relative "claims/decode_verifier"
require_relative "claims/verifier"
