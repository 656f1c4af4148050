# frozen_string_literal: true

require "json"
require "uri"
require_relative "../instrumentation"

module PipelineGuard
  module JWT
    # A remote JWKS, cached: the key source of `Verifier.new(jwks: cache)`
    # and `JWT.decode(token, nil, true, algorithms:, jwks: cache)`.
    #
    #   cache = PipelineGuard::JWT::JwksCache.new(url: "https://gitlab.example.com/oauth/discovery/keys")
    #   cache = PipelineGuard::JWT::JwksCache.new(issuer: "https://gitlab.example.com") # OIDC discovery
    #
    # * `ttl` (s): keys are fetched again when older.
    # * A token whose kid is unknown triggers a refresh, at most once per
    #   `min_refresh_interval` (s) (counted between such refreshes, so a key
    #   rotated in just after a scheduled fetch is still found), so forged
    #   kids cannot make it hammer the issuer.
    # * Stale-while-error: when a refresh fails, the keys fetched before are
    #   served for up to `stale_ttl` (s) more; after that (or with none)
    #   JwksFetchError is raised. Never an empty key set by accident.
    # * Limits: `max_bytes` of answer, `max_keys` keys; timeouts on the
    #   default fetcher.
    # * `issuer:`: `<issuer>/.well-known/openid-configuration` is read, its
    #   `issuer` must equal the given one exactly (OIDC Discovery 1.0 §4.3),
    #   and its `jwks_uri` is used.
    # * Only https URLs, except loopback hosts (or `allow_http: true`).
    # * Thread-safe (one refresh at a time; others wait and use its result)
    #   and fork-safe (a child gets new locks; the public keys are kept).
    # * `fetcher`: any `call(url, max_bytes:)` returning the body (default
    #   NetHttpFetcher).
    #
    # Event (with ActiveSupport::Notifications): `refresh.jwks_cache.pipeline_guard`
    # (url, reason, keys; `exception` when it failed).
    class JwksCache
      DEFAULT_MAX_BYTES = 256 * 1024
      DEFAULT_MAX_KEYS = 50
      LOOPBACK = %w[localhost 127.0.0.1 ::1 [::1]].freeze

      attr_reader :ttl, :issuer

      def initialize(url: nil, issuer: nil, ttl: 300, min_refresh_interval: 30, stale_ttl: 3600,
                     max_bytes: DEFAULT_MAX_BYTES, max_keys: DEFAULT_MAX_KEYS, fetcher: nil,
                     open_timeout: 2, read_timeout: 5, allow_http: false)
        raise ArgumentError, "give exactly one of url: or issuer:" unless url.nil? ^ issuer.nil?

        @allow_http = allow_http
        @url = url && checked_url(url)
        @issuer = issuer && checked_url(issuer) && issuer
        @ttl = positive(ttl, "ttl")
        @min_refresh_interval = positive(min_refresh_interval, "min_refresh_interval", zero: true)
        @stale_ttl = positive(stale_ttl, "stale_ttl", zero: true)
        @max_bytes = Integer(max_bytes)
        @max_keys = Integer(max_keys)
        @fetcher = fetcher || NetHttpFetcher.new(open_timeout:, read_timeout:)
        @jwks = nil
        @fetched_at = nil   # monotonic time of the last successful fetch
        @attempted_at = nil # monotonic time of the last fetch attempt
        @generation = 0     # bumped by every successful fetch
        new_lock
      end

      # The JWKS URL (after discovery, for `issuer:`).
      def url = @url || @mutex.synchronize { @discovered }

      # How many successful fetches so far (changes when the keys may have).
      attr_reader :generation

      # The current JWKS Hash ({"keys" => [...]}, frozen), fetched when
      # missing or older than ttl.
      def jwks
        set = @jwks
        return set if set && age < @ttl

        refresh(:ttl) { |at| at.nil? || now - at >= @ttl }
      end
      alias keys jwks

      # Fetches now, whatever the ttl and earlier failures.
      def refresh!
        refresh(:forced, force: true) { true }
      end

      # The key for this kid is unknown: refresh unless one was attempted
      # within min_refresh_interval. Returns the (maybe unchanged) JWKS.
      def refresh_for_unknown_kid(_kid = nil)
        refresh(:unknown_kid) do
          due = @kid_refreshed_at.nil? || now - @kid_refreshed_at >= @min_refresh_interval
          @kid_refreshed_at = now if due
          due
        end
      end

      # Whether the current set holds a key with this kid.
      def kid?(kid)
        Keys.jwk_list(jwks).any? { |k| k["kid"] == kid }
      end

      # The jwt gem's loader protocol (JWK::KeyFinder): called with
      # `kid:`, and with `invalidate: true, kid_not_found: true` when the kid
      # was not in the set.
      def call(options = {})
        options[:kid_not_found] || options[:invalidate] ? refresh_for_unknown_kid(options[:kid]) : jwks
      end

      def inspect
        "#<#{self.class} #{@issuer ? "issuer=#{@issuer.inspect}" : "url=#{@url.inspect}"} " \
          "keys=#{@jwks ? @jwks['keys'].size : 'none'}>"
      end

      private

      def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      def age = @fetched_at ? now - @fetched_at : Float::INFINITY

      # One refresh at a time: a thread that waited re-checks whether one
      # is still due, so a burst of callers causes one fetch. After a failed
      # attempt the next waits min_refresh_interval, so a dead issuer is not
      # asked on every request (the stale keys are served, or the same
      # error raised).
      def refresh(reason, force: false)
        forked?
        @mutex.synchronize do
          next @jwks if @jwks && !yield(@fetched_at)

          if !force && @last_error && now - @attempted_at < @min_refresh_interval
            next @jwks if usable_stale?

            raise @last_error
          end
          @attempted_at = now
          fetch(reason)
        end
      end

      # Only with the lock held.
      def fetch(reason)
        Instrumentation.instrument("refresh.jwks_cache", url: @url || @issuer, reason:) do |payload|
          set = parse(@fetcher.call(jwks_url, max_bytes: @max_bytes))
          @jwks = set
          @fetched_at = @attempted_at
          @generation += 1
          @last_error = nil
          payload[:keys] = set["keys"].size
          set
        end
      rescue StandardError => e
        @last_error = e.is_a?(JwksFetchError) ? e : JwksFetchError.new("JWKS fetch failed: #{e.class}")
        raise @last_error unless usable_stale?

        @jwks
      end

      def usable_stale?
        @jwks && age < @ttl + @stale_ttl
      end

      def parse(body)
        raise JwksFetchError, "JWKS larger than #{@max_bytes} bytes" if body.to_s.bytesize > @max_bytes

        list = key_list(JSON.parse(body.to_s))
        raise JwksFetchError, "JWKS has no keys" if list.empty?
        raise JwksFetchError, "JWKS keys must be objects" unless list.all?(Hash)

        deep_freeze({ "keys" => list })
      rescue JSON::ParserError
        raise JwksFetchError, "JWKS is not valid JSON"
      end

      def key_list(set)
        list = set.is_a?(Hash) && set["keys"]
        raise JwksFetchError, "JWKS must be an object with a \"keys\" array" unless list.is_a?(Array)
        raise JwksFetchError, "JWKS has #{list.size} keys (max_keys #{@max_keys})" if list.size > @max_keys

        list
      end

      # The JWKS URL; with issuer: discovered once per process (and again
      # after a failure).
      def jwks_url
        @url || (@discovered ||= discover)
      end

      def discover
        config_url = "#{@issuer.chomp('/')}/.well-known/openid-configuration"
        config = JSON.parse(@fetcher.call(config_url, max_bytes: @max_bytes).to_s)
        raise JwksFetchError, "OpenID configuration must be an object" unless config.is_a?(Hash)

        unless config["issuer"] == @issuer
          raise JwksFetchError, "OpenID configuration names issuer #{config['issuer'].to_s.inspect}, " \
                                "not #{@issuer.inspect}"
        end
        raise JwksFetchError, "OpenID configuration has no jwks_uri" unless config["jwks_uri"].is_a?(String)

        checked_url(config["jwks_uri"])
      rescue JSON::ParserError
        raise JwksFetchError, "OpenID configuration is not valid JSON"
      rescue ArgumentError => e
        raise JwksFetchError, "OpenID configuration jwks_uri: #{e.message}"
      end

      def checked_url(text)
        uri = URI(text.to_s)
        web = uri.host && %w[http https].include?(uri.scheme)
        raise ArgumentError, "not an absolute http(s) URL: #{text.to_s.inspect}" unless web

        if uri.scheme == "http" && !@allow_http && !LOOPBACK.include?(uri.host)
          raise JwksFetchError, "#{text} is not https (allow_http: true permits it)"
        end

        text.to_s
      rescue URI::InvalidURIError
        raise ArgumentError, "not a URL: #{text.to_s.inspect}"
      end

      def positive(value, name, zero: false)
        ok = value.is_a?(Numeric) && (zero ? value >= 0 : value.positive?)
        raise ArgumentError, "#{name}: must be a #{zero ? 'non-negative' : 'positive'} number of seconds" unless ok

        value
      end

      def deep_freeze(value)
        case value
        when Hash then value.each_value { |v| deep_freeze(v) }
        when Array then value.each { |v| deep_freeze(v) }
        end
        value.freeze
      end

      def new_lock
        @pid = Process.pid
        @mutex = Mutex.new
      end

      def forked?
        return false if @pid == Process.pid

        new_lock
        true
      end
    end
  end
end

require_relative "jwks_cache_fetcher"
require_relative "jwks_cache_verifier"
