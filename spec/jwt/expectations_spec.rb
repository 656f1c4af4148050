# frozen_string_literal: true

require "jwt"
require "set"

# An enabled claim check whose expected value is not a plain String or
# Array of Strings is either compared exactly as the jwt gem compares it
# or refused with ArgumentError; it is never skipped.
RSpec.describe "PipelineGuard::JWT claim expectations of other types" do
  secret = "e" * 48

  def token(claims) = JWT.encode(claims, "e" * 48, "HS256")

  def ours(claims, options)
    PipelineGuard::JWT.decode(token(claims), "e" * 48, true, { algorithms: ["HS256"] }.merge(options)).first
  rescue PipelineGuard::JWT::DecodeError => e
    [e.class.name.split("::").last, e.message]
  end

  def gems(claims, options)
    JWT.decode(token(claims), "e" * 48, true, { algorithms: ["HS256"] }.merge(options)).first
  rescue JWT::DecodeError => e
    [e.class.name.split("::").last, e.message]
  end

  {
    "aud Set, wrong audience" => [{ "aud" => "evil" }, { verify_aud: true, aud: Set["api"] }],
    "aud Set, right audience" => [{ "aud" => "api" }, { verify_aud: true, aud: Set["api"] }],
    "aud Set, audience list" => [{ "aud" => %w[x api] }, { verify_aud: true, aud: Set["api"] }],
    "aud Integer, wrong audience" => [{ "aud" => "evil" }, { verify_aud: true, aud: 123 }],
    "aud Integer, equal number" => [{ "aud" => 123 }, { verify_aud: true, aud: 123 }],
    "aud Integer, numeric string" => [{ "aud" => "123" }, { verify_aud: true, aud: 123 }],
    "aud mixed list, wrong audience" => [{ "aud" => "evil" }, { verify_aud: true, aud: ["api", 7] }],
    "aud mixed list, right audience" => [{ "aud" => "api" }, { verify_aud: true, aud: ["api", 7] }],
    "aud empty list" => [{ "aud" => "api" }, { verify_aud: true, aud: [] }],
    "iss Set, wrong issuer" => [{ "iss" => "attacker" }, { verify_iss: true, iss: Set["gitlab"] }],
    "iss Set, right issuer" => [{ "iss" => "gitlab" }, { verify_iss: true, iss: Set["gitlab"] }],
    "iss Set, missing issuer" => [{}, { verify_iss: true, iss: Set["gitlab"] }],
    "iss Integer, wrong issuer" => [{ "iss" => "attacker" }, { verify_iss: true, iss: 5 }],
    "iss Integer, equal number" => [{ "iss" => 5 }, { verify_iss: true, iss: 5 }],
    "iss Symbol list" => [{ "iss" => "gitlab" }, { verify_iss: true, iss: %i[gitlab other] }],
    "iss Regexp in a Set" => [{ "iss" => "https://x" }, { verify_iss: true, iss: Set[%r{\Ahttps://}] }],
    "sub Integer" => [{ "sub" => "42" }, { verify_sub: true, sub: 42 }],
    "sub Integer, wrong" => [{ "sub" => "43" }, { verify_sub: true, sub: 42 }],
    "required_claims Set, missing" => [{ "a" => 1 }, { required_claims: Set["a", "b"] }],
    "required_claims Set, present" => [{ "a" => 1, "b" => 2 }, { required_claims: Set["a", "b"] }],
    "algorithms Set" => [{ "a" => 1 }, { algorithms: Set["HS256"] }],
    "jti proc under verify_jti" => [{ "jti" => "x" }, { verify_jti: ->(jti) { jti == "y" } }]
  }.each do |name, (claims, options)|
    it "compares as the jwt gem does: #{name}" do
      expect(ours(claims, options)).to eq(gems(claims, options))
    end
  end

  it "refuses the attacker's token whatever the expectation's type" do
    [Set["api"], 123, ["api", 7], Set[:api]].each do |aud|
      expect do
        PipelineGuard::JWT.decode(token("aud" => "evil"), secret, true, algorithms: ["HS256"], verify_aud: true, aud:)
      end
        .to raise_error(PipelineGuard::JWT::InvalidAudError)
    end
    [Set["gitlab"], 7, Set[/\Agitlab\z/], [->(iss) { iss == "gitlab" }]].each do |iss|
      expect do
        PipelineGuard::JWT.decode(token("iss" => "attacker"), secret, true, algorithms: ["HS256"], verify_iss: true,
                                                                            iss:)
      end.to raise_error(PipelineGuard::JWT::InvalidIssuerError)
    end
  end

  it "refuses nil in an expected list, and an enabled check without an expectation" do
    t = token("aud" => "evil", "iss" => "attacker", "sub" => "x")
    [
      { verify_aud: true, aud: ["api", nil] },
      { verify_aud: true, aud: Set["api", nil] },
      { verify_aud: true, aud: nil },
      { verify_aud: true },
      { "verify_aud" => true },
      { verify_iss: true, iss: ["gitlab", nil] },
      { verify_iss: true, iss: nil },
      { verify_iss: true },
      { verify_iss: true, iss: false },
      { verify_sub: true },
      { verify_sub: true, sub: "" }
    ].each do |options|
      expect { PipelineGuard::JWT.decode(t, secret, true, { algorithms: ["HS256"] }.merge(options)) }
        .to raise_error(ArgumentError), options.inspect
    end
  end

  it "never skips a check given with String option keys", :gc_stress do
    t = token("aud" => "evil", "iss" => "attacker")
    expect { PipelineGuard::JWT.decode(t, secret, true, algorithms: ["HS256"], "verify_aud" => true, aud: Set["api"]) }
      .to raise_error(PipelineGuard::JWT::InvalidAudError)
    expect do
      PipelineGuard::JWT.decode(t, secret, true, algorithms: ["HS256"], "verify_iss" => true, iss: Set["gitlab"])
    end
      .to raise_error(PipelineGuard::JWT::InvalidIssuerError)
    expect { PipelineGuard::JWT.decode(t, secret, true, algorithms: ["HS256"], "verify_aud" => true, aud: 123) }
      .to raise_error(ArgumentError)
    # The gem checks that jti is present when verify_jti comes as a String key.
    expect { PipelineGuard::JWT.decode(t, secret, true, algorithms: ["HS256"], "verify_jti" => ->(_jti) { true }) }
      .to raise_error(PipelineGuard::JWT::InvalidJtiError, "Missing jti")
  end

  it "refuses required_claims, leeways and allowlists it cannot read" do
    t = token("a" => 1)
    [
      [{ required_claims: { "a" => 1 } }, TypeError],
      [{ required_claims: ["a", nil] }, TypeError],
      [{ required_claims: 5 }, TypeError],
      [{ leeway: "30" }, TypeError],
      [{ exp_leeway: Object.new }, TypeError],
      [{ nbf_leeway: Float::NAN }, FloatDomainError]
    ].each do |options, error|
      expect { PipelineGuard::JWT.decode(t, secret, true, { algorithms: ["HS256"] }.merge(options)) }
        .to raise_error(error), options.inspect
    end
    expect { PipelineGuard::JWT.decode(t, secret, true, algorithms: ["HS256", 5]) }
      .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
  end

  describe "Verifier" do
    def verifier(**options)
      PipelineGuard::JWT::Verifier.new(keys: "e" * 48, algorithms: ["HS256"], **options)
    end

    it "checks issuer and audience given as Sets and Symbols" do
      v = verifier(issuer: Set["gitlab"], audience: Set[:api])
      expect(v.verify(token("iss" => "gitlab", "aud" => "api"))).to include("iss" => "gitlab")
      expect { v.verify(token("iss" => "attacker", "aud" => "api")) }
        .to raise_error(PipelineGuard::JWT::InvalidIssuerError)
      expect { v.verify(token("iss" => "gitlab", "aud" => "evil")) }
        .to raise_error(PipelineGuard::JWT::InvalidAudError)
    end

    it "refuses expectations it cannot compare" do
      [
        { issuer: 123 }, { issuer: ["gitlab", nil] }, { audience: ["api", 7] }, { audience: [] },
        { audience: { "api" => true } }, { subject: "" }, { issuer: "" }, { required_claims: [nil] }
      ].each do |options|
        expect { verifier(**options) }.to raise_error(ArgumentError), options.inspect
      end
    end
  end

  describe "OpenBao::JwtAuth" do
    it "refuses a bound_issuer that is not a String" do
      [%w[a b], Set["a"], 5, Object.new].each do |bound_issuer|
        expect { PipelineGuard::OpenBao::JwtAuth.new(bound_issuer:, jwks: { "keys" => [] }) }
          .to raise_error(TypeError), bound_issuer.inspect
      end
    end

    it "refuses bound_audiences and bound_subject it cannot read, and takes a Set as a list" do
      auth = PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: "gitlab", jwks: { "keys" => [] })
      [
        [{ bound_audiences: ["api", nil] }, ArgumentError], [{ bound_audiences: Set["api", nil] }, ArgumentError],
        [{ bound_audiences: [Object.new] }, TypeError], [{ bound_subject: Object.new }, TypeError],
        [{ bound_claims: { "project_id" => Object.new } }, TypeError]
      ].each do |fields, error|
        expect { auth.write_role("r", role_type: "jwt", user_claim: "sub", **fields) }
          .to raise_error(error), fields.inspect
      end
      role = auth.write_role("r", role_type: "jwt", user_claim: "sub", bound_audiences: Set["api", :bao])
      expect(role.bound_audiences).to eq(%w[api bao])
    end
  end
end
