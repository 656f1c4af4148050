# frozen_string_literal: true

require "json"

module PipelineGuard
  module OpenBao
    # Keeps local copies of the ACL policies stored in a live OpenBao and
    # builds ACLs from them, so checks need no round trip.
    #
    #   sync = PipelineGuard::OpenBao::PolicySync.new(client)
    #   sync.refresh!                       # list + read every policy
    #   acl = sync.acl_for(%w[reader ci])   # local, cached per policy set
    #   sync.refresh!                       # later: re-parses only changed texts
    #
    # OpenBao has no ETag or version on policies, so #refresh! re-lists them
    # and reads each text, but parses only texts that changed and keeps
    # cached ACLs whose policies did not change.
    #
    # Freshness: with `max_staleness:` (seconds) every decision method
    # (#acl_for, #acl_for_token, #fetch, #[]) raises StalePolicies when the
    # last successful #refresh! is older than that, or none happened, instead
    # of answering from old policies. #start_polling refreshes in a thread.
    # An ACL handed out earlier stays what it was; ask again per decision.
    #
    # Events (when ActiveSupport::Notifications is loaded):
    # `refresh.policy_sync.pipeline_guard` (payload: changed, generation,
    # policies; `exception` when it failed), `stale.policy_sync.pipeline_guard`
    # (age, max_staleness).
    #
    # Rule `expiration` is decided by the ACL at each check, so a cached ACL
    # stops granting an expired rule without a refresh.
    #
    # Fork: a child restarts its poller on its first refresh or
    # #policy_names, or once its policies are two intervals old; the cached
    # policies (immutable) are kept, and its Client opens its own
    # connections.
    #
    # Thread-safe: HTTP and parsing happen outside the cache lock; a refresh
    # parses every changed text first and then publishes them all at once;
    # refreshes run one at a time, so an older listing never replaces a newer
    # one; and an ACL is cached only if the policies it was built from are
    # still the cached ones when it is published.
    class PolicySync
      LIST_PATH = "sys/policies/acl"

      # Policies no ACL document describes (root grants everything).
      UNSUPPORTED = %w[root].freeze

      attr_reader :client, :max_staleness

      # Attempts at building an ACL whose policies change meanwhile before
      # answering from the latest one without caching it.
      BUILD_ATTEMPTS = 3

      def initialize(client, max_staleness: nil)
        if max_staleness && !max_staleness.positive?
          raise ArgumentError,
                "max_staleness: must be positive seconds or nil"
        end

        @client = client
        @max_staleness = max_staleness
        @texts = {}
        @policies = {}
        @acls = {}      # cache_key => ACL
        @acl_names = {} # cache_key => the policy names it was built from
        @generation = 0 # bumped by every published refresh
        @refreshed_at = nil # monotonic time the last successful refresh began
        new_locks
      end

      # Seconds since the last successful refresh began (nil: never).
      def staleness
        @refreshed_at && (now - @refreshed_at)
      end

      # Refreshes every `interval` seconds in a background thread (errors
      # are published as events and retried at the next tick). Returns self.
      def start_polling(interval:)
        raise ArgumentError, "interval: must be positive" unless interval.positive?

        @poll_interval = interval
        @poller = spawn_poller
        self
      end

      def stop_polling
        @poll_interval = nil
        @poller&.kill
        @poller = nil
        self
      end

      # Re-lists and re-reads the policies. Returns the names whose text
      # changed, appeared or disappeared since the last refresh. A text that
      # does not parse raises PolicyError and changes nothing.
      def refresh!
        forked?
        @refresh_mutex.synchronize do
          Instrumentation.instrument("refresh.policy_sync") do |payload|
            started = now
            names = Array(client.list(LIST_PATH).dig("data", "keys")) - UNSUPPORTED
            texts = names.to_h { |name| [name, read_text(name)] }.compact
            known = @mutex.synchronize { @texts.dup }
            parsed = texts.reject { |name, text| known[name] == text }
                          .to_h { |name, text| [name, Policy.parse(text, name:)] }
            changed = @mutex.synchronize { publish(texts, parsed).tap { @refreshed_at = started } }
            payload.merge!(changed:, generation: @generation, policies: texts.size)
            changed
          end
        end
      end

      # The cached names (after #refresh!).
      def policy_names
        forked?
        @mutex.synchronize { @policies.keys.sort }
      end

      # The cached Policy called `name`, or nil.
      def [](name)
        fresh!
        @mutex.synchronize { @policies[name.to_s] }
      end

      # The Policy `name`: cached, or read from OpenBao now (nil if absent).
      def fetch(name)
        name = name.to_s
        raise InvalidInput, "the root policy cannot be evaluated locally" if UNSUPPORTED.include?(name)

        fresh!
        generation, cached = @mutex.synchronize { [@generation, @policies[name]] }
        return cached if cached

        text = read_text(name)
        text && install(name, text, Policy.parse(text, name:), generation)
      end

      # The ACL for a token with these policies (cached policies; names not
      # cached are read once). Unknown names are skipped like OpenBao does.
      def acl_for(names, identity: nil)
        fresh!
        names = names.map(&:to_s).uniq.sort
        identity = identity&.to_h { |k, v| [k.to_s, v.to_s] }
        key = cache_key(names, identity)
        acl = nil
        BUILD_ATTEMPTS.times do
          cached, used = cached_or_inputs(key, names)
          return cached if cached

          acl, used = build_acl(used, identity)
          published = @mutex.synchronize { publish_acl(key, acl, used) }
          return published if published
        end
        acl
      end

      # The ACL of the token `token`: its policies and identity policies
      # from `auth/token/lookup-self` (or, when the token may not look
      # itself up, e.g. created without the default policy,
      # `auth/token/lookup` with this sync's client);
      # `{{identity.entity.id}}` is filled in when the token has an entity.
      # Raises ClientError for an invalid token.
      def acl_for_token(token)
        data = token_data(token)
        names = Array(data["policies"]) + Array(data["identity_policies"])
        raise InvalidInput, "the root policy cannot be evaluated locally" if names.include?("root")

        entity = data["entity_id"].to_s
        acl_for(names, identity: entity.empty? ? nil : { "identity.entity.id" => entity })
      end

      def inspect
        "#<#{self.class} address=#{client.address.inspect} policies=#{policy_names.size}>"
      end

      private

      def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

      # Raises StalePolicies when max_staleness is set and exceeded.
      # The fork check (a getpid call) stays off the decision path: a
      # child's poller is restarted once its policies look overdue.
      def fresh!
        age = staleness
        forked? if @poll_interval && (age.nil? || age > 2 * @poll_interval)
        return unless @max_staleness
        return if age && age <= @max_staleness

        Instrumentation.instrument("stale.policy_sync", age:, max_staleness: @max_staleness)
        raise StalePolicies, stale_message(age)
      end

      def stale_message(age)
        return "policies never synced (max_staleness #{@max_staleness}s); call refresh! first" unless age

        format("policies last synced %<age>.1fs ago (max_staleness %<max>ss)", age:, max: @max_staleness)
      end

      # The cached ACL for `key`, or nil and the cached policies of `names`.
      def cached_or_inputs(key, names)
        @mutex.synchronize do
          hit = @acls[key]
          hit ? [hit] : [nil, names.to_h { |n| [n, @policies[n]] }]
        end
      end

      def new_locks
        @pid = Process.pid
        @mutex = Mutex.new # guards the maps and the generation, never HTTP
        @refresh_mutex = Mutex.new
      end

      # In a forked child: new locks (Ruby already frees those of threads
      # that did not survive the fork; these are the child's own), and the
      # poller (a thread of the parent) restarted.
      def forked?
        return false if @pid == Process.pid

        new_locks
        @poller = spawn_poller if @poll_interval
        true
      end

      def spawn_poller
        interval = @poll_interval
        Thread.new do
          loop do
            begin
              refresh!
            rescue PipelineGuard::Error, SystemCallError, IOError
              nil # published by the refresh event; the next tick retries
            end
            sleep interval
          end
        end
      end

      def token_data(token)
        client.with_token(token).get("auth/token/lookup-self").fetch("data", {})
      rescue ClientError => e
        raise unless e.message.include?("HTTP 403")

        client.post("auth/token/lookup", { "token" => token }).fetch("data", {})
      end

      # nil when the policy does not exist (deleted meanwhile).
      def read_text(name)
        client.get("#{LIST_PATH}/#{name}").dig("data", "policy")
      rescue ClientError => e
        raise unless e.message.include?("HTTP 404")

        nil
      end

      # Replaces the cached texts with a complete listing; `parsed` holds the
      # policies of the texts that changed.
      def publish(texts, parsed)
        changed = @texts.keys - texts.keys
        changed.each { |name| forget(name) }
        parsed.each do |name, policy|
          next if @texts[name] == texts[name] # fetched meanwhile, same text

          forget(name)
          @texts[name] = texts[name]
          @policies[name] = policy
          changed << name
        end
        @generation += 1
        changed.sort
      end

      # Caches a policy read outside a refresh, unless a refresh published
      # since the read began (its listing wins; the policy read here still
      # answers this call).
      def install(name, text, policy, generation)
        @mutex.synchronize do
          next @policies[name] || policy unless @generation == generation
          next @policies[name] if @policies[name]

          forget(name) # ACLs built while it was unknown
          @texts[name] = text
          @policies[name] = policy
        end
      end

      # An ACL from cached policies (nil = not cached: read it now), and the
      # policies it used.
      def build_acl(cached, identity)
        used = cached.to_h { |name, policy| [name, policy || fetch(name)] }
        [ACL.new(used.values.compact, identity:), used]
      end

      # A String key, since hashing and comparing nested Arrays is slow.
      # Names joined by NUL when none holds a NUL; otherwise (and with an
      # identity) NUL + JSON, which a joined key never starts with: no two
      # inputs share a key.
      def cache_key(names, identity)
        return "\0#{JSON.generate([names, identity&.sort])}" if identity || names.any? { |n| n.include?("\0") }

        names.join("\0")
      end

      # Caches `acl` only if every policy it was built from is still the
      # cached one (or still unknown); nil otherwise.
      def publish_acl(key, acl, used)
        return nil unless used.all? { |name, policy| @policies[name].equal?(policy) }

        @acl_names[key] = used.keys
        @acls[key] ||= acl
      end

      def forget(name)
        @texts.delete(name)
        @policies.delete(name)
        @acl_names.delete_if do |key, names|
          names.include?(name) && @acls.delete(key)
        end
      end
    end
  end
end
