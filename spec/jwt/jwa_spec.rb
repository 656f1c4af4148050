# frozen_string_literal: true

# JWT::JWA algorithm objects: the built-in ones sign and verify natively
# with the same key binding as encode/decode; custom ones sign and verify
# themselves while decode keeps every other check.
RSpec.describe PipelineGuard::JWT::JWA do
  let(:jwt) { PipelineGuard::JWT }
  let(:secret) { "s" * 32 }
  let(:custom) do
    Class.new do
      include PipelineGuard::JWT::JWA::SigningAlgorithm

      def initialize(alg: "custom") = @alg = alg
      def sign(data:, signing_key:) = OpenSSL::HMAC.digest("SHA256", signing_key, data)
      def verify(data:, signature:, verification_key:) = sign(data:, signing_key: verification_key) == signature
    end
  end

  def token_with(header, payload, key)
    input = [header, payload].map { |part| jwt::Base64.url_encode(JSON.generate(part)) }.join(".")
    "#{input}.#{jwt::Base64.url_encode(OpenSSL::HMAC.digest('SHA256', key, input))}"
  end

  it "resolves names to the registered objects and unknown names to Unsupported" do
    expect(described_class.resolve("hs256")).to be_a(described_class::Hmac).and have_attributes(alg: "HS256")
    expect(described_class.resolve(:ES256K)).to be_a(described_class::Ecdsa).and have_attributes(alg: "ES256K")
    expect(described_class.resolve("XS1")).to eq(described_class::Unsupported)
    expect { jwt.encode({}, secret, described_class.resolve("XS1")) }
      .to raise_error(jwt::EncodeError, "Unsupported signing method")
  end

  it "built-in objects encode exactly as their names, and decode through the native path", :gc_stress do
    hmac = described_class.resolve("HS256")
    expect(jwt.encode({ "a" => 1 }, secret, hmac)).to eq(jwt.encode({ "a" => 1 }, secret, "HS256"))
    token = jwt.encode({ "a" => 1 }, secret, "HS256")
    expect(jwt.decode(token, secret, true, algorithm: hmac)).to eq([{ "a" => 1 }, { "alg" => "HS256" }])
  end

  it "never uses a public key PEM as an HMAC secret, as the gem's OpenSSL HMAC would" do
    pem = OpenSSL::PKey::RSA.new(2048).public_key.to_pem
    hmac = described_class.resolve("HS256")
    expect { hmac.sign(data: "x", signing_key: pem) }.to raise_error(jwt::EncodeError)
    forged = OpenSSL::HMAC.digest("SHA256", pem, "x")
    expect { hmac.verify(data: "x", signature: forged, verification_key: pem) }
      .to raise_error(jwt::IncorrectAlgorithm)
  end

  it "binds EC keys to their curve and refuses weak RSA keys" do
    es256 = described_class.resolve("ES256")
    p384 = OpenSSL::PKey::EC.generate("secp384r1")
    expect { es256.sign(data: "x", signing_key: p384) }
      .to raise_error(jwt::IncorrectAlgorithm, "payload algorithm is ES256 but ES384 signing key was provided")
    expect { es256.verify(data: "x", signature: "s" * 64, verification_key: p384) }
      .to raise_error(jwt::IncorrectAlgorithm, "payload algorithm is ES256 but ES384 verification key was provided")
    expect { described_class.resolve("RS256").sign(data: "x", signing_key: OpenSSL::PKey::RSA.new(1024)) }
      .to raise_error(jwt::EncodeError)
  end

  it "verifies ES256K and PS256 signatures against OpenSSL", :gc_stress do
    k1 = OpenSSL::PKey::EC.generate("secp256k1")
    es256k = described_class::Ecdsa.new("ES256K", "sha256")
    expect(es256k.verify(data: "x", signature: es256k.sign(data: "x", signing_key: k1),
                         verification_key: k1)).to be(true)
    rsa = OpenSSL::PKey::RSA.new(2048)
    ps = described_class::Ps.new("PS256")
    openssl_sig = rsa.sign_pss("SHA256", "x", salt_length: :digest, mgf1_hash: "SHA256")
    expect(ps.verify(data: "x", signature: openssl_sig, verification_key: rsa.public_key)).to be(true)
    expect(ps.verify(data: "y", signature: openssl_sig, verification_key: rsa.public_key)).to be(false)
  end

  describe "custom algorithms in decode" do
    it "still checks the claims, with the same checks as any decode" do
      token = jwt.encode({ "exp" => Time.now.to_i - 10 }, secret, custom.new)
      expect { jwt.decode(token, secret, true, algorithm: custom.new) }
        .to raise_error(jwt::ExpiredSignature, "Signature has expired")
      expect { jwt.decode(jwt.encode({}, secret, custom.new), secret, true, algorithm: custom.new, verify_iss: true) }
        .to raise_error(ArgumentError, /verify_iss/)
    end

    it "refuses none, crit and key-carrying headers" do
      none = jwt.encode({}, nil, described_class::None.new)
      expect(none).to end_with(".")
      expect { jwt.decode("#{none}c2ln", secret, true, algorithm: custom.new(alg: "none")) }
        .to raise_error(jwt::IncorrectAlgorithm, 'Algorithm "none" is not allowed')
      crit = token_with({ "alg" => "custom", "crit" => ["x"] }, {}, secret)
      expect { jwt.decode(crit, secret, true, algorithm: custom.new) }.to raise_error(jwt::InvalidCritError)
      jku = token_with({ "alg" => "custom", "jku" => "https://evil.example/keys" }, {}, secret)
      expect { jwt.decode(jku, secret, true, algorithm: custom.new) }.to raise_error(jwt::DecodeError, /jku/)
    end

    it "takes the native path for a token whose alg only a name in the list allows" do
      pem = OpenSSL::PKey::RSA.new(2048).public_key.to_pem
      forged = token_with({ "alg" => "HS256" }, {}, pem)
      expect { jwt.decode(forged, pem, true, algorithms: [custom.new, "HS256"]) }.to raise_error(jwt::DecodeError)
      good = jwt.encode({ "a" => 1 }, secret, "HS256")
      expect(jwt.decode(good, secret, true, algorithms: [custom.new, "HS256"]).first).to eq("a" => 1)
    end

    it "fails on a wrong signature and on an unlisted alg" do
      token = jwt.encode({}, secret, custom.new)
      expect { jwt.decode(token, "t" * 32, true, algorithm: custom.new) }
        .to raise_error(jwt::VerificationError, "Signature verification failed")
      expect { jwt.decode(token, secret, true, algorithm: custom.new(alg: "other")) }
        .to raise_error(jwt::IncorrectAlgorithm, "Expected a different algorithm")
      expect { jwt.decode(token, nil, true, algorithm: custom.new) }
        .to raise_error(jwt::DecodeError, "No verification key available")
    end
  end
end
