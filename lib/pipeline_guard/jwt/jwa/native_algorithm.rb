# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # The built-in algorithm objects sign and verify in the native core,
      # with the same key binding as `encode`/`decode`: a key is only used
      # with the algorithms of its type (and curve).
      module NativeAlgorithm
        include SigningAlgorithm

        def self.included(klass)
          SigningAlgorithm.included(klass)
        end

        # The raw signature; a key that cannot sign `alg` is an EncodeError.
        def sign(data:, signing_key:)
          check_signing_key!(signing_key)
          Crypto._sign(alg, signing_key_for(signing_key), data.to_s)
        end

        # True or false; a key that does not fit the algorithm raises
        # IncorrectAlgorithm (JWKError for one that cannot be read), as in
        # `decode`.
        def verify(data:, signature:, verification_key:)
          check_verification_key!(verification_key)
          key = VerifyingKey.from(verification_key)
          raise IncorrectAlgorithm, "A #{key.key_type} key cannot be used with #{alg}" unless key.fits?(alg)
          return false unless signature.is_a?(String)

          Crypto._verify_signature(alg, key, data.to_s, signature)
        end

        private

        def signing_key_for(key)
          Keys.signing(key)
        rescue JWKError => e
          raise EncodeError, e.message
        end

        def check_signing_key!(_key) = nil
        def check_verification_key!(_key) = nil
      end
    end
  end
end
