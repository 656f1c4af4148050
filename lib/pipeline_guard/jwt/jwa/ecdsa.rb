# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # ES256, ES384, ES512 and ES256K (raw `r || s` signatures). An
      # OpenSSL EC key on another curve raises the gem's IncorrectAlgorithm.
      class Ecdsa
        include NativeAlgorithm

        NAMED_CURVES = {
          "prime256v1" => { algorithm: "ES256", digest: "sha256" },
          "secp256r1" => { algorithm: "ES256", digest: "sha256" }, # alias of prime256v1
          "secp384r1" => { algorithm: "ES384", digest: "sha384" },
          "secp521r1" => { algorithm: "ES512", digest: "sha512" },
          "secp256k1" => { algorithm: "ES256K", digest: "sha256" }
        }.freeze

        def self.from_algorithm(algorithm)
          new(algorithm, algorithm.downcase.sub("es", "sha").delete_suffix("k"))
        end

        def self.curve_by_name(name)
          NAMED_CURVES.fetch(name) { raise UnsupportedEcdsaCurve, "The ECDSA curve '#{name}' is not supported" }
        end

        def initialize(alg, digest)
          @alg = alg
          @digest = OpenSSL::Digest.new(digest)
        end

        NAMED_CURVES.each_value.uniq.each { |curve| register_algorithm(new(curve[:algorithm], curve[:digest])) }

        private

        attr_reader :digest

        def check_signing_key!(key) = check_curve!(key, "signing")
        def check_verification_key!(key) = check_curve!(key, "verification")

        def check_curve!(key, role)
          return unless key.is_a?(OpenSSL::PKey::EC)

          key_alg = self.class.curve_by_name(key.group&.curve_name)[:algorithm]
          return if key_alg == alg

          raise IncorrectAlgorithm, "payload algorithm is #{alg} but #{key_alg} #{role} key was provided"
        end
      end
    end
  end
end
