# frozen_string_literal: true

require "json"

RSpec.describe PipelineGuard::OpenBao::Client do
  # Answers GET /v1/echo/<n> with {"data":{"n":"<n>"}} after a delay set per request.
  def echo_server(delay: ->(_n) { 0 }, &)
    LoopbackHTTP.open do |server|
      server.instance_variable_set(:@handler, lambda do |_m, path, _h, _b|
        n = path.split("/").last
        sleep(delay.call(n))
        [200, {}, JSON.generate("data" => { "n" => n })]
      end)
      yield server
    end
  end

  it "gives each of many threads its own answer when the server answers slowly and out of order" do
    echo_server(delay: ->(n) { (n.to_i % 5) * 0.002 }) do |server|
      client = described_class.new(address: server.url)
      threads = Array.new(8) do |t|
        Thread.new { Array.new(25) { |i| client.get("echo/#{(t * 100) + i}").dig("data", "n") } }
      end
      expect(threads.map(&:value)).to eq(Array.new(8) { |t| Array.new(25) { |i| ((t * 100) + i).to_s } })
    end
  end

  it "never hands the answer of an interrupted request to the next one" do
    echo_server(delay: ->(n) { n == "slow" ? 0.3 : 0 }) do |server|
      client = described_class.new(address: server.url)
      client.get("echo/warm") # one keep-alive connection
      killed = Thread.new { client.get("echo/slow") }
      sleep 0.1
      killed.kill.join # interrupted while waiting for its answer (no rescue runs)
      sleep 0.3        # the slow answer is now waiting on the socket
      expect(client.get("echo/next").dig("data", "n")).to eq("next")
    end
  end

  it "opens fresh connections in a forked child" do
    echo_server do |server|
      client = described_class.new(address: server.url)
      client.get("echo/parent")
      reader, writer = IO.pipe
      pid = fork do
        reader.close
        writer.write(client.get("echo/child").dig("data", "n"))
        writer.close
        exit!(0)
      end
      writer.close
      Process.wait(pid)
      expect(reader.read).to eq("child")
      expect(client.get("echo/parent2").dig("data", "n")).to eq("parent2")
      expect(server.connections).to eq(2) # the child never wrote on the parent's socket
    end
  end
end

