# frozen_string_literal: true

RSpec.describe "OpenBao ACL recorded cases" do
  let(:doc) { load_vectors("openbao/acl_cases.json") }

  it "answers every recorded sys/capabilities check exactly like OpenBao 2.7.2" do
    total = 0
    failures = []
    doc.fetch("cases").each do |c|
      policies = c.fetch("policies").map { |p| PipelineGuard::OpenBao::Policy.parse(p["text"], name: p["name"]) }
      acl = PipelineGuard::OpenBao::ACL.new(policies)
      batch = acl.capabilities_many(c.fetch("checks").map { |ch| ch["path"] })
      c.fetch("checks").each do |check|
        total += 1
        got = acl.capabilities(check["path"])
        failures << "case #{c['id']} #{check['path'].inspect}: #{got} != #{check['capabilities']}" if
          got != check["capabilities"] || batch[check["path"]] != check["capabilities"]
      end
    end
    expect(failures).to be_empty, failures.first(20).join("\n")
    expect(total).to be > 1000
  end

  it "refuses every recorded invalid policy with OpenBao's exact error text" do
    invalid = doc.fetch("invalid_policies")
    expect(invalid).not_to be_empty
    invalid.each do |c|
      expect { PipelineGuard::OpenBao::Policy.parse(c["text"], name: "invalid") }
        .to raise_error(PipelineGuard::OpenBao::PolicyError) { |e| expect(e.message).to eq(c["error"]) }
    end
  end
end
