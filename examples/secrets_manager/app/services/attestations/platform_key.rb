# frozen_string_literal: true

require "digest"
require "openssl"

module Attestations
  # The platform's DSSE signing key (ECDSA P-256). Its public half is
  # published at GET /-/attestations/keys, next to the JWKS, so anyone can
  # verify what the platform attested. ATTESTATION_SIGNING_KEY_FILE names a
  # PEM private key; without it the process generates one (examples, specs).
  module PlatformKey
    ALGORITHM = "ES256"

    class << self
      def signer
        @signer ||= PipelineGuard::DSSE::Signer.new(private_key, keyid:)
      end

      # The SHA-256 (hex) of the SubjectPublicKeyInfo, written as the
      # envelope signature's keyid.
      def keyid = @keyid ||= Digest::SHA256.hexdigest(private_key.public_to_der)

      def public_key_pem = private_key.public_to_pem

      def verifier
        @verifier ||= PipelineGuard::DSSE::Verifier.new(keys: [{ key: public_key_pem, keyid: }])
      end

      def published
        { "keys" => [{ "keyid" => keyid, "algorithm" => ALGORITHM,
                       "payload_type" => PipelineGuard::DSSE::IN_TOTO_PAYLOAD_TYPE, "public_key" => public_key_pem }] }
      end

      private

      def private_key
        @private_key ||= load_key
      end

      def load_key
        path = ENV.fetch("ATTESTATION_SIGNING_KEY_FILE", nil)
        return OpenSSL::PKey::EC.generate("prime256v1") if path.nil? || path.empty?

        key = OpenSSL::PKey.read(File.read(path))
        raise ArgumentError, "ATTESTATION_SIGNING_KEY_FILE must hold a P-256 private key" unless
          key.is_a?(OpenSSL::PKey::EC) && key.group.curve_name == "prime256v1" && key.private?

        key
      end
    end
  end
end
