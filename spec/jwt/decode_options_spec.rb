# frozen_string_literal: true

require "jwt"

# JWT.decode options behave as in the jwt gem 2.x; where both libraries
# are expected to agree, the gem is run side by side.
RSpec.describe "PipelineGuard::JWT.decode options" do
  secret = "o" * 48
  now = Time.now.to_i

  def both(token, key, options)
    ours = begin
      PipelineGuard::JWT.decode(token, key, true, options)
    rescue PipelineGuard::JWT::DecodeError => e
      [e.class.name.split("::").last, e.message]
    end
    gems = begin
      JWT.decode(token, key, true, options)
    rescue JWT::DecodeError => e
      [e.class.name.split("::").last, e.message]
    end
    [ours, gems]
  end

  def token(claims) = JWT.encode(claims, "o" * 48, "HS256")

  {
    "expired" => [{ "exp" => now - 10 }, {}],
    "expired within leeway" => [{ "exp" => now - 10 }, { leeway: 30 }],
    "expired within exp_leeway" => [{ "exp" => now - 10 }, { exp_leeway: 30, leeway: 0 }],
    "expiry not checked" => [{ "exp" => now - 10 }, { verify_expiration: false }],
    "immature" => [{ "nbf" => now + 60 }, {}],
    "immature within nbf_leeway" => [{ "nbf" => now + 60 }, { nbf_leeway: 120 }],
    "nbf not checked" => [{ "nbf" => now + 60 }, { verify_not_before: false }],
    "issuer ok" => [{ "iss" => "gitlab" }, { iss: "gitlab", verify_iss: true }],
    "issuer list" => [{ "iss" => "b" }, { iss: %w[a b], verify_iss: true }],
    "issuer wrong" => [{ "iss" => "evil" }, { iss: "gitlab", verify_iss: true }],
    "issuer missing" => [{}, { iss: %w[a b], verify_iss: true }],
    "issuer not verified" => [{ "iss" => "evil" }, { iss: "gitlab" }],
    "audience string" => [{ "aud" => "bao" }, { aud: "bao", verify_aud: true }],
    "audience in list" => [{ "aud" => %w[x bao] }, { aud: "bao", verify_aud: true }],
    "audience wrong" => [{ "aud" => %w[x y] }, { aud: "bao", verify_aud: true }],
    "audience list wrong" => [{ "aud" => "z" }, { aud: %w[a b], verify_aud: true }],
    "audience missing" => [{}, { aud: "bao", verify_aud: true }],
    "subject ok" => [{ "sub" => "job_1" }, { sub: "job_1", verify_sub: true }],
    "subject wrong" => [{ "sub" => "job_2" }, { sub: "job_1", verify_sub: true }],
    "iat in future" => [{ "iat" => now + 100 }, { verify_iat: true }],
    "iat fine" => [{ "iat" => now - 1 }, { verify_iat: true }],
    "jti missing" => [{}, { verify_jti: true }],
    "jti blank" => [{ "jti" => " " }, { verify_jti: true }],
    "jti present" => [{ "jti" => "abc" }, { verify_jti: true }],
    "jti proc ok" => [{ "jti" => "abc" }, { verify_jti: ->(jti) { jti == "abc" } }],
    "jti proc refuses" => [{ "jti" => "abc" }, { verify_jti: ->(jti, _payload) { jti == "x" } }],
    "required claims present" => [{ "project_id" => nil }, { required_claims: ["project_id"] }],
    "required claims missing" => [{ "a" => 1 }, { required_claims: %w[a project_id] }],
    "issuer regexp" => [{ "iss" => "https://gitlab.example" }, { iss: %r{\Ahttps://}, verify_iss: true }],
    "issuer proc refuses" => [{ "iss" => "x" }, { iss: ->(iss) { iss == "y" }, verify_iss: true }],
    "string algorithm key" => [{}, { "algorithm" => "HS256" }]
  }.each do |name, (claims, options)|
    it "matches the jwt gem: #{name}" do
      opts = { algorithms: ["HS256"] }.merge(options)
      ours, gems = both(token(claims), secret, opts)
      expect(ours).to eq(gems)
    end
  end

  it "returns the gem's [payload, header] without verification when verify is false" do
    t = JWT.encode({ "exp" => now - 100 }, "other-secret-other-secret-other-secret", "HS256", { kid: "x" })
    expect(PipelineGuard::JWT.decode(t, nil, false)).to eq(JWT.decode(t, nil, false))
  end

  it "uses a key finder block with the header, or header and payload" do
    t = JWT.encode({ "iss" => "a" }, secret, "HS256", { kid: "k7" })
    seen = []
    result = PipelineGuard::JWT.decode(t, nil, true, algorithms: ["HS256"]) do |header|
      seen << header["kid"]
      secret
    end
    expect(result.first).to eq("iss" => "a")
    expect(seen).to eq(["k7"])
    two = PipelineGuard::JWT.decode(t, nil, true, algorithms: ["HS256"]) do |_h, payload|
      payload["iss"] == "a" && secret
    end
    expect(two.first).to eq("iss" => "a")
    expect { PipelineGuard::JWT.decode(t, nil, true, algorithms: ["HS256"]) { |_h| nil } }
      .to raise_error(PipelineGuard::JWT::DecodeError, "No verification key available")
  end

  describe "jwks" do
    rsa = OpenSSL::PKey::RSA.new(2048)
    jwk = PipelineGuard::JWT::VerifyingKey.from(rsa).public_jwk.merge("kid" => "new")

    it "finds keys by kid and re-calls a loader once when the kid is unknown" do
      calls = []
      loader = lambda do |opts|
        calls << opts
        opts[:kid_not_found] ? { keys: [jwk] } : { keys: [] }
      end
      t = JWT.encode({ "a" => 1 }, rsa, "RS256", { kid: "new" })
      expect(PipelineGuard::JWT.decode(t, nil, true, algorithms: ["RS256"], jwks: loader).first).to eq("a" => 1)
      expect(calls).to eq([{ kid: "new" }, { invalidate: true, kid_not_found: true, kid: "new" }])
    end

    it "raises the gem's errors for a missing kid, an empty set and an unknown kid" do
      with_kid = JWT.encode({ "a" => 1 }, rsa, "RS256", { kid: "other" })
      without = JWT.encode({ "a" => 1 }, rsa, "RS256")
      opts = { algorithms: ["RS256"], jwks: { "keys" => [jwk] } }
      expect { PipelineGuard::JWT.decode(without, nil, true, opts) }
        .to raise_error(PipelineGuard::JWT::DecodeError, "No key id (kid) found from token headers")
      expect(PipelineGuard::JWT.decode(without, nil, true, opts.merge(allow_nil_kid: true)).first).to eq("a" => 1)
      expect { PipelineGuard::JWT.decode(with_kid, nil, true, opts) }
        .to raise_error(PipelineGuard::JWT::DecodeError, "Could not find public key for kid other")
      expect { PipelineGuard::JWT.decode(with_kid, nil, true, opts.merge(jwks: { "keys" => [] })) }
        .to raise_error(PipelineGuard::JWT::DecodeError, "No keys found in jwks")
      expect { PipelineGuard::JWT.decode(with_kid, nil, true, opts.merge(jwks: { "keys" => [{ "kty" => "XX" }] })) }
        .to raise_error(PipelineGuard::JWT::DecodeError)
    end
  end

  it "honours a frozen Time.now (test clocks)" do
    t = token("exp" => now + 60)
    allow(Time).to receive(:now).and_return(Time.at(now + 120))
    expect { PipelineGuard::JWT.decode(t, secret, true, algorithms: ["HS256"]) }
      .to raise_error(PipelineGuard::JWT::ExpiredSignature)
  end

  it "treats algorithm names in the allowlist case-insensitively, as the gem does" do
    expect(PipelineGuard::JWT.decode(token("a" => 1), secret, true, algorithms: [:hs256]).first).to eq("a" => 1)
  end

  it "caches parsed keys per key object and per secret" do
    rsa = OpenSSL::PKey::RSA.new(2048)
    expect(PipelineGuard::JWT::Keys.verifying(rsa)).to equal(PipelineGuard::JWT::Keys.verifying(rsa))
    expect(PipelineGuard::JWT::Keys.verifying(+secret)).to equal(PipelineGuard::JWT::Keys.verifying(secret.dup))
    mutable = +("m" * 32)
    first = PipelineGuard::JWT::Keys.verifying(mutable)
    mutable.replace("n" * 32)
    expect(PipelineGuard::JWT::Keys.verifying(mutable)).not_to equal(first)
  end
end
