# frozen_string_literal: true

# The extension declares itself Ractor-safe, so the frozen, shareable objects
# (Policy, ACL, Secret) work inside other Ractors, and native functions can
# be called there.
RSpec.describe "Ractors" do
  around do |example|
    experimental = Warning[:experimental]
    Warning[:experimental] = false
    example.run
  ensure
    Warning[:experimental] = experimental
  end

  let(:policy) { PipelineGuard::OpenBao::Policy.parse(%(path "secret/*" { capabilities = ["read", "list"] })) }

  it "checks a shared frozen ACL in other Ractors" do
    acl = PipelineGuard::OpenBao::ACL.new([policy])
    expect(Ractor.shareable?(acl)).to be(true)
    ractors = Array.new(2) do
      Ractor.new(acl) do |shared|
        Array.new(200) { [shared.allowed?(:read, "secret/x"), shared.allowed?(:update, "secret/x")] }.uniq
      end
    end
    expect(ractors.map(&:take)).to all(eq([[true, false]]))
  end

  it "reads a shared Policy and Secret and runs native functions in another Ractor" do
    secret = PipelineGuard::SecretsManager::Secret.new(name: "DB", environment: "production")
    result = Ractor.new(policy, secret) do |p, s|
      [p.rule_count, s.name, s.environment, PipelineGuard::Crypto.secure_compare("a", "a"),
       PipelineGuard::Crypto.hmac_sha256("k", "m").bytesize]
    end.take
    expect(result).to eq([1, "DB", "production", true, 32])
  end

  it "raises the gem's exceptions inside another Ractor" do
    message = Ractor.new do
      PipelineGuard::OpenBao::Policy.parse("")
    rescue PipelineGuard::OpenBao::PolicyError => e
      e.message
    end.take
    expect(message).to eq("'policy' parameter not supplied or empty")
  end
end
