# frozen_string_literal: true

require "time"

# OpenBao builds a token's ACL per request and drops rules whose
# `expiration` has passed, as if they were absent (which can hand the
# decision to another rule). A kept ACL must decide the same way: every
# answer equals the answer of an ACL built at the moment of the check.
RSpec.describe PipelineGuard::OpenBao::ACL, "rule expiration at decision time" do
  let(:start) { Time.now.to_i }
  let(:expires) { start + 60 }

  def policy(text, name) = PipelineGuard::OpenBao::Policy.parse(text, name:, now: start)

  let(:policies) do
    exp = Time.at(expires).utc.iso8601
    [
      policy(%(path "secrets/kv/data/explicit/*" { capabilities = ["read"] }), "reader"),
      policy(%(path "secrets/kv/data/explicit/LIST" { capabilities = ["list"] }), "lister"),
      policy(<<~HCL, "break-glass")
        path "secrets/kv/data/explicit/DB" { capabilities = ["read", "update", "delete"] expiration = "#{exp}" }
        path "secrets/kv/data/explicit/LIST" { capabilities = ["update"] expiration = "#{exp}" }
        path "secrets/kv/data/explicit/LOCKED" { capabilities = ["deny"] expiration = "#{exp}" }
      HCL
    ]
  end
  let(:paths) do
    %w[secrets/kv/data/explicit/DB secrets/kv/data/explicit/LIST secrets/kv/data/explicit/LOCKED
       secrets/kv/data/explicit/X]
  end

  def at(time)
    allow(Time).to receive(:now).and_return(Time.at(time))
  end

  def answers(acl)
    [acl.capabilities_many(paths), paths.map { |p| acl.explain(p).to_h.except(:path) },
     paths.map { |p| [acl.allowed?(:update, p), acl.authorize(:update, p, { "x" => 1 })] }]
  end

  it "stops granting an expired rule and lets the next-best rule decide", :gc_stress do
    at(start)
    acl = described_class.new(policies)
    expect(acl.capabilities("secrets/kv/data/explicit/DB")).to eq(%w[delete read update])
    expect(acl.capabilities("secrets/kv/data/explicit/LIST")).to eq(%w[list update])
    expect(acl.capabilities("secrets/kv/data/explicit/LOCKED")).to eq(["deny"])
    expect(acl.allowed?(:update, "secrets/kv/data/explicit/DB")).to be(true)
    expect(acl.explain("secrets/kv/data/explicit/DB").policies).to eq(["break-glass"])

    at(expires) # OpenBao drops a rule once now is after its expiration
    expect(acl.capabilities("secrets/kv/data/explicit/DB")).to eq(%w[delete read update])

    at(expires + 1)
    expect(acl.capabilities("secrets/kv/data/explicit/DB")).to eq(["read"])
    expect(acl.capabilities("secrets/kv/data/explicit/LIST")).to eq(["list"])
    expect(acl.capabilities("secrets/kv/data/explicit/LOCKED")).to eq(["read"])
    expect(acl.allowed?(:update, "secrets/kv/data/explicit/DB")).to be(false)
    expect(acl.authorize(:update, "secrets/kv/data/explicit/DB")).to be(false)
    expect do
      acl.authorize!(:delete, "secrets/kv/data/explicit/DB")
    end.to raise_error(PipelineGuard::OpenBao::PermissionDenied)
    explanation = acl.explain("secrets/kv/data/explicit/DB")
    expect([explanation.rule_path, explanation.kind, explanation.policies])
      .to eq(["secrets/kv/data/explicit/*", :prefix, ["reader"]])
    expect(acl.capabilities_many(paths).values).to eq([["read"], ["list"], ["read"], ["read"]])
  end

  it "answers at every moment as an ACL built at that moment would" do
    at(start)
    kept = described_class.new(policies)
    [start, expires - 1, expires, expires + 1, expires + 3600, start - 3600, expires, expires + 2].each do |t|
      at(t)
      expect(answers(kept)).to eq(answers(described_class.new(policies))), "at #{t - start}s"
    end
  end

  it "checks large batches at one moment, also without the GVL" do
    at(start)
    acl = described_class.new(policies)
    many = paths * 100
    expect(acl.capabilities_many(many)["secrets/kv/data/explicit/DB"]).to eq(%w[delete read update])
    at(expires + 1)
    expect(acl.capabilities_many(many)["secrets/kv/data/explicit/DB"]).to eq(["read"])
  end

  it "keeps an explicit now: as the moment of every decision" do
    at(expires + 1)
    pinned = described_class.new(policies, now: start)
    expect(pinned.capabilities("secrets/kv/data/explicit/DB")).to eq(%w[delete read update])
  end

  it "gives the same answers from threads racing across the expiration" do
    at(start)
    acl = described_class.new(policies)
    at(expires + 1)
    results = Array.new(4) { Thread.new { Array.new(200) { acl.capabilities("secrets/kv/data/explicit/DB") }.uniq } }
    expect(results.flat_map(&:value).uniq).to eq([["read"]])
  end

  it "applies to the ACLs PolicySync caches" do
    texts = { "reader" => %(path "a/*" { capabilities = ["read"] }),
              "glass" => %(path "a/b" { capabilities = ["update"] expiration = "#{Time.at(expires).utc.iso8601}" }) }
    client = Object.new
    client.define_singleton_method(:list) { |_path| { "data" => { "keys" => texts.keys } } }
    client.define_singleton_method(:get) { |path| { "data" => { "policy" => texts.fetch(path.split("/").last) } } }
    at(start)
    sync = PipelineGuard::OpenBao::PolicySync.new(client)
    sync.refresh!
    acl = sync.acl_for(%w[reader glass])
    expect(acl.capabilities("a/b")).to eq(["update"])
    at(expires + 1)
    expect(sync.acl_for(%w[reader glass])).to equal(acl)
    expect(acl.capabilities("a/b")).to eq(["read"])
  end

  it "agrees with a live OpenBao before and after a rule expires", :openbao do
    client = OpenBaoServer.client
    name = "pgexp-#{rand(1_000_000)}"
    exp = Time.now.to_i + 3
    text = <<~HCL
      path "secrets/kv/data/explicit/*" { capabilities = ["read"] }
      path "secrets/kv/data/explicit/DB" { capabilities = ["update"] expiration = "#{Time.at(exp).utc.iso8601}" }
    HCL
    client.put("sys/policies/acl/#{name}", { "policy" => text })
    token = client.post("auth/token/create", { "policies" => [name], "no_default_policy" => true, "ttl" => "5m" })
                  .dig("auth", "client_token")
    acl = described_class.new([PipelineGuard::OpenBao::Policy.parse(text, name:)])
    remote = -> { client.post("sys/capabilities", { "token" => token, "paths" => paths }).fetch("data").slice(*paths) }
    expect(acl.capabilities_many(paths)).to eq(remote.call)
    expect(acl.capabilities("secrets/kv/data/explicit/DB")).to eq(["update"])
    sleep 0.2 until Time.now.to_i > exp + 1
    expect(acl.capabilities_many(paths)).to eq(remote.call)
    expect(acl.capabilities("secrets/kv/data/explicit/DB")).to eq(["read"])
  ensure
    client&.delete("sys/policies/acl/#{name}")
  end
end
