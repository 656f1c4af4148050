# frozen_string_literal: true

# Hashes cross into the extension as Ruby objects, converted once natively:
# no JSON text is generated in Ruby to be parsed again in Rust (or back).
RSpec.describe "Ruby values across the native boundary" do
  def without_json_text(&block)
    allow(JSON).to receive(:generate).and_call_original
    allow(JSON).to receive(:parse).and_call_original
    result = block.call
    expect(JSON).not_to have_received(:generate)
    expect(JSON).not_to have_received(:parse)
    result
  end

  let(:key) { OpenSSL::PKey::EC.generate("prime256v1") }
  let(:issuer) { "https://gitlab.example.com" }

  it "configures OpenBao JWT auth, writes roles and authenticates claims from Hashes", :gc_stress do
    role = without_json_text do
      auth = PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: issuer, jwt_validation_pubkeys: [key])
      auth.write_role("r", role_type: "jwt", user_claim: "user_login", bound_audiences: ["openbao"],
                           bound_claims: { "project_id" => %w[42 43] }, token_ttl: "15m")
    end
    expect(without_json_text { role.bound_claims }).to eq("project_id" => %w[42 43])
    claims = { "iss" => issuer, "aud" => "openbao", "user_login" => "alice", "project_id" => "42",
               "exp" => Time.now.to_i + 60 }
    expect(without_json_text { role.authenticate(claims) }.alias_name).to eq("alice")
    expect(role.authenticate(JSON.generate(claims)).alias_name).to eq("alice")
    expect { role.authenticate({ "project_id" => Float::NAN }) }
      .to raise_error(PipelineGuard::InvalidInput, /\Aclaims is NaN not allowed in JSON/)
  end

  it "reads and writes transit exports as Hashes", :gc_stress do
    keyring = PipelineGuard::Keyring.generate
    export = without_json_text { keyring.export_transit(name: "k") }
    expect(export).to include("name" => "k", "type" => "aes256-gcm96")
    copy = without_json_text { PipelineGuard::Keyring.from_transit_export(export) }
    expect(copy.decrypt(keyring.encrypt("x"))).to eq("x")
    expect(PipelineGuard::Keyring.from_transit_export(JSON.generate(export)).latest_version).to eq(1)
    expect { PipelineGuard::Keyring.from_transit_export("{") }
      .to raise_error(PipelineGuard::InvalidKeyError, /\Ainvalid transit export: not valid JSON/)
  end

  it "builds RBAC models from Hashes and returns the default table as one", :gc_stress do
    defaults = without_json_text { PipelineGuard::RBAC::Model.default_roles }
    expect(defaults).to include("levels", "member_roles")
    model = without_json_text do
      PipelineGuard::RBAC::Model.new(roles: { reporter: [:read_secret] },
                                     member_roles: [{ id: 7, base_access_level: 20, abilities: [:read_secret] }])
    end
    expect(model.can?(1, :read_secret, "g")).to be(false)
  end
end
