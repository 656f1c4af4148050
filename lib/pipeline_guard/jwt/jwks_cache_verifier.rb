# frozen_string_literal: true

module PipelineGuard
  module JWT
    class JwksCache
      # What `Verifier.new(jwks: a_jwks_cache, ...)` returns: the Verifier
      # API over the cache's current keys. A native Verifier is built once
      # per key set the cache fetched; a token whose kid is not in it asks
      # the cache for a (rate-limited) refresh first.
      class Verifier
        include NoCopy

        def initialize(cache, rules)
          @cache = cache
          @rules = rules.freeze
          @max_token_bytes = rules[:max_token_bytes] || JWT::DEFAULT_MAX_TOKEN_BYTES
          @current = nil # [jwks, native verifier]
          @mutex = Mutex.new
          verifier # fails now when the keys cannot be had or built
        end

        attr_reader :cache

        def verify(token)
          for_tokens([token]).verify(token)
        end

        def verify_at(token, at)
          for_tokens([token]).verify_at(token, at)
        end

        def verify_many(tokens, at: nil)
          for_tokens(tokens).verify_many(tokens, at:)
        end

        def verify_many!(tokens, at: nil)
          for_tokens(tokens).verify_many!(tokens, at:)
        end

        def jwks = verifier.jwks
        def kids = verifier.kids

        def inspect
          "#<#{self.class} #{@cache.inspect}>"
        end

        private

        # The native verifier, after one rate-limited refresh when a token
        # names a kid the current keys lack.
        def for_tokens(tokens)
          current = verifier
          known = current.kids
          unknown = tokens.filter_map { |t| kid_of(t) }.uniq - known
          return current if unknown.empty?

          @cache.refresh_for_unknown_kid(unknown.first)
          verifier
        end

        def kid_of(token)
          return nil unless token.is_a?(String)

          kid = JWT._peek(token, @max_token_bytes)[1]["kid"]
          kid.is_a?(String) ? kid : nil
        rescue DecodeError
          nil # the native verify reports the malformed token
        end

        # Rebuilt only when the cache holds another key set.
        def verifier
          set = @cache.jwks
          current = @current
          return current[1] if current && current[0].equal?(set)

          @mutex.synchronize do
            @current = [set, JWT::Verifier.native_new(**@rules, jwks: set)] unless @current&.first.equal?(set)
            @current[1]
          end
        end
      end

      # Makes `JWT::Verifier.new(jwks: cache)` build a cache-backed verifier.
      module VerifierFactory
        def new(*args, **kwargs)
          return super unless kwargs[:jwks].is_a?(JwksCache)

          JwksCache::Verifier.new(kwargs[:jwks], kwargs.except(:jwks))
        end
      end
    end

    Verifier.singleton_class.alias_method(:native_new, :new)
    Verifier.singleton_class.prepend(JwksCache::VerifierFactory)
  end
end
