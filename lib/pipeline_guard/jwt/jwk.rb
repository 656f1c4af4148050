# frozen_string_literal: true

require "openssl"

module PipelineGuard
  module JWT
    # The jwt gem's JWK object API: `JWK.new` / `JWK.import` / `JWK.create_from`
    # turn an OpenSSL key, an HMAC secret, a JWK Hash or a JWK object into a
    # JWK::RSA, JWK::EC or JWK::HMAC. They hand out OpenSSL keys (or the
    # secret) as the gem does; `export` leaves private parameters out unless
    # asked with `include_private: true`, and `inspect` never shows them.
    module JWK
      class << self
        # `create_from(key, params = nil, options = {})`: `params` is a kid
        # String or a Hash of further JWK parameters (`use`, `alg`, `kid`);
        # `options` may name a `kid_generator`.
        def create_from(key, params = nil, options = {})
          if key.is_a?(Hash)
            kty = key[:kty] || key["kty"]
            raise JWKError, "Key type (kty) not provided" unless kty

            klass = mappings.fetch(kty.to_s) { raise JWKError, "Key type #{kty} not supported" }
            return klass.new(key, params, options)
          end
          klass = mappings.fetch(key.class) { raise JWKError, "Cannot create JWK from a #{key.class.name}" }
          klass.new(key, params, options)
        end

        alias new create_from
        alias import create_from

        # The JWK classes (KeyBase subclasses register themselves here).
        def classes
          @mappings = nil
          @classes ||= []
        end

        private

        def mappings
          @mappings ||= generate_mappings
        end

        def generate_mappings
          classes.each_with_object({}) do |klass, hash|
            next unless klass.const_defined?(:KTYS)

            Array(klass::KTYS).each { |kty| hash[kty] = klass }
          end
        end
      end
    end
  end
end

require_relative "jwk/key_base"
require_relative "jwk/kid_as_key_digest"
require_relative "jwk/thumbprint"
require_relative "jwk/hmac"
require_relative "jwk/rsa"
require_relative "jwk/ec"
require_relative "jwk/set"
require_relative "jwk/key_finder"
