# frozen_string_literal: true

require "openssl"

module PipelineGuard
  module JWT
    # Turns the keys the jwt gem accepts into parsed native keys, and keeps
    # them so that decoding again with the same key does not parse it again.
    #
    # * String: the native core decides: a PEM key when "-----BEGIN"
    #   appears anywhere in it, else an HMAC secret, refused when it is
    #   other key material (SSH public key, JWK JSON, DER). A public key
    #   never becomes an HMAC secret.
    # * OpenSSL::PKey::RSA / EC / PKey (Ed25519): its DER.
    # * Hash: a JWK (string or symbol keys).
    # * VerifyingKey / SigningKey: used as is.
    # * JWK objects: their verify_key / signing_key.
    #
    # Caches: OpenSSL keys and JWK Hashes in ObjectSpace::WeakMaps (by
    # identity; an entry goes with its key object; the last KEEP parsed keys
    # are also held strongly, since a WeakMap holds its values weakly too),
    # String secrets and PEM in small bounded Hashes. `clear_cache` empties
    # them.
    module Keys # rubocop:disable Metrics/ModuleLength
      CACHE_LIMIT = 256
      KEEP = 64

      @lock = Mutex.new

      class << self
        def clear_cache
          @lock.synchronize do
            @strings_v = {}
            @strings_s = {}
            @objects_v = ObjectSpace::WeakMap.new
            @objects_s = ObjectSpace::WeakMap.new
            @keep = Array.new(KEEP)
            @keep_at = 0
          end
          nil
        end

        # A VerifyingKey, or an Array of them for an Array (or a JWKS Hash).
        # Raises JWKError for anything unusable.
        def verifying(key) # rubocop:disable Metrics/CyclomaticComplexity
          case key
          when VerifyingKey then key
          when String
            @strings_v[key] || string_key(@strings_v, key) { VerifyingKey._load("string", key, enforce?) }
          when OpenSSL::PKey::PKey
            @objects_v[key] || store(@objects_v, key, VerifyingKey._load("der", public_der(key), true))
          when Hash
            return jwk_list(key).map { |jwk| verifying(jwk) } if jwks?(key)

            object_key(@objects_v, key) { VerifyingKey._load("jwk", key, enforce?) }
          when Array then key.map { |k| verifying(k) }
          when JWK::KeyBase then verifying(key.verify_key)
          else raise JWKError, "Unsupported key type #{key.class}"
          end
        end

        # A SigningKey for `encode`.
        def signing(key) # rubocop:disable Metrics/CyclomaticComplexity
          case key
          when SigningKey then key
          when String
            @strings_s[key] || string_key(@strings_s, key) { SigningKey._load("string", key, enforce?) }
          when OpenSSL::PKey::PKey
            @objects_s[key] || store(@objects_s, key, SigningKey._load("der", private_der(key), true))
          when Hash then object_key(@objects_s, key) { SigningKey._load("jwk", key, enforce?) }
          when nil then raise EncodeError, "No signing key given"
          when JWK::KeyBase then signing(key.signing_key)
          else raise EncodeError, "Unsupported key type #{key.class}"
          end
        end

        # `[kind, data]` for building a key natively (Signer, Verifier).
        def verifying_source(key)
          case key
          when String then ["string", key]
          when OpenSSL::PKey::PKey then ["der", public_der(key)]
          when Hash then ["jwk", key]
          else raise JWKError, "Unsupported key type #{key.class}"
          end
        end

        def signing_source(key)
          case key
          when String then ["string", key]
          when OpenSSL::PKey::PKey then ["der", private_der(key)]
          when Hash then ["jwk", key]
          else raise EncodeError, "Unsupported key type #{key.class}"
          end
        end

        def jwks?(hash)
          hash.key?("keys") || hash.key?(:keys)
        end

        # The JWK Hashes of a JWKS Hash (or a plain Array of JWKs).
        def jwk_list(set)
          list = set.is_a?(Hash) ? (set[:keys] || set["keys"]) : set
          raise JWKError, "JWKS must be a Hash with a \"keys\" Array" unless list.is_a?(Array)

          list
        end

        private

        def enforce?
          JWT.enforce_hmac_key_length
        end

        def string_key(cache, str)
          cache[str] || begin
            key = yield
            @lock.synchronize do
              cache.clear if cache.size >= CACHE_LIMIT
              cache[str] = key
            end
          end
        end

        def object_key(cache, obj)
          digest = obj.hash
          entry = cache[obj]
          return entry[1] if entry && entry[0] == digest

          store(cache, obj, [digest, yield])[1]
        end

        def store(cache, obj, value)
          cache[obj] = value
          @lock.synchronize do
            @keep[@keep_at] = value
            @keep_at = (@keep_at + 1) % KEEP
          end
          value
        rescue ArgumentError, TypeError, FrozenError
          value # objects a WeakMap cannot hold are just not cached
        end

        def public_der(pkey)
          pkey.public_to_der
        rescue OpenSSL::PKey::PKeyError, NoMethodError => e
          raise JWKError, "Unusable #{pkey.class}: #{e.message}"
        end

        def private_der(pkey)
          pkey.private_to_der
        rescue OpenSSL::PKey::PKeyError, NoMethodError => e
          raise EncodeError, "#{pkey.class} cannot sign (a private key is needed): #{e.message}"
        end
      end

      clear_cache
    end
  end
end
