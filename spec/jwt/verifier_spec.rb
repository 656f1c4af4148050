# frozen_string_literal: true

RSpec.describe PipelineGuard::JWT::Verifier do
  rsa = OpenSSL::PKey::RSA.new(2048)
  signer = PipelineGuard::JWT::Signer.new(rsa, kid: "ci-1")

  let(:now) { Time.now.to_i }
  let(:claims) { { "iss" => "https://gitlab", "aud" => "https://bao", "sub" => "job", "exp" => now + 300 } }
  let(:verifier) do
    described_class.new(jwks: signer.jwks, algorithms: ["RS256"], issuer: "https://gitlab",
                        audience: %w[https://bao other], leeway: 5, required_claims: ["sub"])
  end

  it "verifies and returns the claims", :gc_stress do
    expect(verifier.verify(signer.sign(claims))).to eq(claims)
    expect(verifier.kids).to eq(["ci-1"])
    expect(verifier.jwks).to eq(signer.jwks)
    expect(verifier.inspect).to eq("#<PipelineGuard::JWT::Verifier keys=1 leeway=5>")
  end

  it "applies issuer, audience, leeway and required claims" do
    expect { verifier.verify(signer.sign(claims.merge("iss" => "x"))) }
      .to raise_error(PipelineGuard::JWT::InvalidIssuerError, 'Invalid issuer. Expected ["https://gitlab"], received x')
    expect { verifier.verify(signer.sign(claims.merge("aud" => "x"))) }
      .to raise_error(PipelineGuard::JWT::InvalidAudError)
    expect { verifier.verify(signer.sign(claims.except("sub"))) }
      .to raise_error(PipelineGuard::JWT::MissingRequiredClaim, "Missing required claim sub")
    expect(verifier.verify(signer.sign(claims.merge("exp" => now - 2)))).to include("sub" => "job")
    expect { verifier.verify(signer.sign(claims.merge("exp" => now - 10))) }
      .to raise_error(PipelineGuard::JWT::ExpiredSignature)
    token = signer.sign(claims)
    expect { verifier.verify_at(token, Time.at(now + 1000)) }.to raise_error(PipelineGuard::JWT::ExpiredSignature)
    expect(verifier.verify_at(token, now)).to eq(claims)
  end

  it "takes keys as OpenSSL objects, PEM or JWK and refuses bad configuration" do
    token = signer.sign(claims)
    [rsa, rsa.public_key.to_pem, signer.public_jwk, [rsa.public_key]].each do |key|
      expect(described_class.new(keys: key, algorithms: ["RS256"]).verify(token)).to eq(claims)
    end
    expect(described_class.new(jwks: JSON.generate(signer.jwks), algorithms: "RS256").verify(token)).to eq(claims)
    expect { described_class.new(jwks: signer.jwks, algorithms: []) }
      .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm, "An algorithm must be specified")
    expect { described_class.new(jwks: signer.jwks, algorithms: ["none"]) }
      .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
    expect { described_class.new(algorithms: ["RS256"]) }.to raise_error(PipelineGuard::JWT::JWKError)
    expect do
      described_class.new(jwks: { "keys" => [{ "kty" => "RSA", "n" => "AQAB", "e" => "AQAB" }] }, algorithms: ["RS256"])
    end
      .to raise_error(PipelineGuard::JWT::JWKError)
    expect do
      described_class.new(jwks: { "nope" => 1 }, algorithms: ["RS256"])
    end.to raise_error(PipelineGuard::JWT::JWKError)
    expect { verifier.verify(nil) }.to raise_error(TypeError)
    expect { Marshal.dump(verifier) }.to raise_error(TypeError)
  end

  it "reads its keywords natively, once, with Ruby's keyword errors" do
    # `new` only routes a JwksCache elsewhere; every other call is the native constructor.
    expect(described_class.method(:new).super_method.owner).to eq(described_class.singleton_class)
    expect(described_class.method(:new).owner).to eq(PipelineGuard::JWT::JwksCache::VerifierFactory)
    expect(described_class).not_to respond_to(:_new)
    expect { described_class.new(jwks: signer.jwks, algorithms: ["RS256"], audiences: "x") }
      .to raise_error(ArgumentError, "unknown keyword: :audiences")
    expect { described_class.new(jwks: signer.jwks) }.to raise_error(ArgumentError, "missing keyword: :algorithms")
    expect { described_class.new(jwks: "{not json", algorithms: ["RS256"]) }
      .to raise_error(PipelineGuard::JWT::JWKError, /Invalid JWKS: not valid JSON/)
    relaxed = described_class.new(jwks: signer.jwks, algorithms: :RS256, leeway: "30", audience: Set[:gitlab])
    expect(relaxed.inspect).to include("leeway=30")
    expect { described_class.new(jwks: signer.jwks, algorithms: ["RS256"], leeway: "soon") }
      .to raise_error(ArgumentError)
  end

  describe "#verify_many" do
    it "returns claims or the DecodeError for each token, in order", :gc_stress do
      tokens = Array.new(200) { |i| signer.sign(claims.merge("n" => i)) }
      tokens[3] = "garbage"
      tokens[150] = signer.sign(claims.merge("iss" => "evil"))
      tokens[199] = tokens[0].dup.tap { |t| t[-20] = t[-20] == "A" ? "B" : "A" }
      results = verifier.verify_many(tokens)
      expect(results.size).to eq(200)
      expect(results[0]).to eq(claims.merge("n" => 0))
      expect(results[3]).to be_a(PipelineGuard::JWT::DecodeError)
      expect(results[150]).to be_a(PipelineGuard::JWT::InvalidIssuerError)
      expect(results[199]).to be_a(PipelineGuard::JWT::VerificationError)
      good = results.each_with_index.reject { |_, i| [3, 150, 199].include?(i) }
      expect(good.map { |r, i| r["n"] == i }).to all(be(true))
      expect(verifier.verify_many([])).to eq([])
      expect(verifier.verify_many(["\xff".b])).to match([be_a(PipelineGuard::JWT::DecodeError)])
      expect { verifier.verify_many([1]) }.to raise_error(TypeError)
      expect(verifier.verify_many(tokens.first(1), at: now + 1000).first).to be_a(PipelineGuard::JWT::ExpiredSignature)
    end

    it "verify_many! raises the first failure with its index" do
      tokens = [signer.sign(claims), signer.sign(claims.merge("exp" => now - 60)), "x"]
      expect { verifier.verify_many!(tokens) }
        .to raise_error(PipelineGuard::JWT::ExpiredSignature, "item 1: Signature has expired")
      expect(verifier.verify_many!(tokens.first(1))).to eq([claims])
    end

    it "agrees with verify one by one on a large batch" do
      tokens = Array.new(1000) { |i| i % 7 == 3 ? "#{signer.sign(claims)}x" : signer.sign(claims.merge("i" => i)) }
      one_by_one = tokens.map do |t|
        verifier.verify(t)
      rescue PipelineGuard::JWT::DecodeError => e
        e.class
      end
      batch = verifier.verify_many(tokens).map { |r| r.is_a?(Exception) ? r.class : r }
      expect(batch).to eq(one_by_one)
    end

    it "works in a forked child after the parent used the parallel batch" do
      skip "fork unavailable" unless Process.respond_to?(:fork)
      tokens = Array.new(300) { signer.sign(claims) }
      expect(verifier.verify_many(tokens)).to all(eq(claims))
      reader, writer = IO.pipe
      pid = fork do
        reader.close
        out = verifier.verify_many(tokens)
        writer.write(out.all?(claims) && out.size == 300 ? "ok" : "mismatch")
        writer.close
        exit!(0)
      end
      writer.close
      _, status = Process.wait2(pid)
      expect(status.exitstatus).to eq(0)
      expect(reader.read).to eq("ok")
    end
  end

  it "serves many threads at once (verify, verify_many, decode, sign)" do
    errors = Queue.new
    secret = "t" * 32
    threads = Array.new(8) do |t|
      Thread.new do
        60.times do |i|
          c = claims.merge("t" => t, "i" => i)
          errors << [t, i, :verify] unless verifier.verify(signer.sign(c)) == c
          hs = PipelineGuard::JWT.encode(c, secret, "HS256")
          errors << [t, i, :decode] unless PipelineGuard::JWT.decode(hs, secret, true, algorithms: ["HS256"]).first == c
          errors << [t, i, :many] if (i % 20).zero? && !verifier.verify_many([signer.sign(c)] * 70).all?(c)
        end
      end
    end
    threads.each(&:join)
    expect(errors).to be_empty
  end

  # In a child process: the Debian rbs 2.1 C extension used by
  # spec/signatures_spec.rb is not compaction-safe, so the parent's heap
  # must not be compacted.
  it "survives GC compaction that moves every object" do
    skip "fork unavailable" unless Process.respond_to?(:fork)
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      tokens = Array.new(20) { |i| signer.sign(claims.merge("i" => i)) }
      secret = "c" * 32
      hs = PipelineGuard::JWT.encode(claims, secret, "HS256")
      PipelineGuard::JWT.decode(hs, secret, true, algorithms: ["HS256"])
      GC.verify_compaction_references(double_heap: true, toward: :empty)
      ok = tokens.each_with_index.all? { |t, i| verifier.verify(t)["i"] == i } &&
           verifier.verify_many(tokens * 5).size == 100 &&
           PipelineGuard::JWT.decode(hs, secret, true, algorithms: ["HS256"]).first == claims
      writer.write(ok ? "ok" : "mismatch")
      writer.close
      exit!(0)
    end
    writer.close
    _, status = Process.wait2(pid)
    expect(status.exitstatus).to eq(0)
    expect(reader.read).to eq("ok")
  end
end
