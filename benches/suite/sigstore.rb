# frozen_string_literal: true

# Sigstore bundle verification: PipelineGuard::Sigstore against
# sigstore-python's in-process Verifier (same bundle, same trusted root, timed
# inside its own Python process; skipped, with the reason, without it) and
# against the floor: the raw signature verifications the bundle needs (leaf
# certificate by the Fulcio intermediate, SCT, SET, checkpoint, artifact
# signature), done with OpenSSL from Ruby on pre-parsed keys. verify_many
# against a loop of verify.
require_relative "support"
require "openssl"
require "json"
require "base64"
require "open3"
require "pipeline_guard"

S = BenchSuite
FIXTURES = File.expand_path("../../spec/fixtures/sigstore/public_good", __dir__)

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

r = S.ips("verify" => verify, "floor" => floor)
S.compare(
  "Verifier#verify (parse + all checks) vs the 5 raw signature verifications (floor)",
  ours: ["Sigstore::Verifier#verify", r["verify"]],
  base: ["leaf cert + SCT + SET + checkpoint + artifact signature (OpenSSL)", r["floor"]],
  target: "within 1.5x (>= 0.67x)", min: 1 / 1.5
)

# --- sigstore-python, in its own process, timed in-process (right after ours,
# not interleaved with it) ----------------------------------------------------
PY = <<~PY
  import sys, time
  import sigstore
  from sigstore.models import Bundle, TrustedRoot
  from sigstore.verify import Verifier
  from sigstore.verify.policy import Identity
  d = sys.argv[1]
  v = Verifier(trusted_root=TrustedRoot.from_file(d + "/trusted_root.json"))
  text = open(d + "/rfc8785-0.1.2-py3-none-any.whl.sigstore.json").read()
  art = open(d + "/rfc8785-0.1.2-py3-none-any.whl", "rb").read()
  pol = Identity(identity=sys.argv[2], issuer=sys.argv[3])
  n, rounds = int(sys.argv[4]), int(sys.argv[5])
  for _ in range(max(n // 10, 5)):
      v.verify_artifact(art, Bundle.from_json(text), pol)
  best = None
  for _ in range(rounds):
      t = time.perf_counter()
      for _ in range(n // rounds):
          v.verify_artifact(art, Bundle.from_json(text), pol)
      per = (time.perf_counter() - t) / (n // rounds)
      best = per if best is None else min(best, per)
  print(sigstore.__version__, best)
PY
python = begin
  # Best of the same number of rounds as BenchSuite.ips keeps for ours.
  args = S.quick? ? %w[20 1] : ["600", S::ROUNDS.to_s]
  out, err, status = Open3.capture3("python3", "-c", PY, FIXTURES, identity, issuer, *args)
  status.success? ? out.split : err.lines.last.to_s.strip
rescue SystemCallError => e
  e.message
end
if python.is_a?(Array)
  version, seconds = python
  S.compare(
    "Verifier#verify vs sigstore-python Verifier.verify_artifact (in-process, incl. Bundle.from_json)",
    ours: ["Sigstore::Verifier#verify", r["verify"]], base: ["sigstore-python #{version}", 1 / Float(seconds)],
    target: ">= 5x", min: 5
  )
else
  S.skip("Verifier#verify vs sigstore-python", "sigstore-python did not run (pip install sigstore): #{python}")
end

# --- verify_many on all cores -----------------------------------------------
batch = S.quick? ? 16 : 256
bundles = [bundle_text] * batch
artifacts = [artifact] * batch
m = S.ips("many" => -> { verifier.verify_many(bundles, artifacts:, identity:, issuer:) },
          "loop" => -> { bundles.each { |b| verifier.verify(b, artifact:, identity:, issuer:) } })
S.compare(
  "Verifier#verify_many #{batch} bundles vs a loop of verify",
  ours: ["verify_many", m["many"]], base: ["loop of verify", m["loop"]], target: ">= 1.5x on 2 cores", min: 1.5
)
