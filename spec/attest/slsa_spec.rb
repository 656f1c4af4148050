# frozen_string_literal: true

require "spec_helper"
require "digest"
require "openssl"
require "stringio"
require "tmpdir"

RSpec.describe PipelineGuard::SLSA do
  data = File.expand_path("../../core/tests/data", __dir__)
  let(:example_text) { File.read(File.join(data, "gitlab_provenance_example.json")) }
  let(:facts) { JSON.parse(File.read(File.join(data, "gitlab_provenance_facts.json"))) }

  describe "Provenance.build" do
    it "rebuilds GitLab's documented example statement byte for byte from its facts", :gc_stress do
      stmt = described_class::Provenance.build(facts)
      expect(JSON.pretty_generate(stmt)).to eq(example_text.chomp)
      expect(JSON.generate(stmt)).to eq(JSON.generate(JSON.parse(example_text)))
      expect(JSON.generate(stmt)).not_to include("s3cr3t")
    end

    it "takes symbol keys, Time objects, and subjects given by path or IO (SHA-256 and SHA-512)" do
      Dir.mktmpdir do |dir|
        path = File.join(dir, "app.tar")
        File.binwrite(path, "artifact bytes" * 1000)
        stmt = described_class::Provenance.build(
          facts.transform_keys(&:to_sym).merge(
            subjects: [{ name: "app.tar", path: }, { name: "io.bin", io: StringIO.new("io bytes") }],
            started_at: Time.utc(2025, 6, 5, 1, 33, 18.5), finished_at: Time.new(2025, 6, 5, 3, 33, 23, "+02:00")
          )
        )
        file_digest = { "sha256" => Digest::SHA256.file(path).hexdigest,
                        "sha512" => Digest::SHA512.file(path).hexdigest }
        io_digest = { "sha256" => Digest::SHA256.hexdigest("io bytes"),
                      "sha512" => Digest::SHA512.hexdigest("io bytes") }
        expect(stmt["subject"]).to eq([{ "name" => "app.tar", "digest" => file_digest },
                                       { "name" => "io.bin", "digest" => io_digest }])
        expect(stmt.dig("predicate", "runDetails", "metadata"))
          .to eq("invocationId" => 412, "startedOn" => "2025-06-05T01:33:18Z", "finishedOn" => "2025-06-05T01:33:23Z")
      end
    end

    it "refuses bad facts with ProvenanceError naming the field" do
      { "commit_sha" => "abc", "job_id" => "412", "started_at" => "yesterday", "comit_sha" => "x",
        "subjects" => [] }.each do |field, value|
        expect { described_class::Provenance.build(facts.merge(field => value)) }
          .to raise_error(described_class::ProvenanceError, /#{field}|subject/)
      end
      expect { described_class::Provenance.build(facts.except("builder_id")) }
        .to raise_error(described_class::ProvenanceError, /builder_id/)
      expect { described_class::Provenance.build("x") }.to raise_error(TypeError)
    end
  end

  describe ".digest" do
    it "streams files and IOs and matches Ruby's digests" do
      Dir.mktmpdir do |dir|
        path = File.join(dir, "a")
        bytes = Random.new(1).bytes((3 * 1024 * 1024) + 17)
        File.binwrite(path, bytes)
        want = { "sha256" => Digest::SHA256.hexdigest(bytes), "sha512" => Digest::SHA512.hexdigest(bytes) }
        expect(described_class.digest(path)).to eq(want)
        expect(described_class.digest(Pathname(path))).to eq(want)
        File.open(path, "rb") { |f| expect(described_class.digest(f)).to eq(want) }
        expect(described_class.digest_bytes(bytes,
                                            algorithms: %w[sha384])).to eq("sha384" => Digest::SHA384.hexdigest(bytes))
      end
    end

    it "refuses artifacts above 100 MB (exactly 100 MB is accepted), without reading a larger file" do
      Dir.mktmpdir do |dir|
        path = File.join(dir, "big")
        File.open(path, "wb") { |f| f.truncate(described_class::MAX_ARTIFACT_BYTES + 1) }
        expect { described_class.digest(path) }.to raise_error(described_class::ArtifactTooLarge, /100 MB/)
        File.truncate(path, described_class::MAX_ARTIFACT_BYTES)
        expect(described_class.digest(path, algorithms: %w[sha256]))
          .to eq("sha256" => "20492a4d0d84f8beb1767f6616229f85d44c2827b64bdbfb260ee12fa1109e0e")
      end
      expect do
        described_class.digest(StringIO.new("x" * 11), limit: 10)
      end.to raise_error(described_class::ArtifactTooLarge)
      expect(described_class::ArtifactTooLarge.ancestors).to include(described_class::ProvenanceError,
                                                                     PipelineGuard::Error)
    end

    it "reports unreadable paths and bad algorithms" do
      expect do
        described_class.digest("/nonexistent/file")
      end.to raise_error(described_class::ProvenanceError, /not found/i)
      expect { described_class.digest_bytes("x", algorithms: %w[md5]) }.to raise_error(ArgumentError, /md5/)
      expect { described_class.digest(42) }.to raise_error(TypeError)
    end

    it "hashes files without holding the GVL" do
      Dir.mktmpdir do |dir|
        path = File.join(dir, "big")
        File.binwrite(path, "\x01".b * described_class::MAX_ARTIFACT_BYTES)
        clock = -> { Process.clock_gettime(Process::CLOCK_MONOTONIC) }
        took = nil
        worker = Thread.new do
          t0 = clock.call
          described_class.digest(path, algorithms: %w[sha256 sha512])
          took = clock.call - t0
        end
        # The longest stretch this thread could not run while the worker
        # hashed: the whole hash if the GVL were held.
        longest = 0.0
        last = clock.call
        while worker.alive?
          now = clock.call
          longest = [longest, now - last].max
          last = now
        end
        worker.join
        expect(longest).to be < took / 2
      end
    end
  end

  describe ".verify_provenance" do
    let(:key) { OpenSSL::PKey::EC.generate("prime256v1") }
    let(:artifact) { "the built artifact" }
    let(:statement) do
      described_class::Provenance.build(
        facts.merge("build_type" => described_class::GITLAB_BUILD_TYPE,
                    "subjects" => [{ "name" => "artifacts.zip", "digest" => described_class.digest_bytes(artifact) }])
      )
    end
    let(:envelope) do
      PipelineGuard::DSSE.sign(JSON.generate(statement), payload_type: PipelineGuard::DSSE::IN_TOTO_PAYLOAD_TYPE,
                                                         signer: key)
    end
    let(:expect_ok) do
      { source_uri: "http://gdk.test:3000/root/repo_name", builder_id: "http://gdk.test:3000/groups/user/-/runners/33" }
    end

    def failure(input = envelope, **opts)
      described_class.verify_provenance(input, keys: key, **expect_ok, artifact:, **opts)
      nil
    rescue described_class::VerificationError => e
      e.expectation
    end

    it "accepts provenance signed by the platform key for the artifact, given as bytes, IO, path or digest",
       :gc_stress do
      expect(described_class.verify_provenance(JSON.generate(envelope), keys: key, artifact:, **expect_ok))
        .to eq(statement)
      expect(described_class.verify_provenance(envelope, keys: key, artifact: StringIO.new(artifact), **expect_ok))
        .to eq(statement)
      sha = Digest::SHA256.hexdigest(artifact)
      commit = "a288201509dd9a85da4141e07522bad412938dbe"
      expect(described_class.verify_provenance(envelope, keys: [key], artifact_digest: "sha256:#{sha.upcase}",
                                                         commit:, **expect_ok))
        .to eq(statement)
      Dir.mktmpdir do |dir|
        File.binwrite(File.join(dir, "a"), artifact)
        expect(described_class.verify_provenance(envelope, keys: key, artifact: Pathname(File.join(dir, "a")),
                                                           **expect_ok)).to eq(statement)
      end
    end

    it "names the failed expectation" do
      expect(failure(artifact: "another artifact")).to eq(:subject)
      expect(failure(builder_id: "http://gdk.test:3000/groups/evil/-/runners/1")).to eq(:builder_id)
      expect(failure(source_uri: "http://gdk.test:3000/root/fork")).to eq(:source_uri)
      expect(failure(source_ref: "main")).to eq(:source_ref)
      expect(failure(commit: "b" * 40)).to eq(:commit)
      expect(failure(build_type: "https://example.com/other")).to eq(:build_type)
      expect(failure(predicate_type: "https://slsa.dev/provenance/v0.2")).to eq(:predicate_type)
      other = OpenSSL::PKey::EC.generate("prime256v1")
      in_toto = PipelineGuard::DSSE::IN_TOTO_PAYLOAD_TYPE
      forged = PipelineGuard::DSSE.sign(JSON.generate(statement), payload_type: in_toto, signer: other)
      expect(failure(forged)).to eq(:signature)
      expect(failure(envelope.merge("payload" => Base64.strict_encode64(JSON.generate(statement.merge("x" => 1))))))
        .to eq(:signature)
      wrong_type = PipelineGuard::DSSE.sign(JSON.generate(statement), payload_type: "application/json", signer: key)
      expect(failure(wrong_type)).to eq(:signature)
      not_json = PipelineGuard::DSSE.sign("{", payload_type: PipelineGuard::DSSE::IN_TOTO_PAYLOAD_TYPE, signer: key)
      expect(failure(not_json)).to eq(:statement)
      expect(failure("not json")).to eq(:signature)
      expect(failure(statement)).to eq(:signature) # an unsigned statement is not provenance
    end

    it "refuses contradictory or missing arguments with ArgumentError" do
      expect do
        described_class.verify_provenance(envelope, keys: key, artifact:, artifact_digest: "sha256:00", **expect_ok)
      end
        .to raise_error(ArgumentError)
      expect { described_class.verify_provenance(envelope, keys: key, **expect_ok) }.to raise_error(ArgumentError)
      expect { described_class.verify_provenance(envelope, keys: key, artifact_digest: "md5:00", **expect_ok) }
        .to raise_error(ArgumentError)
      expect do
        described_class.verify_provenance(envelope, artifact:, **expect_ok)
      end.to raise_error(ArgumentError, /keys/)
    end

    it "hands Sigstore bundles to a Sigstore verifier and checks its statement" do
      bundle = { "mediaType" => "application/vnd.dev.sigstore.bundle.v0.3+json", "dsseEnvelope" => envelope }
      expect(failure(bundle)).to eq(:signature)
      result = Struct.new(:statement).new(statement)
      sigstore = double("verifier")
      expect(sigstore).to receive(:verify)
        .with(JSON.generate(bundle), artifact_digest: "sha256:#{Digest::SHA256.hexdigest(artifact)}", identity: "i")
        .and_return(result)
      expect(described_class.verify_provenance(bundle, sigstore:, sigstore_options: { identity: "i" }, artifact:,
                                                       **expect_ok)).to eq(statement)
    end

    it "reports a bundle the real Sigstore verifier refuses as a SLSA :signature failure" do
      fixtures = File.expand_path("../fixtures/sigstore", __dir__)
      root = PipelineGuard::Sigstore::TrustedRoot.from_json(File.read(File.join(fixtures, "trusted_root.json")))
      sigstore = PipelineGuard::Sigstore::Verifier.new(trusted_root: root)
      bundle = File.read(File.join(fixtures, "bundles/dsse_v0.3.json"))
      identity = "https://gitlab.example.com/group/project//.gitlab-ci.yml@refs/heads/main"
      refused = lambda do |file, **options|
        described_class.verify_provenance(bundle, sigstore:, sigstore_options: options,
                                                  artifact: File.binread(File.join(fixtures, file)), **expect_ok)
      end
      [["other_artifact.txt", identity], ["artifact.txt", "https://elsewhere.example/x"]].each do |file, who|
        expect { refused.call(file, identity: who, issuer: "https://gitlab.example.com") }
          .to raise_error(described_class::VerificationError) { |e| expect(e.expectation).to eq(:signature) }
      end
    end
  end
end
