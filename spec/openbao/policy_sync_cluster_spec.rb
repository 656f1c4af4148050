# frozen_string_literal: true

require "json"
require "time"
require "active_support/notifications"

# PolicySync over a cluster-like OpenBao served from loopback: freshness
# limits, expiring rules, events, fork and polling.
RSpec.describe PipelineGuard::OpenBao::PolicySync, "freshness and cluster" do
  let(:texts) { { "a" => %(path "x" { capabilities = ["read"] }) } }
  let(:down) { [] } # while non-empty, every request answers 503

  def fake_openbao
    LoopbackHTTP.new do |_m, path, _h, _b|
      next [503, {}, JSON.generate("errors" => ["sealed"])] unless down.empty?

      name = path.split("?").first.delete_prefix("/v1/sys/policies/acl").delete_prefix("/")
      if name.empty?
        [200, {}, JSON.generate("data" => { "keys" => texts.keys })]
      elsif texts.key?(name)
        [200, {}, JSON.generate("data" => { "name" => name, "policy" => texts[name] })]
      else
        [404, {}, JSON.generate("errors" => [])]
      end
    end
  end

  let!(:server) { fake_openbao }
  let(:client) { PipelineGuard::OpenBao::Client.new(address: server.url, backoff: 0.001) }

  after { server.stop }

  it "refuses decisions once its policies are older than max_staleness, and answers again after a refresh" do
    sync = described_class.new(client, max_staleness: 0.2)
    expect { sync.acl_for(["a"]) }.to raise_error(PipelineGuard::OpenBao::StalePolicies, /never synced/)
    sync.refresh!
    expect(sync.acl_for(["a"]).capabilities("x")).to eq(["read"])
    down << true # the cluster stops answering: refreshes fail
    expect { sync.refresh! }.to raise_error(PipelineGuard::OpenBao::ClientError, /503/)
    sleep 0.25
    %i[acl_for fetch].each do |call|
      expect { sync.public_send(call, call == :fetch ? "a" : ["a"]) }
        .to raise_error(PipelineGuard::OpenBao::StalePolicies, /synced \d+\.\ds ago \(max_staleness 0.2s\)/)
    end
    expect { sync["a"] }.to raise_error(PipelineGuard::OpenBao::StalePolicies)
    down.clear
    sync.refresh!
    expect(sync.acl_for(["a"]).capabilities("x")).to eq(["read"])
    expect { described_class.new(client, max_staleness: 0) }.to raise_error(ArgumentError)
  end

  it "stops granting an expired rule from a cached ACL without a refresh" do
    expires = Time.now.to_i + 60
    texts["a"] = %(path "x" { capabilities = ["read", "update"] expiration = "#{Time.at(expires).utc.iso8601}" })
    texts["b"] = %(path "x" { capabilities = ["list"] })
    sync = described_class.new(client)
    sync.refresh!
    acl = sync.acl_for(%w[a b])
    expect(acl.capabilities("x")).to eq(%w[list read update])
    allow(Time).to receive(:now).and_return(Time.at(expires + 1))
    expect(sync.acl_for(%w[a b])).to equal(acl)
    expect(acl.capabilities("x")).to eq(%w[list])
    expect(acl.allowed?(:update, "x")).to be(false)
  end

  it "publishes refresh and stale events" do
    events = []
    sub = ActiveSupport::Notifications.subscribe(/policy_sync/) { |name, *, payload| events << [name, payload] }
    sync = described_class.new(client, max_staleness: 60)
    expect { sync.acl_for(["a"]) }.to raise_error(PipelineGuard::OpenBao::StalePolicies)
    sync.refresh!
    down << true
    expect { sync.refresh! }.to raise_error(PipelineGuard::OpenBao::ClientError)
    expect(events.map(&:first)).to eq(%w[stale.policy_sync.pipeline_guard refresh.policy_sync.pipeline_guard
                                         refresh.policy_sync.pipeline_guard])
    expect(events[1][1]).to include(changed: ["a"], generation: 1, policies: 1)
    expect(events[2][1][:exception]&.first).to eq("PipelineGuard::OpenBao::ClientError")
  ensure
    ActiveSupport::Notifications.unsubscribe(sub) if sub
  end

  it "polls for changes in the background, also in a forked child with its own connection" do
    sync = described_class.new(client, max_staleness: 5).start_polling(interval: 0.05)
    sleep 0.01 until sync.staleness
    texts["a"] = %(path "x" { capabilities = ["list"] })
    Timeout.timeout(5) { sleep 0.02 until sync.acl_for(["a"]).capabilities("x") == ["list"] }
    before = server.connections
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      sync.policy_names # first use in the child restarts its poller
      sleep 0.3         # which refreshes over the child's own connection
      writer.write(JSON.generate([sync.acl_for(["a"]).capabilities("x"), sync.staleness < 0.2]))
      writer.close
      exit!(0)
    end
    writer.close
    Process.wait(pid)
    expect(JSON.parse(reader.read)).to eq([["list"], true])
    expect(server.connections).to be > before
  ensure
    sync&.stop_polling
  end
end

# Three loopback nodes sharing one policy store; the leader moves while many
# threads decide and a poller refreshes. Standbys answer 307 to the leader
# or 473, a node in transition 503.
RSpec.describe PipelineGuard::OpenBao::PolicySync, "while the leader moves" do
  let(:store) { { "a" => %(path "x" { capabilities = ["read"] }) } }
  let(:leader) { [0] }
  let(:nodes) { [] }

  def node(index)
    LoopbackHTTP.new do |_m, path, _h, _b|
      if leader[0] != index
        next [307, { "Location" => "#{nodes[leader[0]].url}#{path}" }, ""] if index.even?

        next [index == 1 ? 473 : 503, {}, JSON.generate("errors" => ["standby"])]
      end
      name = path.split("?").first.delete_prefix("/v1/sys/policies/acl").delete_prefix("/")
      next [200, {}, JSON.generate("data" => { "keys" => store.keys })] if name.empty?

      [200, {}, JSON.generate("data" => { "name" => name, "policy" => store.fetch(name) })]
    end
  end

  after { nodes.each(&:stop) }

  it "keeps answering from fresh policies with every thread getting a consistent answer" do
    3.times { |i| nodes << node(i) }
    client = PipelineGuard::OpenBao::Client.new(addresses: nodes.map(&:url), backoff: 0.001, retries: 6)
    sync = described_class.new(client, max_staleness: 2)
    sync.refresh!
    texts = [%(path "x" { capabilities = ["read"] }), %(path "x" { capabilities = ["read", "list"] })]
    stop = false
    mover = Thread.new do
      until stop
        leader[0] = (leader[0] + 1) % 3
        store["a"] = texts.sample
        sync.refresh!
      end
    end
    answers = Array.new(6) { Thread.new { Array.new(200) { sync.acl_for(%w[a]).capabilities("x") } } }.flat_map(&:value)
    stop = true
    mover.join
    expect(answers.uniq - [["read"], %w[list read]]).to eq([])
    store["a"] = texts[1]
    leader[0] = 1
    sync.refresh!
    expect(sync.acl_for(%w[a]).capabilities("x")).to eq(%w[list read])
    expect(client.address).to eq(nodes[1].url)
  end
end
