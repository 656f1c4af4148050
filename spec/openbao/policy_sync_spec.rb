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
end
