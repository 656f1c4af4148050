# frozen_string_literal: true

# Sigstore bundle verification: PipelineGuard::Sigstore against
# sigstore-python's in-process Verifier (same bundle, same trusted root, same
# machine, same run) and against the floor: the raw signature verifications
# the bundle needs (leaf certificate by the Fulcio intermediate, SCT, SET,
# checkpoint, artifact signature), done with OpenSSL on pre-parsed keys.
# Build in release mode first (bin/compile), then:
#   ruby -Ilib benches/sigstore_bench.rb        (BENCH_QUICK=1 for a short run)
require "benchmark/ips"
require "openssl"
require "json"
require "base64"
require "etc"
require "open3"
require "pipeline_guard"

QUICK = ENV["BENCH_QUICK"] == "1"
WARMUP = QUICK ? 0.3 : 1.5
TIME = QUICK ? 0.8 : 4
FIXTURES = File.expand_path("../spec/fixtures/sigstore/public_good", __dir__)

def measure(title)
  puts "\n## #{title}"
  report = Benchmark.ips(quiet: false) do |x|
    x.config(warmup: WARMUP, time: TIME)
    yield x
  end
  report.entries.to_h { |e| [e.label, e.ips] }
end

def us(ips) = format("%.1f us", 1e6 / ips)

# A real public-good bundle: a GitHub Actions release of a wheel (v0.2,
# hashedrekord, P-256 leaf, P-384 Fulcio intermediate, Rekor v1 SET and proof).
bundle_text = File.read(File.join(FIXTURES, "rfc8785-0.1.2-py3-none-any.whl.sigstore.json"))
artifact = File.binread(File.join(FIXTURES, "rfc8785-0.1.2-py3-none-any.whl"))
identity = "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2"
issuer = "https://token.actions.githubusercontent.com"
root_json = File.read(File.join(FIXTURES, "trusted_root.json"))
trusted_root = PipelineGuard::Sigstore::TrustedRoot.from_json(root_json)
verifier = PipelineGuard::Sigstore::Verifier.new(trusted_root:)
verify = -> { verifier.verify(bundle_text, artifact:, identity:, issuer:) }
verify.call

# --- The floor: the five signature checks, on the bundle's own bytes --------
bundle = JSON.parse(bundle_text)
root = JSON.parse(root_json)
entry = bundle["verificationMaterial"]["tlogEntries"][0]
leaf_der = Base64.decode64(bundle["verificationMaterial"]["x509CertificateChain"]["certificates"][0]["rawBytes"])
leaf = OpenSSL::X509::Certificate.new(leaf_der)
key_of = ->(b64) { OpenSSL::PKey.read(Base64.decode64(b64)) }
log_id = Base64.decode64(entry["logId"]["keyId"])
rekor = root["tlogs"].find { |t| Base64.decode64(t["logId"]["keyId"]) == log_id }
rekor_key = key_of.call(rekor["publicKey"]["rawBytes"])
ca_certs = root["certificateAuthorities"].flat_map { |ca| ca["certChain"]["certificates"] }
fulcio = ca_certs.map { |c| OpenSSL::X509::Certificate.new(Base64.decode64(c["rawBytes"])) }
                 .find { |c| leaf.verify(c.public_key) }
intermediate_key = fulcio.public_key
leaf_key = leaf.public_key

# 1. The leaf's signature by the intermediate (ECDSA P-384, SHA-384).
cert_asn1 = OpenSSL::ASN1.decode(leaf_der)
tbs_der = cert_asn1.value[0].to_der
cert_sig = cert_asn1.value[2].value
cert_digest = leaf.signature_algorithm.include?("384") ? "SHA384" : "SHA256"

# 2. The SCT over the precertificate TBS (the TBS without the SCT list).
tbs = OpenSSL::ASN1.decode(tbs_der)
exts_holder = tbs.value.find { |v| v.tag_class == :CONTEXT_SPECIFIC && v.tag == 3 }
exts = exts_holder.value[0].value
sct_ext = exts.find { |e| e.value[0].oid == "1.3.6.1.4.1.11129.2.4.2" }
exts.delete(sct_ext)
precert_tbs = tbs.to_der
sct_list = OpenSSL::ASN1.decode(sct_ext.value.last.value).value
sct = sct_list.byteslice(4, sct_list.unpack1("@2n"))
sct_log_id = sct.byteslice(1, 32)
timestamp = sct.byteslice(33, 8)
ext_len = sct.byteslice(41, 2).unpack1("n")
sig_at = 43 + ext_len + 2
sct_sig = sct.byteslice(sig_at + 2, sct.byteslice(sig_at, 2).unpack1("n"))
issuer_key_hash = OpenSSL::Digest::SHA256.digest(intermediate_key.public_to_der)
sct_signed = [0, 0].pack("CC") + timestamp + [1].pack("n") + issuer_key_hash +
             [precert_tbs.bytesize].pack("N").byteslice(1, 3) + precert_tbs + [ext_len].pack("n") +
             sct.byteslice(43, ext_len)
