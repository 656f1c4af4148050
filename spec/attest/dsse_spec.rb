# frozen_string_literal: true

require "spec_helper"
require "base64"
require "openssl"

RSpec.describe PipelineGuard::DSSE do
  let(:type) { described_class::IN_TOTO_PAYLOAD_TYPE }
  let(:payload) { +'{"_type":"https://in-toto.io/Statement/v1"}' }

  def pae(type, body)
    "DSSEv1 #{type.bytesize} #{type} #{body.bytesize} ".b + body.b
  end

  keys = {
    "P-256" => -> { OpenSSL::PKey::EC.generate("prime256v1") },
    "P-384" => -> { OpenSSL::PKey::EC.generate("secp384r1") },
    "Ed25519" => -> { OpenSSL::PKey.generate_key("ED25519") },
    "RSA" => -> { OpenSSL::PKey::RSA.new(2048) }
  }

  keys.each do |name, make|
    context "with #{name} keys" do
      let(:key) { make.call }

      it "round-trips through JSON and refuses tampering with payload, type, signature and keyid" do
        env = described_class.sign(payload, payload_type: type, signer: { key:, keyid: "platform" })
        expect(env.keys).to eq(%w[payloadType payload signatures])
        expect(Base64.strict_decode64(env["payload"])).to eq(payload)
        expect(env["signatures"].first["keyid"]).to eq("platform")

        trusted = { key:, keyid: "platform" }
        expect(described_class.verify(JSON.generate(env), keys: [trusted])).to eq(payload)
        expect(described_class.verify(env, keys: key)).to eq(payload)

        tampered = [
          env.merge("payload" => Base64.strict_encode64("#{payload} ")),
          env.merge("payloadType" => "application/vnd.in-toto+jsom"),
          env.merge("signatures" => [env["signatures"][0].merge("keyid" => "other")]),
          env.merge("signatures" => [env["signatures"][0].merge(
            "sig" => Base64.strict_encode64(Base64.strict_decode64(env["signatures"][0]["sig"]).tap do |s|
                                              s.setbyte(-1, s.getbyte(-1) ^ 1)
                                            end)
          )])
        ]
        tampered.each do |bad|
          expect { described_class.verify(bad, keys: [trusted], payload_type: :any) }
            .to raise_error(described_class::VerificationError, /signature verification failed/)
        end
      end

      it "verifies what OpenSSL signs over the PAE, and OpenSSL verifies what it signs", :gc_stress do
        digest = if name == "Ed25519"
                   nil
                 else
                   (name == "P-384" ? "SHA384" : "SHA256")
                 end
        sig = key.sign(digest, pae(type, payload))
        env = { "payload" => Base64.strict_encode64(payload), "payloadType" => type,
                "signatures" => [{ "sig" => Base64.strict_encode64(sig) }] }
        expect(described_class.verify(env, keys: key)).to eq(payload)

        ours = described_class.sign(payload, payload_type: type, signer: key)
        ours_sig = Base64.strict_decode64(ours["signatures"][0]["sig"])
        expect(key.verify(digest, ours_sig, pae(type, payload))).to be(true)
        # ECDSA as DER (cosign/in-toto), never JWS r||s.
        expect(ours_sig.getbyte(0)).to eq(0x30) if name.start_with?("P-")
      end
    end
  end

  it "signs and verifies RSA-PSS when asked, and keeps PKCS#1 v1.5 and PSS apart" do
    rsa = OpenSSL::PKey::RSA.new(2048)
    env = described_class.sign(payload, payload_type: type, signer: { key: rsa, algorithm: "PS256" })
    sig = Base64.strict_decode64(env["signatures"][0]["sig"])
    expect(rsa.verify_pss("SHA256", sig, pae(type, payload), salt_length: :auto, mgf1_hash: "SHA256")).to be(true)
    expect(described_class.verify(env, keys: { key: rsa, algorithm: "PS256" })).to eq(payload)
    expect { described_class.verify(env, keys: rsa) }.to raise_error(described_class::VerificationError)
  end

  it "accepts the DSSE protocol vectors (Ed25519, URL-safe base64, thresholds)" do
    doc = JSON.parse(File.read(File.expand_path("../../core/tests/data/dsse_vectors.json", __dir__)))
    doc["vectors"].each do |v|
      keys = v["trustedKeys"].map do |name|
        x = [doc["keys"][name]["public"]].pack("H*")
        { key: { "kty" => "OKP", "crv" => "Ed25519", "x" => Base64.urlsafe_encode64(x, padding: false) }, keyid: name }
      end
      run = lambda {
        described_class.verify(v["envelope"], keys:, threshold: v["threshold"],
                                              payload_type: v["supportedPayloadTypes"])
      }
      if v["expect"] == "accept"
        expect(run.call).to eq(Base64.urlsafe_decode64(v["envelope"]["payload"].tr("+/", "-_"))), v["id"]
      else
        expect(&run).to raise_error(described_class::VerificationError), v["id"]
      end
    end
  end

  it "needs threshold distinct trusted keys and reports which keys verified", :gc_stress do
    a = OpenSSL::PKey::EC.generate("prime256v1")
    b = OpenSSL::PKey.generate_key("ED25519")
    env = described_class.sign(payload, payload_type: type, signers: [{ key: a, keyid: "a" }, { key: b, keyid: "b" }])
    expect(env["signatures"].map { |s| s["keyid"] }).to eq(%w[a b])
    verifier = described_class::Verifier.new(keys: [{ key: a, keyid: "a" }, { key: b, keyid: "b" }], threshold: 2)
    expect(verifier.verify_detailed(env)).to include("payload" => payload, "keyids" => %w[a b])
    one = described_class.sign(payload, payload_type: type, signers: [{ key: a, keyid: "a" }, { key: a, keyid: "a" }])
    expect { verifier.verify(one) }.to raise_error(described_class::VerificationError, /1 of the required 2/)
    expect { described_class::Verifier.new(keys: [a, a], threshold: 2) }.to raise_error(ArgumentError, /distinct/)
    expect { described_class::Verifier.new(keys: [a], threshold: 0) }.to raise_error(ArgumentError)
  end

  it "signs a Hash payload as its JSON" do
    key = OpenSSL::PKey::EC.generate("prime256v1")
    env = described_class.sign({ "_type" => "https://in-toto.io/Statement/v1" }, payload_type: type, signer: key)
    expect(described_class.verify(env, keys: key)).to eq('{"_type":"https://in-toto.io/Statement/v1"}')
  end

  it "checks the payload type after the signatures" do
    key = OpenSSL::PKey::EC.generate("prime256v1")
    env = described_class.sign("x", payload_type: "application/vnd.example+json", signer: key)
    expect { described_class.verify(env, keys: key) }
      .to raise_error(described_class::VerificationError,
                      %r{payload type "application/vnd.example\+json" is not accepted})
    expect(described_class.verify(env, keys: key, payload_type: "application/vnd.example+json")).to eq("x")
    expect(described_class.verify(env, keys: key, payload_type: :any)).to eq("x")
  end

  it "raises VerificationError for envelopes that do not parse" do
    key = OpenSSL::PKey::EC.generate("prime256v1")
    ["{", "[]", '{"payload":"","payloadType":"t"}', '{"payload":"%%","payloadType":"t","signatures":[]}',
     '{"payload":"","payloadType":"t","signatures":[]}', { "payload" => 1 }].each do |bad|
      expect { described_class.verify(bad, keys: key, payload_type: :any) }
        .to raise_error(described_class::VerificationError)
    end
  end

  it "refuses HMAC secrets, public keys for signing, and unknown algorithms with InvalidKeyError" do
    ec = OpenSSL::PKey::EC.generate("prime256v1")
    expect do
      described_class.sign("x", payload_type: type,
                                signer: "a" * 64)
    end.to raise_error(PipelineGuard::InvalidKeyError, /HMAC/)
    expect { described_class.sign("x", payload_type: type, signer: OpenSSL::PKey.read(ec.public_to_pem)) }
      .to raise_error(PipelineGuard::InvalidKeyError)
    expect { described_class.sign("x", payload_type: type, signer: { key: ec, algorithm: "ES384" }) }
      .to raise_error(PipelineGuard::InvalidKeyError)
    expect { described_class.sign("x", payload_type: type, signer: { key: ec, algorithm: "XS1" }) }
      .to raise_error(PipelineGuard::InvalidKeyError, /unknown/)
    expect { described_class.verify("{}", keys: "a" * 64) }.to raise_error(PipelineGuard::InvalidKeyError, /HMAC/)
    expect { described_class.sign("x", payload_type: type) }.to raise_error(ArgumentError)
    expect(PipelineGuard::DSSE::VerificationError.ancestors).to include(PipelineGuard::Error)
  end

  it "keeps key material out of inspect, Marshal and dup" do
    signer = described_class::Signer.new(OpenSSL::PKey::EC.generate("prime256v1"), keyid: "k")
    expect(signer.inspect).to eq('#<PipelineGuard::DSSE::Signer ES256 keyid="k">')
    expect { Marshal.dump(signer) }.to raise_error(TypeError)
    expect { signer.dup }.to raise_error(TypeError)
  end
end
