# frozen_string_literal: true

require "jwt"

RSpec.describe PipelineGuard::JWT::Signer do
  rsa = OpenSSL::PKey::RSA.new(2048)
  subject(:signer) { PipelineGuard::JWT::Signer.new(rsa) }

  let(:claims) { { "sub" => "s", "exp" => Time.now.to_i + 60 } }

  it "takes its keywords natively (no Ruby wrapper passing them by position)" do
    expect(described_class.method(:new).source_location).to be_nil
    expect(described_class).not_to respond_to(:_new)
    signer = described_class.new("k" * 48, algorithm: :HS384, kid: 7)
    expect(signer).to have_attributes(algorithm: "HS384", kid: "7")
    expect { described_class.new("k" * 32, alg: "HS256") }.to raise_error(ArgumentError, "unknown keyword: :alg")
    expect { described_class.new }.to raise_error(ArgumentError)
    expect { described_class.new(42) }.to raise_error(PipelineGuard::JWT::EncodeError, "Unsupported key type Integer")
  end

  it "loads SigningKeys and VerifyingKeys with the same constructors (HMAC, PEM, DER, JWK text or Hash)" do
    jwt = PipelineGuard::JWT
    [jwt::SigningKey, jwt::VerifyingKey].each do |klass|
      expect(%i[hmac from_pem from_der from_jwk].map { |m| klass.method(m).owner }.uniq).to eq([jwt::KeyLoaders])
      expect(klass.hmac("k" * 32)).to be_a(klass)
      expect(klass.hmac("short", enforce_length: false)).to be_a(klass)
      expect(klass.from_jwk(JSON.generate("kty" => "oct", "k" => jwt::Base64.url_encode("k" * 32)))).to be_a(klass)
    end
    ec = OpenSSL::PKey::EC.generate("prime256v1")
    expect(jwt::SigningKey.from_der(ec.private_to_der)).to be_a(jwt::SigningKey)
    expect(jwt::VerifyingKey.from_pem(ec.public_to_pem)).to be_a(jwt::VerifyingKey)
  end

  it "signs RS256 by default with an RFC 7638 kid and publishes the public JWK", :gc_stress do
    token = signer.sign(claims, "x-extra" => 1)
    payload, header = JWT.decode(token, rsa.public_key, true, algorithms: ["RS256"])
    expect(payload).to eq(claims)
    expect(header).to eq("alg" => "RS256", "kid" => signer.kid, "typ" => "JWT", "x-extra" => 1)
    jwk = signer.public_jwk
    expect(jwk.keys).to eq(%w[kty e n kid alg use])
    expect(jwk).to include("kty" => "RSA", "alg" => "RS256", "use" => "sig", "kid" => signer.kid)
    thumb_input = JSON.generate("e" => jwk["e"], "kty" => "RSA", "n" => jwk["n"])
    expect(signer.kid).to eq(Base64.urlsafe_encode64(OpenSSL::Digest::SHA256.digest(thumb_input), padding: false))
    expect(signer.jwks).to eq("keys" => [jwk])
    expect(jwk.to_s).not_to include("\"d\"")
  end

  it "keeps alg and kid fixed but lets typ change" do
    header = JWT.decode(signer.sign(claims, alg: "HS256", kid: "x", typ: "at+jwt"), rsa, true,
                        algorithms: ["RS256"]).last
    expect(header).to include("alg" => "RS256", "kid" => signer.kid, "typ" => "at+jwt")
  end

  it "takes an explicit kid and algorithm, and refuses keys that do not fit" do
    ps = described_class.new(rsa.to_pem, algorithm: "PS256", kid: "2024-01")
    expect([ps.kid, ps.algorithm]).to eq(%w[2024-01 PS256])
    expect { described_class.new(rsa, algorithm: "ES256") }.to raise_error(PipelineGuard::JWT::EncodeError)
    expect { described_class.new(rsa.public_key) }.to raise_error(PipelineGuard::JWT::EncodeError)
    expect { described_class.new(rsa, algorithm: "none") }.to raise_error(PipelineGuard::JWT::EncodeError)
    expect { described_class.new("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----") }
      .to raise_error(PipelineGuard::JWT::JWKError)
    expect { signer.sign("not a hash") }.to raise_error(PipelineGuard::JWT::EncodeError)
    expect { signer.sign({ "exp" => "later" }) }.to raise_error(PipelineGuard::JWT::InvalidPayload)
  end

  it "reads a private JWK and signs HMAC without publishing the secret" do
    ec = OpenSSL::PKey::EC.generate("prime256v1")
    bn = ->(v) { Base64.urlsafe_encode64(v.to_s(2).rjust(32, "\x00"), padding: false) }
    point = ec.public_key.to_octet_string(:uncompressed)
    jwk = { kty: "EC", crv: "P-256", d: bn.call(ec.private_key),
            x: Base64.urlsafe_encode64(point[1, 32], padding: false),
            y: Base64.urlsafe_encode64(point[33, 32], padding: false) }
    from_jwk = described_class.new(jwk)
    expect(JWT.decode(from_jwk.sign(claims), ec, true, algorithms: ["ES256"]).first).to eq(claims)
    hmac = described_class.new("h" * 32, kid: "shared")
    expect(hmac.public_jwk).to be_nil
    expect(hmac.jwks).to eq("keys" => [])
    expect(JWT.decode(hmac.sign(claims), "h" * 32, true, algorithms: ["HS256"]).first).to eq(claims)
  end

  it "cannot be marshalled or copied, and inspect shows no key" do
    expect { Marshal.dump(signer) }.to raise_error(TypeError, /cannot be marshalled/)
    expect { signer.dup }.to raise_error(TypeError)
    expect(signer.inspect).to eq("#<PipelineGuard::JWT::Signer algorithm=RS256 kid=#{signer.kid.inspect}>")
  end

  describe PipelineGuard::JWT::SignerSet do
    it "signs with the newest key, publishes all live ones, and retires" do
      old = PipelineGuard::JWT::Signer.new(OpenSSL::PKey::EC.generate("prime256v1"))
      set = described_class.new([old])
      old_token = set.sign(claims)
      new_kid = set.rotate(rsa)
      expect(set.kids).to eq([old.kid, new_kid])
      expect(set.current.kid).to eq(new_kid)
      new_token = set.sign(claims)
      expect(JWT.decode(new_token, nil, false).last["kid"]).to eq(new_kid)
      expect(set.jwks["keys"].map { |k| k["kid"] }).to eq([new_kid, old.kid])

      verifier = set.verifier
      expect(verifier.verify_many([old_token, new_token])).to eq([claims, claims])
      expect { set.rotate(old) }.to raise_error(PipelineGuard::JWT::EncodeError, /already in the set/)
      expect(set.retire(old.kid)).to be(true)
      expect(set.retire(old.kid)).to be(false)
      expect { set.verifier.verify(old_token) }.to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
      expect { set.verifier(algorithms: %w[RS256 ES256]).verify(old_token) }
        .to raise_error(PipelineGuard::JWT::DecodeError, "Could not find public key for kid #{old.kid}")
      set.retire(new_kid)
      expect { set.sign(claims) }.to raise_error(PipelineGuard::JWT::EncodeError, "No signing key")
    end
  end

  describe PipelineGuard::JWT::IdToken do
    let(:job) do
      { issuer: "https://gitlab.example.com", audience: "https://bao.example.com", issued_at: 1_700_000_000,
        namespace_id: 72, namespace_path: "acme", project_id: 20, project_path: "acme/app",
        user_id: 1, user_login: "root", user_email: "root@example.com", user_access_level: "owner",
        pipeline_id: 574, pipeline_source: "push", job_id: 302, ref: "main", ref_type: "branch",
        ref_protected: true, environment: { name: "production", protected: true, deployment_tier: "production" },
        runner_id: 1, runner_environment: "self-hosted", sha: "714a629c", project_visibility: "private",
        secrets_manager_scope: "pipeline", project_group_ids: [72] }
    end

    it "builds GitLab's CI ID-token claims" do
      c = described_class.claims(job, jti: "j-1")
      expect(c).to include("sub" => "project_path:acme/app:ref_type:branch:ref:main", "project_id" => "20",
                           "ref_path" => "refs/heads/main", "ref_protected" => "true", "runner_id" => 1,
                           "iat" => 1_700_000_000, "nbf" => 1_699_999_995, "exp" => 1_700_000_300,
                           "aud" => "https://bao.example.com", "jti" => "j-1", "environment_action" => "start",
                           "secrets_manager_scope" => "pipeline")
      expect(described_class.claims(job)["jti"]).to match(/\A\h{8}-\h{4}-4\h{3}-[89ab]\h{3}-\h{12}\z/)
    end

    it "is minted by a Signer and verified with OpenBao-style rules" do
      fresh = job.except(:issued_at)
      token = signer.mint_id_token(fresh)
      verifier = signer.verifier(issuer: "https://gitlab.example.com", audience: "https://bao.example.com",
                                 required_claims: %w[project_id secrets_manager_scope])
      claims = verifier.verify(token)
      expect(claims["project_id"]).to eq("20")
      expect(claims["iat"]).to be_within(5).of(Time.now.to_i)
    end

    it "refuses unknown or missing fields" do
      expect { described_class.claims(job.merge(projct_id: 1)) }
        .to raise_error(PipelineGuard::JWT::EncodeError, /projct_id/)
      expect { described_class.claims(job.except(:sha)) }.to raise_error(PipelineGuard::JWT::EncodeError, /sha/)
      expect { described_class.claims("nope") }.to raise_error(TypeError)
    end
  end
end