RSpec.describe PipelineGuard::OpenBao::Client, "across cluster nodes" do
  def node(status, location: nil, seen: nil)
    LoopbackHTTP.new do |method, path, _h, _b|
      seen&.<< [status, method, path]
      headers = location ? { "Location" => location.call + path } : {}
      body = status == 200 ? { "data" => { "from" => "leader" } } : { "errors" => ["no #{status}"] }
      [status, headers, JSON.generate(body)]
    end
  end

  let(:servers) { [] }

  after { servers.each(&:stop) }

  def cluster(*statuses)
    statuses.map { |s| node(s).tap { |n| servers << n } }
  end

  it "skips standbys (429, 472, 473) and unavailable nodes (503, 502) for the leader, then prefers it" do
    nodes = cluster(473, 503, 429, 502, 472, 200)
    client = described_class.new(addresses: nodes.map(&:url), backoff: 0.001)
    expect(client.get("x").dig("data", "from")).to eq("leader")
    expect(client.address).to eq(nodes.last.url)
    before = nodes.first.requests.size
    client.get("x")
    expect(nodes.first.requests.size).to eq(before) # straight to the leader now
    expect(client.with_token("t").address).to eq(nodes.last.url) # and so does a client for another token
  end

  it "skips a node that refuses connections" do
    probe = TCPServer.new("127.0.0.1", 0)
    dead = probe.addr[1]
    probe.close
    leader = cluster(200).first
    client = described_class.new(addresses: ["http://127.0.0.1:#{dead}", leader.url], backoff: 0.001)
    expect(client.get("x").dig("data", "from")).to eq("leader")
  end

  it "follows a 307 from a standby to a listed leader, but never to an unlisted host" do
    leader = cluster(200).first
    seen = []
    standby = node(307, location: -> { leader.url }, seen:).tap { |n| servers << n }
    client = described_class.new(addresses: [standby.url, leader.url], retries: 1, backoff: 0.001)
    expect(client.put("sys/policies/acl/p", { "policy" => "" }).dig("data", "from")).to eq("leader")
    expect(seen.map(&:first)).to eq([307])
    expect(client.address).to eq(leader.url)

    rogue = node(307, location: -> { "http://127.0.0.2:1" }).tap { |n| servers << n }
    lone = described_class.new(addresses: [rogue.url], retries: 2, backoff: 0.001)
    expect { lone.get("x") }.to raise_error(PipelineGuard::OpenBao::ClientError, /unlisted node/)
  end

  it "gives up after its retries with the last node's error, and never retries a POST a node may have applied" do
    nodes = cluster(500, 500)
    client = described_class.new(addresses: nodes.map(&:url), retries: 3, backoff: 0.001)
    expect { client.get("x") }.to raise_error(PipelineGuard::OpenBao::ClientError, /HTTP 500: no 500/)
    expect(nodes.sum { |n| n.requests.size }).to eq(4)
    expect { client.post("x") }.to raise_error(PipelineGuard::OpenBao::ClientError, /HTTP 500/)
    expect(nodes.sum { |n| n.requests.size }).to eq(5)
  end

  it "publishes request and retry events through ActiveSupport::Notifications" do
    require "active_support/notifications"
    nodes = cluster(503, 200)
    events = []
    sub = ActiveSupport::Notifications.subscribe(/pipeline_guard/) do |name, *, payload|
      events << [name, payload[:status]]
    end
    described_class.new(addresses: nodes.map(&:url), backoff: 0.001).get("x")
    expect(events).to eq([["request.openbao.pipeline_guard", 503], ["retry.openbao.pipeline_guard", 503],
                          ["request.openbao.pipeline_guard", 200]])
  ensure
    ActiveSupport::Notifications.unsubscribe(sub) if sub
  end
end

RSpec.describe PipelineGuard::OpenBao::Client, "from the environment" do
  it "takes the other cluster nodes from BAO_ADDRS, BAO_ADDR first, and fails over to them" do
    tokens = []
    leader = LoopbackHTTP.new do |_m, _p, headers, _b|
      tokens << headers["x-vault-token"]
      [200, {}, JSON.generate("data" => { "from" => "leader" })]
    end
    probe = TCPServer.new("127.0.0.1", 0)
    dead = "http://127.0.0.1:#{probe.addr[1]}"
    probe.close
    env = { "BAO_ADDR" => dead, "BAO_ADDRS" => "#{dead}, #{leader.url} http://127.0.0.1:1", "BAO_TOKEN" => "t" }
    client = described_class.from_env(env)
    expect(client.addresses).to eq([dead, leader.url, "http://127.0.0.1:1"])
    expect(client.get("x").dig("data", "from")).to eq("leader")
    expect(tokens).to eq(["t"])
  ensure
    leader&.stop
  end

  it "is a single node with BAO_ADDR alone" do
    expect(described_class.from_env("BAO_ADDR" => "http://127.0.0.1:8200").addresses).to eq(["http://127.0.0.1:8200"])
  end

  it "keeps every node and the learned one in a client for another namespace" do
    standby = LoopbackHTTP.new { |*| [473, {}, JSON.generate("errors" => ["standby"])] }
    seen = []
    leader = LoopbackHTTP.new do |_m, path, headers, _b|
      seen << [path, headers["x-vault-namespace"]]
      [200, {}, JSON.generate("data" => {})]
    end
    root = described_class.new(addresses: [standby.url, leader.url], token: "t", backoff: 0.001)
    root.get("sys/health")
    ns = root.with_namespace("project_1")
    expect([ns.addresses, ns.address]).to eq([root.addresses, leader.url])
    ns.get("secrets/kv/data/x")
    expect(seen.last).to eq(["/v1/secrets/kv/data/x", "project_1"])
  ensure
    [standby, leader].each { |s| s&.stop }
  end
