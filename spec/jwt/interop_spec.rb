# frozen_string_literal: true

require "jwt"

# Tokens cross both ways between PipelineGuard::JWT and the jwt gem (2.x)
# for every algorithm the gem supports without extra gems; EdDSA is
# checked against OpenSSL's Ed25519 directly (the gem needs rbnacl for it).
RSpec.describe "PipelineGuard::JWT interop" do
  secret = "s" * 64
  rsa = OpenSSL::PKey::RSA.new(2048)
  keys = {
    "HS256" => [secret, secret], "HS384" => [secret, secret], "HS512" => [secret, secret],
    "ES256" => [(ec256 = OpenSSL::PKey::EC.generate("prime256v1")), OpenSSL::PKey.read(ec256.public_to_der)],
    "ES384" => [(ec384 = OpenSSL::PKey::EC.generate("secp384r1")), OpenSSL::PKey.read(ec384.public_to_der)],
    "ES512" => [(ec521 = OpenSSL::PKey::EC.generate("secp521r1")), OpenSSL::PKey.read(ec521.public_to_der)],
    "ES256K" => [(k1 = OpenSSL::PKey::EC.generate("secp256k1")), OpenSSL::PKey.read(k1.public_to_der)]
  }
  %w[RS256 RS384 RS512 PS256 PS384 PS512].each { |alg| keys[alg] = [rsa, rsa.public_key] }

  let(:claims) { { "sub" => "job_42", "exp" => Time.now.to_i + 600, "nested" => { "list" => [1, 2.5, nil, true] } } }

  keys.each do |alg, (private_key, public_key)|
    describe alg do
      it "decodes what the jwt gem encodes" do
        token = JWT.encode(claims, private_key, alg, { "kid" => "k1" })
        payload, header = PipelineGuard::JWT.decode(token, public_key, true, algorithms: [alg])
        expect(payload).to eq(claims)
        expect(header).to eq("alg" => alg, "kid" => "k1")
      end

      it "encodes what the jwt gem decodes" do
        token = PipelineGuard::JWT.encode(claims, private_key, alg, kid: "k2")
        payload, header = JWT.decode(token, public_key, true, algorithms: [alg])
        expect(payload).to eq(claims)
        expect(header).to eq("kid" => "k2", "alg" => alg)
        expect(header.keys).to eq(%w[kid alg])
      end

      it "encodes the same bytes as the jwt gem (the signature too where it is deterministic)" do
        ours = PipelineGuard::JWT.encode(claims, private_key, alg, kid: "k2")
        theirs = JWT.encode(claims, private_key, alg, kid: "k2")
        deterministic = alg.start_with?("HS", "RS")
        expect(deterministic ? ours : ours.split(".")[0, 2]).to eq(deterministic ? theirs : theirs.split(".")[0, 2])
      end

      it "signs with a Signer that the jwt gem verifies, and verifies the gem's tokens" do
        next if alg.start_with?("HS")

        signer = PipelineGuard::JWT::Signer.new(private_key, algorithm: alg)
        expect(JWT.decode(signer.sign(claims), public_key, true, algorithms: [alg]).first).to eq(claims)
        verifier = PipelineGuard::JWT::Verifier.new(keys: public_key, algorithms: [alg])
        expect(verifier.verify(JWT.encode(claims, private_key, alg))).to eq(claims)
      end
    end
  end

  it "accepts public keys as OpenSSL objects, PEM, JWK and JWKS", :gc_stress do
    token = JWT.encode(claims, rsa, "RS256", { "kid" => "rsa-1" })
    jwk = PipelineGuard::JWT::VerifyingKey.from(rsa.public_key).public_jwk.merge("kid" => "rsa-1")
    [rsa, rsa.public_key, rsa.public_key.to_pem, jwk, { "keys" => [jwk] }, { keys: [jwk.transform_keys(&:to_sym)] }]
      .each do |key|
      expect(PipelineGuard::JWT.decode(token, key, true, algorithms: ["RS256"]).first).to eq(claims)
    end
    expect(PipelineGuard::JWT.decode(token, nil, true, algorithms: ["RS256"], jwks: { "keys" => [jwk] }).first)
      .to eq(claims)
  end

  it "signs and verifies EdDSA compatibly with OpenSSL's Ed25519" do
    ed = OpenSSL::PKey.generate_key("ED25519")
    token = PipelineGuard::JWT.encode(claims, ed, "EdDSA")
    signing_input, _, sig = token.rpartition(".")
    raw_sig = Base64.urlsafe_decode64(sig + ("=" * (-sig.size % 4)))
    expect(ed.verify(nil, raw_sig, signing_input)).to be(true)
    expect(PipelineGuard::JWT.decode(token, OpenSSL::PKey.read(ed.public_to_der), true, algorithms: ["EdDSA"]).first)
      .to eq(claims)

    header = Base64.urlsafe_encode64(JSON.generate(alg: "EdDSA"), padding: false)
    body = Base64.urlsafe_encode64(JSON.generate(claims), padding: false)
    foreign = "#{header}.#{body}.#{Base64.urlsafe_encode64(ed.sign(nil, "#{header}.#{body}"), padding: false)}"
    expect(PipelineGuard::JWT.decode(foreign, ed, true, algorithms: ["EdDSA"]).first).to eq(claims)
    signer = PipelineGuard::JWT::Signer.new(ed)
    expect(signer.algorithm).to eq("EdDSA")
    expect(signer.public_jwk).to include("kty" => "OKP", "crv" => "Ed25519", "alg" => "EdDSA")
  end

  it "reads JWK private keys and PEM private keys for signing" do
    pem_signer = PipelineGuard::JWT::Signer.new(ec256.to_pem)
    expect(pem_signer.algorithm).to eq("ES256")
    expect(JWT.decode(pem_signer.sign(claims), ec256, true, algorithms: ["ES256"]).first).to eq(claims)
    expect(PipelineGuard::JWT.decode(PipelineGuard::JWT.encode(claims, rsa.to_pem, "PS384"), rsa, true,
                                     algorithms: ["PS384"]).first).to eq(claims)
  end

  it "keeps the jwt gem's payload JSON for symbols, nested and non-JSON Ruby values" do
    time = Time.at(1_700_000_000).utc
    payload = { sub: :job, "list" => [:a, { b: 1 }], "at" => time }
    ours = PipelineGuard::JWT.decode(PipelineGuard::JWT.encode(payload, secret, "HS256"), secret, true,
                                     algorithms: ["HS256"]).first
    gems = JWT.decode(JWT.encode(payload, secret, "HS256"), secret, true, algorithms: ["HS256"]).first
    expect(ours).to eq(gems)
    expect(ours).to eq("sub" => "job", "list" => ["a", { "b" => 1 }], "at" => time.to_s)
  end
end
