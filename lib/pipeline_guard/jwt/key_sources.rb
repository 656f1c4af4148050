# frozen_string_literal: true

require "openssl"

module PipelineGuard
  module JWT
    # Where `decode` takes its verification keys from, in the jwt gem's
    # precedence: x5c over jwks over a key finder block over the key.
    module KeySources
      class << self
        # A String or OpenSSL key with neither x5c: nor jwks: (the common
        # case): the key alone decides.
        def plain?(key, options)
          (key.is_a?(String) || key.is_a?(OpenSSL::PKey::PKey)) && !options[:x5c] && !options[:jwks]
        end

        # The VerifyingKey (or list of them) to check `jwt` with.
        def verifying_keys(jwt, key, options, keyfinder)
          return x5c_keys(jwt, options) if options[:x5c]

          jwks = options[:jwks] || key_set(key)
          return jwks_keys(jwt, options, jwks) if jwks
          return finder_keys(jwt, options, keyfinder) if keyfinder

          Keys.verifying(key)
        end

        private

        # A JWKS given as the key itself (Hash with "keys" or JWK::Set).
        def key_set(key)
          return key if key.is_a?(JWK::Set)

          key if key.is_a?(Hash) && Keys.jwks?(key)
        end

        def finder_keys(jwt, options, keyfinder)
          payload, header = JWT._decode_unverified(jwt, options[:max_token_bytes])
          key = keyfinder.arity == 2 ? keyfinder.call(header, payload) : keyfinder.call(header)
          raise DecodeError, "No verification key available" if key.nil? || (key.is_a?(Array) && key.empty?)

          Keys.verifying(key)
        end

        # JWK::KeyFinder: by kid (a String); a loader is called again with
        # `invalidate: true, kid_not_found: true` when the kid is unknown.
        def jwks_keys(jwt, options, jwks)
          _payload, header = JWT._peek(jwt, options[:max_token_bytes])
          JWK::KeyFinder.new(jwks:, allow_nil_kid: options[:allow_nil_kid]).verifying_keys(header)
        end

        # The leaf certificate's key of the header's x5c chain, verified
        # against the caller's roots and CRLs (never the token's own word).
        def x5c_keys(jwt, options)
          x5c = options[:x5c]
          raise ArgumentError, "x5c: must be a Hash with root_certificates: and crls:" unless x5c.is_a?(Hash)

          _payload, header = JWT._peek(jwt, options[:max_token_bytes])
          Keys.verifying(X5cKeyFinder.new(x5c[:root_certificates], x5c[:crls]).from(header["x5c"]))
        end
      end
    end
  end
end
