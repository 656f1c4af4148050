# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # HS256/384/512. The secret is a String (an empty or nil one is
      # refused; short ones only with `enforce_hmac_key_length = false`).
      class Hmac
        include NativeAlgorithm

        def self.from_algorithm(algorithm)
          new(algorithm, OpenSSL::Digest.new(algorithm.downcase.sub("hs", "sha")))
        end

        def initialize(alg, digest)
          @alg = alg
          @digest = digest
        end

        register_algorithm(new("HS256", OpenSSL::Digest::SHA256))
        register_algorithm(new("HS384", OpenSSL::Digest::SHA384))
        register_algorithm(new("HS512", OpenSSL::Digest::SHA512))

        private

        attr_reader :digest

        def check_signing_key!(key)
          raise_verify_error!("HMAC key expected to be a String") unless key.nil? || key.is_a?(String)
          raise EncodeError, "HMAC key must not be empty" if key.nil? || key.empty?
        end
      end
    end
  end
end
