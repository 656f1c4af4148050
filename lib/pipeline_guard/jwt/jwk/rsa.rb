# frozen_string_literal: true

require "openssl"

module PipelineGuard
  module JWT
    module JWK
      # An RSA key as a JWK (RFC 7518 §6.3). Built from an
      # OpenSSL::PKey::RSA or from JWK parameters (a private key needs all
      # of p, q, dp, dq, qi); hands out OpenSSL keys.
      class RSA < KeyBase
        BINARY = 2
        KTY = "RSA"
        KTYS = [KTY, OpenSSL::PKey::RSA, RSA].freeze
        PUBLIC_ELEMENTS = %i[kty n e].freeze
        PRIVATE_ELEMENTS = %i[d p q dp dq qi].freeze
        KEY_ELEMENTS = (PRIVATE_ELEMENTS + PUBLIC_ELEMENTS).freeze
        OPTIONAL_PARAMS = %i[p q dp dq qi].freeze
        ASN1_SEQUENCE = (%i[n e d] + OPTIONAL_PARAMS).freeze # RFC 8017 A.1.2 order
        CRT_ALL_OR_NONE = "When one of p, q, dp, dq or qi is given all the other optimization parameters " \
                          "also needs to be defined"

        class << self
          def import(jwk_data) = new(jwk_data)

          def decode_open_ssl_bn(jwk_data)
            return nil unless jwk_data
            raise JWKError, "RSA JWK parameters must be Strings" unless jwk_data.is_a?(String)

            OpenSSL::BN.new(Base64.url_decode(jwk_data), BINARY)
          rescue Base64DecodeError
            raise JWKError, "RSA JWK parameter is not base64url"
          end

          # The key from its numbers, as PKCS#1 DER (OpenSSL 3 keys cannot
          # be changed once made).
          def create_rsa_key_using_der(rsa_parameters)
            validate_rsa_parameters!(rsa_parameters)
            sequence = ASN1_SEQUENCE.filter_map do |name|
              OpenSSL::ASN1::Integer.new(rsa_parameters[name]) if rsa_parameters[name]
            end
            if sequence.size > 2
              if sequence.size < ASN1_SEQUENCE.size
                raise JWKError, "Creating a RSA key with a private key requires the CRT parameters to be defined"
              end

              sequence.unshift(OpenSSL::ASN1::Integer.new(0)) # two-prime version
            end
            OpenSSL::PKey::RSA.new(OpenSSL::ASN1::Sequence(sequence).to_der)
          rescue OpenSSL::PKey::PKeyError, OpenSSL::ASN1::ASN1Error, TypeError => e
            raise JWKError, "Invalid RSA key parameters: #{e.class}"
          end

          alias create_rsa_key create_rsa_key_using_der

          private

          # RFC 7518 §6.3.2.2: the CRT parameters come all or none.
          def validate_rsa_parameters!(rsa_parameters)
            return unless rsa_parameters.key?(:d)

            missing = OPTIONAL_PARAMS - rsa_parameters.keys
            return if missing.empty? || missing.size == OPTIONAL_PARAMS.size

            raise JWKError, CRT_ALL_OR_NONE
          end
        end

        def initialize(key, params = nil, options = {})
          key_params = extract_key_params(key)
          params = normalize_params(params)
          raise JWKError, "Incorrect 'kty' value: #{key_params[:kty]}, expected #{KTY}" unless key_params[:kty] == KTY
          raise JWKError, "Key format is invalid for RSA" unless key_params[:n] && key_params[:e]

          super(options, key_params.merge(params))
          rsa_key # parse now: a bad key fails here, not at first use
        end

        def keypair = rsa_key
        def private? = rsa_key.private?
        # One public key object per JWK, so that decoding with it again
        # hits the parsed-key cache.
        def public_key = (@public_key ||= rsa_key.public_key)
        def signing_key = (rsa_key if private?)
        def verify_key = public_key

        def export(options = {}) = export_parameters(PRIVATE_ELEMENTS, options)

        def members = PUBLIC_ELEMENTS.to_h { |name| [name, self[name]] }

        def key_digest
          sequence = OpenSSL::ASN1::Sequence([OpenSSL::ASN1::Integer.new(rsa_key.n),
                                              OpenSSL::ASN1::Integer.new(rsa_key.e)])
          OpenSSL::Digest::SHA256.hexdigest(sequence.to_der)
        end

        private

        def rsa_key
          @rsa_key ||= self.class.create_rsa_key(
            (KEY_ELEMENTS - [:kty]).to_h { |name| [name, self.class.decode_open_ssl_bn(self[name])] }.compact
          )
        end

        # The parsed native key, kept: decoding with this JWK again parses
        # nothing (and skips OpenSSL's slow public key export).
        def native_verifying_key
          @native_verifying_key ||= VerifyingKey.from_jwk(members.transform_keys(&:to_s))
        end

        def native_thumbprint
          native_verifying_key.thumbprint
        rescue JWKError
          nil # outside the native key rules (e.g. under 2048 bits): computed in Ruby
        end

        def extract_key_params(key)
          case key
          when RSA then key.export(include_private: true)
          when OpenSSL::PKey::RSA
            @rsa_key = key
            parse_rsa_key(key)
          when Hash then key.transform_keys(&:to_sym)
          else raise ArgumentError, "keypair must be of type OpenSSL::PKey::RSA"
          end
        end

        def parse_rsa_key(key)
          { kty: KTY, n: key.n, e: key.e, d: key.d, p: key.p, q: key.q, dp: key.dmp1, dq: key.dmq1, qi: key.iqmp }
            .compact.transform_values { |value| value.is_a?(String) ? value : Base64.url_encode(value.to_s(BINARY)) }
        end
      end
    end
  end
end
