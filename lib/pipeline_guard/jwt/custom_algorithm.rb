# frozen_string_literal: true

require "json"

module PipelineGuard
  module JWT
    # `encode`/`decode` with custom algorithm objects (JWT::JWA): the object
    # signs or verifies; the token's structure is parsed strictly by the
    # native core, the gem's order of checks is kept, and the claims are
    # checked by the same code as every other decode. A `none` token, and
    # one carrying `crit` or naming its own key, is still refused.
    module CustomAlgorithm
      KEY_HEADERS = %w[jwk jku x5u x5c].freeze

      class << self
        # The gem's Encode: `header_fields.merge(algorithm.header(signing_key:))`
        # and the object's signature.
        def encode(payload, key, algorithm, header_fields)
          JWT._check_numeric_claims(payload) if payload.is_a?(Hash)
          header = header_fields.transform_keys(&:to_s).merge(algorithm.header(signing_key: key))
          input = "#{Base64.url_encode(::JSON.generate(header))}.#{Base64.url_encode(::JSON.generate(payload))}"
          "#{input}.#{Base64.url_encode(algorithm.sign(data: input, signing_key: key))}"
        end

        # `decode` with an allowlist holding algorithm objects (see
        # JWA.allowlist): `[payload, header]` when a custom object verified
        # the token, else `[nil, options]` with the allowlist as names for
        # the native path.
        def dispatch(jwt, key, options, (kind, list), keyfinder)
          if kind == :objects
            result = decode(jwt, key, options, list, keyfinder)
            return [result, options] if result

            list = list.filter_map { |a| a.alg if JWA::BUILT_IN.include?(a.class) }
          end
          [nil, GemOrder.with_algorithms(options, list)]
        end

        # The gem's Decode for an allowlist of algorithm objects. Returns
        # `[payload, header]`, or nil when no custom object applies to the
        # token (the caller then takes the native path).
        def decode(jwt, key, options, algorithms, keyfinder)
          segments = jwt.split(".")
          raise DecodeError, "Not enough or too many segments" unless segments.size == 3

          signature = Base64.url_decode(segments[2])
          raise IncorrectAlgorithm, "An algorithm must be specified" if algorithms.empty?

          payload, header = JWT._peek(jwt, options[:max_token_bytes])
          valid = valid_algorithms(header, algorithms)
          return nil if valid.all? { |a| JWA::BUILT_IN.include?(a.class) }

          key = find_key(key, header, payload, options, keyfinder)
          verify!(valid, "#{segments[0]}.#{segments[1]}", signature, key)
          ClaimChecks.check!(payload, options)
          [payload, header]
        end

        private

        def valid_algorithms(header, algorithms)
          alg = header["alg"]
          raise IncorrectAlgorithm, "Token is missing alg header" unless alg
          raise IncorrectAlgorithm, %(Algorithm "none" is not allowed) if alg.to_s.casecmp?("none")

          refuse_headers!(header)
          valid = algorithms.select { |a| a.valid_alg?(alg) }
          raise IncorrectAlgorithm, "Expected a different algorithm" if valid.empty?

          valid
        end

        # As the native decode: no JWS extension is implemented, and keys
        # never come from the token.
        def refuse_headers!(header)
          if header.key?("crit")
            crit = header["crit"]
            unless crit.is_a?(Array) && !crit.empty? && crit.all?(String)
              raise InvalidCritError, "Crit header should be a non-empty array of strings"
            end

            raise InvalidCritError, "Unsupported critical headers: #{crit.join(', ')}"
          end
          name = KEY_HEADERS.find { |h| header.key?(h) }
          return unless name

          raise DecodeError, %(Header parameter "#{name}" is not supported: keys are never taken from the token)
        end

        def find_key(key, header, payload, options, keyfinder)
          if keyfinder
            key = keyfinder.arity == 2 ? keyfinder.call(header, payload) : keyfinder.call(header)
          elsif (jwks = options[:jwks])
            key = jwks_for(jwks, header["kid"])
          end
          raise DecodeError, "No verification key available" if key.nil? || (key.is_a?(Array) && key.empty?)

          key
        end

        # The JWK Hashes of the set that carry the token's kid.
        def jwks_for(jwks, kid)
          set = jwks.respond_to?(:call) ? jwks.call(kid:) : jwks
          Keys.jwk_list(set).select { |jwk| jwk.is_a?(Hash) && (jwk["kid"] || jwk[:kid]) == kid }
        end

        def verify!(algorithms, data, signature, key)
          ok = Array(key).any? do |k|
            algorithms.any? { |a| a.verify(data:, signature:, verification_key: k) }
          end
          raise VerificationError, "Signature verification failed" unless ok
        end
      end
    end
  end
end
