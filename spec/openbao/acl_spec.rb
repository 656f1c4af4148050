# frozen_string_literal: true

RSpec.describe PipelineGuard::OpenBao::ACL do
  def policy(text, name = "p")
    PipelineGuard::OpenBao::Policy.parse(text, name:)
  end

  let(:reader) do
    policy(<<~HCL, "reader")
      path "secrets/kv/data/explicit/*" { capabilities = ["read", "list"] }
      path "secrets/kv/metadata/explicit/" { capabilities = ["list"] }
      path "secrets/kv/data/explicit/PROD_*" { capabilities = ["deny"] }
      path "secrets/+/metadata/+/PROD_*" { capabilities = ["deny"] }
    HCL
  end
  let(:writer) do
    policy(<<~HCL, "writer")
      path "secrets/kv/data/explicit/*" { capabilities = ["create", "update"] }
      path "secrets/kv/data/explicit/DB" {
        capabilities = ["create", "update", "read"]
        allowed_parameters = { "value" = [] "options" = [] }
        denied_parameters = { "version" = ["0"] }
        required_parameters = ["value"]
      }
      path "secrets/kv/metadata/explicit/*" { capabilities = ["list"] pagination_limit = 10 }
    HCL
  end
  subject(:acl) { described_class.new([reader, writer]) }

  it "takes its keywords natively (no Ruby wrapper passing them by position)" do
    expect(described_class.method(:new).source_location).to be_nil
    expect(described_class).not_to respond_to(:_new)
    expect(acl).to be_frozen
    expect { described_class.new(reader) }.to raise_error(TypeError, /policies must be an Array of Policy, not /)
    expect { described_class.new([reader], now: "soon") }
      .to raise_error(TypeError, "now must be a Time or Integer, not String")
    expect { described_class.new([reader], when: 1) }.to raise_error(ArgumentError, "unknown keyword: :when")
    expect { described_class.new }.to raise_error(ArgumentError)
    expect(described_class.new([reader], identity: [[:a, 1]], now: Time.at(0)).policy_names).to eq([reader.name])
  end

  describe "#capabilities" do
    it "merges identical paths, sorts, and answers deny when nothing matches", :gc_stress do
      expect(acl.capabilities("secrets/kv/data/explicit/API")).to eq(%w[create list read update])
      expect(acl.capabilities("secrets/kv/data/explicit/DB")).to eq(%w[create read update])
      expect(acl.capabilities("/secrets/kv/data/explicit/API")).to eq(%w[create list read update])
      expect(acl.capabilities("secrets/kv/data/explicit/PROD_DB")).to eq(["deny"])
      expect(acl.capabilities("secrets/kv/metadata/explicit/")).to eq(["list"])
      expect(acl.capabilities("secrets/kv/metadata/explicit")).to eq(["deny"])
      expect(acl.capabilities("elsewhere")).to eq(["deny"])
      expect(acl.capabilities("")).to eq(["deny"])
    end

    it "returns shared frozen arrays of frozen strings" do
      caps = acl.capabilities("secrets/kv/data/explicit/API")
      expect(caps).to be_frozen
      expect(caps).to all(be_frozen)
      expect(acl.capabilities("secrets/kv/data/explicit/OTHER")).to equal(caps)
    end

    it "treats bytes that are not UTF-8 as U+FFFD, as OpenBao's JSON decoding does" do
      acl = described_class.new([policy(%(path "x/\u{fffd}" { capabilities = ["read"] }))])
      expect(acl.capabilities("x/\xFF".b)).to eq(["read"])
    end

    it "raises TypeError for a non-String path" do
      expect { acl.capabilities(nil) }.to raise_error(TypeError)
      expect { acl.capabilities(:sym) }.to raise_error(TypeError)
    end
  end

  describe "#allowed?" do
    it "takes Symbols or Strings", :gc_stress do
      expect(acl.allowed?(:read, "secrets/kv/data/explicit/API")).to be(true)
      expect(acl.allowed?("update", "secrets/kv/data/explicit/API")).to be(true)
      expect(acl.allowed?(:delete, "secrets/kv/data/explicit/API")).to be(false)
      expect(acl.allowed?(:read, "secrets/kv/data/explicit/PROD_DB")).to be(false)
      expect(acl.allowed?(:deny, "elsewhere")).to be(false)
      expect(acl.allowed?("read".dup.to_sym, "secrets/kv/data/explicit/API")).to be(true)
    end

    it "rejects unknown capabilities, including subscribe" do
      expect { acl.allowed?(:reed, "x") }.to raise_error(PipelineGuard::InvalidInput, /unknown capability "reed"/)
      expect { acl.allowed?(:subscribe, "x") }.to raise_error(PipelineGuard::InvalidInput)
      expect { acl.allowed?(1, "x") }.to raise_error(TypeError)
    end
  end

  describe "#capabilities_many" do
    it "answers a Hash keyed by the given paths" do
      paths = ["secrets/kv/data/explicit/API", "nope", "secrets/kv/data/explicit/PROD_X", "nope"]
      expect(acl.capabilities_many(paths)).to eq(
        "secrets/kv/data/explicit/API" => %w[create list read update],
        "nope" => ["deny"], "secrets/kv/data/explicit/PROD_X" => ["deny"]
      )
      expect(acl.capabilities_many([])).to eq({})
      expect { acl.capabilities_many("x") }.to raise_error(TypeError)
      expect { acl.capabilities_many([1]) }.to raise_error(TypeError)
    end

    it "agrees with #capabilities on large lists (parallel path)" do
      paths = Array.new(5000) do |i|
        ["secrets/kv/data/explicit/S#{i}", "secrets/kv/data/explicit/PROD_#{i}", "x/#{i}"][i % 3]
      end
      many = acl.capabilities_many(paths)
      expect(many.size).to eq(5000)
      expect(paths.all? { |p| many[p] == acl.capabilities(p) }).to be(true)
    end
  end

  describe "#explain" do
    it "names the deciding rule, its kind and policies" do
      e = acl.explain("secrets/kv/data/explicit/API")
      expect(e.to_h).to eq(path: "secrets/kv/data/explicit/API", rule_path: "secrets/kv/data/explicit/*",
                           kind: :prefix, policies: %w[reader writer], capabilities: %w[create list read update])
      expect(e.allowed?(:read)).to be(true)
      # a longer prefix beats a segment rule whose first `+` comes earlier
      expect(acl.explain("secrets/kv/metadata/explicit/PROD_A").rule_path).to eq("secrets/kv/metadata/explicit/*")
      d = acl.explain("secrets/other/metadata/x/PROD_A")
      expect([d.rule_path, d.kind, d.policies, d.capabilities])
        .to eq(["secrets/+/metadata/+/PROD_*", :segment, ["reader"], ["deny"]])
      none = acl.explain("nothing/here")
      expect([none.rule_path, none.kind, none.policies, none.capabilities]).to eq([nil, :none, [], ["deny"]])
    end
  end

  describe "#authorize" do
    it "checks capabilities and parameters like OpenBao's AllowOperation" do
      db = "secrets/kv/data/explicit/DB"
      expect(acl.authorize(:update, db, { "value" => "x" })).to be(true)
      expect(acl.authorize(:update, db, { value: "x", options: {} })).to be(true)
      expect(acl.authorize(:update, db, {})).to be(false)
      expect(acl.authorize(:update, db, { "value" => "x", "other" => 1 })).to be(false)
      expect(acl.authorize(:delete, db)).to be(false)
      expect(acl.authorize("list", "secrets/kv/metadata/explicit/sub/", { "limit" => 5 })).to be(true)
      expect(acl.authorize("list", "secrets/kv/metadata/explicit/sub/", { "limit" => 50 })).to be(false)
      expect(acl.authorize("list", "secrets/kv/metadata/explicit/", { "limit" => 50 })).to be(true)
    end

    it "raises PermissionDenied from authorize! with the reason" do
      db = "secrets/kv/data/explicit/DB"
      expect(acl.authorize!(:create, db, { "value" => "v" })).to be(true)
      expect { acl.authorize!(:update, db, {}) }
        .to raise_error(PipelineGuard::OpenBao::PermissionDenied, /required parameter "value" is missing/)
      expect { acl.authorize!(:delete, db) }
        .to raise_error(PipelineGuard::OpenBao::PermissionDenied, /no rule grants delete/)
      expect { acl.authorize!(:fly, db) }.to raise_error(PipelineGuard::InvalidInput, /unknown operation/)
      expect { acl.authorize!(:read, db, []) }.to raise_error(TypeError)
    end
  end

  describe "construction" do
    it "substitutes identity templates and drops templated rules without a value" do
      p = policy(%(path "users/{{identity.entity.id}}/*" { capabilities = ["read"] }))
      expect(described_class.new([p]).capabilities("users/e1/x")).to eq(["deny"])
      with = described_class.new([p], identity: { "identity.entity.id" => "e1" })
      expect(with.capabilities("users/e1/x")).to eq(["read"])
      expect(with.capabilities("users/e2/x")).to eq(["deny"])
      expect(described_class.new([p], identity: { "identity.entity.id" => "*" }).capabilities("users/*/x"))
        .to eq(["deny"])
    end

    it "honours rule expiration against now:" do
      p = policy(%(path "a" { capabilities = ["read"] expiration = "2999-01-01T00:00:00Z" }))
      expect(described_class.new([p]).capabilities("a")).to eq(["read"])
      expect(described_class.new([p], now: Time.utc(3000, 1, 1)).capabilities("a")).to eq(["deny"])
    end

    it "rejects non-policies with TypeError", :gc_stress do
      expect { described_class.new(["path \"a\" {}"]) }.to raise_error(TypeError)
      expect { described_class.new(nil) }.to raise_error(TypeError)
      expect(described_class.new([]).capabilities("a")).to eq(["deny"])
    end

    it "is frozen, Ractor-shareable and described without secrets" do
      expect(acl).to be_frozen
      expect(Ractor.shareable?(acl)).to be(true)
      expect(acl.dup).to equal(acl)
      expect(acl.inspect).to eq('#<PipelineGuard::OpenBao::ACL policies=["reader", "writer"] rules=6>')
      expect(acl.rule_count).to eq(6)
      expect(acl.policy_names).to eq(%w[reader writer])
    end

    it "builds one ACL from 10,000 policies" do
      policies = Array.new(10_000) do |i|
        policy(%(path "projects/#{i}/*" { capabilities = ["read"] }\n) +
               %(path "projects/+/shared/#{i}" { capabilities = ["list"] }), "p#{i}")
      end
      big = described_class.new(policies)
      expect(big.rule_count).to eq(20_000)
      expect(big.capabilities("projects/9999/x")).to eq(["read"])
      expect(big.capabilities("projects/1/shared/42")).to eq(["read"])
      expect(big.capabilities("projects/x/shared/42")).to eq(["list"])
    end
  end

  describe "concurrency" do
    it "gives the same answers from many threads" do
      paths = Array.new(2000) { |i| i.even? ? "secrets/kv/data/explicit/K#{i}" : "secrets/kv/data/explicit/PROD_#{i}" }
      expected = paths.map { |p| acl.capabilities(p) }
      results = Array.new(8) do |t|
        Thread.new do
          if t.even?
            paths.map { |p| acl.capabilities(p) }
          else
            many = acl.capabilities_many(paths)
            paths.map { |p| many[p] }
          end
        end
      end.map(&:value)
      expect(results).to all(eq(expected))
    end

    it "runs capabilities_many in a forked child after the parent used it" do
      skip "fork not available" unless Process.respond_to?(:fork)
      paths = Array.new(3000) { |i| "secrets/kv/data/explicit/F#{i}" }
      expect(acl.capabilities_many(paths).values.uniq).to eq([%w[create list read update]])
      reader, writer = IO.pipe
      pid = fork do
        reader.close
        res = acl.capabilities_many(paths)
        writer.write(JSON.generate(res.values.uniq))
        writer.close
        exit!(0)
      end
      writer.close
      out = nil
      Timeout.timeout(30) { out = reader.read }
      _, status = Process.wait2(pid)
      expect(status.success?).to be(true)
      expect(JSON.parse(out)).to eq([%w[create list read update]])
    end
  end
end
