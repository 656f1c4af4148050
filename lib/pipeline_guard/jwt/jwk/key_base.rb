# frozen_string_literal: true

require "json"

module PipelineGuard
  module JWT
    module JWK
      # What the gem's JWK classes share: JWK parameters under Symbol keys,
      # a kid made by the configured generator when none is given, and
      # comparison by kid. Private parameters never appear in `inspect`,
      # and a JWK holding private material refuses Marshal.
      class KeyBase
        def self.inherited(klass)
          super
          JWK.classes << klass
        end

        def initialize(options, params = {})
          options ||= {}
          @parameters = params.transform_keys(&:to_sym)
          # The gem also takes kid_generator among the parameters (older form).
          generator = options[:kid_generator] || @parameters.delete(:kid_generator) ||
                      JWT.configuration.jwk.kid_generator
          self[:kid] ||= generator.new(self).generate
        end

        def kid = self[:kid]

        def [](key)
          @parameters[key.to_sym]
        end

        def []=(key, value)
          if self.class::KEY_ELEMENTS.include?(key.to_sym)
            raise ArgumentError,
                  "cannot overwrite cryptographic key attributes"
          end

          @parameters[key.to_sym] = value
        end

        # Equal when of the same class with the same kid and the same key
        # (the gem compares kids only; two keys that share a kid are not
        # the same key). Secrets are compared in constant time.
        def ==(other)
          other.instance_of?(self.class) && kid == other.kid &&
            Crypto.secure_compare(canonical_members, other.canonical_members)
        end

        alias eql? ==

        def hash = kid.hash

        def <=>(other)
          return nil unless other.is_a?(KeyBase)

          kid.to_s <=> other.kid.to_s
        end

        def inspect
          "#<#{self.class.name} kty=#{self[:kty].inspect} kid=#{kid.inspect} private=#{private?}>"
        end

        alias to_s inspect

        def pretty_print(printer) = printer.text(inspect)

        def marshal_dump
          raise TypeError, "#{self.class} holding a private key cannot be marshalled" if private?

          export
        end

        def marshal_load(params)
          initialize(params, nil, {})
        end

        protected

        # The RFC 7638 members as canonical JSON, for comparisons.
        def canonical_members = ::JSON.generate(members.sort.to_h)

        private

        attr_reader :parameters

        # `params` as the gem takes it: a kid String or a Hash that must not
        # name the key's own parameters.
        def normalize_params(params)
          params ||= {}
          params = { kid: params } if params.is_a?(String)
          raise ArgumentError, "Export parameters must be a Hash" unless params.is_a?(Hash)

          params = params.transform_keys(&:to_sym)
          unless (self.class::KEY_ELEMENTS & params.keys).empty?
            raise ArgumentError,
                  "cannot overwrite cryptographic key attributes"
          end

          params
        end

        def export_parameters(private_elements, options)
          exported = parameters.dup
          return exported if private? && options[:include_private] == true

          exported.except(*private_elements)
        end

        # base64url values of a JWK: strict unpadded base64url only.
        def decode_member(name, value)
          raise JWKError, "JWK parameter #{name} must be a String" unless value.is_a?(String)

          Base64.url_decode(value)
        rescue Base64DecodeError
          raise JWKError, "JWK parameter #{name} is not base64url"
        end
      end
    end
  end
end
