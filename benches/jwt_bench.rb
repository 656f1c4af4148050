# frozen_string_literal: true

# PipelineGuard::JWT side by side with what Rails apps use today (the jwt
# gem, raw OpenSSL::PKey) in one run. Prints a markdown table of ops/s and
# ratios. BENCH_QUICK=1 for a short run. Build in release mode first
# (bin/compile), then: ruby -Ilib benches/jwt_bench.rb
require "benchmark/ips"
require "jwt"
require "openssl"
require "base64"
require "etc"
require "pipeline_guard"

QUICK = ENV["BENCH_QUICK"] == "1"
WARMUP = QUICK ? 0.3 : 1.5
TIME = QUICK ? 0.8 : 4

def measure(title)
  puts "\n## #{title}"
  report = Benchmark.ips(quiet: false) do |x|
    x.config(warmup: WARMUP, time: TIME)
    yield x
  end
  report.entries.to_h { |e| [e.label, e.ips] }
end

def b64d(str) = Base64.urlsafe_decode64(str + ("=" * (-str.size % 4)))

now = Time.now.to_i
claims = { "iss" => "https://gitlab.example.com", "aud" => "https://bao.example.com", "sub" => "project_path:g/p",
           "project_id" => "20", "ref" => "main", "iat" => now, "exp" => now + 3600 }

rsa = OpenSSL::PKey::RSA.new(2048)
rsa_pub = OpenSSL::PKey::RSA.new(rsa.public_key.to_der)
ec = OpenSSL::PKey::EC.generate("prime256v1")
ec_pub = OpenSSL::PKey.read(ec.public_to_der)
secret = "s" * 32

rs_token = JWT.encode(claims, rsa, "RS256")
hs_token = JWT.encode(claims, secret, "HS256")
es_token = JWT.encode(claims, ec, "ES256")
rs_input, _, rs_sig = rs_token.rpartition(".")
rs_sig_raw = b64d(rs_sig)

signer = PipelineGuard::JWT::Signer.new(rsa, algorithm: "RS256")
verifier = PipelineGuard::JWT::Verifier.new(keys: rsa_pub, algorithms: ["RS256"])
pg = PipelineGuard::JWT

# Same results before timing anything.
raise "mismatch" unless pg.decode(rs_token, rsa_pub, true, algorithms: ["RS256"]) ==
                        JWT.decode(rs_token, rsa_pub, true, algorithms: ["RS256"])
raise "mismatch" unless pg.decode(hs_token, secret, true, algorithms: ["HS256"]) ==
                        JWT.decode(hs_token, secret, true, algorithms: ["HS256"])
raise "mismatch" unless verifier.verify(rs_token) == claims

rows = []

r = measure("RS256 verify (2048-bit)") do |x|
  x.report("jwt gem decode") { JWT.decode(rs_token, rsa_pub, true, algorithms: ["RS256"]) }
  x.report("OpenSSL::PKey::RSA#verify") do
    rsa_pub.verify("SHA256", b64d(rs_token.rpartition(".").last), rs_token.rpartition(".").first)
  end
  x.report("raw verify (pre-split)") { rsa_pub.verify("SHA256", rs_sig_raw, rs_input) }
  x.report("PipelineGuard decode") { pg.decode(rs_token, rsa_pub, true, algorithms: ["RS256"]) }
  x.report("PipelineGuard Verifier") { verifier.verify(rs_token) }
end
rows << ["RS256 verify: decode vs jwt gem", r["PipelineGuard decode"], r["jwt gem decode"], ">= 3x"]
rows << ["RS256 verify: Verifier vs jwt gem", r["PipelineGuard Verifier"], r["jwt gem decode"], ">= 3x"]
rows << ["RS256 verify: decode vs raw OpenSSL verify", r["PipelineGuard decode"], r["OpenSSL::PKey::RSA#verify"],
         ">= 0.8x (within 1.25x)"]
rows << ["RS256 verify: decode vs raw verify, pre-split", r["PipelineGuard decode"], r["raw verify (pre-split)"],
         "(info)"]

