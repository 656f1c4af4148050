# frozen_string_literal: true

require "openssl"
require_relative "jwt/keys"
require_relative "jwt/verifying_key"
require_relative "jwt/signing_key"
require_relative "jwt/signer"
require_relative "jwt/signer_set"
require_relative "jwt/verifier"
require_relative "jwt/id_token"
require_relative "jwt/claim_checks"
require_relative "jwt/configuration"
require_relative "jwt/base64"
require_relative "jwt/gem_order"
require_relative "jwt/jwk"
require_relative "jwt/x5c_key_finder"
require_relative "jwt/key_sources"
require_relative "jwt/jwks_cache"
require_relative "jwt/jwa"
require_relative "jwt/custom_algorithm"
require_relative "jwt/claims"
require_relative "jwt/verify"
require_relative "jwt/claims_validator"

module PipelineGuard
  # JWS/JWT, call-compatible with the jwt gem 2.x (`encode`/`decode`, the
  # same option names, the same exception names and hierarchy), plus a
  # Signer that holds its parsed key, a SignerSet for rotation, a Verifier
  # for a fixed key set with batch verification, and GitLab CI ID tokens.
  #
  # Safer than the gem by default: a verifying decode never accepts
  # `none`, a key is only used with algorithms of its type (no RSA/HMAC confusion), HMAC secrets must be as long as the
  # hash output, and tokens naming their own key (jwk/jku/x5u/x5c) or
  # carrying `crit` are refused. See docs/jwt.md.
  module JWT
    ALGORITHMS = %w[HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA].freeze
    ALGORITHM_NAMES = ALGORITHMS.to_h { |a| [a.downcase, a] }.freeze
    DEFAULT_MAX_TOKEN_BYTES = 64 * 1024

    @enforce_hmac_key_length = true
    @configuration = Configuration.new

    class << self
      # The jwt gem's global settings: `decode` merges
      # `configuration.decode` under each call's options, as the gem does.
      attr_reader :configuration

      def configure
        yield configuration
      end

      # The jwt gem's feature probes: no RbNaCl here, and HMAC does not
      # go through OpenSSL, so its empty-key regression does not apply.
      def rbnacl? = false
      def rbnacl_6_or_greater? = false
      def openssl_3_hmac_empty_key_regression? = false
      def openssl_3? = OpenSSL::OPENSSL_VERSION_NUMBER >= 0x30000000

      # RFC 7518 §3.2: HMAC secrets at least as long as the hash output
      # (32/48/64 bytes). Set to false only for legacy secrets.
      attr_reader :enforce_hmac_key_length

      def enforce_hmac_key_length=(value)
        @enforce_hmac_key_length = value ? true : false
        Keys.clear_cache
      end

      # Same arguments as `JWT.encode` of the jwt gem. `key` is a String
      # secret (HS*), an OpenSSL private key, a PEM String, a JWK Hash or a
      # SigningKey. Returns the compact token, byte-identical to the gem's:
      # header `header_fields.merge("alg" => algorithm)`, any JSON payload.
      def encode(payload, key, algorithm = "HS256", header_fields = {})
        name = JWA.native_name(algorithm)
        return CustomAlgorithm.encode(payload, key, JWA.resolve(algorithm), header_fields) unless name

        name = name.downcase
        return _encode_unsecured(payload, header_fields) if name == "none" # asked for: the gem does it

        alg = ALGORITHM_NAMES[name]
        raise EncodeError, "Unsupported signing method" unless alg # the text of the gem 2.9

        begin
          _encode(payload, Keys.signing(key), alg, header_fields)
        rescue JWKError, EncodeError
          check_ec_curve!(key, alg)
          raise
        end
      end

      # Same arguments and result as `JWT.decode` of the jwt gem:
      # `[payload, header]` with String keys. Every failure is a
      # DecodeError subclass. `options` as in the gem: algorithms (or
      # algorithm; required), verify_expiration, verify_not_before,
      # verify_iat, verify_iss + iss, verify_aud + aud, verify_sub + sub,
      # verify_jti (true or a Proc), leeway, exp_leeway, nbf_leeway,
      # required_claims, jwks (Hash or loader), allow_nil_kid; and
      # max_token_bytes (64 KiB by default).
      # rubocop:disable Style/OptionalBooleanParameter, Metrics/CyclomaticComplexity
      def decode(jwt, key = nil, verify = true, options = {}, &keyfinder)
        raise DecodeError, "Nil JSON web token" if jwt.nil?
        raise DecodeError, "Invalid token type #{jwt.class}" unless jwt.is_a?(String)

        options = configuration.decode.under(options)
        return _peek(jwt, options[:max_token_bytes]) unless verify

        result = direct_decode(jwt, key, options) if keyfinder.nil?
        return result if result

        if (allowlist = JWA.allowlist(options))
          result, options = CustomAlgorithm.dispatch(jwt, key, options, allowlist, keyfinder)
          return result if result
        end

        in_ruby = ClaimChecks.plan(options)
        verified(jwt, key, options, keyfinder, in_ruby) { KeySources.verifying_keys(jwt, key, options, keyfinder) }
      end
      # rubocop:enable Style/OptionalBooleanParameter, Metrics/CyclomaticComplexity

      private

      # The common case, a String or OpenSSL key and neither x5c: nor jwks:,
      # with nothing in between: nil when that is not the case, or when the
      # key or an expectation is unusable or the allowlist holds algorithm
      # objects (the full path then does it all in the gem's order).
      def direct_decode(jwt, key, options)
        return unless KeySources.plain?(key, options)

        begin
          keys = Keys.verifying(key)
          in_ruby = options[:verify_iss] || options[:verify_aud] ? ClaimChecks.plan(options) : 0
        rescue StandardError
          return
        end
        verified(jwt, key, options, nil, in_ruby, ClaimChecks::ALGORITHM_OBJECTS) { keys }
      end

      # `_decode` with the keys the block gives, then the Ruby claim checks.
      def verified(jwt, key, options, keyfinder, in_ruby, flags = 0)
        begin
          result = _decode(jwt, yield, options, nil, in_ruby | flags) # nil: clock
        rescue DecodeError
          GemOrder.check!(jwt, key, options, keyfinder) # the gem's earlier error, if any
          raise
        end
        return unless result # algorithm objects, left to the caller

        ClaimChecks.run(result[0], options, in_ruby) if in_ruby != 0 || options[:verify_jti]
        result
      end

      # The gem's error for an EC key of another curve than `alg` names.
      EC_CURVE_ALGORITHMS = { "prime256v1" => "ES256", "secp256r1" => "ES256", "secp384r1" => "ES384",
                              "secp521r1" => "ES512", "secp256k1" => "ES256K" }.freeze

      def check_ec_curve!(key, alg)
        return unless key.is_a?(OpenSSL::PKey::EC) && alg.start_with?("ES")

        key_alg = EC_CURVE_ALGORITHMS[key.group&.curve_name]
        raise UnsupportedEcdsaCurve, "The ECDSA curve '#{key.group&.curve_name}' is not supported" unless key_alg
        return if key_alg == alg

        raise IncorrectAlgorithm, "payload algorithm is #{alg} but #{key_alg} signing key was provided"
      end
    end
  end
end
