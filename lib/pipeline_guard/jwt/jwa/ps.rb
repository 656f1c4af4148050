# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # PS256/384/512 (RSASSA-PSS, salt as long as the hash). Signs with an
      # OpenSSL::PKey::RSA (or a SigningKey), as the gem requires.
      class Ps
        include NativeAlgorithm

        def initialize(alg)
          @alg = alg
          @digest_algorithm = alg.sub("PS", "sha")
        end

        register_algorithm(new("PS256"))
        register_algorithm(new("PS384"))
        register_algorithm(new("PS512"))

        private

        attr_reader :digest_algorithm

        def check_signing_key!(key)
          return if key.is_a?(OpenSSL::PKey::RSA) || key.is_a?(SigningKey)

          raise_sign_error!("The given key is a #{key.class}. It has to be an OpenSSL::PKey::RSA instance.")
        end
      end
    end
  end
end
