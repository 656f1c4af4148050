# frozen_string_literal: true

require "openssl"

module PipelineGuard
  module JWT
    module JWK
      # An HMAC secret as a JWK (`kty: "oct"`). As in the jwt gem 2.x, `k`
      # holds the secret itself (not its base64url), so `JWK.new(secret)`,
      # its `export(include_private: true)` and `JWT.decode(..., jwks:)`
      # agree with the gem. `export` leaves `k` out unless asked.
      class HMAC < KeyBase
        KTY = "oct"
        KTYS = [KTY, String, HMAC].freeze
        PUBLIC_ELEMENTS = %i[kty].freeze
        PRIVATE_ELEMENTS = %i[k].freeze
        KEY_ELEMENTS = (PRIVATE_ELEMENTS + PUBLIC_ELEMENTS).freeze

        def self.import(jwk_data) = new(jwk_data)

        def initialize(key, params = nil, options = {})
          key_params = extract_key_params(key)
          params = normalize_params(params)
          raise JWKError, "Incorrect 'kty' value: #{key_params[:kty]}, expected #{KTY}" unless key_params[:kty] == KTY
          raise JWKError, "Key format is invalid for HMAC" unless key_params[:k].is_a?(String)

          super(options, key_params.merge(params))
        end

        def keypair = secret
        def signing_key = secret
        def verify_key = secret
        def public_key = nil
        def private? = true

        def export(options = {}) = export_parameters(PRIVATE_ELEMENTS, options)

        def members = { kty: KTY, k: secret }

        def key_digest
          sequence = OpenSSL::ASN1::Sequence([OpenSSL::ASN1::UTF8String.new(secret),
                                              OpenSSL::ASN1::UTF8String.new(KTY)])
          OpenSSL::Digest::SHA256.hexdigest(sequence.to_der)
        end

        private

        def secret = self[:k]

        def extract_key_params(key)
          case key
          when HMAC then key.export(include_private: true)
          when String then { kty: KTY, k: key }
          when Hash then key.transform_keys(&:to_sym)
          else raise ArgumentError, "key must be of type String or Hash with key parameters"
          end
        end
      end
    end
  end
end
