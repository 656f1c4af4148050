# frozen_string_literal: true

require "spec_helper"

# Replays OpenBao 2.7.2's recorded JWT auth decisions
# (../shared/vectors/openbao/jwt_role_cases.json) through the Ruby API.
RSpec.describe PipelineGuard::OpenBao::JwtAuth, "recorded OpenBao vectors" do
  let(:vectors) { load_vectors("openbao/jwt_role_cases.json") }
  let(:now) { Time.at(Time.now.to_i) }
  let(:auth) do
    config = vectors.fetch("auth_config")
    described_class.new(bound_issuer: config.fetch("bound_issuer"),
                        jwt_validation_pubkeys: config.fetch("jwt_validation_pubkeys"),
                        mount_path: vectors.fetch("mount"))
  end

  def claims_at(kase, now)
    claims = kase.fetch("claims").dup
    encoding = kase["time_claim_encoding"] || {}
    %w[iat nbf exp].each do |name|
      next unless claims.key?("#{name}_offset")

      at = now.to_i + claims.delete("#{name}_offset")
      claims[name] = case encoding[name]
                     when "string" then at.to_s
                     when "float" then at + 0.5
                     else at
                     end
    end
    claims
  end

  def write(auth, kase)
    fields = kase.fetch("role").transform_keys(&:to_sym)
    auth.write_role(kase.fetch("role_name"), **fields)
  end

  def check(kase, outcome)
    if kase.fetch("result") == "accepted"
      expect(outcome).to be_a(PipelineGuard::OpenBao::JwtAuth::Login), "case #{kase['id']}: #{outcome.inspect}"
      expect([outcome.alias_name, outcome.display_name, outcome.metadata])
        .to eq([kase["alias_name"], kase["display_name"], kase["metadata"]]), "case #{kase['id']}"
      expect(outcome.policies).to eq(["default"])
    else
      expect(outcome).to be_a(PipelineGuard::OpenBao::AuthError), "case #{kase['id']}: #{outcome.inspect}"
      allowed = [kase["error"], *kase["error_alternatives"]]
      expect(allowed).to include(outcome.message), "case #{kase['id']}"
    end
  end

  def outcome
    yield
  rescue PipelineGuard::OpenBao::AuthError => e
    e
  end

  it "gives OpenBao's verdicts for claims-only cases through Role#authenticate" do
    cases = vectors.fetch("cases").reject { |c| c["token"] }
    expect(cases.size).to be > 50
    cases.each do |kase|
      role = write(auth, kase)
      check(kase, outcome { role.authenticate(claims_at(kase, now), now:) })
    end
  end

  it "gives OpenBao's verdicts for every case as a signed token through login" do
    keys = vectors.fetch("signing_keys").transform_values { |pem| OpenSSL::PKey.read(pem) }
    vectors.fetch("cases").each do |kase|
      write(auth, kase)
      spec = kase["token"] || {}
      jwt = JwtTestSigner.sign(claims_at(kase, now), keys.fetch(spec.fetch("signing_key", "config")),
                               spec.fetch("alg", "RS256"))
      check(kase, outcome { auth.login(role: kase.fetch("role_name"), jwt:, now:) })
    end
  end

  it "agrees with login_many on the same tokens" do
    key = OpenSSL::PKey.read(vectors.fetch("signing_keys").fetch("config"))
    by_role = vectors.fetch("cases").reject { |c| c["token"] }.group_by { |c| c.fetch("role_name") }
    by_role.each_value do |cases|
      cases.each do |kase|
        write(auth, kase)
        jwt = JwtTestSigner.sign(claims_at(kase, now), key)
        batch = auth.login_many(role: kase.fetch("role_name"), jwts: [jwt] * 9, now:)
        batch.each { |result| check(kase, result) }
      end
    end
  end

  it "refuses the roles OpenBao refused, with OpenBao's text" do
    invalid = vectors.fetch("invalid_roles")
    expect(invalid).not_to be_empty
    invalid.each do |kase|
      expect { write(auth, kase) }
        .to raise_error(PipelineGuard::OpenBao::RoleError) { |e| expect(e.message).to eq(kase.fetch("error")) }
    end
  end
end