# `times` iterations with PipelineGuard.clock = :system (the default, :ruby,
# calls Time.now once per decode).
def system_clock(times)
  PipelineGuard.clock = :system
  i = 0
  while i < times
    yield
    i += 1
  end
ensure
  PipelineGuard.clock = :ruby
end

r = measure("HS256 decode") do |x|
  x.report("jwt gem decode") { JWT.decode(hs_token, secret, true, algorithms: ["HS256"]) }
  x.report("PipelineGuard decode") { pg.decode(hs_token, secret, true, algorithms: ["HS256"]) }
  x.report("PipelineGuard decode, clock = :system") do |times|
    system_clock(times) { pg.decode(hs_token, secret, true, algorithms: ["HS256"]) }
  end
end
rows << ["HS256 decode vs jwt gem", r["PipelineGuard decode"], r["jwt gem decode"], ">= 25x"]
rows << ["HS256 decode, clock = :system vs default (Time.now)", r["PipelineGuard decode, clock = :system"],
         r["PipelineGuard decode"], "(info)"]

r = measure("RS256 decode: clock") do |x|
  x.report("PipelineGuard decode") { pg.decode(rs_token, rsa_pub, true, algorithms: ["RS256"]) }
  x.report("PipelineGuard decode, clock = :system") do |times|
    system_clock(times) { pg.decode(rs_token, rsa_pub, true, algorithms: ["RS256"]) }
  end
end
rows << ["RS256 decode, clock = :system vs default (Time.now)", r["PipelineGuard decode, clock = :system"],
         r["PipelineGuard decode"], "(info)"]

r = measure("ES256 verify (P-256)") do |x|
  x.report("jwt gem decode") { JWT.decode(es_token, ec_pub, true, algorithms: ["ES256"]) }
  x.report("PipelineGuard decode") { pg.decode(es_token, ec_pub, true, algorithms: ["ES256"]) }
end
rows << ["ES256 verify vs jwt gem", r["PipelineGuard decode"], r["jwt gem decode"], ">= 2x"]

r = measure("RS256 sign (2048-bit)") do |x|
  x.report("OpenSSL::PKey::RSA#sign") { rsa.sign("SHA256", rs_input) }
  x.report("jwt gem encode") { JWT.encode(claims, rsa, "RS256") }
  x.report("PipelineGuard Signer#sign") { signer.sign(claims) }
  x.report("PipelineGuard encode") { pg.encode(claims, rsa, "RS256") }
end
rows << ["RS256 sign: Signer vs raw OpenSSL sign", r["PipelineGuard Signer#sign"], r["OpenSSL::PKey::RSA#sign"],
         ">= 0.91x (within 1.1x)"]
rows << ["RS256 sign: encode vs jwt gem", r["PipelineGuard encode"], r["jwt gem encode"], "(info)"]

batch = Array.new(1000) { signer.sign(claims) }
r = measure("verify_many: 1000 RS256 tokens per op") do |x|
  x.report("loop of Verifier#verify") { batch.each { |t| verifier.verify(t) } }
  x.report("Verifier#verify_many") { verifier.verify_many(batch) }
  x.report("loop of jwt gem decode") { batch.each { |t| JWT.decode(t, rsa_pub, true, algorithms: ["RS256"]) } }
end
rows << ["verify_many(1000) vs loop of verify (#{Etc.nprocessors} cores)", r["Verifier#verify_many"],
         r["loop of Verifier#verify"], ">= 1.8x on 2 cores"]
rows << ["verify_many(1000) vs loop of jwt gem decode", r["Verifier#verify_many"], r["loop of jwt gem decode"],
         "(info)"]

puts "\n## Summary (PipelineGuard #{PipelineGuard::VERSION}, jwt gem #{JWT::VERSION::STRING}, " \
     "#{OpenSSL::OPENSSL_LIBRARY_VERSION}, ruby #{RUBY_VERSION})\n\n"
puts "| case | ours (ops/s) | baseline (ops/s) | ratio | target |"
puts "|---|---:|---:|---:|---|"
rows.each do |name, ours, base, target|
  puts format("| %<name>s | %<ours>.0f | %<base>.0f | %<ratio>.2fx | %<target>s |",
              name:, ours:, base:, ratio: ours / base, target:)
end
