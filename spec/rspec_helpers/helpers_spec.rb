# frozen_string_literal: true

require "pipeline_guard/rspec"

RSpec.describe PipelineGuard::RSpec::Helpers, :pipeline_guard do
  # Anything with can?(user, ability, path): a stand-in for an RBAC model.
  let(:model) do
    Class.new do
      def can?(user, ability, path) = user == 1 && ability == :read_secret && path.start_with?("g/")
      def abilities(user, _path) = user == 1 ? [:read_secret] : []
    end.new
  end

  it "matches permit(...).on(path).for(user)" do
    expect(model).to permit(:read_secret).on("g/p").for(1)
    expect(model).not_to permit(:read_secret).on("other/p").for(1)
    expect(model).not_to permit(:delete_secret).on("g/p").for(1)
  end

  it "explains a failure with the subject's abilities" do
    expect { expect(model).to permit(:delete_secret).on("g/p").for(1) }
      .to raise_error(RSpec::Expectations::ExpectationNotMetError,
                      %r{to permit :delete_secret on "g/p" for 1, but it was denied \(abilities: \[:read_secret\]\)})
  end

  it "works with ACL-style subjects (allowed?) and actors (can?(ability, path))" do
    acl = Struct.new(:caps) { def allowed?(cap, path) = caps.fetch(path, []).include?(cap.to_s) }
                .new({ "secrets/kv/data/explicit/DB" => ["read"] })
    expect(acl).to permit(:read).on("secrets/kv/data/explicit/DB")
    expect(acl).not_to permit(:update).on("secrets/kv/data/explicit/DB")
    actor = Struct.new(:ok) { def can?(ability, _path) = ability == ok }.new(:read)
    expect(actor).to permit(:read).on("x")
  end

  it "requires .on(path)" do
    expect { expect(model).to permit(:read_secret) }.to raise_error(ArgumentError, /needs .on\(path\)/)
  end

  it "gives a fixed keyring: the same key every time, rotatable copies", :gc_stress do
    ct = pipeline_guard_keyring.encrypt("fixture")
    expect(PipelineGuard::RSpec::Fixtures.keyring.decrypt(ct)).to eq("fixture")
    kr = pipeline_guard_keyring
    kr.rotate!
    expect(pipeline_guard_keyring.latest_version).to eq(1)
  end

  it "mints CI ID tokens that verify against the test JWKS" do
    skip "the JWT binding is not built into this extension" unless defined?(PipelineGuard::JWT::Signer)
    token = pipeline_guard_id_token(ref: "release/1.0", environment: "production", user_login: nil)
    verifier = PipelineGuard::JWT::Verifier.new(jwks: pipeline_guard_jwks, algorithms: ["RS256"],
                                                issuer: PipelineGuard::RSpec::Fixtures::ISSUER,
                                                audience: PipelineGuard::RSpec::Fixtures::AUDIENCE)
    claims = verifier.verify(token)
    expect(claims).to include("ref" => "release/1.0", "environment" => "production",
                              "secrets_manager_scope" => "pipeline", "project_id" => "1")
    expect(claims).not_to have_key("user_login")
    expect(token.split(".").size).to eq(3)
  end

  it "mints expired tokens on request" do
    skip "the JWT binding is not built into this extension" unless defined?(PipelineGuard::JWT::Signer)
    token = pipeline_guard_id_token({}, now: Time.now.to_i - 3600, ttl: 60)
    verifier = PipelineGuard::JWT::Verifier.new(jwks: pipeline_guard_jwks, algorithms: ["RS256"],
                                                issuer: PipelineGuard::RSpec::Fixtures::ISSUER,
                                                audience: PipelineGuard::RSpec::Fixtures::AUDIENCE)
    expect { verifier.verify(token) }.to raise_error(PipelineGuard::JWT::ExpiredSignature)
  end
end
