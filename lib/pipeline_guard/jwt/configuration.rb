# frozen_string_literal: true

module PipelineGuard
  module JWT
    # `JWT.configuration` / `JWT.configure` of the jwt gem: the decode
    # defaults and the JWK settings. Security switches (hmac key length)
    # stay on the module.
    class Configuration
      # The gem's decode defaults (`JWT.configuration.decode`).
      class DecodeConfiguration
        ATTRIBUTES = %i[verify_expiration verify_not_before verify_iss verify_iat verify_jti verify_aud
                        verify_sub leeway algorithms required_claims].freeze
        attr_reader(*ATTRIBUTES)

        ATTRIBUTES.each do |name|
          define_method(:"#{name}=") do |value|
            @changed = true
            instance_variable_set(:"@#{name}", value)
          end
        end

        def initialize
          reset!
        end

        # `options` over these defaults, as the gem's decode merges them.
        # While the defaults are untouched only the algorithm list can be
        # missing, so the common call allocates nothing.
        def under(options)
          return to_h.merge(options) if @changed
          # GemOrder::ALGORITHM_KEYS, spelled out: no block on every decode.
          return options if options[:algorithms] || options[:algorithm] || options["algorithm"] || options["algorithms"]

          options.merge(algorithms: @algorithms)
        end

        def reset!
          @changed = false
          @verify_expiration = true
          @verify_not_before = true
          @verify_iss = false
          @verify_iat = false
          @verify_jti = false
          @verify_aud = false
          @verify_sub = false
          @leeway = 0
          @algorithms = ["HS256"]
          @required_claims = []
        end

        def to_h = ATTRIBUTES.to_h { |name| [name, public_send(name)] }
      end

      # The gem's `JWT.configuration.jwk`: which kid generator JWKs use.
      class JwkConfiguration
        KID_GENERATOR_TYPES = %i[key_digest rfc7638_thumbprint].freeze
        attr_reader :kid_generator_type

        def initialize
          reset!
        end

        # A class whose `new(jwk).generate` gives the kid (JWK::KidAsKeyDigest,
        # JWK::Thumbprint or one of the application's).
        attr_writer :kid_generator

        def reset!
          @kid_generator_type = :key_digest
          @kid_generator = nil
        end

        def kid_generator_type=(value)
          raise ArgumentError, "#{value} is not a valid kid generator type." unless KID_GENERATOR_TYPES.include?(value)

          @kid_generator_type = value
          @kid_generator = nil
        end

        def kid_generator
          @kid_generator || (@kid_generator_type == :rfc7638_thumbprint ? JWK::Thumbprint : JWK::KidAsKeyDigest)
        end
      end

      attr_accessor :strict_base64_decoding, :deprecation_warnings
      attr_reader :decode, :jwk

      def initialize
        @decode = DecodeConfiguration.new
        @jwk = JwkConfiguration.new
        reset!
      end

      def reset!
        @decode.reset!
        @jwk.reset!
        @strict_base64_decoding = true
        @deprecation_warnings = :once
      end
    end
  end
end
