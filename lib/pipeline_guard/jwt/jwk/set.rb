# frozen_string_literal: true

require "forwardable"

module PipelineGuard
  module JWT
    module JWK
      # A JSON Web Key Set of JWK objects, as the gem's JWK::Set: built from
      # a JWKS Hash, an Array of keys, a JWK or another Set; `export` gives
      # the JWKS Hash (public parameters only unless asked).
      class Set
        include Enumerable
        extend Forwardable

        attr_reader :keys

        def initialize(jwks = nil, options = {})
          @keys = case jwks
                  when nil then []
                  when Set then jwks.keys.dup
                  when KeyBase then [jwks]
                  when Hash, Array then parse(jwks, options)
                  else raise ArgumentError, "Can only create new JWKS from Hash, Array and JWK"
                  end
        end

        def export(options = {})
          { keys: @keys.map { |key| key.export(options) } }
        end

        def_delegators :@keys, :each, :size, :delete, :dig

        def select!(&block)
          return @keys.select! unless block

          self if @keys.select!(&block)
        end

        def reject!(&block)
          return @keys.reject! unless block

          self if @keys.reject!(&block)
        end

        def uniq!(&)
          self if @keys.uniq!(&)
        end

        def merge(enum)
          @keys += Set.new(enum.to_a).keys
          self
        end

        def union(enum)
          dup.merge(enum)
        end

        def add(key)
          @keys << JWK.new(key)
          self
        end

        def ==(other)
          other.is_a?(Set) && keys.sort == other.keys.sort
        end

        def inspect = "#<#{self.class.name} keys=#{@keys.inspect}>"

        alias to_s inspect
        alias eql? ==
        alias filter! select!
        alias length size
        alias | union
        alias + union
        alias << add

        def pretty_print(printer) = printer.text(inspect)

        private

        # A Hash must hold a "keys" Array (a lone JWK Hash is refused, not
        # read as an empty set); `{}` is the empty set.
        def parse(jwks, options)
          return [] if jwks.is_a?(Hash) && jwks.empty?

          Keys.jwk_list(jwks).map { |key| JWK.new(key, nil, options) }
        end

        def initialize_copy(other)
          super
          @keys = other.keys.dup
        end
      end
    end
  end
end
