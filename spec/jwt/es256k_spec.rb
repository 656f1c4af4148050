# frozen_string_literal: true

# ES256K (ECDSA on secp256k1 with SHA-256, RFC 8812), checked against
# OpenSSL's own signatures, and bound to its curve like the other ES*.
RSpec.describe "PipelineGuard::JWT ES256K" do
  let(:key) { OpenSSL::PKey::EC.generate("secp256k1") }
  let(:public_key) { OpenSSL::PKey.read(key.public_to_der) }

  # OpenSSL signs DER; JWS wants the raw r || s.
  def raw_signature(der)
    OpenSSL::ASN1.decode(der).value.map { |int| int.value.to_s(2).rjust(32, "\0") }.join
  end

  it "verifies OpenSSL's signatures and signs what OpenSSL verifies" do
    signature = raw_signature(key.sign("SHA256", "message"))
    expect(PipelineGuard::Crypto.verify_signature("ES256K", public_key, "message", signature)).to be(true)
    expect(PipelineGuard::Crypto.verify_signature("ES256K", public_key, "massage", signature)).to be(false)

    token = PipelineGuard::JWT.encode({ "sub" => "x" }, key, "ES256K")
    header, payload, sig = token.split(".")
    raw = PipelineGuard::JWT::Base64.url_decode(sig)
    der = OpenSSL::ASN1::Sequence.new([raw[0, 32], raw[32, 32]].map do |half|
      OpenSSL::ASN1::Integer.new(OpenSSL::BN.new(half, 2))
    end).to_der
    expect(public_key.verify("SHA256", der, "#{header}.#{payload}")).to be(true)
    expect(PipelineGuard::JWT.decode(token, public_key, true, algorithms: ["ES256K"]))
      .to eq([{ "sub" => "x" }, { "alg" => "ES256K" }])
  end

  it "publishes and reads JWKs with crv secp256k1; a Signer defaults to ES256K" do
    signer = PipelineGuard::JWT::Signer.new(key)
    jwk = signer.public_jwk
    expect(jwk).to include("kty" => "EC", "crv" => "secp256k1", "alg" => "ES256K")
    token = signer.sign({ "exp" => Time.now.to_i + 60 })
    verifier = PipelineGuard::JWT::Verifier.new(jwks: signer.jwks, algorithms: ["ES256K"])
    expect(verifier.verify(token)).to include("exp")
    payload, = PipelineGuard::JWT.decode(token, nil, true, algorithms: ["ES256K"], jwks: signer.jwks)
    expect(payload).to include("exp")
  end

  it "binds secp256k1 keys to ES256K and the NIST curves to theirs" do
    p256 = OpenSSL::PKey::EC.generate("prime256v1")
    expect { PipelineGuard::JWT.encode({}, p256, "ES256K") }
      .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm,
                      "payload algorithm is ES256K but ES256 signing key was provided")
    k1_token = PipelineGuard::JWT.encode({}, key, "ES256K")
    expect { PipelineGuard::JWT.decode(k1_token, p256, true, algorithms: ["ES256K"]) }
      .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
    p256_token = PipelineGuard::JWT.encode({}, p256, "ES256")
    _header, payload, signature = p256_token.split(".")
    forged = [PipelineGuard::JWT::Base64.url_encode('{"alg":"ES256K"}'), payload, signature].join(".")
    expect { PipelineGuard::JWT.decode(forged, public_key, true, algorithms: ["ES256K"]) }
      .to raise_error(PipelineGuard::JWT::VerificationError)
    expect { PipelineGuard::JWT.decode(p256_token, public_key, true, algorithms: %w[ES256 ES256K]) }
      .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
  end
end
