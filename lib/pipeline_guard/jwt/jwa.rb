# frozen_string_literal: true

require "openssl"

module PipelineGuard
  module JWT
    # The jwt gem's (2.9) algorithm objects. `encode` and `decode` take an
    # algorithm name or an object: the built-in objects (Hmac, Ecdsa, Rsa,
    # Ps, Eddsa) stand for their name and take the native path; any other
    # object (a custom algorithm including SigningAlgorithm) signs and
    # verifies itself, while `decode` still checks the token's structure
    # and claims as for any token.
    module JWA
      @algorithms = {}

      class << self
        # An algorithm object for a name (Unsupported when unknown) or an
        # object (wrapped, with a deprecation notice, unless it includes
        # SigningAlgorithm).
        def resolve(algorithm)
          return find(algorithm) if name?(algorithm)
          return algorithm if algorithm.is_a?(SigningAlgorithm)

          Deprecations.warning("Custom algorithms are required to include JWT::JWA::SigningAlgorithm. Custom " \
                               "algorithms that do not include this module may stop working in the next major " \
                               "version of ruby-jwt.")
          Wrapper.new(algorithm)
        end

        alias create resolve

        def register_algorithm(algo)
          @algorithms[algo.alg.to_s.downcase] = algo
        end

        def find(algo)
          @algorithms.fetch(algo.to_s.downcase, Unsupported)
        end

        # The JWS name of an algorithm given as a name, a built-in object or
        # anything that is no algorithm object (nil, numbers: they name no
        # algorithm); nil for a custom algorithm object.
        def native_name(algorithm)
          return algorithm if algorithm.is_a?(String) # the hot path
          return algorithm.alg if BUILT_IN.include?(algorithm.class)

          object?(algorithm) ? nil : algorithm.to_s
        end

        # For `decode`: nil when the allowlist needs no translation (names
        # only, the common case, nothing allocated; or an entry that is no
        # algorithm at all, which the native side refuses); otherwise
        # `[:names, names]` when every object in it is built in, else
        # `[:objects, algorithm objects]`.
        def allowlist(options)
          list = given(options)
          return nil if names_only?(list) || !objects?(list) # names only: the hot path

          list = Array(list)
          names = list.map { |a| native_name(a) }
          names.all? ? [:names, names] : [:objects, list.map { |a| resolve(a) }]
        end

        private

        # The allowlist option, in the gem's precedence.
        def given(options)
          options["algorithm"] || options[:algorithm] || options["algorithms"] || options[:algorithms]
        end

        def names_only?(list)
          list.nil? || name?(list) || (list.is_a?(Array) && list.all? { |a| name?(a) })
        end

        # One algorithm object, or a list of names and objects with at
        # least one object.
        def objects?(list)
          return true if object?(list)

          list.is_a?(Array) && list.any? { |a| object?(a) } && list.all? { |a| name?(a) || object?(a) }
        end

        def name?(value) = value.is_a?(String) || value.is_a?(Symbol)

        # An algorithm object, as the gem takes one (it names an alg).
        def object?(value) = value.is_a?(SigningAlgorithm) || value.respond_to?(:alg)
      end
    end
  end
end

# The algorithm classes register themselves with JWA as they load.
require_relative "deprecations"
require_relative "jwa/compat"
require_relative "jwa/signing_algorithm"
require_relative "jwa/native_algorithm"
require_relative "jwa/hmac"
require_relative "jwa/ecdsa"
require_relative "jwa/rsa"
require_relative "jwa/ps"
require_relative "jwa/eddsa"
require_relative "jwa/none"
require_relative "jwa/unsupported"
require_relative "jwa/wrapper"

module PipelineGuard
  module JWT
    module JWA
      BUILT_IN = [Hmac, Ecdsa, Rsa, Ps, Eddsa].freeze
    end

    # ruby-jwt 2.5's name for the ECDSA helpers (`curve_by_name`).
    module Algos
      Ecdsa = JWA::Ecdsa
    end
  end
end
