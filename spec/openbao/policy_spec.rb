# frozen_string_literal: true

RSpec.describe PipelineGuard::OpenBao::Policy do
  let(:hcl) do
    <<~HCL
      # CI reader
      path "secrets/kv/data/explicit/*" {
        capabilities = ["read", "list"]
      }
      path "/secrets/kv/+/explicit/DB" {
        capabilities = ["update"]
        allowed_parameters = { "value" = ["a*", 1, true] }
        required_parameters = ["value"]
      }
      path "secrets/kv/metadata/{{identity.entity.id}}" { capabilities = ["deny"] }
    HCL
  end

  describe ".parse" do
    it "parses HCL into introspectable rules", :gc_stress do
      policy = described_class.parse(hcl, name: "ci")
      expect(policy.name).to eq("ci")
      expect(policy).to be_templated
      expect(policy.rule_count).to eq(3)
      expect(policy.paths).to eq(["secrets/kv/data/explicit/*", "/secrets/kv/+/explicit/DB",
                                  "secrets/kv/metadata/{{identity.entity.id}}"])
      first, second, third = policy.rules
      expect(first).to include(path: "secrets/kv/data/explicit/*", kind: :prefix, capabilities: %w[list read],
                               allowed_parameters: nil, expiration: nil, templated: false)
      expect(second).to include(kind: :segment, capabilities: ["update"],
                                allowed_parameters: { "value" => ["a*", 1, true] },
                                required_parameters: ["value"])
      expect(third).to include(kind: :exact, capabilities: ["deny"], templated: true)
    end

    it "parses the same policy written as JSON" do
      json = JSON.generate("path" => { "secrets/kv/data/explicit/*" => { "capabilities" => %w[read list] } })
      policy = described_class.parse(json, name: "j")
      expect(policy.rules.first).to include(path: "secrets/kv/data/explicit/*", capabilities: %w[list read])
      expect(policy).not_to be_templated
    end

    it "keeps empty capability lists empty and reports legacy policy words" do
      policy = described_class.parse(%(path "a" { capabilities = [] }\npath "b" { policy = "write" }))
      expect(policy.rules.map { |r| r[:capabilities] }).to eq([[], %w[create delete list read update]])
    end

    it "drops rules whose expiration lies before now, and reports future ones as Time" do
      text = %(path "old" { capabilities = ["read"] expiration = "2020-01-01T00:00:00Z" }\n) +
             %(path "new" { capabilities = ["read"] expiration = "2999-01-01T00:00:00Z" })
      expect(described_class.parse(text).paths).to eq(["new"])
      expect(described_class.parse(text).rules.first[:expiration]).to eq(Time.utc(2999, 1, 1))
      expect(described_class.parse(text, now: Time.utc(2019, 1, 1)).paths).to eq(%w[old new])
      expect(described_class.parse(text, now: Time.utc(2019, 1, 1).to_i).paths).to eq(%w[old new])
    end

    it "is frozen, shareable and an immutable value" do
      policy = described_class.parse(hcl, name: "ci")
      expect(policy).to be_frozen
      expect(Ractor.shareable?(policy)).to be(true)
      expect(policy.dup).to equal(policy)
      expect(policy).to eq(described_class.parse(hcl, name: "ci"))
      expect(policy).not_to eq(described_class.parse(hcl, name: "other"))
      expect { Marshal.dump(policy) }.to raise_error(TypeError)
      expect(policy.inspect).to eq('#<PipelineGuard::OpenBao::Policy name="ci" rules=3 templated>')
    end
  end

  describe "bad input" do
    it "raises TypeError for nil, Integer and non-String names", :gc_stress do
      expect { described_class.parse(nil) }.to raise_error(TypeError)
      expect { described_class.parse(42) }.to raise_error(TypeError)
      expect { described_class.parse(%(path "a" {}), name: :sym) }.to raise_error(TypeError)
      expect { described_class.parse(%(path "a" {}), now: "today") }.to raise_error(TypeError)
    end

    it "raises PolicyError for invalid UTF-8", :gc_stress do
      expect { described_class.parse(%(path "a\xFF" { capabilities = ["read"] }).b) }
        .to raise_error(PipelineGuard::OpenBao::PolicyError, /not valid UTF-8/)
    end

    it "refuses the subscribe capability with OpenBao's text" do
      expect { described_class.parse(%(path "x" { capabilities = ["read", "subscribe"] })) }
        .to raise_error(PipelineGuard::OpenBao::PolicyError,
                        'failed to parse policy: path "x": path "x": invalid capability "subscribe"')
    end

    it "refuses an empty text and a control_group without factors with OpenBao's text" do
      expect { described_class.parse("") }
        .to raise_error(PipelineGuard::OpenBao::PolicyError, "'policy' parameter not supplied or empty")
      expect(described_class.parse("  \n").rule_count).to eq(0)
      [%(path "x" { capabilities = ["read"]\n control_group = { ttl = "1h" } }),
       %({"path": {"x": {"capabilities": ["read"], "control_group": {}}}})].each do |text|
        expect { described_class.parse(text) }
          .to raise_error(PipelineGuard::OpenBao::PolicyError,
                          %(failed to parse policy: path "x": error handling control_group: 1 error occurred:\n\t* ) +
                          "requires at least one factor but had none\n\n")
      end
    end

    it "refuses a 5 MB document quickly" do
      line = %(path "a" { capabilities = ["read"] }\n)
      big = line * ((5 * 1024 * 1024 / line.bytesize) + 1)
      expect(big.bytesize).to be > 5 * 1024 * 1024
      expect { described_class.parse(big) }
        .to raise_error(PipelineGuard::OpenBao::PolicyError, /larger than 4194304 bytes/)
    end

    it "refuses 10,000-deep nesting in HCL and JSON without hanging or crashing" do
      hcl = %(path "a" { x = #{'{ y = ' * 10_000}1#{' }' * 10_000} })
      expect { described_class.parse(hcl) }.to raise_error(PipelineGuard::OpenBao::PolicyError, /nesting deeper/)
      json = %({"path": {"a": #{'{"x": ' * 10_000}1#{'}' * 10_000}}})
      expect { described_class.parse(json) }.to raise_error(PipelineGuard::OpenBao::PolicyError, /nesting deeper/)
      lists = "#{'[' * 10_000}#{']' * 10_000}"
      expect { described_class.parse(%(path "a" { capabilities = #{lists} })) }
        .to raise_error(PipelineGuard::OpenBao::PolicyError)
    end

    it "reports syntax errors with OpenBao's position text" do
      expect { described_class.parse(%(path "secret/foo" {\n  capabilities = ["read"]\n\n)) }
        .to raise_error(PipelineGuard::OpenBao::PolicyError,
                        "failed to parse policy: At 4:2: object expected closing RBRACE got: EOF")
    end
  end
end
