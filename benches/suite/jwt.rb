# frozen_string_literal: true

# JWT decode and sign: the gem against the jwt gem and against the floor,
# the raw OpenSSL verify/sign from Ruby; HS256 with its cost split.
require_relative "support"
require "jwt"
require "openssl"
require "base64"
require "pipeline_guard"

S = BenchSuite
now = Time.now.to_i
claims = { "iss" => "https://gitlab.example.com", "aud" => "https://bao.example.com", "sub" => "project_path:g/p",
           "project_id" => "20", "ref" => "main", "iat" => now, "exp" => now + 3600 }
rsa = OpenSSL::PKey::RSA.new(2048)
rsa_pub = OpenSSL::PKey::RSA.new(rsa.public_key.to_der)
ec = OpenSSL::PKey::EC.generate("prime256v1")
ec_pub = OpenSSL::PKey.read(ec.public_to_der)
secret = "s" * 32
pg = PipelineGuard::JWT

def b64d(str) = Base64.urlsafe_decode64(str + ("=" * (-str.size % 4)))

tokens = { "RS256" => [JWT.encode(claims, rsa, "RS256"), rsa_pub],
           "ES256" => [JWT.encode(claims, ec, "ES256"), ec_pub],
           "HS256" => [JWT.encode(claims, secret, "HS256"), secret] }
tokens.each do |alg, (token, key)|
  raise "#{alg}: results differ" unless pg.decode(token, key, true, algorithms: [alg]) ==
                                        JWT.decode(token, key, true, algorithms: [alg])
end

# RS256 / ES256: the verify is the floor; splitting and base64 are part of
# what both the raw row and the gem must do.
{ "RS256" => "SHA256", "ES256" => "SHA256" }.each do |alg, digest|
  token, key = tokens.fetch(alg)
  raw_verify = if alg == "ES256"
                 # JWS carries r||s; OpenSSL wants DER.
                 lambda do
                   input, _, sig = token.rpartition(".")
                   rs = b64d(sig)
                   der = OpenSSL::ASN1::Sequence.new([OpenSSL::ASN1::Integer.new(OpenSSL::BN.new(rs[0, 32], 2)),
                                                      OpenSSL::ASN1::Integer.new(OpenSSL::BN.new(rs[32, 32],
                                                                                                 2))]).to_der
                   key.verify(digest, der, input)
                 end
               else
                 lambda do
                   input, _, sig = token.rpartition(".")
                   key.verify(digest, b64d(sig), input)
                 end
               end
  raise "raw #{alg} verify failed" unless raw_verify.call

  verifier = pg::Verifier.new(keys: key, algorithms: [alg])
  r = S.ips("gem decode" => -> { pg.decode(token, key, true, algorithms: [alg]) },
            "gem Verifier#verify" => -> { verifier.verify(token) },
            "jwt gem decode" => -> { JWT.decode(token, key, true, algorithms: [alg]) },
            "raw OpenSSL verify" => raw_verify)
  floor = ["OpenSSL::PKey#verify + split + base64", r["raw OpenSSL verify"]]
  S.compare(
    "#{alg} decode vs raw OpenSSL verify (floor)",
    ours: ["JWT.decode", r["gem decode"]], base: floor, target: "within 1.25x (>= 0.8x)", min: 0.8
  )
  S.compare(
    "#{alg} Verifier#verify vs raw OpenSSL verify (floor)",
    ours: ["Verifier#verify", r["gem Verifier#verify"]], base: floor, target: "within 1.25x (>= 0.8x)", min: 0.8
  )
  S.compare(
    "#{alg} decode vs jwt gem",
    ours: ["JWT.decode", r["gem decode"]], base: ["jwt gem #{JWT::VERSION::STRING}", r["jwt gem decode"]],
    target: "ahead", min: 1.0
  )
  S.compare(
    "#{alg} floor vs jwt gem (what is physically possible)",
    ours: floor, base: ["jwt gem", r["jwt gem decode"]]
  )
end

