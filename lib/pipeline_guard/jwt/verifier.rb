# frozen_string_literal: true

module PipelineGuard
  module JWT
    # A fixed key set, allowlist and claim rules. `verify` returns the
    # claims Hash or raises a DecodeError subclass; `verify_many` returns,
    # in order, a claims Hash or the DecodeError instance for each token.
    class Verifier
      include NoCopy

      # `Verifier.new(algorithms:, jwks: nil, keys: nil, issuer: nil,
      # audience: nil, subject: nil, leeway: 0, required_claims: [],
      # max_token_bytes: DEFAULT_MAX_TOKEN_BYTES, verify_iat: false)` is
      # native (keywords read once). `jwks`: a JWKS Hash or JSON String;
      # `keys`: one key or an Array (as JWT.decode takes them).
      # `issuer`/`audience`: a String or Symbol or a list (Array, Set) of
      # accepted values; `subject` a String. nil skips that check; a value
      # that cannot be compared (nil or another type in a list, an empty
      # String or list) raises ArgumentError. exp and nbf are always
      # checked (with `leeway`).

      # `at:` a Time or Unix seconds instead of the clock's now
      # (PipelineGuard.clock).
      def verify_many(tokens, at: nil)
        _verify_many(tokens, at)
      end

      # Like verify_many, but raises the first failure (its class, with
      # "item <index>: " before the message).
      def verify_many!(tokens, at: nil)
        results = _verify_many(tokens, at)
        results.each_with_index do |r, i|
          raise r.class, "item #{i}: #{r.message}" if r.is_a?(Exception)
        end
        results
      end
    end
  end
end