end

RSpec.describe PipelineGuard::OpenBao::Client, "on a standby that lost its leader" do
  # What an OpenBao 2.7 standby answers while no active node is known (an
  # election after the leader died, or a node that just rejoined): the
  # request was neither applied nor forwarded.
  let(:leaderless) do
    LoopbackHTTP.new do |*|
      [500, {}, JSON.generate("errors" => ["local node not active but active cluster node not found"])]
    end
  end
  let(:leader) { LoopbackHTTP.new { |*| [200, {}, JSON.generate("data" => { "from" => "leader" })] } }

  after { [leaderless, leader].each(&:stop) }

  it "retries a POST on the next node, since no node took it" do
    client = described_class.new(addresses: [leaderless.url, leader.url], backoff: 0.001)
    expect(client.post("auth/token/create", { "policies" => ["p"] }).dig("data", "from")).to eq("leader")
    expect([leaderless.requests.size, leader.requests.size]).to eq([1, 1])
  end

  it "still never retries a POST after any other 500" do
    other = LoopbackHTTP.new { |*| [500, {}, JSON.generate("errors" => ["internal error"])] }
    client = described_class.new(addresses: [other.url, leader.url], backoff: 0.001)
    expect { client.post("x") }.to raise_error(PipelineGuard::OpenBao::ClientError, /HTTP 500: internal error/)
    expect(leader.requests.size).to eq(0)
  ensure
    other&.stop
  end
end

RSpec.describe PipelineGuard::OpenBao::Client, "read-your-writes on standbys that answer reads" do
  def index(value, cluster: "c-1") = [JSON.generate("cluster" => cluster, "value" => value.to_s)].pack("m0")

  # Answers each request with the next index of `answers` and records the
  # consistency headers it received.
  def node(answers, seen)
    LoopbackHTTP.new do |_m, path, headers, _b|
      seen << [path, headers["x-vault-index"], headers["x-vault-inconsistent"]]
      [200, { "X-Vault-Index" => answers.shift }.compact, JSON.generate("data" => {})]
    end
  end

  it "sends the newest index it saw back, asking a standby that is behind to forward" do
    seen = []
    server = node([nil, index(7), index(6), index(9, cluster: "c-2"), "not-decodable"], seen)
    client = described_class.new(address: server.url)
    client.get("a")                                  # no index yet: nothing sent
    client.put("sys/policies/acl/p", { policy: "" }) # answered with 7
    client.get("sys/policies/acl/p")                 # carries 7, answered with an older 6
    client.get("b")                                  # still 7 (6 is older); answered with c-2's 9
    client.get("c")                                  # both clusters' newest; answered with an opaque index
    client.get("d")                                  # which is kept too
    expect(seen[0][1..]).to eq([nil, nil])
    expect(seen[2][1..]).to eq([index(7), "forward-active-node"])
    expect(seen[3][1]).to eq(index(7))
    expect(seen[4][1]).to eq("#{index(7)}, #{index(9, cluster: 'c-2')}")
    expect(seen[5][1].split(", ")).to contain_exactly(index(7), index(9, cluster: "c-2"), "not-decodable")
  ensure
    server&.stop
  end

  it "shares what it saw with the clients #with_token and #with_namespace make" do
    seen = []
    server = node([index(3), nil, nil], seen)
    root = described_class.new(address: server.url, token: "t")
    ns = root.with_namespace("project_1")
    ns.post("auth/token/create", { policies: ["p"] })
    root.with_token("other").post("sys/capabilities", { paths: ["x"] })
    root.get("x")
    expect(seen.drop(1).map { |s| s[1] }).to eq([index(3), index(3)])
  ensure
    server&.stop
  end
end
