# frozen_string_literal: true

require "openssl"
require "base64"
require "json"
require "pp" # rubocop:disable Lint/RedundantRequireStatement -- PP.pp below needs the constant

# The JWK object API and X5cKeyFinder: what the gem's own suites do not
# pin down — private material kept out of sight, the thumbprint agreeing
# with the native one, strict parsing, keys used only in their family.
RSpec.describe "PipelineGuard::JWT::JWK" do
  let(:jwt) { PipelineGuard::JWT }
  let(:jwk_api) { PipelineGuard::JWT::JWK }
  let(:rsa) { OpenSSL::PKey::RSA.new(2048) }

  def private_values(jwk)
    jwk.export(include_private: true).slice(:d, :p, :q, :dp, :dq, :qi, :k).values
  end

  describe "private parameters" do
    it "never appear in inspect, to_s or pp, and export gives them only with include_private: true" do
      [jwk_api.new(rsa), jwk_api.new(OpenSSL::PKey::EC.generate("prime256v1")),
       jwk_api.new("a-shared-secret-of-at-least-32-bytes!")].each do |jwk|
        secrets = private_values(jwk)
        expect(secrets).not_to be_empty
        shown = [jwk.inspect, jwk.to_s, PP.pp(jwk, +""), jwk_api::Set.new(jwk).inspect]
        secrets.each { |secret| shown.each { |text| expect(text).not_to include(secret) } }
        expect(jwk.export.values & secrets).to be_empty
        expect(jwk.export(include_private: "yes").values & secrets).to be_empty
      end
    end

    it "refuses Marshal for a key holding private material; a public key round-trips" do
      expect { Marshal.dump(jwk_api.new(rsa)) }.to raise_error(TypeError, /private key/)
      expect { Marshal.dump(jwk_api.new("secret")) }.to raise_error(TypeError)
      public_jwk = jwk_api.new(rsa.public_key)
      expect(Marshal.load(Marshal.dump(public_jwk))).to eq(public_jwk)
    end

    it "cannot overwrite key parameters through []=" do
      jwk = jwk_api.new(rsa)
      expect { jwk[:n] = "AQAB" }.to raise_error(ArgumentError, "cannot overwrite cryptographic key attributes")
      expect { jwk_api.new(rsa, { d: "AQAB" }) }.to raise_error(ArgumentError)
    end
  end

  describe "thumbprints (RFC 7638)" do
    it "matches the RFC 7638 §3.1 example" do
      n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjB" \
          "ZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8" \
          "KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_" \
          "xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
      jwk = jwk_api.import({ "kty" => "RSA", "n" => n, "e" => "AQAB" })
      expect(jwk_api::Thumbprint.new(jwk).to_s).to eq("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    end

    it "computed in Ruby equals the native thumbprint used by Signer#kid, for RSA and every EC curve" do
      keys = [rsa] + %w[prime256v1 secp384r1 secp521r1].map { |curve| OpenSSL::PKey::EC.generate(curve) }
      keys.each do |key|
        jwk = jwk_api.new(key)
        ruby = jwk_api::Thumbprint.canonical(jwk.members)
        expect(ruby).to eq(jwt::Signer.new(key).kid)
        expect(ruby).to eq(jwt::VerifyingKey.from(jwk.verify_key).thumbprint)
        expect(jwk_api::Thumbprint.new(jwk).to_s).to eq(ruby)
      end
    end

    it "is the kid when the configuration asks for it, and the key digest otherwise" do
      digest = jwk_api.new(rsa).kid
      expect(digest).to match(/\A\h{64}\z/)
      jwt.configuration.jwk.kid_generator_type = :rfc7638_thumbprint
      expect(jwk_api.new(rsa).kid).to eq(jwt::Signer.new(rsa).kid)
    ensure
      jwt.configuration.jwk.kid_generator_type = :key_digest
    end
  end

  describe "EC parameters" do
    # A P-256 key whose x lost its leading zero byte in some encoder.
    let(:short_x) do
      { "kty" => "EC", "crv" => "P-256", "x" => "0Nv5IKAlkvXuAKmOmFgmrwXKR7qGePOzu_7RXg5msw",
        "y" => "FqnPSNutcjfvXNlufwb7nLJuUEnBkbMdZ3P79nY9c3k" }
    end

    it "pads short coordinates back to the curve size" do
      key = jwk_api.import(short_x).verify_key
      expect(key.public_key.to_octet_string(:uncompressed).bytesize).to eq(65)
      expect(jwk_api.new(key).export[:x]).to eq(Base64.urlsafe_encode64("\0#{Base64.urlsafe_decode64(short_x['x'])}",
                                                                        padding: false))
    end

    it "refuses a point off the curve, a d of another key, and base64 outside the url alphabet" do
      ec = jwk_api.new(OpenSSL::PKey::EC.generate("prime256v1")).export(include_private: true)
      off_curve = ec.merge(y: Base64.urlsafe_encode64("\x01" * 32, padding: false)).except(:d, :kid)
      expect { jwk_api.import(off_curve) }.to raise_error(jwt::JWKError)
      other_d = jwk_api.new(OpenSSL::PKey::EC.generate("prime256v1")).export(include_private: true)[:d]
      expect { jwk_api.import(ec.merge(d: other_d).except(:kid)) }.to raise_error(jwt::JWKError)
      standard = short_x.merge("x" => "#{short_x['x'].tr('-_', '+/')}=")
      expect { jwk_api.import(standard) }.to raise_error(jwt::JWKError, /base64url/)
    end
  end

  describe "RSA parameters" do
    it "refuses a private key without all of its CRT parameters" do
      params = jwk_api.new(rsa).export(include_private: true).except(:dq, :kid)
      expect { jwk_api.import(params) }.to raise_error(jwt::JWKError, /all the other optimization parameters/)
    end
  end

  describe "JWK::Set" do
    it "refuses a lone JWK Hash instead of reading it as an empty set" do
      expect { jwk_api::Set.new(jwk_api.new(rsa).export) }.to raise_error(jwt::JWKError)
      expect(jwk_api::Set.new({}).keys).to eq([])
    end
  end

  describe "JWT.decode with jwks:" do
    let(:hmac) { jwk_api.new("a-shared-secret-of-at-least-32-bytes!", "hmac") }
    let(:rsa_jwk) { jwk_api.new(rsa, "rsa") }
    let(:jwks) { { keys: [hmac.export(include_private: true), rsa_jwk.export] } }

    it "reads an oct JWK's k as the secret itself, as the gem does" do
      token = jwt.encode({ "a" => 1 }, hmac.signing_key, "HS256", { kid: "hmac" })
      expect(jwt.decode(token, nil, true, algorithms: ["HS256"], jwks:).first).to eq("a" => 1)
      expect(jwt.decode(token, nil, true, algorithms: ["HS256"], jwks: jwk_api::Set.new(jwks)).first).to eq("a" => 1)
    end

    it "never uses an oct key for RS256 nor an RSA key as an HMAC secret (DecodeError, never a crash)" do
      rs_token = jwt.encode({ "a" => 1 }, rsa, "RS256", { kid: "hmac" })
      expect { jwt.decode(rs_token, nil, true, algorithms: ["RS256"], jwks:) }
        .to raise_error(jwt::VerificationError, "Signature verification raised")
      hs_token = jwt.encode({ "a" => 1 }, rsa_jwk.export[:n], "HS256", { kid: "rsa" })
      expect { jwt.decode(hs_token, nil, true, algorithms: ["HS256"], jwks:) }
        .to raise_error(jwt::DecodeError, "HMAC key expected to be a String")
    end

    it "uses a JWK only with the alg it names" do
      token = jwt.encode({ "a" => 1 }, rsa, "RS256", { kid: "rsa" })
      restricted = { keys: [rsa_jwk.export.merge(alg: "RS384")] }
      expect { jwt.decode(token, nil, true, algorithms: %w[RS256 RS384], jwks: restricted) }
        .to raise_error(jwt::IncorrectAlgorithm)
    end

    it "refuses a kid that is not a String, and calls a loader again when the kid is unknown" do
      token = jwt.encode({ "a" => 1 }, rsa, "RS256", { kid: 5 })
      expect { jwt.decode(token, nil, true, algorithms: ["RS256"], jwks:) }
        .to raise_error(jwt::DecodeError, "Invalid type for kid header parameter")
      calls = []
      loader = lambda do |options|
        calls << options
        options[:kid_not_found] ? jwk_api::Set.new(rsa_jwk) : { keys: [] }
      end
      token = jwt.encode({ "a" => 1 }, rsa_jwk.signing_key, "RS256", { kid: "rsa" })
      expect(jwt.decode(token, nil, true, algorithms: ["RS256"], jwks: loader).first).to eq("a" => 1)
      expect(calls).to eq([{ kid: "rsa" }, { invalidate: true, kid_not_found: true, kid: "rsa" }])
    end

    it "takes a JWK object as the key (alone, in an Array, from a key finder block) and to sign" do
      token = jwt.encode({ "a" => 1 }, rsa_jwk, "RS256")
      expect(jwt.decode(token, rsa_jwk, true, algorithms: ["RS256"]).first).to eq("a" => 1)
      expect(jwt.decode(token, [hmac, rsa_jwk], true, algorithms: ["RS256"]).first).to eq("a" => 1)
      expect(jwt.decode(token, nil, true, algorithms: ["RS256"]) { rsa_jwk }.first).to eq("a" => 1)
      expect { jwt.encode({ "a" => 1 }, jwk_api.new(rsa.public_key), "RS256") }
        .to raise_error(jwt::EncodeError, "No signing key given")
    end
  end

  describe "X5cKeyFinder and decode with x5c:" do
    let(:root_key) { OpenSSL::PKey::RSA.new(2048) }
    let(:leaf_key) { OpenSSL::PKey::RSA.new(2048) }
    let(:root) { certificate("/CN=Root", root_key, root_key, serial: 1, ca: true) }
    let(:leaf) { certificate("/CN=Leaf", leaf_key, root_key, serial: 2, issuer: root) }
    let(:crl) do
      crl = OpenSSL::X509::CRL.new
      crl.issuer = root.subject
      crl.version = 1
      crl.last_update = Time.now - 60
      crl.next_update = Time.now + 3600
      crl.sign(root_key, "sha256")
      crl
    end
    let(:x5c) { [Base64.strict_encode64(leaf.to_der)] }

    def certificate(name, key, signer, serial:, issuer: nil, ca: false)
      cert = OpenSSL::X509::Certificate.new
      cert.version = 2
      cert.serial = serial
      cert.subject = OpenSSL::X509::Name.parse(name)
      cert.issuer = issuer ? issuer.subject : cert.subject
      cert.public_key = key
      cert.not_before = Time.now - 60
      cert.not_after = Time.now + 3600
      factory = OpenSSL::X509::ExtensionFactory.new
      cert.add_extension(factory.create_extension("basicConstraints", "CA:TRUE", true)) if ca
      cert.sign(signer, "sha256")
      cert
    end

    it "decodes a token whose chain leads to a given root, and only with x5c:" do
      token = jwt.encode({ "a" => 1 }, leaf_key, "RS256", { "x5c" => x5c })
      options = { algorithms: ["RS256"], x5c: { root_certificates: [root], crls: [crl] } }
      expect(jwt.decode(token, nil, true, options).first).to eq("a" => 1)
      expect { jwt.decode(token, leaf_key.public_key, true, algorithms: ["RS256"]) }
        .to raise_error(jwt::DecodeError, /never taken from the token/)
    end

    it "refuses a chain to another root, a self-signed leaf, and x5c that is not strict base64" do
      other_root = certificate("/CN=Root", OpenSSL::PKey::RSA.new(2048), root_key, serial: 1, ca: true)
      self_signed = certificate("/CN=Leaf", leaf_key, leaf_key, serial: 3)
      finder = jwt::X5cKeyFinder.new([root], [crl])
      expect { jwt::X5cKeyFinder.new([other_root], [crl]).from(x5c) }.to raise_error(jwt::VerificationError)
      expect { finder.from([Base64.strict_encode64(self_signed.to_der)]) }.to raise_error(jwt::VerificationError)
      expect { finder.from([Base64.urlsafe_encode64(leaf.to_der)]) }.to raise_error(jwt::DecodeError)
      expect { finder.from([]) }.to raise_error(jwt::DecodeError)
      expect { finder.from(nil) }.to raise_error(jwt::DecodeError)
      token = jwt.encode({ "a" => 1 }, leaf_key, "RS256", { "x5c" => [Base64.strict_encode64(self_signed.to_der)] })
      expect { jwt.decode(token, nil, true, algorithms: ["RS256"], x5c: { root_certificates: [root], crls: [crl] }) }
        .to raise_error(jwt::VerificationError, /Certificate verification failed/)
    end
  end
end
