# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # RS256/384/512 (PKCS#1 v1.5). Signs with an OpenSSL::PKey::RSA (or a
      # SigningKey), as the gem requires.
      class Rsa
        include NativeAlgorithm

        def initialize(alg)
          @alg = alg
          @digest = OpenSSL::Digest.new(alg.sub("RS", "SHA"))
        end

        register_algorithm(new("RS256"))
        register_algorithm(new("RS384"))
        register_algorithm(new("RS512"))

        private

        attr_reader :digest

        def check_signing_key!(key)
          return if key.is_a?(OpenSSL::PKey::RSA) || key.is_a?(SigningKey)

          raise_sign_error!("The given key is a #{key.class}. It has to be an OpenSSL::PKey::RSA instance")
        end
      end
    end
  end
end
