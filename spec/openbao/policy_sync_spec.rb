# frozen_string_literal: true

RSpec.describe PipelineGuard::OpenBao::PolicySync, :openbao do
  let(:client) { OpenBaoServer.client }
  let(:prefix) { "pgsync-#{rand(1_000_000)}" }
  let(:names) { %W[#{prefix}-reader #{prefix}-writer] }

  def write(name, text) = client.put("sys/policies/acl/#{name}", { "policy" => text })

  before do
    write(names[0], %(path "secrets/kv/data/explicit/*" { capabilities = ["read"] }))
    write(names[1], %({"path": {"secrets/kv/data/explicit/DB": {"capabilities": ["update", "create"]}}}))
  end

  after do
    names.each { |n| client.delete("sys/policies/acl/#{n}") }
  end

  it "syncs, builds ACLs, and sees a changed policy after refresh!" do
    sync = described_class.new(client)
    changed = sync.refresh!
    expect(changed).to include(*names)
    expect(changed).not_to include("root")
    expect(sync.policy_names).to include(*names, "default")
    acl = sync.acl_for(names)
    expect(acl.capabilities("secrets/kv/data/explicit/DB")).to eq(%w[create update]) # exact rule wins
    expect(sync.acl_for(names.reverse)).to equal(acl) # cached per policy set
    expect(sync.refresh!).to eq([])                   # nothing changed: nothing re-parsed
    expect(sync.acl_for(names)).to equal(acl)

    write(names[0], %(path "secrets/kv/data/explicit/*" { capabilities = ["read", "list"] }))
    expect(sync.refresh!).to eq([names[0]])
    fresh = sync.acl_for(names)
    expect(fresh).not_to equal(acl)
    expect(fresh.capabilities("secrets/kv/data/explicit/X")).to eq(%w[list read])

    client.delete("sys/policies/acl/#{names[1]}")
    expect(sync.refresh!).to eq([names[1]])
    expect(sync[names[1]]).to be_nil
    expect(sync.acl_for(names).capabilities("secrets/kv/data/explicit/DB")).to eq(%w[list read])
  end

  it "matches OpenBao's answers for a token (acl_for_token) and skips unknown policies" do
    token = client.post("auth/token/create", { "policies" => names + ["#{prefix}-missing"],
                                               "no_default_policy" => true, "ttl" => "5m" }).dig("auth", "client_token")
    sync = described_class.new(client)
    acl = sync.acl_for_token(token)
    paths = ["secrets/kv/data/explicit/DB", "secrets/kv/data/explicit/X", "secrets/kv/metadata/x", "sys/mounts"]
    remote = client.post("sys/capabilities", { "token" => token, "paths" => paths }).fetch("data")
    expect(acl.capabilities_many(paths)).to eq(remote)
    expect(acl.policy_names.sort).to eq(names.sort)
    expect { sync.acl_for(["root"]) }.to raise_error(PipelineGuard::InvalidInput, /root/)
    expect { sync.acl_for_token("not-a-token") }.to raise_error(PipelineGuard::OpenBao::ClientError)
  ensure
    client.post("auth/token/revoke", { "token" => token }) if token
  end

  it "builds an ACL straight from OpenBao with ACL.from_openbao" do
    acl = PipelineGuard::OpenBao::ACL.from_openbao(client, policies: names)
    expect(acl.allowed?(:create, "secrets/kv/data/explicit/DB")).to be(true)
    expect(acl.allowed?(:create, "secrets/kv/data/explicit/OTHER")).to be(false)
    expect(acl.explain("secrets/kv/data/explicit/DB").policies).to eq([names[1]])
  end

  it "is safe to use from several threads while refreshing" do
    sync = described_class.new(client)
    sync.refresh!
    threads = Array.new(4) do |i|
      Thread.new do
        10.times.map do
          i.zero? ? sync.refresh! : sync.acl_for(names).capabilities("secrets/kv/data/explicit/DB")
        end
      end
    end
    results = threads.map(&:value)
    expect(results.drop(1).flatten(1).uniq).to eq([%w[create update]])
  end

  it "syncs through a node list whose first node is down, within max_staleness" do
    probe = TCPServer.new("127.0.0.1", 0)
    dead = "http://127.0.0.1:#{probe.addr[1]}"
    probe.close
    cluster = PipelineGuard::OpenBao::Client.new(addresses: [dead, OpenBaoServer.address],
                                                 token: OpenBaoServer::ROOT_TOKEN, backoff: 0.001)
    sync = described_class.new(cluster, max_staleness: 30)
    expect(sync.refresh!).to include(*names)
    expect(cluster.address).to eq(OpenBaoServer.address)
    expect(sync.acl_for(names).capabilities("secrets/kv/data/explicit/DB")).to eq(%w[create update])
  end

  it "never swaps responses between threads sharing one client" do
    shared = OpenBaoServer.client
    many = Array.new(6) { |i| "#{prefix}-t#{i}" }
    many.each_with_index { |n, i| write(n, %(path "p#{i}/*" { capabilities = ["read"] })) }
    threads = many.map do |n|
      Thread.new do
        Array.new(40) { shared.get("sys/policies/acl/#{n}").dig("data", "name") }
      end
    end
    expect(threads.map(&:value)).to eq(many.map { |n| [n] * 40 })
  ensure
    many&.each { |n| client.delete("sys/policies/acl/#{n}") }
  end
end

# A stand-in for Client whose reads can be held at a chosen point, so a
# refresh can be slotted into the middle of another operation.
class PolicySyncFakeClient
  attr_reader :texts

  def initialize(texts)
    @texts = texts
    @holds = {}
  end

  def address = "http://fake"
  def list(_path) = { "data" => { "keys" => @texts.keys } }

  # The next read of `name` runs the block after its answer is fixed.
  def hold(name, &block)
    @holds[name] = block
  end

  def get(path)
    name = path.split("/").last
    text = @texts[name]
    @holds.delete(name)&.call
    raise PipelineGuard::OpenBao::ClientError, "GET #{path}: HTTP 404: " unless text

    { "data" => { "name" => name, "policy" => text } }
  end
end

RSpec.describe PipelineGuard::OpenBao::PolicySync, "races" do
  let(:read_only) { %(path "x" { capabilities = ["read"] }) }
  let(:read_list) { %(path "x" { capabilities = ["read", "list"] }) }
  let(:bao) { PolicySyncFakeClient.new("a" => read_only) }
  let(:sync) { described_class.new(bao) }

  # Runs `block` on a thread that stops inside the read of `name`; yields
  # while it is stopped, then lets it finish and returns its value.
  def while_reading(name, block)
    inside = Queue.new
    release = Queue.new
    bao.hold(name) do
      inside << true
      release.pop
    end
    thread = Thread.new(&block)
    inside.pop
    yield
    release << true
    thread.value
  end

  it "does not cache an ACL built from policies a refresh replaced meanwhile" do
    sync.refresh!
    # acl_for has taken "a" from the cache and is reading the unknown "b"
    # when a refresh publishes a new text of "a".
    while_reading("b", -> { sync.acl_for(%w[a b]) }) do
      bao.texts["a"] = read_list
      expect(sync.refresh!).to eq(["a"])
    end
    expect(sync.acl_for(%w[a b]).capabilities("x")).to eq(%w[list read])
  end

  it "does not let an older refresh overwrite a newer one" do
    sync.refresh!
    bao.texts["a"] = read_list
    newer = nil
    # The first refresh has read the list-and-read text when the policy
    # changes back and a second refresh starts.
    while_reading("a", -> { sync.refresh! }) do
      bao.texts["a"] = read_only
      newer = Thread.new { sync.refresh! }
      newer.join(0.5)
    end
    newer.join
    expect(sync.acl_for(["a"]).capabilities("x")).to eq(["read"])
    expect(sync["a"].rules.first[:capabilities]).to eq(["read"])
  end

  it "does not cache a policy read before a refresh that removed it" do
    sync.refresh!
    bao.texts["b"] = read_list
    while_reading("b", -> { sync.fetch("b") }) do
      bao.texts.delete("b")
      sync.refresh!
    end
    expect(sync["b"]).to be_nil
    expect(sync.acl_for(%w[a b]).capabilities("x")).to eq(["read"])
  end

  it "never hands one policy set's or identity's cached ACL to another" do
    bao.texts.merge!("b" => %(path "y" { capabilities = ["read"] }), "a\0b" => %(path "z" { capabilities = ["read"] }),
                     "t" => %(path "u/{{identity.entity.id}}" { capabilities = ["read"] }))
    sync.refresh!
    expect(sync.acl_for(%w[a b]).capabilities("z")).to eq(["deny"])
    expect(sync.acl_for(["a\0b"]).capabilities("z")).to eq(["read"])
    expect(sync.acl_for(%w[b a])).to equal(sync.acl_for(%w[a b]))
    one = sync.acl_for(["t"], identity: { "identity.entity.id" => "e1" })
    two = sync.acl_for(["t"], identity: { "identity.entity.id" => "e2" })
    expect([one.capabilities("u/e1"), two.capabilities("u/e1"), two.capabilities("u/e2")])
      .to eq([["read"], ["deny"], ["read"]])
    expect(sync.acl_for(["t"]).capabilities("u/e1")).to eq(["deny"])
  end

  it "publishes nothing when a changed text does not parse" do
    bao.texts["b"] = read_list
    sync.refresh!
    bao.texts["a"] = read_list
    bao.texts["b"] = "path {"
    expect { sync.refresh! }.to raise_error(PipelineGuard::OpenBao::PolicyError)
    expect(sync.acl_for(["a"]).capabilities("x")).to eq(["read"])
    expect(sync.acl_for(["b"]).capabilities("x")).to eq(%w[list read])
  end

  it "gives every thread a right answer while policies change and refresh" do
    sync.refresh!
    stop = false
    writer = Thread.new do
      until stop
        bao.texts["a"] = [read_only, read_list].sample
        sync.refresh!
      end
    end
    answers = Array.new(4) { Thread.new { Array.new(300) { sync.acl_for(%w[a]).capabilities("x") } } }.flat_map(&:value)
    stop = true
    writer.join
    expect(answers.uniq - [["read"], %w[list read]]).to eq([])
    bao.texts["a"] = read_list
    sync.refresh!
    expect(sync.acl_for(%w[a]).capabilities("x")).to eq(%w[list read])
  end
end
