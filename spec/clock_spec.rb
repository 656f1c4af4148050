# frozen_string_literal: true

require "open3"
require "rbconfig"

# Every check that reads "now" by default reads it through one clock:
# Time.now (so Timecop, travel_to and stubs apply, whenever they were
# installed), or the system clock after `PipelineGuard.clock = :system`.
RSpec.describe "PipelineGuard.clock" do
  lib = File.expand_path("../lib", __dir__)

  # Runs `body` in a fresh Ruby whose Time.now is 1 day ahead from the
  # start, installed before pipeline_guard is first used. Returns stdout
  # lines.
  define_method(:fresh_ruby) do |body, shift: 86_400|
    script = <<~RUBY
      $LOAD_PATH.unshift(#{lib.inspect})
      require "pipeline_guard"
      require "jwt"
      REAL_NOW = Time.now.to_i
      class << Time
        alias_method :real_now, :now
        def now(...) = real_now(...) + #{shift}
      end
      #{body}
    RUBY
    out, err, status = Open3.capture3(RbConfig.ruby, "-e", script)
    raise "fresh ruby failed: #{err}" unless status.success?

    out.lines.map(&:chomp)
  end

  after { PipelineGuard.clock = :ruby }

  it "is :ruby by default, can be :system, and refuses anything else", :gc_stress do
    expect(PipelineGuard.clock).to eq(:ruby)
    expect(PipelineGuard.clock = :system).to eq(:system)
    expect(PipelineGuard.clock).to eq(:system)
    PipelineGuard.clock = :ruby
    expect(PipelineGuard.clock).to eq(:ruby)
    ["ruby", :monotonic, nil, 1, Time].each do |bad|
      expect { PipelineGuard.clock = bad }.to raise_error(ArgumentError)
    end
    expect(PipelineGuard.clock).to eq(:ruby)
  end

  it "refuses, in a fresh process, a token expired by a Time.now replaced before the first decode" do
    out = fresh_ruby(<<~RUBY)
      secret = "c" * 32
      token = JWT.encode({ "exp" => REAL_NOW + 3600 }, secret, "HS256")
      rsa = OpenSSL::PKey::RSA.new(2048)
      rs = JWT.encode({ "exp" => REAL_NOW + 3600 }, rsa, "RS256")
      verifier = PipelineGuard::JWT::Verifier.new(keys: rsa.public_key, algorithms: ["RS256"])
      results = []
      2.times do
        results << (PipelineGuard::JWT.decode(token, secret, true, algorithms: ["HS256"]) && "accepted" rescue $!.class.name)
        results << (verifier.verify(rs) && "accepted" rescue $!.class.name)
        results << verifier.verify_many([rs]).first.class.name
      end
      PipelineGuard.clock = :system
      results << (PipelineGuard::JWT.decode(token, secret, true, algorithms: ["HS256"]) && "accepted" rescue $!.class.name)
      results << (verifier.verify(rs) && "accepted" rescue $!.class.name)
      results << verifier.verify_many([rs]).first.class.name
      puts results
    RUBY
    expired = "PipelineGuard::JWT::ExpiredSignature"
    expect(out).to eq([expired, expired, expired, expired, expired, expired, "accepted", "accepted", "Hash"])
  end

  it "applies to RBAC membership expiry, ACL rule expiration and OpenBao logins" do
    out = fresh_ruby(<<~RUBY)
      rbac = PipelineGuard::RBAC::Model.new
      rbac.add_membership(1, "g", access_level: 30, expires_at: REAL_NOW + 3600)
      policy = PipelineGuard::OpenBao::Policy.parse(
        %(path "a" { capabilities = ["read"] expiration = "\#{Time.at(REAL_NOW + 3600).utc.iso8601}" }), name: "p", now: REAL_NOW
      )
      acl = PipelineGuard::OpenBao::ACL.new([policy])
      rsa = OpenSSL::PKey::RSA.new(2048)
      auth = PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: "gitlab", jwt_validation_pubkeys: [rsa.public_key])
      auth.write_role("r", role_type: "jwt", user_claim: "sub", bound_audiences: ["bao"])
      claims = { "iss" => "gitlab", "aud" => "bao", "sub" => "s", "exp" => REAL_NOW + 3600, "iat" => REAL_NOW }
      token = JWT.encode(claims, rsa, "RS256")
      login = ->(&blk) { blk.call && "accepted" rescue $!.class.name }
      puts rbac.can?(1, :read_secret, "g"), acl.capabilities("a").inspect, acl.rule_count
      puts login.call { auth.login(role: "r", jwt: token) }
      puts auth.login_many(role: "r", jwts: [token]).first.class.name
      puts login.call { auth.role("r").authenticate(claims) }
      PipelineGuard.clock = :system
      puts rbac.can?(1, :read_secret, "g"), acl.capabilities("a").inspect
      puts login.call { auth.login(role: "r", jwt: token) }
      puts auth.login_many(role: "r", jwts: [token]).first.class.name
      puts login.call { auth.role("r").authenticate(claims) }
    RUBY
    refused = "PipelineGuard::OpenBao::AuthError"
    expect(out).to eq(["false", '["deny"]', "0", refused, refused, refused,
                       "true", '["read"]', "accepted", "PipelineGuard::OpenBao::JwtAuth::Login", "accepted"])
  end

  it "reads a Time.now stubbed by RSpec in this process" do
    rsa = OpenSSL::PKey::RSA.new(2048)
    token = PipelineGuard::JWT.encode({ "exp" => Time.now.to_i + 60 }, rsa, "RS256")
    verifier = PipelineGuard::JWT::Verifier.new(keys: rsa.public_key, algorithms: ["RS256"])
    expect(verifier.verify(token)).to include("exp")
    allow(Time).to receive(:now).and_return(Time.at(Time.at(0).to_i + 4_000_000_000))
    expect { verifier.verify(token) }.to raise_error(PipelineGuard::JWT::ExpiredSignature)
    PipelineGuard.clock = :system
    expect(verifier.verify(token)).to include("exp")
  end
end
