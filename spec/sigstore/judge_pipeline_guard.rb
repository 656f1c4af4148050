# frozen_string_literal: true

# Runs PipelineGuard::Sigstore::Verifier on every case of a cases.json written
# by spec/fixtures/sigstore/generate.py and prints one JSON line per case,
# in the shape judge_sigstore_python.py prints.
$LOAD_PATH.unshift(File.expand_path("../../lib", __dir__))
require "pipeline_guard"
require "json"

dir = ARGV.fetch(0)
read = ->(rel) { File.binread(File.join(dir, rel)) }
verifier = PipelineGuard::Sigstore::Verifier.new(
  trusted_root: PipelineGuard::Sigstore::TrustedRoot.from_json(read.call("trusted_root.json"))
)
JSON.parse(read.call("cases.json")).each do |kase|
  opts = {}
  opts[:artifact] = read.call(kase["artifact"]) if kase["artifact"]
  opts[:artifact_digest] = kase["artifact_digest"] if kase["artifact_digest"]
  if kase["key"]
    opts[:key] = read.call(kase["key"])
  else
    opts[:identity] = kase["identity"]
    opts[:issuer] = kase["issuer"]
  end
  begin
    verifier.verify(read.call(kase["bundle"]), **opts)
    result = { "name" => kase["name"], "result" => "ok", "error" => nil }
  rescue PipelineGuard::Sigstore::VerificationError => e
    result = { "name" => kase["name"], "result" => "reject", "error" => "VerificationError: #{e.message}" }
  rescue StandardError => e
    # Any other class is a contract failure: the differential reports it.
    result = { "name" => kase["name"], "result" => "error", "error" => "#{e.class}: #{e.message}" }
  end
  puts JSON.generate(result)
end
