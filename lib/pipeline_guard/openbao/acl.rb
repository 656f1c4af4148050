# frozen_string_literal: true

require "json"

module PipelineGuard
  module OpenBao
    # The ACL of a token holding some policies, evaluated locally with the
    # same answers as OpenBao 2.7.2's `sys/capabilities`. Immutable, frozen,
    # thread-safe and Ractor-shareable; a check costs O(path length) whatever
    # the number of rules.
    #
    #   acl = PipelineGuard::OpenBao::ACL.new([policy])
    #   acl.capabilities("secrets/kv/data/explicit/DB")  # => ["read"]
    #   acl.allowed?(:read, "secrets/kv/data/explicit/DB") # => true
    #
    # Native: #capabilities(path) (frozen, sorted Array of frozen Strings;
    # ["deny"] when nothing is granted), #allowed?(capability, path),
    # #rule_count, #policy_names, #inspect.
    class ACL
      # Which rule decided a path. `rule_path` is the rule as written (leading
      # `/` removed, trailing `*` kept), `kind` :exact, :prefix, :segment, or
      # :none when no rule matched (then `policies` is empty and
      # `capabilities` is ["deny"]). `capabilities` is what that rule grants.
      Explanation = Struct.new(:path, :rule_path, :kind, :policies, :capabilities, keyword_init: true) do
        def allowed?(capability)
          cap = capability.to_s
          cap != "deny" && !capabilities.include?("deny") && capabilities.include?(cap)
        end
      end

      class << self
        # Native: `new(policies, identity: nil, now: nil)`. `policies`:
        # Policy objects. `identity`: values for `{{...}}` templates in rule
        # paths, e.g. {"identity.entity.id" => "e-1",
        # "identity.entity.metadata.team" => "infra"}; without a value a
        # templated rule is dropped, as OpenBao drops it for a token without
        # an entity. `now` (Time/Integer) decides which expiring rules apply.
        # The ACL is frozen.

        # Reads the named policies from a live OpenBao (`GET
        # sys/policies/acl/<name>`) and builds their ACL. Unknown names are
        # skipped, as OpenBao skips them on a token.
        def from_openbao(client, policies:, identity: nil)
          sync = PolicySync.new(client)
          new(policies.filter_map { |name| sync.fetch(name) }, identity:)
        end
      end

      # {path => capabilities} for many paths at once. Large lists are
      # evaluated without the GVL, on all cores (fork-safe pool).
      def capabilities_many(paths)
        raise TypeError, "paths must be an Array of String, not #{paths.class}" unless paths.is_a?(Array)

        _capabilities_many(paths)
      end

      # Which rule of which policies decided `path`.
      def explain(path)
        rule_path, kind, policies, caps = _explain(path)
        return Explanation.new(path:, rule_path: nil, kind: :none, policies: [], capabilities: ["deny"]) unless kind

        Explanation.new(path:, rule_path:, kind:, policies:, capabilities: caps)
      end

      # Would OpenBao let this token perform `operation` (:create, :read,
      # :update, :patch, :delete, :list, :scan) on `path` with these request
      # parameters? Checks capabilities and the rule's required, allowed and
      # denied parameters and pagination limit, like OpenBao's
      # AllowOperation. true or false.
      def authorize(operation, path, params = {})
        _authorize(operation, path, params_json(params)).nil?
      end

      # Like #authorize but raises PermissionDenied naming the failed check.
      def authorize!(operation, path, params = {})
        denial = _authorize(operation, path, params_json(params))
        raise PermissionDenied, denial if denial

        true
      end

      # ACLs are immutable values: copies are the object itself.
      def dup = self
      def clone(freeze: true) = self # rubocop:disable Lint/UnusedMethodArgument

      def _dump(_level)
        raise TypeError, "PipelineGuard::OpenBao::ACL cannot be marshalled; rebuild it from its policies"
      end

      private

      def params_json(params)
        raise TypeError, "params must be a Hash, not #{params.class}" unless params.is_a?(Hash)
        return nil if params.empty?

        JSON.generate(params.transform_keys(&:to_s))
      end
    end
  end
end
