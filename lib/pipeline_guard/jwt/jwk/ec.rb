# frozen_string_literal: true

require "openssl"

module PipelineGuard
  module JWT
    module JWK
      # An EC key as a JWK (RFC 7518 §6.2): P-256, P-384, P-521 and P-256K
      # (secp256k1). Built from an OpenSSL::PKey::EC or from JWK parameters;
      # the point must lie on the curve and `d` must match it.
      class EC < KeyBase
        BINARY = 2
        KTY = "EC"
        KTYS = [KTY, OpenSSL::PKey::EC, EC].freeze
        PUBLIC_ELEMENTS = %i[kty crv x y].freeze
        PRIVATE_ELEMENTS = %i[d].freeze
        KEY_ELEMENTS = (PRIVATE_ELEMENTS + PUBLIC_ELEMENTS).freeze
        # JWK crv => [OpenSSL curve, coordinate bytes, JWS algorithm]
        CURVES = {
          "P-256" => ["prime256v1", 32, "ES256"],
          "P-384" => ["secp384r1", 48, "ES384"],
          "P-521" => ["secp521r1", 66, "ES512"],
          "P-256K" => ["secp256k1", 32, "ES256K"], # the jwt gem's name, used on export
          "secp256k1" => ["secp256k1", 32, "ES256K"] # RFC 8812's name, read as well
        }.freeze

        class << self
          def import(jwk_data) = new(jwk_data)

          def to_openssl_curve(crv)
            curve = CURVES[crv]
            raise JWKError, "Invalid curve provided" unless curve

            curve[0]
          end

          # The JWS algorithm of a curve ("ES256" for "P-256"), nil if unknown.
          def algorithm_of(crv) = CURVES.dig(crv, 2)
        end

        def initialize(key, params = nil, options = {})
          key_params = extract_key_params(key)
          params = normalize_params(params)
          raise JWKError, "Incorrect 'kty' value: #{key_params[:kty]}, expected #{KTY}" unless key_params[:kty] == KTY
          raise JWKError, "Key format is invalid for EC" unless key_params[:crv] && key_params[:x] && key_params[:y]

          super(options, key_params.merge(params))
          ec_key # parse now: a bad key fails here, not at first use
        end

        def keypair = ec_key
        def private? = ec_key.private_key?
        def signing_key = ec_key
        def verify_key = ec_key
        def public_key = ec_key

        def export(options = {}) = export_parameters(PRIVATE_ELEMENTS, options)

        def members = PUBLIC_ELEMENTS.to_h { |name| [name, self[name]] }

        def key_digest
          x, y = coordinates
          sequence = OpenSSL::ASN1::Sequence([OpenSSL::ASN1::Integer.new(OpenSSL::BN.new(x, BINARY)),
                                              OpenSSL::ASN1::Integer.new(OpenSSL::BN.new(y, BINARY))])
          OpenSSL::Digest::SHA256.hexdigest(sequence.to_der)
        end

        private

        def ec_key
          @ec_key ||= build_key
        end

        def native_thumbprint
          return nil if self[:crv] == "P-256K" # not a native curve: computed in Ruby

          native_verifying_key.thumbprint
        rescue JWKError
          nil
        end

        # The parsed native key (coordinates padded to the curve size, as
        # the native key writes them), kept for decoding again.
        def native_verifying_key
          @native_verifying_key ||= begin
            x, y = coordinates
            VerifyingKey.from_jwk({ "kty" => KTY, "crv" => self[:crv], "x" => Base64.url_encode(x),
                                    "y" => Base64.url_encode(y) })
          end
        end

        def curve_info
          CURVES[self[:crv]] || raise(JWKError, "Invalid curve provided")
        end

        def coordinates
          size = curve_info[1]
          [self[:x], self[:y]].map { |value| decode_member(:x, value).rjust(size, "\0".b) }
        end

        # Coordinates shorter than the curve's size lost their leading zero
        # bytes in some encoders: they are padded back; longer ones are bad.
        def build_key
          curve, size = curve_info
          x, y = coordinates
          if x.bytesize > size || y.bytesize > size
            raise JWKError,
                  "EC JWK coordinates are longer than the curve allows"
          end

          group = OpenSSL::PKey::EC::Group.new(curve)
          point = OpenSSL::PKey::EC::Point.new(group, OpenSSL::BN.new("\x04".b + x + y, BINARY))
          return OpenSSL::PKey::EC.new(public_der(curve, point)) unless self[:d]

          key = OpenSSL::PKey::EC.new(private_der(curve, point))
          # d must be the private key of this very point (d·G == point).
          return key if group.generator.mul(key.private_key) == point

          raise JWKError, "EC JWK parameter d does not match x and y"
        rescue OpenSSL::PKey::PKeyError, OpenSSL::PKey::EC::Point::Error, OpenSSL::PKey::EC::Group::Error,
               OpenSSL::ASN1::ASN1Error => e
          raise JWKError, "Invalid EC key parameters: #{e.class}"
        end

        def public_der(curve, point)
          algorithm = OpenSSL::ASN1::Sequence([OpenSSL::ASN1::ObjectId("id-ecPublicKey"),
                                               OpenSSL::ASN1::ObjectId(curve)])
          OpenSSL::ASN1::Sequence([algorithm, OpenSSL::ASN1::BitString(point.to_octet_string(:uncompressed))]).to_der
        end

        def private_der(curve, point)
          size = curve_info[1]
          d = decode_member(:d, self[:d])
          raise JWKError, "EC JWK parameter d is longer than the curve allows" if d.bytesize > size

          d = d.rjust(size, "\0".b)
          OpenSSL::ASN1::Sequence([
                                    OpenSSL::ASN1::Integer(1),
                                    OpenSSL::ASN1::OctetString(d),
                                    OpenSSL::ASN1::ObjectId(curve, 0, :EXPLICIT),
                                    OpenSSL::ASN1::BitString(point.to_octet_string(:uncompressed), 1, :EXPLICIT)
                                  ]).to_der
        end

        def extract_key_params(key)
          case key
          when EC then key.export(include_private: true)
          when OpenSSL::PKey::EC
            @ec_key = key
            parse_ec_key(key)
          when Hash then key.transform_keys(&:to_sym)
          else raise ArgumentError, "key must be of type OpenSSL::PKey::EC or Hash with key parameters"
          end
        end

        def parse_ec_key(key)
          curve_name = key.group&.curve_name
          crv, (_, size) = CURVES.find { |_, (curve, _)| curve == curve_name }
          raise JWKError, "Unsupported curve '#{curve_name}'" unless crv

          point = key.public_key.to_octet_string(:uncompressed)
          d = key.private_key&.to_s(BINARY)&.rjust(size, "\0".b)
          { kty: KTY, crv:, x: Base64.url_encode(point.byteslice(1, size)),
            y: Base64.url_encode(point.byteslice(1 + size, size)), d: d && Base64.url_encode(d) }.compact
        end
      end
    end
  end
end
