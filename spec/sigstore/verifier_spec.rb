# frozen_string_literal: true

require "spec_helper"
require "digest"
require "openssl"

# Bundles from the test Sigstore instance in spec/fixtures/sigstore (written
# by its generate.py; sigstore-python judges the same cases in
# spec/sigstore/differential).
RSpec.describe PipelineGuard::Sigstore::Verifier do
  fixtures = File.expand_path("../fixtures/sigstore", __dir__)
  cases = JSON.parse(File.read(File.join(fixtures, "cases.json")))
  read = ->(rel) { File.binread(File.join(fixtures, rel)) }
  identity = "https://gitlab.example.com/group/project//.gitlab-ci.yml@refs/heads/main"
  issuer = "https://gitlab.example.com"

  let(:root) { PipelineGuard::Sigstore::TrustedRoot.from_json(read.call("trusted_root.json")) }
  let(:verifier) { described_class.new(trusted_root: root) }
  let(:artifact) { read.call("artifact.txt") }

  def options_for(kase, read)
    opts = {}
    opts[:artifact] = read.call(kase["artifact"]) if kase["artifact"]
    opts[:artifact_digest] = kase["artifact_digest"] if kase["artifact_digest"]
    if kase["key"]
      opts[:key] = read.call(kase["key"])
    else
      opts[:identity] = kase["identity"]
      opts[:issuer] = kase["issuer"]
    end
    opts
  end

  # The test instance's cases, then real public-good and staging bundles
  # and RFC 3161 timestamped bundles (sigstore-python's test assets) against
  # their own trusted roots.
  ["", "public_good", "staging", "tsa"].each do |sub|
    dir = File.join(fixtures, sub)
    read_in = ->(rel) { File.binread(File.join(dir, rel)) }
    JSON.parse(read_in.call("cases.json")).each do |kase|
      label = "#{kase['expect'] == 'ok' ? 'verifies' : 'refuses'} #{sub.empty? ? '' : "#{sub}/"}#{kase['name']}"
      it "#{label} (#{kase['what']})", :gc_stress do
        root = PipelineGuard::Sigstore::TrustedRoot.from_json(read_in.call("trusted_root.json"))
        v = described_class.new(trusted_root: root)
        bundle = read_in.call(kase["bundle"])
        opts = options_for(kase, read_in)
        if kase["expect"] == "ok"
          expect(v.verify(bundle, **opts)).to be_a(PipelineGuard::Sigstore::Result)
        else
          expect { v.verify(bundle, **opts) }.to raise_error(PipelineGuard::Sigstore::VerificationError)
        end
      end
    end
  end

  it "verifies the public-good CPython release bundle against the embedded production root" do
    v = described_class.new(trusted_root: PipelineGuard::Sigstore::TrustedRoot.production)
    result = v.verify(File.read(File.join(fixtures, "public_good/python-3.12.5.tgz.sigstore.json")),
                      artifact_digest: "sha256:38dc4e2c261d49c661196066edbfb70fdb16be4a79cc8220c224dfeb5636d405",
                      identity: "thomas@python.org", issuer: "https://accounts.google.com")
    expect(result.integrated_time).to eq(Time.at(1_722_976_367).utc)
    expect(result.log_index).to eq(118_981_923)
  end

  it "returns the certificate facts and the in-toto statement" do
    result = verifier.verify(read.call("bundles/dsse_v0.3.json"), artifact:, identity:,
                                                                  issuer:)
    expect(result.certificate_identity).to eq(identity)
    expect(result.certificate_issuer).to eq(issuer)
    expect(result.certificate_extensions).to include(
      "issuer" => issuer, "issuer_v1" => issuer, "runner_environment" => "gitlab-hosted",
      "build_config_uri" => "https://gitlab.example.com/group/project//.gitlab-ci.yml@refs/heads/main",
      "source_repository_uri" => "https://gitlab.example.com/group/project"
    )
    expect(result.statement["subject"][0]["digest"]["sha256"]).to eq(Digest::SHA256.hexdigest(artifact))
    expect(result.payload_type).to eq("application/vnd.in-toto+json")
    expect(result.integrated_time).to be_a(Time)
    expect(result.integrated_time).to be_within(86_400 * 3650).of(Time.now)
    expect(result.log_index).to be >= 1000
    expect(result.key_id).to be_nil
  end

  it "returns nil statement for message signatures and the key id for managed keys" do
    pem = read.call("managed_key.pem")
    result = verifier.verify(read.call("bundles/managed_key.json"), artifact:, key: pem)
    expect(result.statement).to be_nil
    der = OpenSSL::PKey.read(pem).public_to_der
    expect(result.key_id).to eq(Digest::SHA256.hexdigest(der))
    again = verifier.verify(read.call("bundles/managed_key.json"), artifact:, key: OpenSSL::PKey.read(pem))
    expect(again.key_id).to eq(result.key_id)
  end

  it "matches identity_regex unanchored, and refuses a regex that does not match" do
    bundle = read.call("bundles/hashedrekord_v0.3.json")
    expect(verifier.verify(bundle, artifact:, identity_regex: %r{/group/project//}, issuer:))
      .to be_a(PipelineGuard::Sigstore::Result)
    expect do
      verifier.verify(bundle, artifact:, identity_regex: "^https://gitlab\\.example\\.com/other/",
                              issuer:)
    end.to raise_error(PipelineGuard::Sigstore::VerificationError, /identity/)
  end

  it "matches artifact digests of any algorithm the statement carries" do
    bundle = read.call("bundles/dsse_v0.3.json")
    digest = "sha256:#{Digest::SHA256.hexdigest(artifact).upcase}"
    expect(verifier.verify(bundle, artifact_digest: digest, identity:, issuer:))
      .to be_a(PipelineGuard::Sigstore::Result)
    expect do
      verifier.verify(bundle, artifact_digest: "sha512:#{Digest::SHA512.hexdigest(artifact)}", identity:,
                              issuer:)
    end.to raise_error(PipelineGuard::Sigstore::VerificationError, /subject/)
  end

  describe "arguments" do
    let(:bundle) { read.call("bundles/hashedrekord_v0.3.json") }

    it "raises ArgumentError for contradictory or missing options" do
      expect do
        verifier.verify(bundle, artifact:, artifact_digest: "sha256:00", identity:, issuer:)
      end
        .to raise_error(ArgumentError)
      expect { verifier.verify(bundle, identity:, issuer:) }.to raise_error(ArgumentError)
      expect { verifier.verify(bundle, artifact:, identity:, issuer:, key: "x") }
        .to raise_error(ArgumentError)
      expect { verifier.verify(bundle, artifact:, identity:) }.to raise_error(ArgumentError)
      expect { verifier.verify(bundle, artifact_digest: "md5:00", identity:, issuer:) }
        .to raise_error(ArgumentError)
      expect { verifier.verify(bundle, artifact:, identity_regex: "(", issuer:) }
        .to raise_error(ArgumentError, /identity_regex/)
    end

    it "raises InvalidKeyError for an unusable key" do
      expect { verifier.verify(bundle, artifact:, key: "not a key") }
        .to raise_error(PipelineGuard::InvalidKeyError)
    end

    it "raises InvalidInput for a trusted root that does not parse" do
      expect { PipelineGuard::Sigstore::TrustedRoot.from_json("{") }.to raise_error(PipelineGuard::InvalidInput)
      expect { PipelineGuard::Sigstore::TrustedRoot.from_json('{"mediaType":"x"}') }
        .to raise_error(PipelineGuard::InvalidInput)
    end
  end

  describe "hostile bundles" do
    it "refuses non-JSON, wrong shapes, and deep nesting with VerificationError, quickly" do
      deep = "#{'[' * 100_000}#{']' * 100_000}"
      huge = JSON.generate("mediaType" => "x", "pad" => "a" * (17 * 1024 * 1024))
      ["", "null", "[]", "{}", '{"mediaType":1}', deep, huge, "\xff\xfe".b].each do |bad|
        started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
        expect { verifier.verify(bad, artifact:, identity:, issuer:) }
          .to raise_error(PipelineGuard::Sigstore::VerificationError)
        expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 1.0
      end
    end

    it "refuses absurd certificate chains and malformed DER" do
      bundle = JSON.parse(read.call("bundles/hashedrekord_v0.2.json"))
      chain = bundle["verificationMaterial"]["x509CertificateChain"]["certificates"]
      long = bundle.merge("verificationMaterial" => bundle["verificationMaterial"].merge(
        "x509CertificateChain" => { "certificates" => chain * 1000 }
      ))
      expect { verifier.verify(long, artifact:, identity:, issuer:) }
        .to raise_error(PipelineGuard::Sigstore::VerificationError, /too long/)
      chain[0] = { "rawBytes" => Base64.strict_encode64("\x30\x82\xff\xff\x02\x01".b) }
      expect { verifier.verify(bundle, artifact:, identity:, issuer:) }
        .to raise_error(PipelineGuard::Sigstore::VerificationError)
    end
  end

  describe "#verify_many" do
    it "returns a Result or a VerificationError per bundle, in order" do
      names = cases.select { |c| c["artifact"] == "artifact.txt" && c["identity"] == identity && c["issuer"] == issuer }
      bundles = names.map { |c| read.call(c["bundle"]) }
      results = verifier.verify_many(bundles, artifacts: [artifact] * bundles.size, identity:, issuer:)
      expect(results.size).to eq(names.size)
      names.zip(results).each do |kase, r|
        expected = kase["expect"] == "ok" ? PipelineGuard::Sigstore::Result : PipelineGuard::Sigstore::VerificationError
        expect(r).to be_a(expected), "#{kase['name']}: #{r.inspect}"
      end
    end

    it "raises ArgumentError when artifacts and bundles differ in number" do
      expect { verifier.verify_many(["{}"], artifacts: [], identity:, issuer:) }
        .to raise_error(ArgumentError)
    end
  end

  describe PipelineGuard::Sigstore::TrustedRoot do
    it "embeds the public-good trusted root" do
      expect(described_class.production.inspect).to match(/tlogs=2 ctlogs=2 certificate_authorities=2/)
      expect(described_class.production).to equal(described_class.production)
    end
  end
end
