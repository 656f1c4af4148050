# frozen_string_literal: true

require "spec_helper"

module JwtAuthSpecKeys
  RSA = OpenSSL::PKey::RSA.new(2048)
  EC = OpenSSL::PKey::EC.generate("prime256v1")
end

RSpec.describe PipelineGuard::OpenBao::JwtAuth do
  issuer = "https://gitlab.example.com"
  let(:rsa) { JwtAuthSpecKeys::RSA }
  let(:ec) { JwtAuthSpecKeys::EC }

  let(:auth) { described_class.new(bound_issuer: issuer, jwt_validation_pubkeys: [rsa.public_to_pem, ec]) }
  let(:now) { Time.now }
  let(:claims) do
    { "iss" => issuer, "sub" => "project_path:g/p:ref_type:branch:ref:main", "aud" => "openbao",
      "project_id" => "42", "ref" => "main", "user_login" => "alice", "iat" => now.to_i - 5,
      "exp" => now.to_i + 300, "nested" => { "tier" => "production" } }
  end

  before do
    auth.write_role("all_pipelines", role_type: "jwt", user_claim: "user_login", bound_audiences: ["openbao"],
                                     bound_claims: { "project_id" => "42", "/nested/tier" => "prod*" },
                                     bound_claims_type: "glob", claim_mappings: { "ref" => "ref" },
                                     token_policies: %w[pipelines], token_ttl: "15m")
  end

  def token(extra = {}, key = rsa, alg = "RS256")
    JwtTestSigner.sign(claims.merge(extra), key, alg)
  end

  describe "#login" do
    it "returns OpenBao's identity and token fields", :gc_stress do
      login = auth.login(role: "all_pipelines", jwt: token, now:)
      expect(login.alias_name).to eq("alice")
      expect(login.display_name).to eq("jwt-alice")
      expect(login.metadata).to eq("ref" => "main", "role" => "all_pipelines")
      expect(login.policies).to eq(["pipelines"])
      expect(login.ttl).to eq(900)
      expect(login.renewable?).to be(true)
      expect(login.to_h).to include(role_name: "all_pipelines", token_type: "default", groups: [])
      expect(login).to eq(auth.login(role: "ALL_PIPELINES", jwt: token, now:))
    end

    it "accepts ES256 tokens from a PKey given as a key" do
      expect(auth.login(role: "all_pipelines", jwt: token({}, ec, "ES256")).alias_name).to eq("alice")
    end

    it "raises AuthError with OpenBao's text and the refusing stage", :gc_stress do
      {
        token("project_id" => "7") =>
          ["error validating claims: claim \"project_id\" does not match any associated bound claim values",
           :bound_claims],
        token("aud" => "other") =>
          ["error validating token: invalid audience (aud) claim: audience claim does not match any expected audience",
           :token],
        token({}, OpenSSL::PKey::RSA.new(2048)) =>
          ["error validating token: error verifying token signature: no known key successfully validated the token " \
           "signature", :token],
        token("user_login" => 5) => ["claim \"user_login\" could not be converted to string", :identity]
      }.each do |jwt, (message, kind)|
        expect { auth.login(role: "all_pipelines", jwt:, now:) }
          .to raise_error(PipelineGuard::OpenBao::AuthError) { |e| expect([e.message, e.kind]).to eq([message, kind]) }
      end
    end

    it "refuses an empty user claim value as OpenBao's core does, after every backend check" do
      expect { auth.login(role: "all_pipelines", jwt: token("user_login" => ""), now:) }
        .to raise_error(PipelineGuard::OpenBao::AuthError) { |e|
          expect([e.message, e.kind]).to eq(["missing name in alias", :internal])
        }
      expect { auth.login(role: "all_pipelines", jwt: token("user_login" => "", "project_id" => "7"), now:) }
        .to raise_error(PipelineGuard::OpenBao::AuthError, /\Aerror validating claims: claim "project_id"/)
      auth.write_role("pointer", role_type: "jwt", user_claim: "/nested/login", user_claim_json_pointer: true,
                                 bound_audiences: ["openbao"])
      expect { auth.login(role: "pointer", jwt: token("nested" => { "login" => "" }), now:) }
        .to raise_error(PipelineGuard::OpenBao::AuthError, "missing name in alias")
    end

    it "resolves roles as OpenBao does" do
      expect { auth.login(role: "nope", jwt: token) }
        .to raise_error(PipelineGuard::OpenBao::AuthError, 'role "nope" could not be found')
      expect { auth.login(jwt: token) }.to raise_error(PipelineGuard::OpenBao::AuthError, "missing role")
      expect { auth.login(role: "all_pipelines", jwt: "") }
        .to raise_error(PipelineGuard::OpenBao::AuthError, "missing token")
      with_default = described_class.new(bound_issuer: issuer, jwt_validation_pubkeys: [rsa],
                                         default_role: "r", mount_path: "ci/jwt")
      with_default.write_role("r", role_type: "jwt", user_claim: "user_login", bound_audiences: "openbao")
      expect(with_default.login(jwt: token).display_name).to eq("ci-jwt-alice")
      expect(with_default.role!("").name).to eq("r")
    end

    it "takes now: as a Time or a number" do
      expect { auth.login(role: "all_pipelines", jwt: token, now: now + 3600) }
        .to raise_error(PipelineGuard::OpenBao::AuthError, /expiration time \(exp\)/)
      expect(auth.login(role: "all_pipelines", jwt: token, now: now.to_f).alias_name).to eq("alice")
    end

    it "rejects wrong Ruby types with TypeError" do
      expect { auth.login(role: "all_pipelines", jwt: nil) }.to raise_error(TypeError)
      expect { auth.login(role: "all_pipelines", jwt: token, now: "now") }.to raise_error(TypeError)
      expect { auth.login_many(role: "all_pipelines", jwts: [token, 1]) }.to raise_error(TypeError)
    end
  end

  describe "#login_many" do
    it "returns a Login or an AuthError per token, in order", :gc_stress do
      jwts = Array.new(20) { |i| i.odd? ? token("user_login" => "u#{i}") : token("ref" => 1) }
      results = auth.login_many(role: "all_pipelines", jwts:, now:)
      expect(results.size).to eq(20)
      results.each_with_index do |r, i|
        if i.odd?
          expect(r.alias_name).to eq("u#{i}")
        else
          expect(r).to be_a(PipelineGuard::OpenBao::AuthError)
          expect(r.message).to eq("error converting claim 'ref' to string")
        end
      end
      expect(auth.login_many(role: "x", jwts: [token]).first.message).to eq('role "x" could not be found')
      expect(auth.login_many(role: "all_pipelines", jwts: [])).to eq([])
    end

    it "works in a forked child after the parent used it" do
      skip "fork unsupported" unless Process.respond_to?(:fork)
      jwts = Array.new(32) { token }
      expect(auth.login_many(role: "all_pipelines", jwts:).map(&:alias_name).uniq).to eq(["alice"])
      reader, writer = IO.pipe
      pid = fork do
        reader.close
        names = auth.login_many(role: "all_pipelines", jwts:).map(&:alias_name).uniq
        writer.write(names.join(","))
        writer.close
        exit!(0)
      end
      writer.close
      _, status = Process.wait2(pid)
      expect(reader.read).to eq("alice")
      expect(status.success?).to be(true)
    end
  end

  describe "Role" do
    it "authenticates trusted claims without a signature", :gc_stress do
      role = auth.role("all_pipelines")
      expect(role.authenticate(claims, now:).metadata).to eq("ref" => "main", "role" => "all_pipelines")
      expect { role.authenticate(claims.merge("iss" => "x"), now:) }
        .to raise_error(PipelineGuard::OpenBao::AuthError, "error validating token: invalid issuer (iss) claim")
    end

    it "exposes the stored definition" do
      role = auth.role("All_Pipelines")
      expect(role.to_h).to include(name: "all_pipelines", role_type: "jwt", bound_claims_type: "glob",
                                   bound_claims: { "project_id" => "42", "/nested/tier" => "prod*" },
                                   claim_mappings: { "ref" => "ref" }, token_ttl: 900)
      expect(auth.role("missing")).to be_nil
      expect(auth.role_names).to eq(["all_pipelines"])
      expect(auth.delete_role("all_pipelines")).to be(true)
      expect(auth.role_names).to eq([])
    end

    it "refuses roles OpenBao would refuse, with OpenBao's text" do
      expect { auth.write_role("r", role_type: "jwt") }
        .to raise_error(PipelineGuard::OpenBao::RoleError, "a user claim must be defined on the role")
      expect do
        auth.write_role("r", role_type: "jwt", user_claim: "sub", bound_claims_type: "glob",
                             bound_claims: { "n" => 1 })
      end
        .to raise_error(PipelineGuard::OpenBao::RoleError)
      expect { auth.write_role("bad/name", role_type: "jwt", user_claim: "sub") }
        .to raise_error(PipelineGuard::OpenBao::RoleError, "unsupported path")
    end
  end

  describe "configuration" do
    it "takes a JWKS as a Hash or JSON" do
      jwk = { "kty" => "RSA", "kid" => "k1", "n" => Base64.urlsafe_encode64(rsa.n.to_s(2), padding: false),
              "e" => Base64.urlsafe_encode64(rsa.e.to_s(2), padding: false) }
      [{ "keys" => [jwk] }, JSON.generate("keys" => [jwk])].each do |jwks|
        a = described_class.new(bound_issuer: issuer, jwks:)
        a.write_role("r", role_type: "jwt", user_claim: "user_login", bound_audiences: ["openbao"])
        expect(a.login(role: "r", jwt: token).alias_name).to eq("alice")
      end
    end

    it "refuses unusable settings" do
      expect { described_class.new(bound_issuer: issuer) }.to raise_error(PipelineGuard::InvalidInput)
      expect { described_class.new(jwt_validation_pubkeys: ["nope"]) }.to raise_error(PipelineGuard::InvalidKeyError)
      expect { described_class.new(jwt_validation_pubkeys: [rsa], jwt_supported_algs: ["HS256"]) }
        .to raise_error(PipelineGuard::InvalidInput, /unsupported signing algorithm "HS256"/)
      expect { described_class.new(jwt_validation_pubkeys: [42]) }.to raise_error(TypeError)
    end

    it "never shows keys and refuses Marshal and copies" do
      expect(auth.inspect).to include("all_pipelines").and(include(issuer))
      expect(auth.inspect).not_to include("BEGIN")
      expect { Marshal.dump(auth) }.to raise_error(TypeError)
      expect { auth.dup }.to raise_error(TypeError)
    end
  end

  it "serves logins from many threads while roles are rewritten" do
    jwt = token
    threads = Array.new(4) do |t|
      Thread.new do
        200.times.map do |i|
          if t.zero? && (i % 10).zero?
            auth.write_role("side#{i}", role_type: "jwt", user_claim: "sub", bound_audiences: ["openbao"])
          end
          auth.login(role: "all_pipelines", jwt:).alias_name
        end
      end
    end
    batch = Thread.new { Array.new(5) { auth.login_many(role: "all_pipelines", jwts: [jwt] * 50) }.flatten }
    expect(threads.flat_map(&:value).uniq).to eq(["alice"])
    expect(batch.value.map(&:alias_name).uniq).to eq(["alice"])
    expect(auth.role_names.size).to eq(21)
  end
end
