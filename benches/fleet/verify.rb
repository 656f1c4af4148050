# frozen_string_literal: true

module Fleet
  # After the load: acked writes read back from OpenBao with the root token,
  # and the gem's local decisions (a PolicySync over the project's
  # namespace) against OpenBao's own for tokens holding the synced policies.
  class Verify
    # `barrier`: a path the root client may write; writing it first gives
    # the client an index that covers every write acked before, so reads
    # on a standby that is behind are forwarded (Client read-your-writes).
    def initialize(root:, namespace:, barrier:)
      root.put(barrier, { at: Time.now.to_f })
      @ns = root.with_namespace(namespace)
    end

    # Acked writes whose value OpenBao does not hold: neither the last acked
    # value nor one sent after it (a write not acked may still have landed).
    def lost(written)
      written.filter_map do |name, entry|
        next unless entry[:value]

        got = begin
          @ns.get("secrets/kv/data/explicit/#{name}").dig("data", "data", "value")
        rescue PipelineGuard::OpenBao::ClientError
          nil
        end
        next if got == entry[:value] || entry[:later].include?(got)

        { name:, found: got ? "another value" : "nothing" }
      end
    end

    # Compares ACL#capabilities with OpenBao's sys/capabilities for every synced
    # policy alone and for pairs of them, over every secret path plus a few
    # others. Returns { checked:, wrong: [...], local_us:, remote_ms: }.
    def decisions(sync, secret_names, sets: 24)
      sync.refresh!
      names = sync.policy_names
      combos = (names.map { |n| [n] } + names.combination(2).to_a).first(sets)
      paths = decision_paths(secret_names)
      result = { checked: 0, wrong: [], local_us: [], remote_ms: [] }
      combos.each { |policies| compare(sync, policies, paths, result) }
      result
    end

    private

    def decision_paths(secret_names)
      secret_names.flat_map do |n|
        ["secrets/kv/data/explicit/#{n}", "secrets/kv/metadata/explicit/#{n}"]
      end + ["secrets/kv/data/explicit", "secrets/kv/metadata/", "sys/policies/acl/x", "secrets/kv/data/other/x"]
    end

    def compare(sync, policies, paths, result)
      created = @ns.post("auth/token/create", { policies:, no_default_policy: true, ttl: "5m" })
      token = created.dig("auth", "client_token")
      raise "auth/token/create gave no token: #{created.except('auth')}" unless token

      t = clock
      remote = @ns.post("sys/capabilities", { token:, paths: })
      result[:remote_ms] << ((clock - t) * 1000.0)
      acl = sync.acl_for(policies)
      paths.each do |p|
        t = clock
        local = acl.capabilities(p)
        result[:local_us] << ((clock - t) * 1e6)
        result[:checked] += 1
        expected = Array(remote[p] || remote.dig("data", p)).sort
        result[:wrong] << { policies:, path: p, local:, openbao: expected } unless local.sort == expected
      end
    ensure
      revoke(token)
    end

    def revoke(token)
      @ns.post("auth/token/revoke-orphan", { token: }) if token
    rescue PipelineGuard::OpenBao::ClientError
      nil # expires with its TTL
    end

    def clock = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end
end