ctlog = root["ctlogs"].find { |t| Base64.decode64(t["logId"]["keyId"]) == sct_log_id }
ct_key = key_of.call(ctlog["publicKey"]["rawBytes"])

# 3. The SET over the canonical JSON of the entry.
set_payload = JSON.generate({ "body" => entry["canonicalizedBody"], "integratedTime" => entry["integratedTime"].to_i,
                              "logID" => log_id.unpack1("H*"), "logIndex" => entry["logIndex"].to_i })
set_sig = Base64.decode64(entry["inclusionPromise"]["signedEntryTimestamp"])

# 4. The checkpoint note.
note, sigs = entry["inclusionProof"]["checkpoint"]["envelope"].split("\n\n")
note += "\n"
cp_sig = Base64.decode64(sigs.split.last).byteslice(4..)

# 5. The artifact signature (ECDSA P-256 over SHA-256 of the artifact).
art_sig = Base64.decode64(bundle["messageSignature"]["signature"])

floor = lambda do
  intermediate_key.verify(cert_digest, cert_sig, tbs_der) &&
    ct_key.verify("SHA256", sct_sig, sct_signed) &&
    rekor_key.verify("SHA256", set_sig, set_payload) &&
    rekor_key.verify("SHA256", cp_sig, note) &&
    leaf_key.verify("SHA256", art_sig, artifact)
end
raise "the floor's five checks must all verify" unless floor.call

# --- sigstore-python, in its own process, timed in-process ---------------------
py = <<~PY
  import sys, time
  from sigstore.models import Bundle, TrustedRoot
  from sigstore.verify import Verifier
  from sigstore.verify.policy import Identity
  d = sys.argv[1]
  v = Verifier(trusted_root=TrustedRoot.from_file(d + "/trusted_root.json"))
  text = open(d + "/rfc8785-0.1.2-py3-none-any.whl.sigstore.json").read()
  art = open(d + "/rfc8785-0.1.2-py3-none-any.whl", "rb").read()
  pol = Identity(identity=sys.argv[2], issuer=sys.argv[3])
  n = int(sys.argv[4])
  for _ in range(max(n // 10, 5)):
      v.verify_artifact(art, Bundle.from_json(text), pol)
  t = time.perf_counter()
  for _ in range(n):
      v.verify_artifact(art, Bundle.from_json(text), pol)
  print((time.perf_counter() - t) / n)
PY
py_seconds = begin
  out, status = Open3.capture2("python3", "-c", py, FIXTURES, identity, issuer, QUICK ? "100" : "600")
  status.success? ? Float(out) : nil
rescue Errno::ENOENT, ArgumentError
  nil
end

r = measure("one bundle") do |x|
  x.report("pipeline_guard verify") { verify.call }
  x.report("floor: 5 raw OpenSSL verifies") { floor.call }
end
ours = r["pipeline_guard verify"]
puts "\n| scenario | per bundle | ratio |"
puts "|---|---:|---|"
puts "| PipelineGuard::Sigstore::Verifier#verify (parse + all checks) | #{us(ours)} | |"
floor_ips = r["floor: 5 raw OpenSSL verifies"]
puts "| floor: leaf cert + SCT + SET + checkpoint + artifact signature (OpenSSL) | #{us(floor_ips)} | " \
     "ours / floor = #{format('%.2fx', floor_ips / ours)} time (target <= 1.5x) |"
if py_seconds
  py_version = `python3 -c 'import sigstore;print(sigstore.__version__)'`.strip
  puts "| sigstore-python #{py_version} Verifier.verify_artifact (in-process, incl. Bundle.from_json) | " \
       "#{format('%.1f us', py_seconds * 1e6)} | ours #{format('%.1fx', py_seconds * ours)} faster (target >= 5x) |"
else
  puts "| sigstore-python | not installed | |"
end

# --- verify_many on all cores ------------------------------------------------------
batch = 256
bundles = [bundle_text] * batch
artifacts = [artifact] * batch
m = measure("#{batch} bundles (#{Etc.nprocessors} cores)") do |x|
  x.report("loop of verify") do
    bundles.each do |b|
      verifier.verify(b, artifact:, identity:, issuer:)
    end
  end
  x.report("verify_many") { verifier.verify_many(bundles, artifacts:, identity:, issuer:) }
end
puts "\n| #{batch} bundles | per bundle | ratio |"
puts "|---|---:|---|"
puts "| loop of verify | #{us(m['loop of verify'] * batch)} | |"
speedup = m["verify_many"] / m["loop of verify"]
puts "| verify_many | #{us(m['verify_many'] * batch)} | " \
     "#{format('%.2fx', speedup)} the loop (#{Etc.nprocessors} cores) |"
