# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWK
      # The gem's JWK::KeyFinder: the key of a kid in a JWKS (Hash, Set,
      # Array) or from a loader, which is called with `kid:` and, when the
      # kid is unknown, again with `invalidate: true, kid_not_found: true`.
      # Only the entries whose kid matches are parsed.
      class KeyFinder
        def initialize(options)
          @allow_nil_kid = options[:allow_nil_kid]
          jwks = options[:jwks]
          @loader = jwks.respond_to?(:call) ? jwks : ->(_options) { jwks }
        end

        # The verification key (OpenSSL key or HMAC secret) of `kid`.
        def key_for(kid)
          entry = entries_for(kid).first
          entry.is_a?(KeyBase) ? entry.verify_key : JWK.import(entry).verify_key
        end

        # The JWKS entries (Hashes or JWK objects) that `kid` selects: the
        # one with that kid or, without a kid and with `allow_nil_kid`,
        # every entry. Raises the gem's DecodeError otherwise.
        def entries_for(kid)
          check_kid!(kid)
          entries = load(kid:)
          found = select(entries, kid)
          if found.empty?
            entries = load(invalidate: true, kid_not_found: true, kid:)
            found = select(entries, kid)
          end
          raise DecodeError, "No keys found in jwks" if entries.empty?
          raise DecodeError, "Could not find public key for kid #{kid}" if found.empty?

          found
        end

        # Native verifying keys for a token header: the entries of its kid
        # that fit its alg. When none fits, the gem's error for the key
        # family (keys are never used outside their family, nor outside
        # the `alg` a JWK names).
        def verifying_keys(header)
          alg = header["alg"].to_s
          entries = entries_for(header["kid"])
          fitting = entries.select { |entry| family_fits?(entry, alg) && alg_allowed?(entry, alg) }
          raise_unfit!(entries, alg) if fitting.empty?

          fitting.map { |entry| native_key(entry) }
        end

        private

        def check_kid!(kid)
          raise DecodeError, "No key id (kid) found from token headers" unless kid || @allow_nil_kid
          raise DecodeError, "Invalid type for kid header parameter" unless kid.nil? || kid.is_a?(String)
        end

        def param(entry, name)
          entry.is_a?(KeyBase) ? entry[name] : entry[name] || entry[name.to_s]
        end

        def family_fits?(entry, alg)
          kty = param(entry, :kty)
          case alg[0, 2]
          when "HS" then kty == HMAC::KTY
          when "RS", "PS" then kty == RSA::KTY
          when "ES" then kty == EC::KTY && EC.algorithm_of(param(entry, :crv)) == alg
          else alg == "EdDSA" && kty == "OKP"
          end
        end

        def alg_allowed?(entry, alg)
          named = param(entry, :alg)
          named.nil? || named == alg
        end

        def raise_unfit!(entries, alg)
          if entries.any? { |entry| family_fits?(entry, alg) }
            raise IncorrectAlgorithm, "The JWK for this kid only allows another algorithm than #{alg}"
          end
          raise DecodeError, "HMAC key expected to be a String" if alg.start_with?("HS")

          if alg.start_with?("ES") && (ec = entries.find { |entry| param(entry, :kty) == EC::KTY })
            raise IncorrectAlgorithm,
                  "payload algorithm is #{alg} but #{EC.algorithm_of(param(ec, :crv))} signing key was provided"
          end

          raise VerificationError, "Signature verification raised"
        end

        # An oct key's `k` is the secret itself, as in the gem.
        def native_key(entry)
          return entry.send(:native_verifying_key) if entry.is_a?(RSA) || entry.is_a?(EC)
          return Keys.verifying(entry.verify_key) if entry.is_a?(KeyBase)

          if param(entry, :kty) == HMAC::KTY
            secret = param(entry, :k)
            raise JWKError, "Key format is invalid for HMAC" unless secret.is_a?(String)

            return Keys.verifying(secret)
          end
          Keys.verifying(entry)
        end

        def load(options)
          set = @loader.call(options)
          case set
          when Set then set.keys
          when KeyBase then [set]
          when Hash, Array then Keys.jwk_list(set)
          when nil then []
          else raise JWKError, "JWKS must be a Hash with a \"keys\" Array, a JWK::Set or a JWK"
          end
        end

        def select(entries, kid)
          return entries if kid.nil?

          entries.select do |entry|
            (entry.is_a?(KeyBase) ? entry.kid : entry.is_a?(Hash) && (entry[:kid] || entry["kid"])) == kid
          end
        end
      end
    end
  end
end
