# frozen_string_literal: true

require "json"
require "openssl"

module PipelineGuard
  module JWT
    module JWK
      # RFC 7638 JWK thumbprint: SHA-256 of the required members as
      # canonical JSON (sorted names, no whitespace), base64url. For RSA
      # and EC keys of the supported curves it is the native thumbprint,
      # the same as `Signer#kid`.
      class Thumbprint
        attr_reader :jwk

        def initialize(jwk)
          @jwk = jwk
        end

        def generate
          native = jwk.respond_to?(:native_thumbprint, true) ? jwk.send(:native_thumbprint) : nil
          native || self.class.canonical(jwk.members)
        end

        alias to_s generate

        # The thumbprint of a members Hash, computed here.
        def self.canonical(members)
          json = ::JSON.generate(members.transform_keys(&:to_s).sort.to_h)
          Base64.url_encode(OpenSSL::Digest::SHA256.digest(json))
        end
      end
    end
  end
end
