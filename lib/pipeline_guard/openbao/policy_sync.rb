# frozen_string_literal: true

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
    # cached ACLs whose policies did not change. Thread-safe.
    class PolicySync
      LIST_PATH = "sys/policies/acl"

      # Policies no ACL document describes (root grants everything).
      UNSUPPORTED = %w[root].freeze

      attr_reader :client

      def initialize(client)
        @client = client
        @mutex = Mutex.new
        @texts = {}
        @policies = {}
        @acls = {}
      end

      # Re-lists and re-reads the policies. Returns the names whose text
      # changed, appeared or disappeared since the last refresh.
      def refresh!
        names = Array(client.list(LIST_PATH).dig("data", "keys")) - UNSUPPORTED
        texts = names.to_h { |name| [name, read_text(name)] }.compact
        @mutex.synchronize { apply(texts) }
      end

      # The cached names (after #refresh!).
      def policy_names
        @mutex.synchronize { @policies.keys.sort }
      end

      # The cached Policy called `name`, or nil.
      def [](name)
        @mutex.synchronize { @policies[name.to_s] }
      end

      # The Policy `name`: cached, or read from OpenBao now (nil if absent).
      def fetch(name)
        name = name.to_s
        raise InvalidInput, "the root policy cannot be evaluated locally" if UNSUPPORTED.include?(name)

        cached = self[name]
        return cached if cached

        text = read_text(name)
        text && @mutex.synchronize { apply_one(name, text) }
      end

      # The ACL for a token with these policies (cached policies; names not
      # cached are read once). Unknown names are skipped like OpenBao does.
      def acl_for(names, identity: nil)
        names = names.map(&:to_s).uniq.sort
        key = [names, identity&.to_h { |k, v| [k.to_s, v.to_s] }]
        acl = @mutex.synchronize { @acls[key] }
        return acl if acl

        acl = ACL.new(names.filter_map { |n| fetch(n) }, identity: key[1])
        @mutex.synchronize { @acls[key] = acl }
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

      def apply(texts)
        changed = (@texts.keys - texts.keys)
        changed.each { |name| forget(name) }
        texts.each do |name, text|
          next if @texts[name] == text

          apply_one(name, text)
          changed << name
        end
        changed.sort
      end

      def apply_one(name, text)
        policy = Policy.parse(text, name:)
        forget(name)
        @texts[name] = text
        @policies[name] = policy
      end

      def forget(name)
        @texts.delete(name)
        @policies.delete(name)
        @acls.delete_if { |(names, _), _| names.include?(name) }
      end
    end
  end
end