# HS256: no expensive primitive, so the cost is the pieces around it.
token, = tokens.fetch("HS256")
header_b64, payload_b64, sig_b64 = token.split(".")
signing_input = "#{header_b64}.#{payload_b64}"
payload_json = b64d(payload_b64)
r = S.ips("gem decode" => -> { pg.decode(token, secret, true, algorithms: ["HS256"]) },
          "jwt gem decode" => -> { JWT.decode(token, secret, true, algorithms: ["HS256"]) },
          "HMAC" => -> { OpenSSL::HMAC.digest("SHA256", secret, signing_input) },
          "base64" => -> { [b64d(header_b64), b64d(payload_b64), b64d(sig_b64)] },
          "JSON" => -> { JSON.parse(payload_json) },
          "objects" => lambda {
            { "iss" => +"https://gitlab.example.com", "aud" => +"https://bao.example.com", "sub" => +"project_path:g/p",
              "project_id" => +"20", "ref" => +"main", "iat" => now, "exp" => now + 3600 }
          })
S.compare(
  "HS256 decode vs jwt gem",
  ours: ["JWT.decode", r["gem decode"]], base: ["jwt gem", r["jwt gem decode"]], target: ">= 20x", min: 20
)
{ "HMAC" => "HMAC-SHA256 alone (OpenSSL::HMAC.digest from Ruby)",
  "base64" => "base64url decode of the three parts alone (Ruby)",
  "JSON" => "JSON.parse of the payload alone",
  "objects" => "building the 7-claim result Hash alone (Ruby objects)" }.each do |key, text|
  S.emit(kind: "split", scenario: "HS256 cost split: #{text}", us: 1e6 / r[key],
         share_of_gem_decode: r["gem decode"] / r[key], share_of_jwt_gem: r["jwt gem decode"] / r[key])
end

# PipelineGuard.clock = :system reads the clock natively instead of Time.now.
system_clock = lambda do |times|
  PipelineGuard.clock = :system
  times.times { pg.decode(token, secret, true, algorithms: ["HS256"]) }
ensure
  PipelineGuard.clock = :ruby
end
c = S.ips("system" => system_clock, "ruby" => -> { pg.decode(token, secret, true, algorithms: ["HS256"]) })
S.compare(
  "HS256 decode, clock = :system vs the default (Time.now)",
  ours: ["clock = :system", c["system"]], base: ["clock = :ruby", c["ruby"]]
)

# RS256 sign: the raw OpenSSL sign is the floor (the gem holds the parsed key).
rs_input = tokens.fetch("RS256").first.rpartition(".").first
signer = pg::Signer.new(rsa, algorithm: "RS256")
r = S.ips("Signer#sign" => -> { signer.sign(claims) },
          "raw sign" => -> { rsa.sign("SHA256", rs_input) },
          "jwt gem encode" => -> { JWT.encode(claims, rsa, "RS256") })
S.compare(
  "RS256 Signer#sign vs raw OpenSSL sign (floor)",
  ours: ["Signer#sign", r["Signer#sign"]], base: ["OpenSSL::PKey::RSA#sign", r["raw sign"]],
  target: "within 1.1x (>= 0.91x)", min: 0.91
)
S.compare(
  "RS256 Signer#sign vs jwt gem encode",
  ours: ["Signer#sign", r["Signer#sign"]], base: ["JWT.encode", r["jwt gem encode"]], target: "ahead", min: 1.0
)

# verify_many: one native call for 1,000 RS256 tokens (GVL released, all cores) vs a loop.
rsa_verifier = pg::Verifier.new(keys: rsa_pub, algorithms: ["RS256"])
batch = Array.new(1000) { signer.sign(claims) }
r = S.ips("many" => -> { rsa_verifier.verify_many(batch) }, "loop" => -> { batch.map { |t| rsa_verifier.verify(t) } })
S.compare(
  "RS256 Verifier#verify_many 1,000 tokens vs a loop of verify",
  ours: ["verify_many", r["many"]], base: ["loop of verify", r["loop"]], target: ">= 1.5x on 2 cores", min: 1.5
)
